import type { GuardConfig } from "../core/config.js";
import { emptySchema, replayMigrations } from "../model/schema.js";
import type { SchemaState } from "../core/changes.js";
import { ownerOf, writersOf } from "../rules/ownership.js";
import type { ServiceHistory } from "./history.js";

/** Every service's history replayed into the one database they share, in configuration order. */
export function buildSharedSchema(histories: readonly ServiceHistory[]): SchemaState {
  const schema = emptySchema();
  for (const history of histories) replayMigrations(schema, history.migrations, history.service);
  return schema;
}

export interface SchemaDescription {
  tables: Record<string, { owner: string; writers: string[]; columns: Record<string, { type: string; nullable: boolean }> }>;
}

/** The shape `shared-schema-guard schema` prints; tables sorted by name, columns in table order. */
export function describeSchema(config: GuardConfig, schema: SchemaState): SchemaDescription {
  const tables: SchemaDescription["tables"] = {};
  for (const name of [...schema.tables.keys()].sort()) {
    const table = schema.tables.get(name);
    if (!table) continue;
    tables[name] = {
      owner: ownerOf(config, name, schema),
      writers: writersOf(config, name, schema),
      columns: Object.fromEntries([...table.columns].map(([column, def]) => [column, { type: def.type, nullable: def.nullable }])),
    };
  }
  return { tables };
}

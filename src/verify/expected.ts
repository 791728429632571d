// The shared schema the migrations promise, replayed as `schema` replays it, remembering which
// migration gave each table and column its name, its type and its nullability: a difference
// with the live database can then name the migration that should have made it.
import { applyChange, emptySchema } from "../model/schema.js";
import type { Location, SchemaChange, SchemaState, UnparsedSql } from "../core/changes.js";
import type { ServiceHistory } from "../pipeline/history.js";

export interface ColumnOrigin {
  /** The migration statement that created the column or gave it its current name. */
  namedIn: Location;
  /** The name it had before a rename, when a rename gave it the current one. */
  previousName?: string;
  typeFrom: Location;
  nullabilityFrom: Location;
}

export interface TableOrigin {
  service: string;
  createdIn: Location;
  /** The rename that gave the table its current name, and the name before it. */
  renamedIn?: Location;
  previousName?: string;
  columns: Map<string, ColumnOrigin>;
}

export interface ExpectedSchema {
  schema: SchemaState;
  origins: Map<string, TableOrigin>;
  /** Statements the replay could not read: the expected schema may be incomplete where they are. */
  unparsed: UnparsedSql[];
  /** Each migration file's place in the replay, the order the database should have seen them in. */
  applyOrder: Map<string, number>;
}

function columnOrigin(loc: Location): ColumnOrigin {
  return { namedIn: loc, typeFrom: loc, nullabilityFrom: loc };
}

function track(origins: Map<string, TableOrigin>, change: SchemaChange, service: string, existed: boolean): void {
  if (change.kind === "create-table") {
    if (existed) return;
    const columns = new Map(change.columns.map((column) => [column.name, columnOrigin(change.loc)]));
    origins.set(change.table, { service, createdIn: change.loc, columns });
    return;
  }
  if (change.kind === "drop-index") return;
  const origin = origins.get(change.table);
  if (!origin) return;
  switch (change.kind) {
    case "drop-table":
      origins.delete(change.table);
      return;
    case "rename-table":
      origins.delete(change.table);
      origins.set(change.newName, { ...origin, renamedIn: change.loc, previousName: change.table });
      return;
    case "add-column":
      if (!origin.columns.has(change.column.name)) origin.columns.set(change.column.name, columnOrigin(change.loc));
      return;
    case "drop-column":
      origin.columns.delete(change.column);
      return;
    case "rename-column": {
      const column = origin.columns.get(change.column);
      if (!column) return;
      origin.columns = new Map(
        [...origin.columns].map(([name, def]) =>
          name === change.column ? [change.newName, { ...def, namedIn: change.loc, previousName: change.column }] : [name, def],
        ),
      );
      return;
    }
    case "alter-column-type": {
      const column = origin.columns.get(change.column);
      if (column) column.typeFrom = change.loc;
      return;
    }
    case "set-not-null":
    case "drop-not-null": {
      const column = origin.columns.get(change.column);
      if (column) column.nullabilityFrom = change.loc;
      return;
    }
    case "add-constraint":
      if (change.constraint.kind === "primary-key") {
        for (const name of change.constraint.columns) {
          const column = origin.columns.get(name);
          if (column) column.nullabilityFrom = change.loc;
        }
      }
      return;
    default:
      return;
  }
}

/** Every service's history replayed in configuration order, as `buildSharedSchema` does, with origins. */
export function expectedSchema(histories: readonly ServiceHistory[]): ExpectedSchema {
  const schema = emptySchema();
  const origins = new Map<string, TableOrigin>();
  const unparsed: UnparsedSql[] = [];
  const applyOrder = new Map<string, number>();
  for (const history of histories) {
    for (const migration of history.migrations) {
      if (!applyOrder.has(migration.file)) applyOrder.set(migration.file, applyOrder.size);
      unparsed.push(...migration.unparsed);
      for (const statement of migration.statements) {
        for (const change of statement.changes) {
          const existed = change.kind !== "drop-index" && schema.tables.has(change.table);
          applyChange(schema, change, history.service);
          track(origins, change, history.service, existed);
        }
      }
    }
  }
  return { schema, origins, unparsed, applyOrder };
}

// The way out of the shared database, service by service: the tables each one owns, who else
// writes them (the single-writer step), who else reads them and from where (the
// replicate-reads step), the foreign keys that cross services, and the tables it still uses
// of others. What remains on that list stands between the service and its own database.
import { ownerOf, writersOf } from "../core/ownership.js";
import type { GuardConfig } from "../core/config.js";
import type { ConsumerLookup, ConsumerUse } from "../core/consumers.js";
import type { SchemaState } from "../core/changes.js";

export interface ForeignUse {
  table: string;
  /** The table's owner. */
  owner: string;
  /** The service that uses a table it does not own. */
  service: string;
  /** Declared as a writer in the configuration. */
  declaredWriter: boolean;
  /** Uses found in that service's code, in file order. */
  writes: ConsumerUse[];
  reads: ConsumerUse[];
}

export interface CrossServiceForeignKey {
  table: string;
  columns: string[];
  owner: string;
  references: string;
  referencedOwner: string;
}

export interface ServiceReadiness {
  service: string;
  repo: string;
  owns: string[];
  /** Other services writing this service's tables: declared writers and writes found in code. */
  writtenByOthers: ForeignUse[];
  /** Other services reading this service's tables (and not writing them). */
  readByOthers: ForeignUse[];
  /** Foreign keys between this service's tables and another service's, either way. */
  foreignKeys: CrossServiceForeignKey[];
  /** Tables of other services this service uses. */
  usesOf: ForeignUse[];
  /** What stands between the service and its own database, one line each; empty when nothing does. */
  blockers: string[];
}

export interface OrganisationMap {
  services: ServiceReadiness[];
  /** Every table of the shared schema and of the configuration, with owner, writers and uses by others. */
  tables: { table: string; owner: string; writers: string[]; consumers: ConsumerUse[] }[];
  foreignKeys: CrossServiceForeignKey[];
  /** Consumer searches that failed or were incomplete: readers and writers may be missing. */
  searchFailures: ConsumerLookup["failures"];
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function crossServiceForeignKeys(config: GuardConfig, schema: SchemaState): CrossServiceForeignKey[] {
  const keys: CrossServiceForeignKey[] = [];
  for (const [name, table] of [...schema.tables].sort(([a], [b]) => compareText(a, b))) {
    const owner = ownerOf(config, name, table.createdBy);
    for (const foreignKey of table.foreignKeys) {
      const referenced = schema.tables.get(foreignKey.references.table);
      // A table no history creates (Django's auth_user) belongs to no service here.
      if (!referenced) continue;
      const referencedOwner = ownerOf(config, foreignKey.references.table, referenced.createdBy);
      if (referencedOwner === owner) continue;
      keys.push({ table: name, columns: foreignKey.columns, owner, references: foreignKey.references.table, referencedOwner });
    }
  }
  return keys;
}

function foreignUses(table: string, owner: string, writers: readonly string[], uses: readonly ConsumerUse[]): ForeignUse[] {
  const services = new Set([...writers.filter((writer) => writer !== owner), ...uses.map((use) => use.service)]);
  return [...services].sort(compareText).map((service) => ({
    table,
    owner,
    service,
    declaredWriter: writers.includes(service),
    writes: uses.filter((use) => use.service === service && use.access === "write"),
    reads: uses.filter((use) => use.service === service && use.access === "read"),
  }));
}

function where(uses: readonly ConsumerUse[]): string {
  const [first] = uses;
  if (!first) return "";
  const more = uses.length > 1 ? ` and ${uses.length - 1} more` : "";
  return ` (${first.repo}:${first.path}:${first.line}${more})`;
}

function blockersOf(readiness: Omit<ServiceReadiness, "blockers">): string[] {
  const blockers: string[] = [];
  for (const use of readiness.writtenByOthers) {
    const how = use.writes.length > 0 ? `writes ${use.table}${where(use.writes)}` : `is a declared writer of ${use.table}`;
    blockers.push(`single writer: ${use.service} ${how}; move those writes behind ${readiness.service}'s API or events`);
  }
  for (const use of readiness.readByOthers) {
    blockers.push(`replicate reads: ${use.service} reads ${use.table}${where(use.reads)}; give it a replica, an API or events`);
  }
  for (const key of readiness.foreignKeys) {
    blockers.push(`foreign key: ${key.table}(${key.columns.join(", ")}) → ${key.references} joins ${key.owner} and ${key.referencedOwner}; replace it with an opaque id`);
  }
  for (const use of readiness.usesOf) {
    const verb = use.writes.length > 0 || use.declaredWriter ? "writes" : "reads";
    const uses = [...use.writes, ...use.reads];
    blockers.push(`depends on ${use.owner}: ${verb} ${use.table}${where(uses)}`);
  }
  return blockers;
}

/** The split-readiness of every service, from the shared schema and every use found by consumer search. */
export function organisationMap(config: GuardConfig, schema: SchemaState, lookup: ConsumerLookup): OrganisationMap {
  const names = [...new Set([...schema.tables.keys(), ...config.tables.keys()])].sort(compareText);
  const tables = names.map((table) => {
    const createdBy = schema.tables.get(table)?.createdBy;
    const owner = ownerOf(config, table, createdBy);
    const consumers = lookup.uses.filter((use) => use.table === table && use.service !== owner);
    return { table, owner, writers: writersOf(config, table, createdBy), consumers };
  });
  const foreignKeys = crossServiceForeignKeys(config, schema);
  const services = [...config.services.values()].map((service): ServiceReadiness => {
    const owned = tables.filter((table) => table.owner === service.name);
    const others = owned.flatMap((table) => foreignUses(table.table, table.owner, table.writers, table.consumers));
    const usesOf = tables
      .filter((table) => table.owner !== service.name)
      .flatMap((table) =>
        foreignUses(table.table, table.owner, table.writers, table.consumers).filter((use) => use.service === service.name),
      );
    const readiness = {
      service: service.name,
      repo: service.repo,
      owns: owned.map((table) => table.table),
      writtenByOthers: others.filter((use) => use.declaredWriter || use.writes.length > 0),
      readByOthers: others.filter((use) => !use.declaredWriter && use.writes.length === 0),
      foreignKeys: foreignKeys.filter((key) => key.owner === service.name || key.referencedOwner === service.name),
      usesOf,
    };
    return { ...readiness, blockers: blockersOf(readiness) };
  });
  return { services, tables, foreignKeys, searchFailures: lookup.failures };
}

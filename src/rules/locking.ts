// Walking the reviewed migrations the way PostgreSQL runs them: which statements share a
// transaction, which session settings are in force, which tables the pull request itself
// creates (an empty table locks nobody out), and the locks each statement takes.
import { LOCK_MODES, type LockMode, type MigrationStatement, type ParsedMigration, type SchemaChange, type StatementLocking } from "../core/changes.js";
import type { ReviewInput } from "./types.js";

export interface WalkedStatement {
  migration: ParsedMigration;
  statement: MigrationStatement;
  locking: StatementLocking;
  /** Inside a transaction block: the runner's, or the file's own BEGIN. */
  inTransaction: boolean;
  /** Statements with the same id run in one transaction; outside a block each statement is its own. */
  transaction: number;
  /** Session settings in force when the statement runs (its own included), by lower-case name. */
  settings: ReadonlyMap<string, { value: string; enabled: boolean }>;
}

export function emptyLocking(): StatementLocking {
  return { locks: [], settings: [], validates: [], maintenance: [], tableWideWrites: [] };
}

function references(change: SchemaChange): string[] {
  if (change.kind === "create-table") {
    return [
      ...change.columns.flatMap((column) => (column.references ? [column.references.table] : [])),
      ...change.constraints.flatMap((constraint) => (constraint.kind === "foreign-key" ? [constraint.references.table] : [])),
    ];
  }
  if (change.kind === "add-column" && change.column.references) return [change.column.references.table];
  if (change.kind === "add-constraint" && change.constraint.kind === "foreign-key") return [change.constraint.references.table];
  return [];
}

function changeLock(change: SchemaChange): LockMode | undefined {
  switch (change.kind) {
    case "create-table":
      return undefined;
    case "create-index":
      return change.concurrently ? "SHARE UPDATE EXCLUSIVE" : "SHARE";
    case "drop-index":
      return change.concurrently ? "SHARE UPDATE EXCLUSIVE" : "ACCESS EXCLUSIVE";
    case "add-constraint":
      return change.constraint.kind === "foreign-key" ? "SHARE ROW EXCLUSIVE" : "ACCESS EXCLUSIVE";
    default:
      return "ACCESS EXCLUSIVE";
  }
}

/** The locks of a Django operation, from the DDL it runs (`sqlmigrate`'s statements). */
export function lockingOfChanges(changes: readonly SchemaChange[]): StatementLocking {
  const locking = emptyLocking();
  const lock = (relation: string, mode: LockMode): void => {
    const existing = locking.locks.find((candidate) => candidate.relation === relation);
    if (!existing) locking.locks.push({ relation, mode });
    else if (LOCK_MODES.indexOf(mode) > LOCK_MODES.indexOf(existing.mode)) existing.mode = mode;
  };
  for (const change of changes) {
    const mode = changeLock(change);
    if (mode) lock(change.kind === "drop-index" ? (change.table ?? change.name) : change.table, mode);
    for (const table of references(change)) lock(table, "SHARE ROW EXCLUSIVE");
    if (change.kind === "create-index" && change.concurrently) locking.outsideTransactionOnly = "CREATE INDEX CONCURRENTLY";
    if (change.kind === "drop-index" && change.concurrently) locking.outsideTransactionOnly = "DROP INDEX CONCURRENTLY";
  }
  return locking;
}

/** Every statement of the changed migrations, in apply order, with its transaction and session. */
export function walkMigrations(input: Pick<ReviewInput, "changedMigrations">): WalkedStatement[] {
  const walked: WalkedStatement[] = [];
  let transaction = 0;
  for (const migration of input.changedMigrations) {
    const wrapped = migration.inTransaction ?? false;
    let explicit = false;
    const session = new Map<string, { value: string; enabled: boolean }>();
    const local = new Map<string, { value: string; enabled: boolean } | undefined>();
    transaction += 1;
    for (const statement of migration.statements) {
      const locking = statement.locking ?? lockingOfChanges(statement.changes);
      const inTransaction = wrapped || explicit;
      if (!inTransaction) transaction += 1;
      for (const setting of locking.settings) {
        // SET LOCAL lasts until the transaction ends; remember what it hid.
        if (setting.local && inTransaction && !local.has(setting.name)) local.set(setting.name, session.get(setting.name));
        if (setting.local && !inTransaction) continue;
        session.set(setting.name, { value: setting.value, enabled: setting.enabled });
      }
      walked.push({ migration, statement, locking, inTransaction: inTransaction && locking.transaction !== "begin", transaction, settings: new Map(session) });
      if (locking.transaction === "begin") {
        explicit = true;
        transaction += 1;
      } else if (locking.transaction === "end") {
        explicit = false;
        for (const [name, previous] of local) {
          if (previous) session.set(name, previous);
          else session.delete(name);
        }
        local.clear();
        transaction += 1;
      }
    }
  }
  return walked;
}

/** Tables and indexes the pull request brings into existence, as it goes. */
export class PullRequestObjects {
  private readonly tables = new Set<string>();
  private readonly indexTables = new Map<string, string>();

  constructor(private readonly input: Pick<ReviewInput, "baseSchema">) {}

  record(changes: readonly SchemaChange[]): void {
    for (const change of changes) {
      if (change.kind === "create-table" && !this.input.baseSchema.tables.has(change.table)) this.tables.add(change.table);
      if (change.kind === "rename-table" && this.tables.has(change.table)) this.tables.add(change.newName);
      if (change.kind === "create-index" && change.name) this.indexTables.set(change.name, change.table);
    }
  }

  /** Created by the pull request, so empty and unknown to every other service. */
  isNew(table: string): boolean {
    return this.tables.has(table);
  }

  /** A relation a lock names: a table, or an index resolved to its table. */
  tableOf(relation: string): string {
    if (this.input.baseSchema.tables.has(relation) || this.tables.has(relation)) return relation;
    for (const table of this.input.baseSchema.tables.values()) if (table.indexes.has(relation)) return table.name;
    return this.indexTables.get(relation) ?? relation;
  }
}

export function blocksWrites(mode: LockMode): boolean {
  return LOCK_MODES.indexOf(mode) >= LOCK_MODES.indexOf("SHARE");
}

/** The configured PostgreSQL major version; a current one when none is configured. */
export function postgresVersion(input: Pick<ReviewInput, "config">): number {
  return input.config.postgres ?? 16;
}

// Small builders for plain rule inputs: every test states only what matters to it.
import type { GuardConfig, ServiceConfig, TableConfig } from "../../src/core/config.js";
import type { ConsumerLookup, ConsumerUse } from "../../src/core/consumers.js";
import type {
  CodeSqlAnalysis,
  ColumnDefinition,
  ColumnSchema,
  MigrationFormat,
  MigrationStatement,
  ParsedMigration,
  SchemaChange,
  SchemaState,
  TableConstraint,
  TableUse,
  UnparsedSql,
} from "../../src/core/changes.js";
import type { ReviewInput } from "../../src/rules/types.js";

/** hub owns by default; notifications and odds as in SPEC's example. */
export function config(overrides: Omit<Partial<GuardConfig>, "tables"> & { tables?: Record<string, Partial<TableConfig> & { owner: string }> } = {}): GuardConfig {
  const services = new Map<string, ServiceConfig>(
    ["hub", "notifications", "odds"].map((name) => [name, { name, repo: `r10score/r10-${name}`, migrations: [], code: [] }]),
  );
  const tables = new Map<string, TableConfig>(
    Object.entries(overrides.tables ?? {}).map(([name, table]) => [name, { owner: table.owner, writers: table.writers ?? [table.owner] }]),
  );
  return { prefix: "r10_", defaultOwner: "hub", rules: {}, ...overrides, services, tables };
}

/** `schema({ r10_match: { createdBy: "hub", columns: { kickoff: "timestamp with time zone" } } })` */
export function schema(
  tables: Record<string, { createdBy?: string; columns?: Record<string, string | Partial<ColumnSchema>>; indexes?: string[] }> = {},
): SchemaState {
  return {
    tables: new Map(
      Object.entries(tables).map(([name, table]) => [
        name,
        {
          name,
          createdBy: table.createdBy,
          columns: new Map(
            Object.entries(table.columns ?? {}).map(([column, spec]) => [
              column,
              typeof spec === "string" ? { type: spec, nullable: true } : { type: "text", nullable: true, ...spec },
            ]),
          ),
          indexes: new Set(table.indexes ?? []),
          indexColumns: new Map(),
          foreignKeys: [],
        },
      ]),
    ),
    objects: new Map(),
  };
}

export function column(name: string, overrides: Partial<ColumnDefinition> = {}): ColumnDefinition {
  return { name, type: "text", nullable: true, hasDefault: false, primaryKey: false, unique: false, ...overrides };
}

/** A statement at `line` of the migration's file; its changes and uses get that location. */
export function statement(line: number, changes: SchemaChange[], extra: Partial<MigrationStatement> = {}): MigrationStatement {
  return { loc: { file: "", line }, changes, uses: [], ...extra };
}

export function migration(
  file: string,
  statements: MigrationStatement[],
  { format = "sql", unparsed = [] }: { format?: MigrationFormat; unparsed?: { line: number; reason: string; subject?: string }[] } = {},
): ParsedMigration {
  const at = (line: number) => ({ file, line });
  return {
    file,
    format,
    statements: statements.map((s) => ({
      ...s,
      loc: at(s.loc.line),
      changes: s.changes.map((change) => ({ ...change, loc: at(s.loc.line) })),
      uses: s.uses.map((use) => ({ ...use, loc: at(s.loc.line) })),
    })),
    unparsed: unparsed.map(({ line, ...u }) => ({ ...u, loc: at(line), context: "migration" as const })),
  };
}

/** Changes take a placeholder location; `migration` puts them where their statement is. */
const here = { file: "", line: 0 };
export const change = {
  createTable: (table: string, columns: ColumnDefinition[] = [], constraints: TableConstraint[] = []): SchemaChange =>
    ({ kind: "create-table", table, loc: here, columns, constraints, ifNotExists: false }),
  dropTable: (table: string): SchemaChange => ({ kind: "drop-table", table, loc: here, ifExists: false, cascade: false }),
  renameTable: (table: string, newName: string): SchemaChange => ({ kind: "rename-table", table, newName, loc: here }),
  addColumn: (table: string, col: ColumnDefinition): SchemaChange => ({ kind: "add-column", table, column: col, loc: here, ifNotExists: false }),
  dropColumn: (table: string, col: string): SchemaChange => ({ kind: "drop-column", table, column: col, loc: here, ifExists: false }),
  renameColumn: (table: string, col: string, newName: string): SchemaChange => ({ kind: "rename-column", table, column: col, newName, loc: here }),
  alterType: (table: string, col: string, newType: string): SchemaChange => ({ kind: "alter-column-type", table, column: col, newType, loc: here }),
  setNotNull: (table: string, col: string): SchemaChange => ({ kind: "set-not-null", table, column: col, loc: here }),
  setDefault: (table: string, col: string): SchemaChange => ({ kind: "set-default", table, column: col, loc: here }),
  createIndex: (table: string, name: string, columns: string[] = []): SchemaChange =>
    ({ kind: "create-index", table, name, columns, unique: false, concurrently: false, ifNotExists: false, loc: here }),
  dropIndex: (name: string): SchemaChange => ({ kind: "drop-index", name, loc: here, ifExists: false, concurrently: false }),
  foreignKey: (table: string, columns: string[], references: string): SchemaChange => ({
    kind: "add-constraint",
    table,
    loc: here,
    constraint: { kind: "foreign-key", columns, references: { table: references, columns: [] }, notValid: false },
  }),
  truncate: (table: string): SchemaChange => ({ kind: "truncate", table, loc: here }),
};

export function use(table: string, access: "read" | "write", extra: Partial<TableUse> = {}): TableUse {
  return { table, access, columns: [], possibleColumns: [], allColumns: false, loc: here, ...extra };
}

/** Application code of the reviewed service: every use sits at `line` unless it says otherwise. */
export function code(file: string, line: number, uses: TableUse[], unparsed: Omit<UnparsedSql, "loc" | "context">[] = []): CodeSqlAnalysis {
  return {
    file,
    uses: uses.map((u) => ({ ...u, loc: u.loc.line === 0 ? { file, line } : { ...u.loc, file } })),
    unparsed: unparsed.map((u) => ({ ...u, loc: { file, line }, context: "code" as const })),
  };
}

export function consumer(service: string, table: string, extra: Partial<ConsumerUse> = {}): ConsumerUse {
  return { service, repo: `r10score/r10-${service}`, path: "internal/store/queries.go", line: 42, table, access: "read", ...extra };
}

export function review(overrides: Partial<ReviewInput> = {}): ReviewInput {
  const noConsumers: ConsumerLookup = { uses: [], failures: [] };
  return {
    config: config(),
    service: "hub",
    changedMigrations: [],
    changedCode: [],
    baseSchema: schema(),
    headSchema: schema(),
    consumers: noConsumers,
    ...overrides,
  };
}

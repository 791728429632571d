// The change vocabulary shared by every stage: parsers produce it, the model replays it,
// rules judge it. Everything here is plain data.
import type { DatabaseObject, ObjectChange } from "./objects.js";

/** A place in a repository: path relative to the repository root, 1-based line. */
export interface Location {
  file: string;
  line: number;
}

export interface ForeignKeyTarget {
  table: string;
  /** Empty when the statement relies on the referenced table's primary key. */
  columns: string[];
}

export interface ColumnDefinition {
  name: string;
  /** PostgreSQL's canonical spelling: `integer`, `character varying(120)`, `timestamp with time zone`, ... `unknown` when it cannot be known. */
  type: string;
  nullable: boolean;
  hasDefault: boolean;
  primaryKey: boolean;
  unique: boolean;
  references?: ForeignKeyTarget;
  /** How the default is computed, when there is one: whether adding the column rewrites the table depends on it. */
  defaultVolatility?: Volatility;
  /** The default (or generation) expression as written, for messages. */
  defaultText?: string;
  /** Columns of the same table a generated column is computed from. */
  generatedFrom?: string[];
  /** Sequence the column's default draws from (`serial`, identity, `DEFAULT nextval('s')`). */
  sequence?: string;
}

/** PostgreSQL's function volatility; `unknown`: a function the app cannot classify, so it may be volatile. */
export type Volatility = "immutable" | "stable" | "volatile" | "unknown";

export type TableConstraint =
  | { kind: "foreign-key"; name?: string; columns: string[]; references: ForeignKeyTarget; notValid: boolean }
  | { kind: "primary-key"; name?: string; columns: string[] }
  | { kind: "unique"; name?: string; columns: string[] }
  | { kind: "check"; name?: string; notValid: boolean; /** `CHECK (col IS NOT NULL)`: the column it proves NOT NULL. */ notNullColumn?: string }
  | { kind: "other"; name?: string; description: string };

interface ChangeBase {
  loc: Location;
  /** Table the change applies to, lower-cased, without a `public.` qualifier. */
  table: string;
  /** Set when PostgreSQL makes this change as a consequence of the statement (a CASCADE): what caused it. */
  via?: string;
}

export interface CreateTable extends ChangeBase {
  kind: "create-table";
  columns: ColumnDefinition[];
  constraints: TableConstraint[];
  ifNotExists: boolean;
}
export interface DropTable extends ChangeBase {
  kind: "drop-table";
  ifExists: boolean;
  cascade: boolean;
}
export interface RenameTable extends ChangeBase {
  kind: "rename-table";
  newName: string;
}
export interface AddColumn extends ChangeBase {
  kind: "add-column";
  column: ColumnDefinition;
  ifNotExists: boolean;
}
export interface DropColumn extends ChangeBase {
  kind: "drop-column";
  column: string;
  ifExists: boolean;
  cascade?: boolean;
}
export interface RenameColumn extends ChangeBase {
  kind: "rename-column";
  column: string;
  newName: string;
}
export interface AlterColumnType extends ChangeBase {
  kind: "alter-column-type";
  column: string;
  newType: string;
  /** A `USING` expression converts every value, so the table is rewritten. */
  using?: boolean;
}
export interface SetNotNull extends ChangeBase {
  kind: "set-not-null";
  column: string;
}
export interface DropNotNull extends ChangeBase {
  kind: "drop-not-null";
  column: string;
}
export interface SetDefault extends ChangeBase {
  kind: "set-default";
  column: string;
}
export interface DropDefault extends ChangeBase {
  kind: "drop-default";
  column: string;
}
export interface AddConstraint extends ChangeBase {
  kind: "add-constraint";
  constraint: TableConstraint;
}
export interface DropConstraint extends ChangeBase {
  kind: "drop-constraint";
  name: string;
  ifExists: boolean;
}
export interface CreateIndex extends ChangeBase {
  kind: "create-index";
  name?: string;
  columns: string[];
  unique: boolean;
  concurrently: boolean;
  ifNotExists: boolean;
}
export interface DropIndex {
  kind: "drop-index";
  loc: Location;
  via?: string;
  /** Index name; the table is unknown to a DROP INDEX statement, so rules resolve it from the schema. */
  name: string;
  table?: string;
  ifExists: boolean;
  concurrently: boolean;
}
export interface TruncateTable extends ChangeBase {
  kind: "truncate";
}
/**
 * Anything else a statement does to a table that its owner, readers or writers depend on:
 * triggers, rules, policies, grants, ownership, identity, constraint and index renames, comments.
 */
export interface TableDetail extends ChangeBase {
  kind: "table-detail";
  /** A verb phrase: "creates trigger `audit`", "revokes SELECT from `odds_service`". */
  description: string;
  column?: string;
  /**
   * Which uses of the table it can break: every use (access revoked, rows hidden or redirected),
   * writes (inserts swallowed), or writes that name `column` (identity GENERATED ALWAYS).
   */
  breaks?: "uses" | "writes" | "column-writes";
}

export type SchemaChange =
  | CreateTable
  | DropTable
  | RenameTable
  | AddColumn
  | DropColumn
  | RenameColumn
  | AlterColumnType
  | SetNotNull
  | DropNotNull
  | SetDefault
  | DropDefault
  | AddConstraint
  | DropConstraint
  | CreateIndex
  | DropIndex
  | TruncateTable
  | TableDetail;

export type SchemaChangeKind = SchemaChange["kind"];

/** How a query touches a table. */
export interface TableUse {
  table: string;
  access: "read" | "write";
  /** Columns certainly of this table (qualified, or the only table in scope). */
  columns: string[];
  /** Unqualified columns of a query with several tables in scope: this table or a sibling. */
  possibleColumns: string[];
  /** `SELECT *`, `t.*`, `RETURNING *`, `INSERT` without a column list: every column, by position or name. */
  allColumns: boolean;
  /** Rows inserted (INSERT, COPY FROM, MERGE … INSERT): the columns given, or `all` without a column list. */
  insert?: { columns: string[] | "all" };
  /** An unqualified column of the statement may belong to a function or subquery whose columns are not known. */
  openScope?: boolean;
  loc: Location;
}

/** Something the app could not understand; never silently skipped. */
export interface UnparsedSql {
  loc: Location;
  reason: string;
  context: "migration" | "code";
  /** For Django: the operation or field class that was not understood. */
  subject?: string;
  /** The SQL text that was not understood, when known (run-time parts shown as `…`): consumer search matches table names in it. */
  sql?: string;
}

/** One statement (raw SQL) or operation (Django) of a migration, with what it does. */
export interface MigrationStatement {
  loc: Location;
  changes: SchemaChange[];
  /** Changes to objects other than tables: schemas, types, sequences, views, functions, roles. */
  objects?: ObjectChange[];
  uses: TableUse[];
  /** Raw SQL migrations only: why re-running this statement fails or duplicates rows. */
  idempotencyProblem?: string;
  /** Django `RunPython`: a data migration the app reports but cannot analyse. */
  dataMigration?: boolean;
  /** Raw SQL: the whole lines from `loc.line` to `lastLine` when the statement stands alone on them. */
  ownLines?: { lastLine: number; text: string };
  /** Locks and session effects (src/parse/sql-locks.ts); absent: derived from `changes` (Django operations). */
  locking?: StatementLocking;
}

/** PostgreSQL's table lock modes, weakest first. */
export const LOCK_MODES = [
  "ACCESS SHARE",
  "ROW SHARE",
  "ROW EXCLUSIVE",
  "SHARE UPDATE EXCLUSIVE",
  "SHARE",
  "SHARE ROW EXCLUSIVE",
  "EXCLUSIVE",
  "ACCESS EXCLUSIVE",
] as const;
export type LockMode = (typeof LOCK_MODES)[number];

/** What one statement does to locks and to its session, beyond the schema changes. */
export interface StatementLocking {
  /** The strongest lock the statement takes on each relation it names (a table, or an index whose table the rules resolve). */
  locks: { relation: string; mode: LockMode }[];
  /** BEGIN / START TRANSACTION opens a transaction block; COMMIT, END, ROLLBACK close it. */
  transaction?: "begin" | "end";
  /** `SET [LOCAL] lock_timeout …`, `RESET …`, `set_config(…)`: `enabled` is false for 0, DEFAULT and RESET. */
  settings: { name: string; value: string; enabled: boolean; local: boolean }[];
  /** What in this statement PostgreSQL refuses to run inside a transaction block (`CREATE INDEX CONCURRENTLY`, `VACUUM`). */
  outsideTransactionOnly?: string;
  /** `ALTER TABLE … VALIDATE CONSTRAINT`. */
  validates: { table: string; constraint: string }[];
  /** Whole-table maintenance: `VACUUM FULL`, `CLUSTER`, `REINDEX`, `SET TABLESPACE`. */
  maintenance: { table: string; command: string }[];
  /** `UPDATE` or `DELETE` without `WHERE`: every row of the table. */
  tableWideWrites: { table: string; command: "UPDATE" | "DELETE" }[];
}

export type MigrationFormat = "django" | "sql" | "goose" | "dbmate";

export interface ParsedMigration {
  file: string;
  format: MigrationFormat;
  /** The runner wraps the whole migration in one transaction (Django unless `atomic = False`, goose and dbmate by default). */
  inTransaction?: boolean;
  statements: MigrationStatement[];
  unparsed: UnparsedSql[];
}

/** SQL found in application code. */
export interface CodeSqlAnalysis {
  file: string;
  uses: TableUse[];
  unparsed: UnparsedSql[];
}

export interface ColumnSchema {
  type: string;
  nullable: boolean;
  /** Whether the column has a database default; absent when the replay does not track it. */
  hasDefault?: boolean;
  generatedFrom?: string[];
  sequence?: string;
}

export interface TableSchema {
  name: string;
  /** Service whose migrations created the table, when known. */
  createdBy?: string;
  columns: Map<string, ColumnSchema>;
  /** Index names on this table, so DROP INDEX can be resolved. */
  indexes: Set<string>;
  /** Columns of each named index: dropping one of them drops the index. */
  indexColumns: Map<string, string[]>;
  foreignKeys: { name?: string; columns: string[]; references: ForeignKeyTarget }[];
}

export interface SchemaState {
  tables: Map<string, TableSchema>;
  /** Everything else the services create, by `objectKey(kind, name)`. */
  objects: Map<string, DatabaseObject>;
}

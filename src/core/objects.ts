// Objects other than tables that services create and depend on. Tables and their columns stay
// in `SchemaState.tables`; everything else a migration can name lives here, with the service
// whose migration created it.
import type { Location } from "./changes.js";

export type ObjectKind =
  | "schema"
  | "extension"
  /** Types and domains: one namespace in PostgreSQL. */
  | "type"
  | "sequence"
  | "view"
  | "materialized-view"
  | "function"
  /** An index named by a statement that does not say its table (ALTER INDEX … RENAME). */
  | "index"
  /** Operators, casts, collations, text search configurations, foreign servers, …: `label` says which. */
  | "other";

/** Kinds that share PostgreSQL's relation namespace with tables: `ALTER VIEW t RENAME` renames a table `t`. */
export const relationKinds: ReadonlySet<ObjectKind> = new Set(["sequence", "view", "materialized-view", "index"]);

/** A table a view reads, and which of its columns. */
export interface RelationDependency {
  table: string;
  columns: string[];
  allColumns: boolean;
}

export interface DatabaseObject {
  kind: ObjectKind;
  /** Lower-cased, `public.` stripped, like table names. */
  name: string;
  /** Service whose migration created it; absent when it came from outside every history. */
  createdBy?: string;
  /** What `other` is: "operator", "cast", "collation", … */
  label?: string;
  /** Output columns of a view or materialized view, a function's declared result columns. Absent: not known. */
  columns?: string[];
  /** Tables and views a view reads. */
  dependsOn?: RelationDependency[];
  /** Types an extension brings. */
  types?: string[];
  /** The column a sequence belongs to (`serial`, identity, `OWNED BY`). */
  ownedBy?: { table: string; column: string };
}

/** A view's output column as written: a name, or every column of a relation (`*`, `t.*`). */
export type ViewOutput = { name: string } | { allOf: string };

interface ObjectChangeBase {
  loc: Location;
  /** Set when PostgreSQL makes the change as a consequence of the statement (a CASCADE). */
  via?: string;
}

export interface CreateObject extends ObjectChangeBase {
  action: "create";
  object: DatabaseObject;
  /** View outputs to resolve against the schema (`*` needs the tables' columns). */
  outputs?: ViewOutput[];
  orReplace: boolean;
}
export interface DropObject extends ObjectChangeBase {
  action: "drop";
  kind: ObjectKind;
  name: string;
  cascade: boolean;
  ifExists: boolean;
}
export interface RenameObject extends ObjectChangeBase {
  action: "rename";
  kind: ObjectKind;
  name: string;
  /** Qualified like `name`: `ALTER … SET SCHEMA` is a rename to another schema. */
  newName: string;
}
export interface AlterObject extends ObjectChangeBase {
  action: "alter";
  kind: ObjectKind;
  name: string;
  /** A verb phrase: "adds value `x`", "restarts it". */
  description: string;
  /** Resets what every user of the object relies on (RESTART, a changed increment). */
  breaksUsers?: boolean;
}
/** A statement whose reach is the whole database or cluster: roles, privileges, DROP OWNED, extensions, … */
export interface DatabaseWideChange extends ObjectChangeBase {
  action: "database-wide";
  /** The role, extension or setting it is about: what an `/ownership ack` names. */
  subject: string;
  description: string;
}

export type ObjectChange = CreateObject | DropObject | RenameObject | AlterObject | DatabaseWideChange;

export function objectKey(kind: ObjectKind, name: string): string {
  return `${kind}\u0000${name}`;
}

/** `s.x` → `s`; a bare name is in `public`. */
export function schemaOfName(name: string): string {
  const dot = name.lastIndexOf(".");
  return dot < 0 ? "public" : name.slice(0, dot);
}

/** `x` in schema `s` → `s.x`; `public` stays implicit. */
export function inSchema(schema: string, name: string): string {
  const bare = name.slice(name.lastIndexOf(".") + 1);
  return schema === "public" ? bare : `${schema}.${bare}`;
}

/** Columns every sequence has, as `SELECT * FROM seq` shows them. */
export const sequenceColumns: readonly string[] = ["last_value", "log_cnt", "is_called"];

/** Types the common extensions bring: what `DROP EXTENSION … CASCADE` takes from the columns that use them. */
export const extensionTypes: Readonly<Record<string, readonly string[]>> = {
  citext: ["citext"],
  hstore: ["hstore"],
  ltree: ["ltree", "lquery", "ltxtquery"],
  cube: ["cube"],
  isn: ["ean13", "isbn", "isbn13", "ismn", "ismn13", "issn", "issn13", "upc"],
  postgis: ["geometry", "geography", "box2d", "box3d"],
  vector: ["vector", "halfvec", "sparsevec"],
  seg: ["seg"],
};

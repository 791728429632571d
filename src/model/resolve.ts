// What a statement does once its names are looked up in the schema, as PostgreSQL would do it:
// `ALTER VIEW t RENAME` on a table renames the table; a CASCADE drops every dependent view,
// column, index and foreign key; dropping a schema drops its tables. The parser cannot know
// these, since they depend on what exists; rules judge the resolved statement.
import {
  objectKey,
  relationKinds,
  schemaOfName,
  inSchema,
  type DatabaseObject,
  type ObjectChange,
  type ObjectKind,
} from "../core/objects.js";
import type { MigrationStatement, SchemaChange, SchemaState, TableDetail } from "../core/changes.js";

/** The relation `name` names: a table, a view, materialized view or sequence, or an index of a table. */
export type Relation =
  | { kind: "table"; name: string }
  | { kind: "object"; object: DatabaseObject }
  | { kind: "index"; table: string; name: string };

export function findRelation(schema: SchemaState, name: string): Relation | undefined {
  if (schema.tables.has(name)) return { kind: "table", name };
  for (const kind of ["view", "materialized-view", "sequence"] as const) {
    const object = schema.objects.get(objectKey(kind, name));
    if (object) return { kind: "object", object };
  }
  for (const table of schema.tables.values()) if (table.indexes.has(name)) return { kind: "index", table: table.name, name };
  return undefined;
}

/** The table a sequence belongs to: OWNED BY, a column default drawing from it, or PostgreSQL's `<table>_<column>_seq` name. */
export function sequenceTable(schema: SchemaState, name: string): string | undefined {
  const owned = schema.objects.get(objectKey("sequence", name))?.ownedBy;
  if (owned) return owned.table;
  for (const table of schema.tables.values()) {
    for (const [column, definition] of table.columns) {
      if (definition.sequence === name || `${table.name}_${column}_seq` === name) return table.name;
    }
  }
  return undefined;
}

class Resolution {
  readonly changes: SchemaChange[] = [];
  readonly objects: ObjectChange[] = [];
  private readonly droppedViews = new Set<string>();
  private readonly droppedColumns = new Set<string>();

  constructor(
    private readonly schema: SchemaState,
    /** Where cascaded changes are reported: the statement that causes them. */
    private readonly loc: MigrationStatement["loc"],
  ) {}

  change(change: SchemaChange): void {
    if (change.kind !== "drop-index" && change.kind !== "create-table" && change.kind !== "drop-table" && !this.schema.tables.has(change.table)) {
      const relation = findRelation(this.schema, change.table);
      if (relation?.kind === "object") {
        this.onObject(change, relation.object);
        return;
      }
    }
    this.changes.push(change);
    if (change.kind === "drop-table" && change.cascade) this.tableDropped(change.table, change.via ?? "DROP TABLE … CASCADE");
    if (change.kind === "drop-column") this.columnDropped(change.table, change.column, change.cascade ?? false, change.via);
  }

  /** A table-shaped change whose name turns out to be a view or sequence. */
  private onObject(change: Exclude<SchemaChange, { kind: "drop-index" | "create-table" | "drop-table" }>, object: DatabaseObject): void {
    const base = { kind: object.kind, name: object.name, loc: change.loc, ...(change.via ? { via: change.via } : {}) };
    if (change.kind === "rename-table") {
      this.objects.push({ ...base, action: "rename", newName: change.newName });
      return;
    }
    const description = change.kind === "table-detail" ? change.description : change.kind.replace(/-/g, " ");
    // A renamed or dropped view column breaks whoever selects it.
    const breaksUsers = change.kind === "rename-column" || change.kind === "drop-column";
    this.objects.push({ ...base, action: "alter", description, ...(breaksUsers ? { breaksUsers } : {}) });
  }

  object(change: ObjectChange): void {
    if (change.action === "database-wide" || change.action === "create") {
      this.objects.push(change);
      return;
    }
    if (relationKinds.has(change.kind) && this.asTable(change)) return;
    if (change.kind === "sequence" && change.action !== "drop") {
      const table = sequenceTable(this.schema, change.name);
      if (table !== undefined && !this.schema.objects.has(objectKey("sequence", change.name))) {
        this.changes.push(detailOf(table, change, `sequence \`${change.name}\``));
        return;
      }
    }
    this.objects.push(change);
    if (change.action === "drop") this.objectDropped(change.kind, change.name, change.cascade, change.via ?? dropCause(change.kind, change.name, change.cascade));
    if (change.action === "rename" && change.kind === "schema") this.schemaRenamed(change.name, change.newName, change.loc);
  }

  /** `ALTER VIEW|SEQUENCE|INDEX x …` where `x` is a table or an index: a change of that table. */
  private asTable(change: Exclude<ObjectChange, { action: "create" | "database-wide" }>): boolean {
    const relation = findRelation(this.schema, change.name);
    if (relation?.kind === "table") {
      if (change.action === "rename") this.changes.push({ kind: "rename-table", table: relation.name, newName: change.newName, loc: change.loc });
      else if (change.action === "alter") this.changes.push(detailOf(relation.name, change, "the table"));
      else return false;
      return true;
    }
    if (relation?.kind === "index") {
      if (change.action === "drop") this.changes.push({ kind: "drop-index", name: relation.name, table: relation.table, ifExists: change.ifExists, concurrently: false, loc: change.loc });
      else this.changes.push(detailOf(relation.table, change, `index \`${relation.name}\``));
      return true;
    }
    // An index the schema does not know (created outside the histories): its table is unknown too.
    return change.kind === "index";
  }

  private tableDropped(table: string, via: string): void {
    for (const view of this.dependentViews(table)) this.dropView(view, via);
    for (const other of this.schema.tables.values()) {
      if (other.name === table) continue;
      for (const fk of other.foreignKeys) {
        if (fk.references.table !== table) continue;
        const name = fk.name ?? `${other.name}_${fk.columns.join("_")}_fkey`;
        this.changes.push({ kind: "drop-constraint", table: other.name, name, ifExists: false, loc: this.locOf(), via });
      }
    }
  }

  private columnDropped(table: string, column: string, cascade: boolean, via: string | undefined): void {
    const key = `${table}.${column}`;
    if (this.droppedColumns.has(key)) return;
    this.droppedColumns.add(key);
    const schema = this.schema.tables.get(table);
    if (!schema) return;
    const cause = via ?? `DROP COLUMN ${column}${cascade ? " CASCADE" : ""}`;
    // An index on a dropped column goes with it, CASCADE or not.
    for (const [index, columns] of schema.indexColumns) {
      if (columns.includes(column)) this.changes.push({ kind: "drop-index", name: index, table, ifExists: false, concurrently: false, loc: this.locOf(), via: cause });
    }
    if (!cascade) return;
    for (const [other, definition] of schema.columns) {
      if (other === column || !definition.generatedFrom?.includes(column)) continue;
      this.changes.push({ kind: "drop-column", table, column: other, ifExists: false, cascade, loc: this.locOf(), via: cause });
      this.columnDropped(table, other, cascade, cause);
    }
    for (const view of this.dependentViews(table, column)) this.dropView(view, cause);
  }

  private dependentViews(relation: string, column?: string): DatabaseObject[] {
    const views: DatabaseObject[] = [];
    for (const object of this.schema.objects.values()) {
      if (object.kind !== "view" && object.kind !== "materialized-view") continue;
      const uses = object.dependsOn?.filter((dependency) => dependency.table === relation) ?? [];
      if (uses.some((use) => column === undefined || use.allColumns || use.columns.includes(column))) views.push(object);
    }
    return views;
  }

  private dropView(view: DatabaseObject, via: string): void {
    if (this.droppedViews.has(view.name)) return;
    this.droppedViews.add(view.name);
    this.objects.push({ action: "drop", kind: view.kind, name: view.name, cascade: true, ifExists: false, loc: this.locOf(), via });
    for (const dependent of this.dependentViews(view.name)) this.dropView(dependent, via);
  }

  private objectDropped(kind: ObjectKind, name: string, cascade: boolean, via: string): void {
    if (kind === "view" || kind === "materialized-view") {
      this.droppedViews.add(name);
      if (cascade) for (const dependent of this.dependentViews(name)) this.dropView(dependent, via);
      return;
    }
    if (!cascade) return;
    if (kind === "schema") {
      for (const table of this.schema.tables.values()) {
        if (schemaOfName(table.name) === name) this.change({ kind: "drop-table", table: table.name, ifExists: false, cascade: true, loc: this.locOf(), via });
      }
      for (const object of this.schema.objects.values()) {
        if (object.kind !== "schema" && object.kind !== "extension" && schemaOfName(object.name) === name) {
          this.objects.push({ action: "drop", kind: object.kind, name: object.name, cascade: true, ifExists: false, loc: this.locOf(), via });
        }
      }
    } else if (kind === "type" || kind === "extension") {
      const types = kind === "type" ? [name] : (this.schema.objects.get(objectKey("extension", name))?.types ?? []);
      this.typesDropped(new Set(types), via);
    } else if (kind === "sequence") {
      for (const table of this.schema.tables.values()) {
        for (const [column, definition] of table.columns) {
          if (definition.sequence === name) this.changes.push({ kind: "drop-default", table: table.name, column, loc: this.locOf(), via });
        }
      }
    }
  }

  /** Columns of a dropped type (or of a domain over it) go with it. */
  private typesDropped(types: Set<string>, via: string): void {
    for (const table of this.schema.tables.values()) {
      for (const [column, definition] of table.columns) {
        if (!types.has(definition.type.replace(/(\[\])+$/, ""))) continue;
        this.change({ kind: "drop-column", table: table.name, column, ifExists: false, cascade: true, loc: this.locOf(), via });
      }
    }
  }

  private schemaRenamed(from: string, to: string, loc: MigrationStatement["loc"]): void {
    for (const table of [...this.schema.tables.values()]) {
      if (schemaOfName(table.name) !== from) continue;
      this.changes.push({ kind: "rename-table", table: table.name, newName: inSchema(to, table.name), loc, via: `ALTER SCHEMA ${from} RENAME TO ${to}` });
    }
  }

  private locOf(): MigrationStatement["loc"] {
    return this.loc;
  }
}

function dropCause(kind: ObjectKind, name: string, cascade: boolean): string {
  return `DROP ${kind.replace(/-/g, " ").toUpperCase()} ${name}${cascade ? " CASCADE" : ""}`;
}

function detailOf(table: string, change: Exclude<ObjectChange, { action: "create" | "database-wide" }>, what: string): TableDetail {
  const description =
    change.action === "rename" ? `renames ${what} to \`${change.newName}\`` : change.action === "alter" ? `${change.description} (${what})` : `drops ${what}`;
  const breaks = change.action === "alter" && change.breaksUsers ? { breaks: "writes" as const } : {};
  return { kind: "table-detail", table, description, loc: change.loc, ...breaks, ...(change.via ? { via: change.via } : {}) };
}

/** The statement with its names resolved against `schema` (the state just before it runs) and every cascaded change added. */
export function resolveStatement(statement: MigrationStatement, schema: SchemaState): MigrationStatement {
  const resolution = new Resolution(schema, statement.loc);
  for (const change of statement.changes) resolution.change(change);
  for (const change of statement.objects ?? []) resolution.object(change);
  const resolved: MigrationStatement = { ...statement, changes: resolution.changes };
  delete resolved.objects;
  if (resolution.objects.length > 0) resolved.objects = resolution.objects;
  return resolved;
}

import { objectKey, sequenceColumns, type DatabaseObject, type ObjectChange, type ViewOutput } from "../core/objects.js";
import { resolveStatement } from "./resolve.js";
import type {
  ColumnDefinition,
  MigrationStatement,
  ParsedMigration,
  SchemaChange,
  SchemaState,
  TableConstraint,
  TableSchema,
} from "../core/changes.js";

export function emptySchema(): SchemaState {
  return { tables: new Map(), objects: new Map() };
}

export function cloneSchema(schema: SchemaState): SchemaState {
  const tables = new Map<string, TableSchema>();
  for (const [name, table] of schema.tables) {
    tables.set(name, {
      ...table,
      columns: new Map([...table.columns].map(([column, def]) => [column, { ...def }])),
      indexes: new Set(table.indexes),
      indexColumns: new Map(table.indexColumns),
      foreignKeys: table.foreignKeys.map((fk) => ({ ...fk, columns: [...fk.columns] })),
    });
  }
  const objects = new Map([...schema.objects].map(([key, object]) => [key, { ...object }]));
  return { tables, objects };
}

/** Replays one service's migrations, in apply order, onto `schema`. */
export function replayMigrations(schema: SchemaState, migrations: readonly ParsedMigration[], service: string): SchemaState {
  for (const migration of migrations) {
    for (const statement of migration.statements) applyStatement(schema, resolveStatement(statement, schema), service);
  }
  return schema;
}

/** The migrations with every statement resolved against the schema as the statements before it leave it. */
export function resolveMigrations(migrations: readonly ParsedMigration[], base: SchemaState, service: string): ParsedMigration[] {
  const schema = cloneSchema(base);
  return migrations.map((migration) => ({
    ...migration,
    statements: migration.statements.map((statement) => {
      const resolved = resolveStatement(statement, schema);
      applyStatement(schema, resolved, service);
      return resolved;
    }),
  }));
}

/** Applies a resolved statement: its table changes, then its other objects. */
export function applyStatement(schema: SchemaState, statement: MigrationStatement, service: string): void {
  for (const change of statement.changes) applyChange(schema, change, service);
  for (const change of statement.objects ?? []) applyObjectChange(schema, change, statement, service);
}

function applyObjectChange(schema: SchemaState, change: ObjectChange, statement: MigrationStatement, service: string): void {
  switch (change.action) {
    case "create": {
      const key = objectKey(change.object.kind, change.object.name);
      const existing = schema.objects.get(key);
      if (existing && !change.orReplace) return;
      const object: DatabaseObject = { ...change.object, createdBy: existing?.createdBy ?? service };
      if (change.outputs) {
        const columns = outputColumns(schema, change.outputs);
        if (columns) object.columns = columns;
      }
      if (object.kind === "view" || object.kind === "materialized-view") {
        object.dependsOn = statement.uses.filter((use) => use.access === "read").map((use) => ({
          table: use.table,
          columns: [...use.columns, ...use.possibleColumns],
          allColumns: use.allColumns,
        }));
      }
      if (object.kind === "sequence") object.columns = [...sequenceColumns];
      schema.objects.set(key, object);
      return;
    }
    case "drop":
      schema.objects.delete(objectKey(change.kind, change.name));
      return;
    case "rename": {
      const object = schema.objects.get(objectKey(change.kind, change.name));
      if (!object) return;
      schema.objects.delete(objectKey(change.kind, change.name));
      schema.objects.set(objectKey(change.kind, change.newName), { ...object, name: change.newName });
      return;
    }
    default:
      return;
  }
}

/** A view's columns; undefined when one of them cannot be known (`*` of a relation the schema lacks). */
function outputColumns(schema: SchemaState, outputs: readonly ViewOutput[]): string[] | undefined {
  const columns: string[] = [];
  for (const output of outputs) {
    if ("name" in output) {
      columns.push(output.name);
      continue;
    }
    const expanded = relationColumns(schema, output.allOf);
    if (!expanded) return undefined;
    columns.push(...expanded);
  }
  return columns;
}

/** Columns of any relation a query can read: a table, a view or materialized view, a sequence. Undefined: unknown. */
export function relationColumns(schema: SchemaState, name: string): string[] | undefined {
  const table = schema.tables.get(name);
  if (table) return [...table.columns.keys()];
  for (const kind of ["view", "materialized-view", "sequence"] as const) {
    const object = schema.objects.get(objectKey(kind, name));
    if (object) return object.columns;
  }
  return undefined;
}

function newTable(name: string, service: string, columns: ColumnDefinition[]): TableSchema {
  const table: TableSchema = { name, createdBy: service, columns: new Map(), indexes: new Set(), indexColumns: new Map(), foreignKeys: [] };
  for (const column of columns) addColumn(table, column);
  return table;
}

function addColumn(table: TableSchema, column: ColumnDefinition): void {
  table.columns.set(column.name, {
    type: column.type,
    nullable: column.nullable && !column.primaryKey,
    hasDefault: column.hasDefault,
    ...(column.generatedFrom ? { generatedFrom: column.generatedFrom } : {}),
    ...(column.sequence ? { sequence: column.sequence } : {}),
  });
  if (column.references) table.foreignKeys.push({ columns: [column.name], references: column.references });
}

function addConstraint(table: TableSchema, constraint: TableConstraint): void {
  if (constraint.kind === "foreign-key") {
    table.foreignKeys.push({ name: constraint.name, columns: constraint.columns, references: constraint.references });
  } else if (constraint.kind === "primary-key") {
    for (const name of constraint.columns) {
      const column = table.columns.get(name);
      if (column) column.nullable = false;
    }
  }
}

function renameColumnInTable(table: TableSchema, from: string, to: string): void {
  const column = table.columns.get(from);
  if (!column) return;
  // Keep column order: rebuild the map with the new key in place.
  table.columns = new Map([...table.columns].map(([name, def]) => (name === from ? [to, def] : [name, def])));
  for (const fk of table.foreignKeys) fk.columns = fk.columns.map((c) => (c === from ? to : c));
}

function tableOfIndex(schema: SchemaState, index: string): TableSchema | undefined {
  for (const table of schema.tables.values()) if (table.indexes.has(index)) return table;
  return undefined;
}

/**
 * Applies one change as PostgreSQL would. Changes to a table the schema does not know
 * (created outside every configured history, such as Django's `auth_user`) are ignored:
 * the schema lists only what the migrations define.
 */
export function applyChange(schema: SchemaState, change: SchemaChange, service: string): void {
  if (change.kind === "create-table") {
    if (!schema.tables.has(change.table)) {
      const table = newTable(change.table, service, change.columns);
      for (const constraint of change.constraints) addConstraint(table, constraint);
      schema.tables.set(change.table, table);
    }
    return;
  }
  if (change.kind === "drop-index") {
    const table = change.table ? schema.tables.get(change.table) : tableOfIndex(schema, change.name);
    table?.indexes.delete(change.name);
    table?.indexColumns.delete(change.name);
    return;
  }
  const table = schema.tables.get(change.table);
  if (!table) return;
  switch (change.kind) {
    case "drop-table":
      schema.tables.delete(change.table);
      for (const other of schema.tables.values()) {
        other.foreignKeys = other.foreignKeys.filter((fk) => fk.references.table !== change.table);
      }
      return;
    case "rename-table":
      schema.tables.delete(change.table);
      table.name = change.newName;
      schema.tables.set(change.newName, table);
      for (const other of schema.tables.values()) {
        for (const fk of other.foreignKeys) {
          if (fk.references.table === change.table) fk.references = { ...fk.references, table: change.newName };
        }
      }
      return;
    case "add-column":
      if (!table.columns.has(change.column.name)) addColumn(table, change.column);
      return;
    case "drop-column":
      table.columns.delete(change.column);
      table.foreignKeys = table.foreignKeys.filter((fk) => !fk.columns.includes(change.column));
      return;
    case "rename-column":
      renameColumnInTable(table, change.column, change.newName);
      return;
    case "alter-column-type": {
      const column = table.columns.get(change.column);
      if (column) column.type = change.newType;
      return;
    }
    case "set-not-null":
    case "drop-not-null": {
      const column = table.columns.get(change.column);
      if (column) column.nullable = change.kind === "drop-not-null";
      return;
    }
    case "add-constraint":
      addConstraint(table, change.constraint);
      return;
    case "drop-constraint":
      table.foreignKeys = table.foreignKeys.filter((fk) => fk.name !== change.name);
      return;
    case "create-index":
      if (change.name) {
        table.indexes.add(change.name);
        table.indexColumns.set(change.name, change.columns);
      }
      return;
    case "set-default":
    case "drop-default": {
      const column = table.columns.get(change.column);
      if (column) column.hasDefault = change.kind === "set-default";
      return;
    }
    case "truncate":
    case "table-detail":
      return;
  }
}

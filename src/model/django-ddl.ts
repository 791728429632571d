// The DDL Django's PostgreSQL schema editor runs for a model or a field change, as
// SchemaChanges: CREATE TABLE with its deferred indexes, AlterField's column alterations,
// and the renames of automatic many-to-many tables.
import type { ColumnDefinition, ForeignKeyTarget, Location, SchemaChange, TableConstraint } from "./types.js";
import type { DjangoField } from "./django-fields.js";
import { djangoIndexName, postgresConstraintName } from "./django-names.js";
import { modelKeyOf, type DjangoConstraint, type DjangoModel, type DjangoProjectState, type JoinTable } from "./django-state.js";

export interface ChangeSink {
  add(change: SchemaChange): void;
  loc: Location;
}

function isPatternIndexable(type: string): boolean {
  return type.startsWith("character varying") || type === "text";
}

/** The indexes Django creates with a column: `db_index` (and every ForeignKey), and `_like` for strings. */
export function indexChangesOf(table: string, column: ColumnDefinition, field: DjangoField, loc: Location): SchemaChange[] {
  const changes: SchemaChange[] = [];
  const index = (name: string): SchemaChange => ({ kind: "create-index", table, name, columns: [column.name], unique: false, concurrently: false, ifNotExists: false, loc });
  if (field.dbIndex && !field.unique) changes.push(index(djangoIndexName(table, [column.name])));
  if ((field.dbIndex || field.unique) && isPatternIndexable(column.type)) changes.push(index(djangoIndexName(table, [column.name], "_like")));
  return changes;
}

function constraintDefinition(constraint: DjangoConstraint, columns: (fields: string[]) => string[]): TableConstraint {
  if (constraint.kind === "unique") return { kind: "unique", name: constraint.name, columns: columns(constraint.fields) };
  if (constraint.kind === "check") return { kind: "check", name: constraint.name, notValid: false };
  return { kind: "other", name: constraint.name, description: "constraint" };
}

/** CreateModel: the table, its automatic join tables, and the indexes Django defers until after. */
export function createTableChanges(state: DjangoProjectState, model: DjangoModel, loc: Location): SchemaChange[] {
  const table = state.tableOf(model);
  const columnsOf = (fields: string[]): string[] => fields.map((field) => state.columnNameOf(model, field));
  const columns: ColumnDefinition[] = [];
  const later: SchemaChange[] = [];
  for (const field of model.fields) {
    const column = state.columnOf(model, field);
    if (!column) continue;
    columns.push(column);
    later.push(...indexChangesOf(table, column, field, loc));
  }
  if (model.orderWithRespectTo !== undefined) {
    columns.push({ name: "_order", type: "integer", nullable: false, hasDefault: false, primaryKey: false, unique: false });
  }
  const constraints: TableConstraint[] = [
    ...columns
      .filter((column) => model.fields.some((field) => field.nonNegativeCheck && state.columnOf(model, field)?.name === column.name))
      .map((column): TableConstraint => ({ kind: "check", name: postgresConstraintName(table, column.name, "check"), notValid: false })),
    ...model.uniqueTogether.map((fields): TableConstraint => {
      const columns = columnsOf(fields);
      return { kind: "unique", name: djangoIndexName(table, columns, "_uniq"), columns };
    }),
    ...model.constraints.filter((constraint) => !constraint.asIndex).map((constraint) => constraintDefinition(constraint, columnsOf)),
  ];
  for (const fields of model.indexTogether) later.push(togetherChange(table, columnsOf(fields), false, true, loc));
  for (const index of model.indexes) {
    later.push({ kind: "create-index", table, name: index.name, columns: columnsOf(index.fields), unique: false, concurrently: false, ifNotExists: false, loc });
  }
  for (const constraint of model.constraints.filter((candidate) => candidate.asIndex)) {
    later.push({ kind: "create-index", table, name: constraint.name, columns: columnsOf(constraint.fields), unique: true, concurrently: false, ifNotExists: false, loc });
  }
  const joins: SchemaChange[] = model.fields.flatMap((field) => {
    const join = state.joinTableOf(model, field);
    return join ? joinTableChanges(join, loc) : [];
  });
  return [{ kind: "create-table", table, columns, constraints, ifNotExists: false, loc }, ...joins, ...later];
}

/** An automatic join table and the indexes on its two relation columns. */
export function joinTableChanges(join: JoinTable, loc: Location): SchemaChange[] {
  const index = (column: string): SchemaChange => ({ kind: "create-index", table: join.table, name: djangoIndexName(join.table, [column]), columns: [column], unique: false, concurrently: false, ifNotExists: false, loc });
  return [
    { kind: "create-table", table: join.table, columns: join.columns, constraints: join.constraints, ifNotExists: false, loc },
    index(join.fromColumn),
    index(join.toColumn),
  ];
}

/** unique_together and index_together entries, added or removed, under Django's generated names. */
export function togetherChange(table: string, columns: string[], unique: boolean, adding: boolean, loc: Location): SchemaChange {
  const name = djangoIndexName(table, columns, unique ? "_uniq" : "_idx");
  if (unique) {
    return adding
      ? { kind: "add-constraint", table, constraint: { kind: "unique", name, columns }, loc }
      : { kind: "drop-constraint", table, name, ifExists: false, loc };
  }
  return adding
    ? { kind: "create-index", table, name, columns, unique: false, concurrently: false, ifNotExists: false, loc }
    : { kind: "drop-index", table, name, ifExists: false, concurrently: false, loc };
}

/** Renames of automatic join tables and their columns between two states; `keyMap` follows renamed models and fields. */
export function joinTableRenames(before: DjangoProjectState, after: DjangoProjectState, keyMap: (key: string) => string, sink: ChangeSink): void {
  const afterJoins = after.joinTables();
  for (const [key, old] of before.joinTables()) {
    const next = afterJoins.get(keyMap(key));
    if (!next) continue;
    if (old.table !== next.table) sink.add({ kind: "rename-table", table: old.table, newName: next.table, loc: sink.loc });
    for (const end of ["fromColumn", "toColumn"] as const) {
      if (old[end] !== next[end]) sink.add({ kind: "rename-column", table: next.table, column: old[end], newName: next[end], loc: sink.loc });
    }
  }
}

function sameReference(a: ForeignKeyTarget | undefined, b: ForeignKeyTarget | undefined): boolean {
  return a?.table === b?.table && a?.columns.join() === b?.columns.join();
}

function plainIndex(field: DjangoField): boolean {
  return field.dbIndex && !field.unique;
}

/**
 * AlterField: what `_alter_field` runs, in its order. Returns why the column type may have
 * changed without the app knowing, when a field class it does not know is involved.
 */
export function fieldChanges(before: DjangoProjectState, after: DjangoProjectState, modelKey: string, fieldName: string, sink: ChangeSink): string | undefined {
  const oldModel = before.get(modelKey);
  const newModel = after.get(modelKey);
  const oldField = oldModel?.fields.find((field) => field.name === fieldName);
  const newField = newModel?.fields.find((field) => field.name === fieldName);
  if (!oldModel || !newModel || !oldField || !newField) return undefined;
  if (oldField.relation?.kind === "many-to-many" || newField.relation?.kind === "many-to-many") {
    joinTableRenames(before, after, (key) => key, sink);
    return undefined;
  }
  const oldColumn = before.columnOf(oldModel, oldField);
  const newColumn = after.columnOf(newModel, newField);
  if (!oldColumn || !newColumn) return undefined;
  const table = after.tableOf(newModel);
  const { loc } = sink;
  const column = newColumn.name;
  if (oldColumn.references && !sameReference(oldColumn.references, newColumn.references)) {
    const name = djangoIndexName(table, [oldColumn.name], `_fk_${oldColumn.references.table}_${oldColumn.references.columns[0] ?? "id"}`);
    sink.add({ kind: "drop-constraint", table, name, ifExists: false, loc });
  }
  if (oldField.unique && !newField.unique && !oldField.primaryKey) {
    sink.add({ kind: "drop-constraint", table, name: oldField.uniqueConstraint ?? postgresConstraintName(table, oldColumn.name, "key"), ifExists: false, loc });
  }
  if (plainIndex(oldField) && !plainIndex(newField)) {
    sink.add({ kind: "drop-index", table, name: djangoIndexName(table, [oldColumn.name]), ifExists: false, concurrently: false, loc });
  }
  if (oldColumn.name !== column) sink.add({ kind: "rename-column", table, column: oldColumn.name, newName: column, loc });
  let unsure: string | undefined;
  if (oldColumn.type !== newColumn.type || (oldColumn.type === "unknown" && oldField.className !== newField.className)) {
    if (oldColumn.type === "unknown" || newColumn.type === "unknown") {
      unsure = `AlterField ${fieldName}: ${newField.className} is not a field class the app knows, so whether the column type of ${table}.${column} changes is unknown`;
    } else {
      sink.add({ kind: "alter-column-type", table, column, newType: newColumn.type, loc });
      relatedTypeChanges(after, newModel, newField, newColumn.type, sink);
    }
  }
  if (oldColumn.nullable && !newColumn.nullable) {
    // Django fills existing NULLs through a temporary default, then drops it.
    if (newField.effectiveDefault) sink.add({ kind: "set-default", table, column, loc });
    sink.add({ kind: "set-not-null", table, column, loc });
    if (newField.effectiveDefault) sink.add({ kind: "drop-default", table, column, loc });
  } else if (!oldColumn.nullable && newColumn.nullable) sink.add({ kind: "drop-not-null", table, column, loc });
  if (!oldField.unique && newField.unique && !newField.primaryKey) {
    const name = djangoIndexName(table, [column], "_uniq");
    newField.uniqueConstraint = name;
    sink.add({ kind: "add-constraint", table, constraint: { kind: "unique", name, columns: [column] }, loc });
  } else if (oldField.unique && newField.unique && oldField.uniqueConstraint) newField.uniqueConstraint = oldField.uniqueConstraint;
  if (oldField.nonNegativeCheck && !newField.nonNegativeCheck) {
    sink.add({ kind: "drop-constraint", table, name: oldField.checkConstraint ?? postgresConstraintName(table, oldColumn.name, "check"), ifExists: false, loc });
  } else if (!oldField.nonNegativeCheck && newField.nonNegativeCheck) {
    const name = djangoIndexName(table, [column], "_check");
    newField.checkConstraint = name;
    sink.add({ kind: "add-constraint", table, constraint: { kind: "check", name, notValid: false }, loc });
  } else if (oldField.checkConstraint) newField.checkConstraint = oldField.checkConstraint;
  if (!plainIndex(oldField) && plainIndex(newField)) {
    sink.add({ kind: "create-index", table, name: djangoIndexName(table, [column]), columns: [column], unique: false, concurrently: false, ifNotExists: false, loc });
  }
  likeIndexChanges(table, oldColumn, oldField, newColumn, newField, sink);
  if (newColumn.references && !sameReference(oldColumn.references, newColumn.references)) {
    const name = djangoIndexName(table, [column], `_fk_${newColumn.references.table}_${newColumn.references.columns[0] ?? "id"}`);
    sink.add({ kind: "add-constraint", table, constraint: { kind: "foreign-key", name, columns: [column], references: newColumn.references, notValid: false }, loc });
  }
  return unsure;
}

/** The PostgreSQL-specific `_like` pattern index follows a string column's db_index and unique. */
function likeIndexChanges(table: string, oldColumn: ColumnDefinition, oldField: DjangoField, newColumn: ColumnDefinition, newField: DjangoField, sink: ChangeSink): void {
  const indexed = (field: DjangoField): boolean => field.dbIndex || field.unique;
  if (!indexed(oldField) && indexed(newField) && isPatternIndexable(newColumn.type)) {
    const name = djangoIndexName(table, [newColumn.name], "_like");
    sink.add({ kind: "create-index", table, name, columns: [newColumn.name], unique: false, concurrently: false, ifNotExists: false, loc: sink.loc });
  } else if (indexed(oldField) && !indexed(newField) && isPatternIndexable(oldColumn.type)) {
    sink.add({ kind: "drop-index", table, name: djangoIndexName(table, [oldColumn.name], "_like"), ifExists: false, concurrently: false, loc: sink.loc });
  }
}

/** A primary key (or `to_field`) changing type takes the columns that point at it along. */
function relatedTypeChanges(state: DjangoProjectState, model: DjangoModel, field: DjangoField, newType: string, sink: ChangeSink): void {
  const key = modelKeyOf(model);
  const pointsHere = (candidate: DjangoField): boolean =>
    candidate.relation?.to === key && (candidate.relation.toField === undefined ? field.primaryKey : candidate.relation.toField === field.name);
  for (const other of state.models.values()) {
    if (!state.ownsTable(other)) continue;
    for (const candidate of other.fields) {
      if (!pointsHere(candidate)) continue;
      const join = state.joinTableOf(other, candidate);
      const column = join ? join.toColumn : state.columnOf(other, candidate)?.name;
      if (column !== undefined) sink.add({ kind: "alter-column-type", table: join?.table ?? state.tableOf(other), column, newType, loc: sink.loc });
    }
    if (field.primaryKey && other === model) {
      for (const candidate of other.fields) {
        const join = state.joinTableOf(other, candidate);
        if (join) sink.add({ kind: "alter-column-type", table: join.table, column: join.fromColumn, newType, loc: sink.loc });
      }
    }
  }
}

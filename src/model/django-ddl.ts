// The DDL Django's PostgreSQL schema editor runs for a model or a field change, as
// SchemaChanges: CREATE TABLE with its deferred indexes, AlterField's column alterations,
// and the renames of automatic many-to-many tables.
import type { ColumnDefinition, ForeignKeyTarget, Location, SchemaChange, TableConstraint } from "../core/changes.js";
import type { DjangoField } from "./django-fields.js";
import { djangoIndexName, postgresConstraintName } from "./django-names.js";
import { modelKeyOf, togetherKey, type DjangoConstraint, type DjangoModel, type DjangoProjectState, type JoinTable } from "./django-state.js";

export interface ChangeSink {
  add(change: SchemaChange): void;
  loc: Location;
}

function isPatternIndexable(type: string): boolean {
  return type.startsWith("character varying") || type === "text";
}

function createIndex(table: string, name: string, columns: string[], loc: Location): SchemaChange {
  return { kind: "create-index", table, name, columns, unique: false, concurrently: false, ifNotExists: false, loc };
}

function foreignKeyName(table: string, column: string, reference: ForeignKeyTarget): string {
  return djangoIndexName(table, [column], `_fk_${reference.table}_${reference.columns[0] ?? "id"}`);
}

/** The indexes Django creates with a column: `db_index` (and every ForeignKey), and `_like` for strings. */
export function indexChangesOf(table: string, column: ColumnDefinition, field: DjangoField, loc: Location): SchemaChange[] {
  const changes: SchemaChange[] = [];
  if (field.dbIndex && !field.unique) {
    field.names.index = djangoIndexName(table, [column.name]);
    changes.push(createIndex(table, field.names.index, [column.name], loc));
  }
  if ((field.dbIndex || field.unique) && isPatternIndexable(column.type)) {
    field.names.likeIndex = djangoIndexName(table, [column.name], "_like");
    changes.push(createIndex(table, field.names.likeIndex, [column.name], loc));
  }
  return changes;
}

/** Names of what CREATE TABLE / ADD COLUMN declare inline: PostgreSQL's UNIQUE and CHECK names, Django's FK name. */
export function recordInlineNames(table: string, column: ColumnDefinition, field: DjangoField): void {
  if (field.unique && !field.primaryKey) field.names.unique = postgresConstraintName(table, column.name, "key");
  if (field.nonNegativeCheck) field.names.check = postgresConstraintName(table, column.name, "check");
  if (column.references) field.names.foreignKey = foreignKeyName(table, column.name, column.references);
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
  const checks: TableConstraint[] = [];
  const later: SchemaChange[] = [];
  for (const field of model.fields) {
    const column = state.columnOf(model, field);
    if (!column) continue;
    columns.push(column);
    recordInlineNames(table, column, field);
    if (field.names.check !== undefined) checks.push({ kind: "check", name: field.names.check, notValid: false });
    later.push(...indexChangesOf(table, column, field, loc));
  }
  if (model.orderWithRespectTo !== undefined) {
    columns.push({ name: "_order", type: "integer", nullable: false, hasDefault: false, primaryKey: false, unique: false });
  }
  const uniqueTogether = model.uniqueTogether.map((fields) => togetherChange(state, model, fields, true, true, loc));
  const constraints: TableConstraint[] = [
    ...checks,
    ...uniqueTogether.flatMap((change) => (change.kind === "add-constraint" ? [change.constraint] : [])),
    ...model.constraints.filter((constraint) => !constraint.asIndex).map((constraint) => constraintDefinition(constraint, columnsOf)),
  ];
  for (const fields of model.indexTogether) later.push(togetherChange(state, model, fields, false, true, loc));
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

/**
 * A unique_together or index_together entry added (under Django's name, recorded) or removed
 * (under the name it was created with).
 */
export function togetherChange(state: DjangoProjectState, model: DjangoModel, fields: string[], unique: boolean, adding: boolean, loc: Location): SchemaChange {
  const table = state.tableOf(model);
  const columns = fields.map((field) => state.columnNameOf(model, field));
  const key = togetherKey(unique, fields);
  const name = (adding ? undefined : model.togetherNames[key]) ?? djangoIndexName(table, columns, unique ? "_uniq" : "_idx");
  if (adding) model.togetherNames[key] = name;
  else delete model.togetherNames[key];
  if (unique) {
    return adding
      ? { kind: "add-constraint", table, constraint: { kind: "unique", name, columns }, loc }
      : { kind: "drop-constraint", table, name, ifExists: false, loc };
  }
  return adding ? createIndex(table, name, columns, loc) : { kind: "drop-index", table, name, ifExists: false, concurrently: false, loc };
}

/** A join table's rename and its columns' renames between two states of the same field. */
export function joinTableRename(old: JoinTable | undefined, next: JoinTable | undefined, sink: ChangeSink): void {
  if (!old || !next) return;
  if (old.table !== next.table) sink.add({ kind: "rename-table", table: old.table, newName: next.table, loc: sink.loc });
  for (const end of ["fromColumn", "toColumn"] as const) {
    if (old[end] !== next[end]) sink.add({ kind: "rename-column", table: next.table, column: old[end], newName: next[end], loc: sink.loc });
  }
}

/** Renames of automatic join tables between two moments (`DjangoProjectState.joinTables`); `keyMap` follows renamed models and fields. */
export function joinTableRenames(before: Map<string, JoinTable>, after: Map<string, JoinTable>, keyMap: (key: string) => string, sink: ChangeSink): void {
  for (const [key, old] of before) joinTableRename(old, after.get(keyMap(key)), sink);
}

function sameReference(a: ForeignKeyTarget | undefined, b: ForeignKeyTarget | undefined): boolean {
  return a?.table === b?.table && a?.columns.join() === b?.columns.join();
}

function plainIndex(field: DjangoField): boolean {
  return field.dbIndex && !field.unique;
}

/** A field as AlterField found it: its column and join table resolved before the change. */
export interface AlteredField {
  field: DjangoField;
  column: ColumnDefinition | undefined;
  join: JoinTable | undefined;
}

/**
 * AlterField: what `_alter_field` runs, in its order. Returns why the column type may have
 * changed without the app knowing, when a field class it does not know is involved.
 */
export function fieldChanges(state: DjangoProjectState, model: DjangoModel, old: AlteredField, newField: DjangoField, sink: ChangeSink): string | undefined {
  const { field: oldField, column: oldColumn } = old;
  const fieldName = newField.name;
  if (oldField.relation?.kind === "many-to-many" || newField.relation?.kind === "many-to-many") {
    joinTableRename(old.join, state.joinTableOf(model, newField), sink);
    return undefined;
  }
  const newColumn = state.columnOf(model, newField);
  if (!oldColumn || !newColumn) return undefined;
  const table = state.tableOf(model);
  const { loc } = sink;
  const column = newColumn.name;
  const names = oldField.names;
  newField.names = { ...names };
  if (oldColumn.references && !sameReference(oldColumn.references, newColumn.references)) {
    const name = names.foreignKey ?? foreignKeyName(table, oldColumn.name, oldColumn.references);
    sink.add({ kind: "drop-constraint", table, name, ifExists: false, loc });
  }
  if (oldField.unique && !newField.unique && !oldField.primaryKey) {
    sink.add({ kind: "drop-constraint", table, name: names.unique ?? postgresConstraintName(table, oldColumn.name, "key"), ifExists: false, loc });
  }
  if (plainIndex(oldField) && !plainIndex(newField)) {
    sink.add({ kind: "drop-index", table, name: names.index ?? djangoIndexName(table, [oldColumn.name]), ifExists: false, concurrently: false, loc });
  }
  if (oldColumn.name !== column) sink.add({ kind: "rename-column", table, column: oldColumn.name, newName: column, loc });
  let unsure: string | undefined;
  if (oldColumn.type !== newColumn.type || (oldColumn.type === "unknown" && oldField.className !== newField.className)) {
    if (oldColumn.type === "unknown" || newColumn.type === "unknown") {
      unsure = `AlterField ${fieldName}: the column type of ${table}.${column} cannot be read from ${newField.className}(...), so whether it changes is unknown`;
    } else {
      sink.add({ kind: "alter-column-type", table, column, newType: newColumn.type, loc });
      relatedTypeChanges(state, model, newField, newColumn.type, sink);
    }
  }
  if (oldColumn.nullable && !newColumn.nullable) {
    // Django fills existing NULLs through a temporary default, then drops it.
    if (newField.effectiveDefault) sink.add({ kind: "set-default", table, column, loc });
    sink.add({ kind: "set-not-null", table, column, loc });
    if (newField.effectiveDefault) sink.add({ kind: "drop-default", table, column, loc });
  } else if (!oldColumn.nullable && newColumn.nullable) sink.add({ kind: "drop-not-null", table, column, loc });
  if (!oldField.unique && newField.unique && !newField.primaryKey) {
    newField.names.unique = djangoIndexName(table, [column], "_uniq");
    sink.add({ kind: "add-constraint", table, constraint: { kind: "unique", name: newField.names.unique, columns: [column] }, loc });
  }
  if (oldField.nonNegativeCheck && !newField.nonNegativeCheck) {
    sink.add({ kind: "drop-constraint", table, name: names.check ?? postgresConstraintName(table, oldColumn.name, "check"), ifExists: false, loc });
  } else if (!oldField.nonNegativeCheck && newField.nonNegativeCheck) {
    newField.names.check = djangoIndexName(table, [column], "_check");
    sink.add({ kind: "add-constraint", table, constraint: { kind: "check", name: newField.names.check, notValid: false }, loc });
  }
  if (!plainIndex(oldField) && plainIndex(newField)) {
    newField.names.index = djangoIndexName(table, [column]);
    sink.add(createIndex(table, newField.names.index, [column], loc));
  }
  likeIndexChanges(table, oldColumn, oldField, newColumn, newField, sink);
  if (newColumn.references && !sameReference(oldColumn.references, newColumn.references)) {
    newField.names.foreignKey = foreignKeyName(table, column, newColumn.references);
    const constraint = { kind: "foreign-key" as const, name: newField.names.foreignKey, columns: [column], references: newColumn.references, notValid: false };
    sink.add({ kind: "add-constraint", table, constraint, loc });
  }
  return unsure;
}

/** The PostgreSQL-specific `_like` pattern index follows a string column's db_index and unique. */
function likeIndexChanges(table: string, oldColumn: ColumnDefinition, oldField: DjangoField, newColumn: ColumnDefinition, newField: DjangoField, sink: ChangeSink): void {
  const indexed = (field: DjangoField): boolean => field.dbIndex || field.unique;
  if (!indexed(oldField) && indexed(newField) && isPatternIndexable(newColumn.type)) {
    newField.names.likeIndex = djangoIndexName(table, [newColumn.name], "_like");
    sink.add(createIndex(table, newField.names.likeIndex, [newColumn.name], sink.loc));
  } else if (indexed(oldField) && !indexed(newField) && isPatternIndexable(oldColumn.type)) {
    const name = oldField.names.likeIndex ?? djangoIndexName(table, [oldColumn.name], "_like");
    sink.add({ kind: "drop-index", table, name, ifExists: false, concurrently: false, loc: sink.loc });
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

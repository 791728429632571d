// DDL statements → the change vocabulary. One statement may yield several changes (ALTER TABLE
// with several subcommands, DROP TABLE a, b); statements that change nothing the model tracks
// yield none.
import type {
  AlterTableCmd,
  AlterTableStmt,
  ColumnDef,
  Constraint,
  CreateStmt,
  DropStmt,
  IndexStmt,
  Node,
  RenameStmt,
} from "libpg-query";
import type { ObjectChange } from "../core/objects.js";
import type { ColumnDefinition, Location, SchemaChange, TableConstraint } from "../core/changes.js";
import { canonicalType, isSerialType, objectName, qualifiedName, stringList, tableName } from "./sql-names.js";
import { describeDefault, isNullConstant, volatilityOf } from "./sql-volatility.js";
import { alterRelation, dropObject, objectStatement, queryOutputs, renameObject, tableDetailOf, type ObjectAnalysis } from "./sql-objects.js";

export interface DdlAnalysis {
  changes: SchemaChange[];
  objects: ObjectChange[];
  /** Parts of the statement whose effect on the schema is not known (reported as unparsed). */
  notUnderstood: string[];
}

export function schemaChanges(node: Node, loc: Location): DdlAnalysis {
  const analysis: DdlAnalysis = { changes: [], objects: [], notUnderstood: [] };
  if ("CreateStmt" in node) createTable(node.CreateStmt, loc, analysis);
  else if ("CreateForeignTableStmt" in node && node.CreateForeignTableStmt.base) createTable(node.CreateForeignTableStmt.base, loc, analysis);
  else if ("CreateTableAsStmt" in node) createTableAs(node, loc, analysis);
  else if ("SelectStmt" in node && node.SelectStmt.intoClause?.rel) {
    analysis.changes.push(createdFromQuery(tableName(node.SelectStmt.intoClause.rel), [], false, loc));
  } else if ("DropStmt" in node) dropObjects(node.DropStmt, loc, analysis);
  else if ("RenameStmt" in node) rename(node.RenameStmt, loc, analysis);
  else if ("AlterTableStmt" in node) alterTable(node.AlterTableStmt, loc, analysis);
  else if ("IndexStmt" in node) analysis.changes.push(createIndex(node.IndexStmt, loc));
  else if ("TruncateStmt" in node) {
    for (const relation of node.TruncateStmt.relations ?? []) {
      if ("RangeVar" in relation) analysis.changes.push({ kind: "truncate", table: tableName(relation.RangeVar), loc });
    }
  } else if ("AlterObjectSchemaStmt" in node) setSchema(node.AlterObjectSchemaStmt, loc, analysis);
  else {
    const objects = objectStatement(node, loc);
    if (objects) merge(analysis, objects);
  }
  return analysis;
}

function merge(analysis: DdlAnalysis, objects: ObjectAnalysis): void {
  analysis.changes.push(...objects.changes);
  analysis.objects.push(...objects.objects);
  analysis.notUnderstood.push(...objects.notUnderstood);
}

/** `ALTER … SET SCHEMA` moves the object: a rename into another schema. */
function setSchema(statement: Extract<Node, { AlterObjectSchemaStmt: unknown }>["AlterObjectSchemaStmt"], loc: Location, analysis: DdlAnalysis): void {
  const type = statement.objectType;
  const schema = statement.newschema ?? "";
  if (type === "OBJECT_TABLE" || type === "OBJECT_FOREIGN_TABLE") {
    const newName = qualifiedName(schema, statement.relation?.relname ?? "");
    analysis.changes.push({ kind: "rename-table", table: tableName(statement.relation), newName, loc });
    return;
  }
  const renamed = renameObject(
    { renameType: type, relation: statement.relation, object: statement.object, newname: "" },
    loc,
  );
  for (const object of renamed.objects) {
    if (object.action === "rename") object.newName = qualifiedName(schema, object.name.slice(object.name.lastIndexOf(".") + 1));
    if (object.action === "database-wide") object.description = `moves ${object.subject} to schema \`${schema}\``;
    if (object.action === "alter") object.description = `moves it to schema \`${schema}\``;
  }
  for (const change of renamed.changes) {
    if (change.kind === "table-detail") change.description = `moves it to schema \`${schema}\``;
  }
  merge(analysis, renamed);
}

function createTable(statement: CreateStmt, loc: Location, analysis: DdlAnalysis): void {
  const table = tableName(statement.relation);
  const columns: ColumnDefinition[] = [];
  const constraints: TableConstraint[] = [];
  for (const element of statement.tableElts ?? []) {
    if ("ColumnDef" in element) {
      const { column, checks } = columnDefinition(element.ColumnDef);
      columns.push(column);
      constraints.push(...checks);
    } else if ("Constraint" in element) {
      constraints.push(tableConstraint(element.Constraint));
    } else if ("TableLikeClause" in element) {
      const source = tableName(element.TableLikeClause.relation);
      analysis.notUnderstood.push(`CREATE TABLE ${table} (LIKE ${source}): the copied columns are not analysed`);
    }
  }
  for (const parent of statement.inhRelations ?? []) {
    if ("RangeVar" in parent) {
      const kind = statement.partbound ? "PARTITION OF" : "INHERITS";
      analysis.notUnderstood.push(`CREATE TABLE ${table} ${kind} ${tableName(parent.RangeVar)}: the inherited columns are not analysed`);
    }
  }
  applyTableConstraints(columns, constraints);
  analysis.changes.push({ kind: "create-table", table, columns, constraints, ifNotExists: statement.if_not_exists ?? false, loc });
}

function createTableAs(node: Extract<Node, { CreateTableAsStmt: unknown }>, loc: Location, analysis: DdlAnalysis): void {
  const statement = node.CreateTableAsStmt;
  if (!statement.into?.rel) return;
  if (statement.objtype === "OBJECT_MATVIEW") {
    const aliases = stringList(statement.into.colNames);
    const outputs = statement.query ? queryOutputs(statement.query) : undefined;
    analysis.objects.push({
      action: "create",
      object: { kind: "materialized-view", name: tableName(statement.into.rel) },
      orReplace: false,
      loc,
      ...(aliases.length > 0 ? { outputs: aliases.map((name) => ({ name })) } : outputs ? { outputs } : {}),
    });
    return;
  }
  if (statement.objtype !== "OBJECT_TABLE") return;
  const columns = stringList(statement.into.colNames);
  analysis.changes.push(createdFromQuery(tableName(statement.into.rel), columns, statement.if_not_exists ?? false, loc));
  if (columns.length === 0) {
    analysis.notUnderstood.push(`CREATE TABLE ${tableName(statement.into.rel)} AS: the columns come from a query and are not analysed`);
  }
}

function createdFromQuery(table: string, columnNames: string[], ifNotExists: boolean, loc: Location): SchemaChange {
  const columns = columnNames.map((name) => ({ name, type: "unknown", nullable: true, hasDefault: false, primaryKey: false, unique: false }));
  return { kind: "create-table", table, columns, constraints: [], ifNotExists, loc };
}

/** PRIMARY KEY and single-column UNIQUE written as table constraints still describe columns. */
function applyTableConstraints(columns: ColumnDefinition[], constraints: TableConstraint[]): void {
  for (const constraint of constraints) {
    if (constraint.kind !== "primary-key" && constraint.kind !== "unique") continue;
    for (const column of columns) {
      if (!constraint.columns.includes(column.name)) continue;
      if (constraint.kind === "primary-key") {
        column.primaryKey = true;
        column.nullable = false;
      } else if (constraint.columns.length === 1) {
        column.unique = true;
      }
    }
  }
}

function columnDefinition(definition: ColumnDef): { column: ColumnDefinition; checks: TableConstraint[] } {
  const serial = isSerialType(definition.typeName);
  const column: ColumnDefinition = {
    name: definition.colname ?? "",
    type: canonicalType(definition.typeName),
    nullable: !serial && !definition.is_not_null,
    hasDefault: serial || definition.raw_default !== undefined,
    primaryKey: false,
    unique: false,
  };
  if (serial) Object.assign(column, { defaultVolatility: "volatile", defaultText: "nextval() of its serial sequence" });
  const checks: TableConstraint[] = [];
  for (const item of definition.constraints ?? []) {
    if (!("Constraint" in item)) continue;
    const constraint = item.Constraint;
    switch (constraint.contype) {
      case "CONSTR_NOTNULL":
        column.nullable = false;
        break;
      case "CONSTR_DEFAULT": {
        column.hasDefault = true;
        const sequence = nextvalSequence(constraint.raw_expr);
        if (sequence) column.sequence = sequence;
        if (!isNullConstant(constraint.raw_expr)) {
          column.defaultVolatility = volatilityOf(constraint.raw_expr);
          column.defaultText = describeDefault(constraint.raw_expr);
        }
        break;
      }
      case "CONSTR_GENERATED":
        column.hasDefault = true;
        column.generatedFrom = [...new Set(referencedColumns(constraint.raw_expr))];
        // A stored generated column is computed for every existing row.
        column.defaultVolatility = "volatile";
        column.defaultText = "GENERATED ALWAYS AS (…) STORED";
        break;
      case "CONSTR_IDENTITY":
        column.hasDefault = true;
        column.nullable = false;
        column.defaultVolatility = "volatile";
        column.defaultText = "an identity sequence";
        break;
      case "CONSTR_PRIMARY":
        column.primaryKey = true;
        column.nullable = false;
        break;
      case "CONSTR_UNIQUE":
        column.unique = true;
        break;
      case "CONSTR_FOREIGN":
        column.references = { table: tableName(constraint.pktable), columns: stringList(constraint.pk_attrs) };
        break;
      case "CONSTR_CHECK":
        checks.push(tableConstraint(constraint));
        break;
      default:
        break;
    }
  }
  return { column, checks };
}

function tableConstraint(constraint: Constraint): TableConstraint {
  const name = constraint.conname;
  const named = name === undefined ? {} : { name };
  const notValid = constraint.skip_validation ?? false;
  switch (constraint.contype) {
    case "CONSTR_FOREIGN":
      return {
        kind: "foreign-key",
        ...named,
        columns: stringList(constraint.fk_attrs),
        references: { table: tableName(constraint.pktable), columns: stringList(constraint.pk_attrs) },
        notValid,
      };
    case "CONSTR_PRIMARY":
      return constraint.indexname
        ? { kind: "other", ...named, description: `PRIMARY KEY USING INDEX ${constraint.indexname}` }
        : { kind: "primary-key", ...named, columns: stringList(constraint.keys) };
    case "CONSTR_UNIQUE":
      return constraint.indexname
        ? { kind: "other", ...named, description: `UNIQUE USING INDEX ${constraint.indexname}` }
        : { kind: "unique", ...named, columns: stringList(constraint.keys) };
    case "CONSTR_CHECK": {
      const notNullColumn = notNullTestColumn(constraint.raw_expr);
      return { kind: "check", ...named, notValid, ...(notNullColumn === undefined ? {} : { notNullColumn }) };
    }
    default:
      return { kind: "other", ...named, description: (constraint.contype ?? "CONSTR_UNKNOWN").replace("CONSTR_", "") };
  }
}

/** `USING col` or `USING col::type` converts like no USING at all (Django always writes it). */
function isPlainConversion(expression: Node, column: string): boolean {
  const inner = "TypeCast" in expression ? expression.TypeCast.arg : expression;
  if (!inner || !("ColumnRef" in inner)) return false;
  const names = stringList(inner.ColumnRef.fields);
  return names.length === 1 && names[0] === column;
}

/** `col IS NOT NULL`: the check PostgreSQL 12+ uses to skip SET NOT NULL's scan. */
function notNullTestColumn(expression: Node | undefined): string | undefined {
  if (!expression || !("NullTest" in expression) || expression.NullTest.nulltesttype !== "IS_NOT_NULL") return undefined;
  const argument = expression.NullTest.arg;
  if (!argument || !("ColumnRef" in argument)) return undefined;
  const names = stringList(argument.ColumnRef.fields);
  return names.length === 1 ? names[0] : undefined;
}

function dropObjects(statement: DropStmt, loc: Location, analysis: DdlAnalysis): void {
  const ifExists = statement.missing_ok ?? false;
  const cascade = statement.behavior === "DROP_CASCADE";
  const names = (statement.objects ?? []).map((object) => ("List" in object ? objectName(object.List.items) : ""));
  if (statement.removeType === "OBJECT_TABLE" || statement.removeType === "OBJECT_FOREIGN_TABLE") {
    analysis.changes.push(...names.map((table): SchemaChange => ({ kind: "drop-table", table, ifExists, cascade, loc })));
  } else if (statement.removeType === "OBJECT_INDEX") {
    const concurrently = statement.concurrent ?? false;
    analysis.changes.push(...names.map((name): SchemaChange => ({ kind: "drop-index", name, ifExists, concurrently, loc })));
  } else {
    merge(analysis, dropObject(statement.removeType, statement.objects ?? [], cascade, ifExists, loc));
  }
}

function rename(statement: RenameStmt, loc: Location, analysis: DdlAnalysis): void {
  const table = tableName(statement.relation);
  const newName = statement.newname ?? "";
  if (statement.renameType === "OBJECT_TABLE" || statement.renameType === "OBJECT_FOREIGN_TABLE") {
    analysis.changes.push({ kind: "rename-table", table, newName: qualifiedName(statement.relation?.schemaname, newName), loc });
  } else if (statement.renameType === "OBJECT_COLUMN") {
    // ALTER VIEW … RENAME COLUMN too: the model resolves what the relation is.
    analysis.changes.push({ kind: "rename-column", table, column: statement.subname ?? "", newName, loc });
  } else {
    merge(analysis, renameObject(statement, loc));
  }
}

function alterTable(statement: AlterTableStmt, loc: Location, analysis: DdlAnalysis): void {
  const commands = (statement.cmds ?? []).flatMap((item) => ("AlterTableCmd" in item ? [item.AlterTableCmd] : []));
  if (statement.objtype !== "OBJECT_TABLE" && statement.objtype !== "OBJECT_FOREIGN_TABLE") {
    merge(analysis, alterRelation(statement.objtype, statement.relation, commands, loc));
    return;
  }
  const table = tableName(statement.relation);
  for (const command of commands) analysis.changes.push(alterTableCommand(command, table, loc));
}

function alterTableCommand(command: AlterTableCmd, table: string, loc: Location): SchemaChange {
  const column = command.name ?? "";
  const definition = command.def;
  switch (command.subtype) {
    case "AT_AddColumn":
      if (!definition || !("ColumnDef" in definition)) return tableDetailOf(command, table, loc);
      return { kind: "add-column", table, column: columnDefinition(definition.ColumnDef).column, ifNotExists: command.missing_ok ?? false, loc };
    case "AT_DropColumn": {
      const cascade = command.behavior === "DROP_CASCADE";
      return { kind: "drop-column", table, column, ifExists: command.missing_ok ?? false, loc, ...(cascade ? { cascade } : {}) };
    }
    case "AT_AlterColumnType": {
      const columnDef = definition && "ColumnDef" in definition ? definition.ColumnDef : undefined;
      const using = columnDef?.raw_default !== undefined && !isPlainConversion(columnDef.raw_default, column);
      return { kind: "alter-column-type", table, column, newType: canonicalType(columnDef?.typeName), ...(using ? { using } : {}), loc };
    }
    case "AT_SetNotNull":
      return { kind: "set-not-null", table, column, loc };
    case "AT_DropNotNull":
      return { kind: "drop-not-null", table, column, loc };
    case "AT_ColumnDefault":
      return definition ? { kind: "set-default", table, column, loc } : { kind: "drop-default", table, column, loc };
    case "AT_AddConstraint":
      if (!definition || !("Constraint" in definition)) return tableDetailOf(command, table, loc);
      return { kind: "add-constraint", table, constraint: tableConstraint(definition.Constraint), loc };
    case "AT_DropConstraint":
      return { kind: "drop-constraint", table, name: column, ifExists: command.missing_ok ?? false, loc };
    default:
      return tableDetailOf(command, table, loc);
  }
}

function createIndex(statement: IndexStmt, loc: Location): SchemaChange {
  const columns: string[] = [];
  for (const item of statement.indexParams ?? []) {
    if (!("IndexElem" in item)) continue;
    if (item.IndexElem.name) columns.push(item.IndexElem.name);
    else columns.push(...referencedColumns(item.IndexElem.expr));
  }
  return {
    kind: "create-index",
    table: tableName(statement.relation),
    ...(statement.idxname === undefined ? {} : { name: statement.idxname }),
    columns,
    unique: statement.unique ?? false,
    concurrently: statement.concurrent ?? false,
    ifNotExists: statement.if_not_exists ?? false,
    loc,
  };
}

/** `nextval('s')` or `nextval('s'::regclass)`: the sequence a default draws from. */
function nextvalSequence(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const node = value as Node;
  if ("FuncCall" in node && stringList(node.FuncCall.funcname).pop() === "nextval") {
    let argument = node.FuncCall.args?.[0];
    if (argument && "TypeCast" in argument) argument = argument.TypeCast.arg;
    const name = argument && "A_Const" in argument ? argument.A_Const.sval?.sval : undefined;
    return name === undefined ? undefined : objectName(name.split(".").map((sval) => ({ String: { sval: sval.replace(/"/g, "") } })));
  }
  return undefined;
}

/** Columns an index expression such as `lower(email)` depends on. */
function referencedColumns(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(referencedColumns);
  if (typeof value !== "object" || value === null) return [];
  const node = value as Record<string, unknown>;
  if ("ColumnRef" in node) {
    const names = stringList((node.ColumnRef as { fields?: Node[] }).fields);
    const last = names[names.length - 1];
    return last === undefined ? [] : [last];
  }
  return Object.values(node).flatMap(referencedColumns);
}

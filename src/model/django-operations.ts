// One Django migration operation → the project state after it, and the DDL Django's
// PostgreSQL schema editor runs for it, as SchemaChanges.
import { replacePlaceholders } from "../parse/sql-code-text.js";
import { argumentsOf, simpleName, stringOf, truthOf, type PyCall, type PyValue } from "../parse/django-values.js";
import type { ExecutedSql } from "../parse/django-run-python.js";
import type { ColumnDefinition, MigrationStatement, SchemaChange, StatementLocking, TableUse, UnparsedSql } from "../core/changes.js";
import { readField, type DjangoField } from "./django-fields.js";
import { dictOf, readConstraint, readConstraints, readIndex, readIndexes, togetherOf } from "./django-model-options.js";
import {
  createTableChanges,
  fieldChanges,
  indexChangesOf,
  joinTableChanges,
  joinTableRename,
  joinTableRenames,
  recordInlineNames,
  togetherChange,
  type ChangeSink,
} from "./django-ddl.js";
import { djangoIndexName } from "./django-names.js";
import { DjangoProjectState, modelKeyOf, togetherKey, type DjangoModel } from "./django-state.js";

/** Analyses the SQL of a RunSQL: `analyzeSql` of src/parse/sql.ts, with the parser loaded. */
export type SqlAnalyzer = (
  sql: string,
  origin: { file: string; line: number; context: "migration"; fixedLine: true },
) => { statements: MigrationStatement[]; unparsed: UnparsedSql[] };

export interface OperationContext {
  file: string;
  appLabel: string;
  authUserModel: string;
  analyzeSql: SqlAnalyzer;
  /** Module functions → the SQL they pass to `execute`, for RunPython. */
  functions?: ReadonlyMap<string, ExecutedSql[]>;
}

export interface OperationOutput {
  statements: MigrationStatement[];
  unparsed: UnparsedSql[];
}

const SIGNATURES: Record<string, readonly string[]> = {
  CreateModel: ["name", "fields", "options", "bases", "managers"],
  DeleteModel: ["name"],
  RenameModel: ["old_name", "new_name"],
  AlterModelTable: ["name", "table"],
  AlterModelTableComment: ["name", "table_comment"],
  AlterModelOptions: ["name", "options"],
  AlterModelManagers: ["name", "managers"],
  AlterUniqueTogether: ["name", "unique_together"],
  AlterIndexTogether: ["name", "index_together"],
  AlterOrderWithRespectTo: ["name", "order_with_respect_to"],
  AddField: ["model_name", "name", "field", "preserve_default"],
  RemoveField: ["model_name", "name"],
  AlterField: ["model_name", "name", "field", "preserve_default"],
  RenameField: ["model_name", "old_name", "new_name"],
  AddIndex: ["model_name", "index"],
  AddIndexConcurrently: ["model_name", "index"],
  RemoveIndex: ["model_name", "name"],
  RemoveIndexConcurrently: ["model_name", "name"],
  RenameIndex: ["model_name", "new_name", "old_name", "old_fields"],
  AddConstraint: ["model_name", "constraint"],
  AddConstraintNotValid: ["model_name", "constraint"],
  RemoveConstraint: ["model_name", "name"],
  ValidateConstraint: ["model_name", "name"],
  RunSQL: ["sql", "reverse_sql", "state_operations", "hints", "elidable"],
  RunPython: ["code", "reverse_code", "atomic", "hints", "elidable"],
  SeparateDatabaseAndState: ["database_operations", "state_operations"],
};

/** django.contrib.postgres operations that change no table. */
const SCHEMA_NEUTRAL = new Set([
  "AlterModelOptions",
  "AlterModelManagers",
  "AlterModelTableComment",
  "ValidateConstraint",
  "CreateExtension",
  "BloomExtension",
  "BtreeGinExtension",
  "BtreeGistExtension",
  "CITextExtension",
  "CryptoExtension",
  "HStoreExtension",
  "TrigramExtension",
  "UnaccentExtension",
  "CreateCollation",
  "RemoveCollation",
]);

/** An operation whose model, field or names cannot be resolved: reported, never thrown out of the replay. */
class UnreadableOperation extends Error {}

export class OperationReplayer {
  constructor(
    public state: DjangoProjectState,
    private readonly context: OperationContext,
    private readonly output: OperationOutput,
  ) {}

  /** Applies an operation to the state and, with `database`, records the DDL it runs. */
  apply(call: PyCall, database = true): void {
    const name = operationName(call);
    if (name === undefined) {
      this.problem(call.line, `${call.callee} is not a Django operation the app knows, so its effect on the schema is unknown`, call.callee);
      return;
    }
    const args = argumentsOf(call, SIGNATURES[name] ?? []);
    if (name === "SeparateDatabaseAndState") return this.separateDatabaseAndState(args);
    const changes: SchemaChange[] = [];
    const uses: TableUse[] = [];
    const statement: MigrationStatement = { loc: this.loc(call.line), changes, uses };
    const sink: ChangeSink = { add: (change) => changes.push(change), loc: statement.loc };
    try {
      if (name === "RunPython") {
        if (!isNoop(args.get("code"))) statement.dataMigration = true;
        this.runPython(args.get("code"), sink, uses, database, statement);
      } else if (name === "RunSQL") this.runSql(args, call.line, sink, uses, database, statement);
      else if (name === "ValidateConstraint") statement.locking = this.validateConstraint(args);
      else if (!SCHEMA_NEUTRAL.has(name)) this.schemaOperation(name, args, sink, call);
      else if (name === "AlterModelOptions") this.alterModelOptions(args);
    } catch (error) {
      if (!(error instanceof UnreadableOperation)) throw error;
      this.problem(call.line, `${name}: ${error.message}`, name);
      return;
    }
    if (database) this.output.statements.push(statement);
  }

  private loc(line: number): { file: string; line: number } {
    return { file: this.context.file, line };
  }

  private problem(line: number, reason: string, subject?: string): void {
    this.output.unparsed.push({ loc: this.loc(line), reason, context: "migration", ...(subject ? { subject } : {}) });
  }

  private model(value: PyValue | undefined): DjangoModel {
    const name = stringOf(value);
    if (name === undefined) throw new UnreadableOperation("the model name is not a string literal");
    const model = this.state.get(`${this.context.appLabel}.${name}`);
    if (!model) throw new UnreadableOperation(`model ${this.context.appLabel}.${name} is not in the replayed migration history`);
    return model;
  }

  private field(model: DjangoModel, value: PyValue | undefined): DjangoField {
    const name = stringOf(value);
    const field = model.fields.find((candidate) => candidate.name === name);
    if (!field) throw new UnreadableOperation(`field ${model.name}.${name ?? "?"} is not in the replayed migration history`);
    return field;
  }

  private readField(model: DjangoModel, name: string, value: PyValue | undefined, line: number): DjangoField {
    if (value?.kind !== "call") throw new UnreadableOperation(`the field ${name} is not a field class call (line ${line})`);
    return readField(name, value, { appLabel: this.context.appLabel, modelName: model.name, authUserModel: this.context.authUserModel });
  }

  /** A new column of a class the app does not know: its type is reported, as AlterField reports a change to it. */
  private reportUnknownType(operation: string, model: DjangoModel, field: DjangoField, line: number): void {
    if (field.relation || field.type !== "unknown") return;
    const column = this.state.columnOf(model, field)?.name ?? field.name;
    const table = this.state.tableOf(model);
    this.problem(line, `${operation} ${field.name}: the column type of ${table}.${column} cannot be read from ${field.className}(...), so what the column holds is unknown`, field.className);
  }

  private schemaOperation(name: string, args: Map<string, PyValue>, sink: ChangeSink, call: PyCall): void {
    const owns = (model: DjangoModel): ChangeSink => (this.state.ownsTable(model) ? sink : { add: () => undefined, loc: sink.loc });
    switch (name) {
      case "CreateModel":
        return this.createModel(args, sink);
      case "DeleteModel": {
        const model = this.model(args.get("name"));
        const target = owns(model);
        for (const join of joinTablesOf(this.state, model)) target.add({ kind: "drop-table", table: join, ifExists: false, cascade: false, loc: sink.loc });
        target.add({ kind: "drop-table", table: this.state.tableOf(model), ifExists: false, cascade: false, loc: sink.loc });
        this.state.models.delete(modelKeyOf(model));
        return;
      }
      case "RenameModel":
        return this.renameModel(args, sink);
      case "AlterModelTable": {
        const model = this.model(args.get("name"));
        const before = this.state.joinTables();
        const oldTable = this.state.tableOf(model);
        const table = stringOf(args.get("table"));
        if (table === undefined) delete model.dbTable;
        else model.dbTable = table;
        const newTable = this.state.tableOf(model);
        if (oldTable === newTable) return;
        owns(model).add({ kind: "rename-table", table: oldTable, newName: newTable, loc: sink.loc });
        joinTableRenames(before, this.state.joinTables(), (key) => key, owns(model));
        return;
      }
      case "AddField":
        return this.addField(args, owns, call.line);
      case "RemoveField": {
        const model = this.model(args.get("model_name"));
        const field = this.field(model, args.get("name"));
        const join = this.state.joinTableOf(model, field);
        const column = this.state.columnOf(model, field);
        if (join) owns(model).add({ kind: "drop-table", table: join.table, ifExists: false, cascade: false, loc: sink.loc });
        else if (column) owns(model).add({ kind: "drop-column", table: this.state.tableOf(model), column: column.name, ifExists: false, loc: sink.loc });
        removeField(model, field.name);
        return;
      }
      case "AlterField": {
        const model = this.model(args.get("model_name"));
        const old = this.field(model, args.get("name"));
        const replacement = this.readField(model, old.name, args.get("field"), call.line);
        const before = { field: old, column: this.state.columnOf(model, old), join: this.state.joinTableOf(model, old) };
        model.fields = model.fields.map((field) => (field === old ? replacement : field));
        const unsure = fieldChanges(this.state, model, before, replacement, owns(model));
        if (unsure) this.problem(call.line, unsure, replacement.className);
        return;
      }
      case "RenameField":
        return this.renameField(args, owns);
      case "AlterUniqueTogether":
      case "AlterIndexTogether":
      case "AlterOrderWithRespectTo":
      case "AddIndex":
      case "AddIndexConcurrently":
      case "RemoveIndex":
      case "RemoveIndexConcurrently":
      case "RenameIndex":
      case "AddConstraint":
      case "AddConstraintNotValid":
      case "RemoveConstraint":
        return this.modelOption(name, args, owns);
    }
  }

  private createModel(args: Map<string, PyValue>, sink: ChangeSink): void {
    const name = stringOf(args.get("name"));
    if (name === undefined) throw new UnreadableOperation("the model name is not a string literal");
    const options = dictOf(args.get("options"));
    const key = `${this.context.appLabel}.${name.toLowerCase()}`;
    // auth.User yields its table to AUTH_USER_MODEL; other swappable settings are assumed at their default.
    const swapped = stringOf(options.get("swappable")) === "AUTH_USER_MODEL" && key !== this.context.authUserModel.toLowerCase();
    const model: DjangoModel = {
      app: this.context.appLabel,
      name: name.toLowerCase(),
      fields: [],
      managed: (truthOf(options.get("managed")) ?? true) && !truthOf(options.get("abstract")) && !swapped,
      proxy: truthOf(options.get("proxy")) ?? false,
      bases: basesOf(args.get("bases"), this.context.appLabel),
      uniqueTogether: togetherOf(options.get("unique_together")),
      indexTogether: togetherOf(options.get("index_together")),
      indexes: readIndexes(options.get("indexes")),
      constraints: readConstraints(options.get("constraints")),
      togetherNames: {},
    };
    const dbTable = stringOf(options.get("db_table"));
    if (dbTable !== undefined) model.dbTable = dbTable;
    const order = stringOf(options.get("order_with_respect_to"));
    if (order !== undefined) model.orderWithRespectTo = order;
    this.state.models.set(key, model);
    const fields = args.get("fields");
    for (const item of fields?.kind === "seq" ? fields.items : []) {
      const fieldName = item.kind === "seq" ? stringOf(item.items[0]) : undefined;
      if (item.kind !== "seq" || fieldName === undefined || item.items[1]?.kind !== "call") {
        this.problem(item.line, `CreateModel ${name}: a field that is not a ("name", Field(...)) pair`, "CreateModel");
        continue;
      }
      const field = this.readField(model, fieldName, item.items[1], item.line);
      model.fields.push(field);
      this.reportUnknownType(`CreateModel ${name} field`, model, field, item.line);
    }
    this.addParentLinks(model);
    if (this.state.ownsTable(model)) for (const change of createTableChanges(this.state, model, sink.loc)) sink.add(change);
  }

  /** Multi-table inheritance: a `<parent>_ptr` one-to-one primary key, unless the migration lists it. */
  private addParentLinks(model: DjangoModel): void {
    if (model.proxy) return;
    for (const baseKey of model.bases) {
      const base = this.state.get(baseKey);
      if (!base || model.fields.some((field) => field.relation?.parentLink && field.relation.to === baseKey)) continue;
      if (model.fields.some((field) => field.name === `${base.name}_ptr`)) continue;
      model.fields.unshift({
        name: `${base.name}_ptr`,
        className: "OneToOneField",
        type: "unknown",
        nullable: false,
        primaryKey: !model.fields.some((field) => field.primaryKey),
        unique: true,
        dbIndex: false,
        effectiveDefault: false,
        databaseDefault: false,
        nonNegativeCheck: false,
        autoCreated: true,
        names: {},
        relation: { kind: "one-to-one", to: baseKey, dbConstraint: true, parentLink: true },
      });
    }
  }

  private renameModel(args: Map<string, PyValue>, sink: ChangeSink): void {
    const model = this.model(args.get("old_name"));
    const newName = stringOf(args.get("new_name"));
    if (newName === undefined) throw new UnreadableOperation("the new model name is not a string literal");
    const before = this.state.joinTables();
    const oldKey = modelKeyOf(model);
    const oldTable = this.state.tableOf(model);
    model.name = newName.toLowerCase();
    const newKey = modelKeyOf(model);
    this.state.models.delete(oldKey);
    this.state.models.set(newKey, model);
    for (const other of this.state.models.values()) {
      other.bases = other.bases.map((base) => (base === oldKey ? newKey : base));
      for (const field of other.fields) {
        if (field.relation?.to === oldKey) field.relation.to = newKey;
        if (field.relation?.through === oldKey) field.relation.through = newKey;
      }
    }
    const newTable = this.state.tableOf(model);
    // Django 4: a model whose db_table does not change is renamed in the state only.
    if (oldTable === newTable || !this.state.ownsTable(model)) return;
    sink.add({ kind: "rename-table", table: oldTable, newName: newTable, loc: sink.loc });
    const renamedKey = (key: string): string => (key.startsWith(`${oldKey}.`) ? newKey + key.slice(oldKey.length) : key);
    joinTableRenames(before, this.state.joinTables(), renamedKey, sink);
  }

  private addField(args: Map<string, PyValue>, owns: (model: DjangoModel) => ChangeSink, line: number): void {
    const model = this.model(args.get("model_name"));
    const name = stringOf(args.get("name"));
    if (name === undefined) throw new UnreadableOperation("the field name is not a string literal");
    const field = this.readField(model, name, args.get("field"), line);
    model.fields.push(field);
    this.reportUnknownType("AddField", model, field, line);
    const sink = owns(model);
    const join = this.state.joinTableOf(model, field);
    if (join) {
      for (const change of joinTableChanges(join, sink.loc)) sink.add(change);
      return;
    }
    const column = this.state.columnOf(model, field);
    if (!column) return;
    const table = this.state.tableOf(model);
    // Django adds a NOT NULL column with its default in the DDL, then drops the default.
    const temporaryDefault = field.effectiveDefault && !field.databaseDefault;
    sink.add({ kind: "add-column", table, column: { ...column, hasDefault: column.hasDefault || temporaryDefault, ...defaultOf(field, temporaryDefault) }, ifNotExists: false, loc: sink.loc });
    if (temporaryDefault) sink.add({ kind: "drop-default", table, column: column.name, loc: sink.loc });
    recordInlineNames(table, column, field);
    if (field.names.check !== undefined) {
      sink.add({ kind: "add-constraint", table, constraint: { kind: "check", name: field.names.check, notValid: false }, loc: sink.loc });
    }
    for (const change of indexChangesOf(table, column, field, sink.loc)) sink.add(change);
  }

  private renameField(args: Map<string, PyValue>, owns: (model: DjangoModel) => ChangeSink): void {
    const model = this.model(args.get("model_name"));
    const field = this.field(model, args.get("old_name"));
    const newName = stringOf(args.get("new_name"));
    if (newName === undefined) throw new UnreadableOperation("the new field name is not a string literal");
    const join = this.state.joinTableOf(model, field);
    const oldColumn = this.state.columnOf(model, field)?.name;
    const oldName = field.name;
    field.name = newName;
    renameFieldReferences(this.state, model, oldName, newName);
    const newColumn = this.state.columnOf(model, field)?.name;
    const sink = owns(model);
    if (oldColumn !== undefined && newColumn !== undefined && oldColumn !== newColumn) {
      sink.add({ kind: "rename-column", table: this.state.tableOf(model), column: oldColumn, newName: newColumn, loc: sink.loc });
    }
    joinTableRename(join, this.state.joinTableOf(model, field), sink);
  }

  private alterModelOptions(args: Map<string, PyValue>): void {
    const model = this.model(args.get("name"));
    const options = dictOf(args.get("options"));
    // Like Django, options that AlterModelOptions manages revert to their default when absent.
    model.managed = truthOf(options.get("managed")) ?? true;
  }

  private modelOption(name: string, args: Map<string, PyValue>, owns: (model: DjangoModel) => ChangeSink): void {
    const model = this.model(args.get("model_name") ?? args.get("name"));
    const sink = owns(model);
    const table = this.state.tableOf(model);
    const columns = (fields: string[]): string[] => fields.map((field) => this.state.columnNameOf(model, field));
    const concurrently = name.endsWith("Concurrently");
    switch (name) {
      case "AlterUniqueTogether":
      case "AlterIndexTogether": {
        const unique = name === "AlterUniqueTogether";
        const next = togetherOf(args.get(unique ? "unique_together" : "index_together"));
        const previous = unique ? model.uniqueTogether : model.indexTogether;
        const keyOf = (fields: string[]): string => fields.join("\0");
        for (const fields of previous.filter((old) => !next.some((group) => keyOf(group) === keyOf(old)))) {
          sink.add(togetherChange(this.state, model, fields, unique, false, sink.loc));
        }
        for (const fields of next.filter((group) => !previous.some((old) => keyOf(group) === keyOf(old)))) {
          sink.add(togetherChange(this.state, model, fields, unique, true, sink.loc));
        }
        if (unique) model.uniqueTogether = next;
        else model.indexTogether = next;
        return;
      }
      case "AlterOrderWithRespectTo": {
        const next = stringOf(args.get("order_with_respect_to"));
        if (next !== undefined && model.orderWithRespectTo === undefined) {
          const column = { name: "_order", type: "integer", nullable: false, hasDefault: true, primaryKey: false, unique: false };
          sink.add({ kind: "add-column", table, column, ifNotExists: false, loc: sink.loc });
          sink.add({ kind: "drop-default", table, column: "_order", loc: sink.loc });
        } else if (next === undefined && model.orderWithRespectTo !== undefined) {
          sink.add({ kind: "drop-column", table, column: "_order", ifExists: false, loc: sink.loc });
        }
        if (next === undefined) delete model.orderWithRespectTo;
        else model.orderWithRespectTo = next;
        return;
      }
      case "AddIndex":
      case "AddIndexConcurrently": {
        const index = readIndex(args.get("index"));
        if (!index) throw new UnreadableOperation("the index has no literal name");
        model.indexes.push(index);
        sink.add({ kind: "create-index", table, name: index.name, columns: columns(index.fields), unique: false, concurrently, ifNotExists: false, loc: sink.loc });
        return;
      }
      case "RemoveIndex":
      case "RemoveIndexConcurrently": {
        const indexName = stringOf(args.get("name"));
        if (indexName === undefined) throw new UnreadableOperation("the index name is not a string literal");
        model.indexes = model.indexes.filter((index) => index.name !== indexName);
        sink.add({ kind: "drop-index", table, name: indexName, ifExists: false, concurrently, loc: sink.loc });
        return;
      }
      case "RenameIndex":
        return this.renameIndex(model, args, sink);
      case "AddConstraint":
      case "AddConstraintNotValid": {
        const constraint = readConstraint(args.get("constraint"));
        if (!constraint) throw new UnreadableOperation("the constraint has no literal name");
        model.constraints.push(constraint);
        if (constraint.asIndex) {
          sink.add({ kind: "create-index", table, name: constraint.name, columns: columns(constraint.fields), unique: true, concurrently: false, ifNotExists: false, loc: sink.loc });
          return;
        }
        const notValid = name === "AddConstraintNotValid";
        const notNullColumn = constraint.notNullField === undefined ? {} : { notNullColumn: this.state.columnNameOf(model, constraint.notNullField) };
        const definition =
          constraint.kind === "unique"
            ? { kind: "unique" as const, name: constraint.name, columns: columns(constraint.fields) }
            : constraint.kind === "check"
              ? { kind: "check" as const, name: constraint.name, notValid, ...notNullColumn }
              : { kind: "other" as const, name: constraint.name, description: constraint.className };
        sink.add({ kind: "add-constraint", table, constraint: definition, loc: sink.loc });
        return;
      }
      case "RemoveConstraint": {
        const constraintName = stringOf(args.get("name"));
        if (constraintName === undefined) throw new UnreadableOperation("the constraint name is not a string literal");
        const existing = model.constraints.find((constraint) => constraint.name === constraintName);
        model.constraints = model.constraints.filter((constraint) => constraint !== existing);
        if (existing?.asIndex) sink.add({ kind: "drop-index", table, name: constraintName, ifExists: false, concurrently: false, loc: sink.loc });
        else sink.add({ kind: "drop-constraint", table, name: constraintName, ifExists: false, loc: sink.loc });
        return;
      }
    }
  }

  /** PostgreSQL's ALTER INDEX ... RENAME, as the index leaving under one name and arriving under another. */
  private renameIndex(model: DjangoModel, args: Map<string, PyValue>, sink: ChangeSink): void {
    const table = this.state.tableOf(model);
    const newName = stringOf(args.get("new_name"));
    if (newName === undefined) throw new UnreadableOperation("the new index name is not a string literal");
    const oldName = stringOf(args.get("old_name"));
    const oldFields = togetherOf(args.get("old_fields"))[0];
    const existing = model.indexes.find((index) => index.name === oldName);
    const fields = existing?.fields ?? oldFields ?? [];
    const columns = fields.map((field) => this.state.columnNameOf(model, field));
    const previousName = oldName ?? model.togetherNames[togetherKey(false, fields)] ?? djangoIndexName(table, columns, "_idx");
    if (existing) existing.name = newName;
    else {
      delete model.togetherNames[togetherKey(false, fields)];
      model.indexTogether = model.indexTogether.filter((group) => group.join("\0") !== fields.join("\0"));
      model.indexes.push({ name: newName, fields, unique: false });
    }
    sink.add({ kind: "drop-index", table, name: previousName, ifExists: false, concurrently: false, loc: sink.loc });
    sink.add({ kind: "create-index", table, name: newName, columns, unique: false, concurrently: false, ifNotExists: false, loc: sink.loc });
  }

  /** django.contrib.postgres's ValidateConstraint: `ALTER TABLE … VALIDATE CONSTRAINT`, under SHARE UPDATE EXCLUSIVE. */
  private validateConstraint(args: Map<string, PyValue>): StatementLocking {
    const table = this.state.tableOf(this.model(args.get("model_name")));
    const constraint = stringOf(args.get("name"));
    if (constraint === undefined) throw new UnreadableOperation("the constraint name is not a string literal");
    return { ...emptyLocking(), locks: [{ relation: table, mode: "SHARE UPDATE EXCLUSIVE" }], validates: [{ table, constraint }] };
  }

  private runSql(args: Map<string, PyValue>, line: number, sink: ChangeSink, uses: TableUse[], database: boolean, statement: MigrationStatement): void {
    for (const operation of sequence(args.get("state_operations"))) {
      if (operation.kind === "call") this.apply(operation, false);
    }
    if (!database) return;
    const sql = args.get("sql");
    for (const text of this.sqlTexts(sql, line)) this.analyse(text, line, sink, uses, statement);
  }

  /** The SQL RunPython's function passes to `schema_editor.execute` or `cursor.execute`, analysed like RunSQL's. */
  private runPython(code: PyValue | undefined, sink: ChangeSink, uses: TableUse[], database: boolean, statement: MigrationStatement): void {
    const executed = code?.kind === "ref" ? this.context.functions?.get(code.path) : undefined;
    if (!database || !executed || code?.kind !== "ref") return;
    for (const { sql, withParams, line } of executed) {
      if (sql.kind !== "str") {
        this.problem(line, `RunPython ${code.path}: SQL built at run time is passed to execute, so the statement cannot be read`, "RunPython");
        continue;
      }
      const text = withParams ? replacePlaceholders(sql.value, { questionMarks: false }) : sql.value;
      this.analyse(text, line, sink, uses, statement);
    }
  }

  private analyse(text: string, line: number, sink: ChangeSink, uses: TableUse[], statement: MigrationStatement): void {
    const analysis = this.context.analyzeSql(text, { file: this.context.file, line, context: "migration", fixedLine: true });
    for (const sqlStatement of analysis.statements) {
      for (const change of sqlStatement.changes) sink.add(change);
      uses.push(...sqlStatement.uses);
      if (sqlStatement.locking) statement.locking = mergeLocking(statement.locking ?? emptyLocking(), sqlStatement.locking);
    }
    this.output.unparsed.push(...analysis.unparsed);
  }

  /** RunSQL's `sql`: a string, a list or tuple of strings or of `(sql, params)` pairs, or `RunSQL.noop`. */
  private sqlTexts(sql: PyValue | undefined, line: number): string[] {
    if (sql === undefined || isNoop(sql)) return [];
    if (sql.kind === "str") return [sql.value];
    const items = sql.kind === "seq" ? sql.items : [sql];
    const texts: string[] = [];
    for (const item of items) {
      const text = item.kind === "seq" ? item.items[0] : item;
      const params = item.kind === "seq" ? item.items[1] : undefined;
      // With parameters, the driver turns `%s` into values; PostgreSQL's parser wants `$n`.
      if (text?.kind === "str") texts.push(params && params.kind !== "none" ? replacePlaceholders(text.value, { questionMarks: false }) : text.value);
      else if (!(text && isNoop(text))) {
        this.problem(item.line || line, "RunSQL with SQL built at run time: the statement cannot be read", "RunSQL");
      }
    }
    return texts;
  }

  /** Database operations run against a copy of the state that they alone advance; state operations change the state only. */
  private separateDatabaseAndState(args: Map<string, PyValue>): void {
    const databaseOperations = sequence(args.get("database_operations"));
    const realState = this.state;
    if (databaseOperations.length > 0) this.state = realState.clone();
    try {
      for (const operation of databaseOperations) this.applyItem(operation, true);
    } finally {
      this.state = realState;
    }
    for (const operation of sequence(args.get("state_operations"))) this.applyItem(operation, false);
  }

  private applyItem(operation: PyValue, database: boolean): void {
    if (operation.kind === "call") this.apply(operation, database);
    else this.problem(operation.line, "an operation that is not a call cannot be analysed");
  }
}

/** What AddField's DDL computes the default with: Django sends its Python default as one constant. */
function defaultOf(field: DjangoField, temporaryDefault: boolean): Pick<ColumnDefinition, "defaultVolatility" | "defaultText"> {
  if (temporaryDefault) return { defaultVolatility: "immutable", defaultText: "the field's default, sent once as a constant" };
  if (!field.databaseDefault) return {};
  if (/AutoField$/.test(field.className)) return { defaultVolatility: "volatile", defaultText: "nextval() of its identity sequence" };
  if (/GeneratedField$/.test(field.className)) return { defaultVolatility: "volatile", defaultText: "GENERATED ALWAYS AS (…) STORED" };
  return { defaultVolatility: "unknown", defaultText: "db_default" };
}

function emptyLocking(): StatementLocking {
  return { locks: [], settings: [], validates: [], maintenance: [], tableWideWrites: [] };
}

/** The statements of one RunSQL as one operation: its settings count as made before its locks. */
function mergeLocking(into: StatementLocking, next: StatementLocking): StatementLocking {
  const merged: StatementLocking = {
    locks: [...into.locks, ...next.locks],
    settings: [...into.settings, ...next.settings],
    validates: [...into.validates, ...next.validates],
    maintenance: [...into.maintenance, ...next.maintenance],
    tableWideWrites: [...into.tableWideWrites, ...next.tableWideWrites],
  };
  const transaction = next.transaction ?? into.transaction;
  const outside = into.outsideTransactionOnly ?? next.outsideTransactionOnly;
  return { ...merged, ...(transaction ? { transaction } : {}), ...(outside ? { outsideTransactionOnly: outside } : {}) };
}

function sequence(value: PyValue | undefined): PyValue[] {
  return value?.kind === "seq" ? value.items : [];
}

function isNoop(value: PyValue | undefined): boolean {
  return value?.kind === "ref" && value.path.endsWith(".noop");
}

/** The operation's class name when it is Django's (or django.contrib.postgres's), else undefined. */
export function operationName(call: PyCall): string | undefined {
  const name = simpleName(call.qualified);
  const fromDjango = call.qualified.startsWith("django.") || call.callee.startsWith("migrations.") || !call.qualified.includes(".");
  if (!fromDjango) return undefined;
  return name in SIGNATURES || SCHEMA_NEUTRAL.has(name) ? name : undefined;
}

function basesOf(value: PyValue | undefined, appLabel: string): string[] {
  return sequence(value)
    .map(stringOf)
    .filter((base): base is string => base !== undefined)
    .map((base) => (base.includes(".") ? base.toLowerCase() : `${appLabel}.${base.toLowerCase()}`));
}

function joinTablesOf(state: DjangoProjectState, model: DjangoModel): string[] {
  return model.fields.map((field) => state.joinTableOf(model, field)?.table).filter((table): table is string => table !== undefined);
}

function removeField(model: DjangoModel, name: string): void {
  model.fields = model.fields.filter((field) => field.name !== name);
  model.uniqueTogether = model.uniqueTogether.filter((group) => !group.includes(name));
  model.indexTogether = model.indexTogether.filter((group) => !group.includes(name));
}

function renameFieldReferences(state: DjangoProjectState, model: DjangoModel, oldName: string, newName: string): void {
  const rename = (fields: string[]): string[] => fields.map((field) => (field === oldName ? newName : field));
  model.uniqueTogether = model.uniqueTogether.map(rename);
  model.indexTogether = model.indexTogether.map(rename);
  model.togetherNames = Object.fromEntries(
    Object.entries(model.togetherNames).map(([key, name]) => {
      const [kind = "", fields = ""] = key.split(":");
      return [togetherKey(kind === "unique", rename(fields.split(","))), name];
    }),
  );
  for (const index of model.indexes) index.fields = rename(index.fields);
  for (const constraint of model.constraints) constraint.fields = rename(constraint.fields);
  if (model.orderWithRespectTo === oldName) model.orderWithRespectTo = newName;
  const key = modelKeyOf(model);
  for (const other of state.models.values()) {
    for (const field of other.fields) {
      if (field.relation?.to === key && field.relation.toField === oldName) field.relation.toField = newName;
    }
  }
}

// Reads one Django migration file with tree-sitter-python: the Migration class's
// dependencies, replaces, run_before and operations, as plain values. Meaning is given
// to them by the replay (src/model/django-replay.ts), which knows the project state.
import type { Node, Parser } from "web-tree-sitter";
import type { UnparsedSql } from "../core/changes.js";
import { loadParser, withTree } from "./tree-sitter.js";
import {
  lineOf,
  significantChildren,
  stringOf,
  toPyValue,
  truthOf,
  type PyCall,
  type PyScope,
  type PyValue,
} from "./django-values.js";
import { mentions, OperationsBuilder, type OperationsList } from "./django-operations-list.js";
import { functionsExecutingSql, type ExecutedSql } from "./django-run-python.js";

export interface DjangoSource {
  file: string;
  text: string;
  appLabel: string;
}

/** A migration key `(app_label, name)`; `name` may be `__first__` or `__latest__`. */
export interface MigrationKey {
  app: string;
  name: string;
}

/** `migrations.swappable_dependency(settings.X)`: the first migration of the app the setting names. */
export interface SwappableDependency {
  setting: string;
}

export type MigrationDependency = MigrationKey | SwappableDependency;

export interface DjangoMigrationFile {
  file: string;
  appLabel: string;
  /** File name without `.py`, as Django names the migration. */
  name: string;
  dependencies: MigrationDependency[];
  replaces: MigrationKey[];
  runBefore: MigrationKey[];
  initial: boolean;
  atomic: boolean;
  /** Operation calls in order; nested ones (RunSQL state_operations, ...) stay inside their arguments. */
  operations: PyCall[];
  /** Module functions (RunPython's code) → the SQL they pass to `execute`. */
  functions: Map<string, ExecutedSql[]>;
  unparsed: UnparsedSql[];
}

export async function parseDjangoMigration(source: DjangoSource): Promise<DjangoMigrationFile> {
  return parseDjangoMigrationWith(await loadParser("python"), source);
}

export function migrationName(file: string): string {
  return file.slice(file.lastIndexOf("/") + 1).replace(/\.py$/, "");
}

/** Never throws: what cannot be read becomes an UnparsedSql at its line. */
export function parseDjangoMigrationWith(parser: Parser, source: DjangoSource): DjangoMigrationFile {
  const migration: DjangoMigrationFile = {
    file: source.file,
    appLabel: source.appLabel,
    name: migrationName(source.file),
    dependencies: [],
    replaces: [],
    runBefore: [],
    initial: false,
    atomic: true,
    operations: [],
    functions: new Map(),
    unparsed: [],
  };
  const problem = (line: number, reason: string, subject?: string): void => {
    migration.unparsed.push({ loc: { file: source.file, line }, reason, context: "migration", ...(subject ? { subject } : {}) });
  };
  try {
    withTree(parser, source.text, (tree) => readModule(tree.rootNode, migration, problem));
  } catch (error) {
    problem(1, `the migration could not be read: ${error instanceof Error ? error.message : String(error)}`);
  }
  return migration;
}

function readModule(root: Node, migration: DjangoMigrationFile, problem: Problem): void {
  for (const error of syntaxErrors(root)) problem(lineOf(error), "Python syntax error: the migration cannot be read here");
  const scope: PyScope = { imports: new Map(), constants: new Map() };
  const functions = new Map<string, Node>();
  const statements = significantChildren(root);
  let classIndex = -1;
  statements.forEach((statement, index) => {
    if (statement.type === "import_statement" || statement.type === "import_from_statement") readImport(statement, scope);
    const assignment = assignmentOf(statement);
    if (assignment && !assignment.right.hasError) scope.constants.set(assignment.name, toPyValue(assignment.right, scope));
    else if (!assignment) changeConstants(statement, scope);
    const definition = statement.type === "decorated_definition" ? statement.childForFieldName("definition") : statement;
    const name = definition?.childForFieldName("name")?.text;
    if (definition?.type === "function_definition" && name !== undefined) functions.set(name, definition);
    if (definition?.type === "class_definition" && name === "Migration") classIndex = index;
  });
  const migrationClass = statements[classIndex];
  const definition = migrationClass?.type === "decorated_definition" ? migrationClass.childForFieldName("definition") : migrationClass;
  const body = definition?.childForFieldName("body");
  if (!definition || !body) {
    problem(1, "no `class Migration` found: this file is not a Django migration Django can load");
    return;
  }
  migration.functions = functionsExecutingSql(functions, scope);
  const list: OperationsList = { items: undefined, unknown: false };
  const members = significantChildren(body);
  const methods = members.filter(isFunction);
  const attributes = new OperationsBuilder(scope, problem, "operations", list).run(members.filter((member) => !isFunction(member)));
  for (const statement of attributes) {
    const assignment = assignmentOf(statement);
    if (assignment && !assignment.right.hasError) readAttribute(assignment.name, toPyValue(assignment.right, scope), migration, problem);
  }
  // After the class body, module statements may still change the class attribute.
  if (!list.unknown) new OperationsBuilder(scope, problem, "Migration.operations", list).run(statements.slice(classIndex + 1));
  if (!list.unknown) readMethods(methods, scope, problem, list);
  if (list.unknown) return;
  if (!list.items) {
    problem(lineOf(definition), "the Migration class has no `operations` list");
    return;
  }
  for (const operation of list.items) {
    if (operation.kind === "call") migration.operations.push(operation);
    else problem(operation.line, `an operation that is not a call cannot be analysed: ${describe(operation)}`);
  }
}

function isFunction(statement: Node): boolean {
  const definition = statement.type === "decorated_definition" ? statement.childForFieldName("definition") : statement;
  return definition?.type === "function_definition";
}

/** `__init__` may rebuild `self.operations` (after `super().__init__`, which copies the class's); other methods may not touch it. */
function readMethods(methods: Node[], scope: PyScope, problem: Problem, list: OperationsList): void {
  for (const method of methods) {
    const definition = method.type === "decorated_definition" ? method.childForFieldName("definition") : method;
    const name = definition?.childForFieldName("name")?.text;
    const body = definition?.childForFieldName("body");
    if (!definition || !body) continue;
    if (name !== "__init__") {
      if (mentions(body, "self.operations") || mentions(body, "operations")) {
        problem(lineOf(definition), `the Migration method \`${name ?? "?"}\` uses its operations, so what it runs cannot be known`, "operations");
        list.unknown = true;
        return;
      }
      continue;
    }
    const classItems = list.items;
    const instance: OperationsList = { items: classItems ? [...classItems] : undefined, unknown: false };
    const builder = new OperationsBuilder(scope, problem, "self.operations", instance);
    for (const statement of significantChildren(body)) {
      if (isSuperInit(statement)) instance.items = classItems ? [...classItems] : undefined;
      else builder.run([statement]);
      if (instance.unknown) break;
    }
    list.items = instance.items;
    list.unknown = instance.unknown;
  }
}

function isSuperInit(statement: Node): boolean {
  const call = statement.type === "expression_statement" ? significantChildren(statement)[0] : undefined;
  const fn = call?.type === "call" ? call.childForFieldName("function") : undefined;
  return fn !== undefined && fn !== null && /\.__init__$/.test(fn.text) && /^(super\(|\w+\.Migration\.|Migration\.)/.test(fn.text);
}

/** Module-level `NAME += [...]`, `NAME.append(x)`, `NAME.extend([...])` on a list constant; any other use of it makes it unknown. */
function changeConstants(statement: Node, scope: PyScope): void {
  if (statement.type === "function_definition" || statement.type === "class_definition" || statement.type === "decorated_definition") return;
  for (const [name, value] of scope.constants) {
    if (value.kind !== "seq" || !statement.descendantsOfType("identifier").some((identifier) => identifier.text === name)) continue;
    const list: OperationsList = { items: [...value.items], unknown: false };
    // Not reported here: the list is reported where `operations` uses it.
    new OperationsBuilder(scope, () => undefined, name, list).run([statement]);
    scope.constants.set(name, list.unknown || !list.items ? { kind: "expr", text: name, line: lineOf(statement) } : { ...value, items: list.items });
  }
}

type Problem = (line: number, reason: string, subject?: string) => void;

function syntaxErrors(root: Node): Node[] {
  if (!root.hasError) return [];
  const found: Node[] = [];
  const visit = (node: Node): void => {
    if (found.length >= 5) return;
    if (node.isError || node.isMissing) {
      found.push(node);
      return;
    }
    if (node.hasError) for (const child of node.children) if (child) visit(child);
  };
  visit(root);
  return found;
}

function assignmentOf(statement: Node): { name: string; right: Node } | undefined {
  if (statement.type !== "expression_statement") return undefined;
  const assignment = significantChildren(statement)[0];
  if (assignment?.type !== "assignment") return undefined;
  const left = assignment.childForFieldName("left");
  const right = assignment.childForFieldName("right");
  if (left?.type !== "identifier" || !right) return undefined;
  return { name: left.text, right };
}

function readImport(statement: Node, scope: PyScope): void {
  const moduleNode = statement.childForFieldName("module_name");
  const module = statement.type === "import_from_statement" && moduleNode ? moduleNode.text : undefined;
  for (const imported of statement.childrenForFieldName("name")) {
    const target = imported.type === "aliased_import" ? imported.childForFieldName("name") : imported;
    const alias = imported.type === "aliased_import" ? imported.childForFieldName("alias")?.text : undefined;
    if (!target) continue;
    const path = target.text;
    if (module !== undefined) scope.imports.set(alias ?? path, `${module}.${path}`);
    else if (alias !== undefined) scope.imports.set(alias, path);
    // `import django.db.models.deletion` binds `django`, which then qualifies to itself.
    else scope.imports.set(path.split(".")[0] ?? path, path.split(".")[0] ?? path);
  }
}

function describe(value: PyValue): string {
  return value.kind === "expr" ? value.text.slice(0, 80) : value.kind;
}

function readAttribute(name: string, value: PyValue, migration: DjangoMigrationFile, problem: Problem): void {
  switch (name) {
    case "dependencies":
      migration.dependencies = keysOf(value, problem, true);
      break;
    case "replaces":
      migration.replaces = keysOf(value, problem, false).filter((key): key is MigrationKey => "app" in key);
      break;
    case "run_before":
      migration.runBefore = keysOf(value, problem, false).filter((key): key is MigrationKey => "app" in key);
      break;
    case "initial":
      migration.initial = truthOf(value) ?? false;
      break;
    case "atomic":
      migration.atomic = truthOf(value) ?? true;
      break;
  }
}

function keysOf(value: PyValue, problem: Problem, allowSwappable: boolean): MigrationDependency[] {
  if (value.kind !== "seq") {
    problem(value.line, "a migration list that is not a literal list cannot be followed");
    return [];
  }
  const keys: MigrationDependency[] = [];
  for (const item of value.items) {
    const key = keyOf(item, allowSwappable);
    if (key) keys.push(key);
    else problem(item.line, "a migration reference that is not an `(app_label, name)` pair cannot be followed");
  }
  return keys;
}

function keyOf(item: PyValue, allowSwappable: boolean): MigrationDependency | undefined {
  if (item.kind === "seq" && item.items.length === 2) {
    const app = stringOf(item.items[0]);
    const name = stringOf(item.items[1]);
    return app !== undefined && name !== undefined ? { app, name } : undefined;
  }
  if (allowSwappable && item.kind === "call" && item.callee.endsWith("swappable_dependency")) {
    const setting = item.args[0] ?? item.kwargs.get("value");
    if (setting?.kind === "ref") return { setting: setting.path.slice(setting.path.lastIndexOf(".") + 1) };
    const model = stringOf(setting);
    if (model !== undefined) return { app: model.split(".")[0] ?? model, name: "__first__" };
  }
  return undefined;
}

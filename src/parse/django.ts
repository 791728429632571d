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

type Problem = (line: number, reason: string, subject?: string) => void;

function readModule(root: Node, migration: DjangoMigrationFile, problem: Problem): void {
  for (const error of syntaxErrors(root)) problem(lineOf(error), "Python syntax error: the migration cannot be read here");
  const scope: PyScope = { imports: new Map(), constants: new Map() };
  let migrationClass: Node | undefined;
  for (const statement of significantChildren(root)) {
    if (statement.type === "import_statement" || statement.type === "import_from_statement") readImport(statement, scope);
    const assignment = assignmentOf(statement);
    if (assignment && !assignment.right.hasError) scope.constants.set(assignment.name, toPyValue(assignment.right, scope));
    const definition = statement.type === "decorated_definition" ? statement.childForFieldName("definition") : statement;
    if (definition?.type === "class_definition" && definition.childForFieldName("name")?.text === "Migration") {
      migrationClass = definition;
    }
  }
  const body = migrationClass?.childForFieldName("body");
  if (!migrationClass || !body) {
    problem(1, "no `class Migration` found: this file is not a Django migration Django can load");
    return;
  }
  let sawOperations = false;
  for (const statement of significantChildren(body)) {
    const assignment = assignmentOf(statement);
    // A syntax error inside one operation should not hide the others.
    if (!assignment || (assignment.right.hasError && !(assignment.name === "operations" && assignment.right.type === "list"))) continue;
    const value = toPyValue(assignment.right, scope);
    if (assignment.name === "operations") {
      sawOperations = true;
      readOperations(assignment.right, value, migration, problem);
    } else readAttribute(assignment.name, value, migration, problem);
  }
  if (!sawOperations) problem(lineOf(migrationClass), "the Migration class has no `operations` list");
}

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

function readOperations(node: Node, value: PyValue, migration: DjangoMigrationFile, problem: Problem): void {
  if (value.kind !== "seq") {
    problem(lineOf(node), "`operations` is not a literal list, so its operations cannot be known");
    return;
  }
  const itemNodes = significantChildren(node);
  value.items.forEach((operation, index) => {
    if (itemNodes[index]?.hasError) return;
    if (operation.kind === "call") migration.operations.push(operation);
    else problem(operation.line, `an operation that is not a call cannot be analysed: ${describe(operation)}`);
  });
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

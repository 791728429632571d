// The SQL that a migration's module-level functions pass to `schema_editor.execute(...)` or
// `cursor.execute(...)`, so that RunPython's database changes are analysed like RunSQL's.
import type { Node } from "web-tree-sitter";
import { lineOf, significantChildren, toPyValue, type PyScope, type PyValue } from "./django-values.js";

export interface ExecutedSql {
  /** The first argument of `execute`: a string when it is a literal, else what it is. */
  sql: PyValue;
  /** `execute(sql, params)`: the driver replaces `%s`. */
  withParams: boolean;
  line: number;
}

const EXECUTE_METHODS = new Set(["execute", "executemany"]);

interface FunctionBody {
  executed: ExecutedSql[];
  calls: Set<string>;
}

/** Names of module functions → every SQL they run, with that of the module functions they call. */
export function functionsExecutingSql(definitions: Map<string, Node>, scope: PyScope): Map<string, ExecutedSql[]> {
  const bodies = new Map<string, FunctionBody>();
  for (const [name, definition] of definitions) bodies.set(name, readBody(definition, scope, definitions));
  const result = new Map<string, ExecutedSql[]>();
  for (const name of bodies.keys()) {
    const seen = new Set<string>();
    const pending = [name];
    const executed: ExecutedSql[] = [];
    for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
      const body = bodies.get(next);
      if (!body || seen.has(next)) continue;
      seen.add(next);
      executed.push(...body.executed);
      pending.push(...body.calls);
    }
    result.set(name, executed.sort((a, b) => a.line - b.line));
  }
  return result;
}

function readBody(definition: Node, moduleScope: PyScope, definitions: Map<string, Node>): FunctionBody {
  const scope: PyScope = { imports: moduleScope.imports, constants: new Map(moduleScope.constants) };
  const body = definition.childForFieldName("body");
  const assigned = new Set<string>();
  // A local `sql = "..."` assigned once is read as its literal; assigned again, it is run-time data.
  for (const statement of body ? significantChildren(body) : []) {
    const assignment = statement.type === "expression_statement" ? significantChildren(statement)[0] : undefined;
    const left = assignment?.type === "assignment" ? assignment.childForFieldName("left") : undefined;
    const right = assignment?.childForFieldName("right");
    if (left?.type !== "identifier" || !right) continue;
    if (assigned.has(left.text)) scope.constants.set(left.text, { kind: "expr", text: left.text, line: lineOf(left) });
    else scope.constants.set(left.text, toPyValue(right, scope));
    assigned.add(left.text);
  }
  const executed: ExecutedSql[] = [];
  const calls = new Set<string>();
  for (const call of body ? body.descendantsOfType("call") : []) {
    const fn = call.childForFieldName("function");
    if (fn?.type === "identifier" && definitions.has(fn.text)) calls.add(fn.text);
    const method = fn?.type === "attribute" ? fn.childForFieldName("attribute")?.text : undefined;
    if (method === undefined || !EXECUTE_METHODS.has(method)) continue;
    const args = significantChildren(call.childForFieldName("arguments") ?? call);
    const positional = args.filter((arg) => arg.type !== "keyword_argument");
    const keyword = (name: string): Node | undefined => args.find((arg) => arg.type === "keyword_argument" && arg.childForFieldName("name")?.text === name)?.childForFieldName("value") ?? undefined;
    const sql = positional[0] ?? keyword("sql");
    if (!sql) continue;
    const params = positional[1] ?? keyword("params");
    executed.push({ sql: toPyValue(sql, scope), withParams: params !== undefined && params.type !== "none", line: lineOf(call) });
  }
  return { executed, calls };
}

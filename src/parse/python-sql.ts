// SQL string candidates in Python source: the query handed to `.execute()`,
// `.executemany()`, `.raw()` or `RawSQL()`, directly or through a name assigned in the
// same function, a class body or at module level. Whether it is SQL is decided later.
import type { Node } from "web-tree-sitter";
import type { SqlCandidate, StringPiece } from "./sql-candidate.js";
import { decodePythonString } from "./string-escapes.js";

const SQL_METHODS = new Set(["execute", "executemany", "raw"]);
const SQL_FUNCTIONS = new Set(["RawSQL"]);
/** Calls that wrap a query without changing it: psycopg's `sql.SQL(...)`, SQLAlchemy's `text(...)`. */
const QUERY_WRAPPERS = new Set(["SQL", "text"]);
/** Keyword names DB-API drivers and Django give the query argument. */
const QUERY_KEYWORDS = new Set(["sql", "query", "operation"]);

/** A function definition (by node id: tree-sitter hands out a new object per visit), or the module. */
type Scope = number | "module";
/** An expression and the scope it is evaluated in. */
interface Scoped {
  node: Node;
  scope: Scope;
}
/** Names assigned a value, per scope. */
type Assignments = Map<Scope, Map<string, Scoped[]>>;

interface Evaluation {
  pieces: StringPiece[];
  /** Built at run time by `%` or `.format()`, though every piece is known. */
  formatted: boolean;
}

export function pythonSqlCandidates(root: Node): SqlCandidate[] {
  const { assignments, queries } = survey(root);
  const analysed = new Set<number>();
  const candidates: SqlCandidate[] = [];
  for (const query of queries) {
    const name = nameOf(query);
    const sources = name ? lookup(name.name, name.scope, assignments) : [query];
    for (const source of sources) {
      if (analysed.has(source.node.id)) continue;
      analysed.add(source.node.id);
      const evaluation = evaluate(source.node, source.scope, assignments, new Set());
      if (evaluation) candidates.push(candidateOf(source.node, evaluation));
    }
  }
  return candidates.sort((a, b) => a.line - b.line);
}

/** One walk, tracking the scope (`Node.parent` costs a walk from the root): assignments, and the queries SQL calls receive. */
function survey(root: Node): { assignments: Assignments; queries: Scoped[] } {
  const assignments: Assignments = new Map();
  const queries: Scoped[] = [];
  const pending: Scoped[] = [{ node: root, scope: "module" }];
  for (let visit = pending.pop(); visit; visit = pending.pop()) {
    const { node, scope } = visit;
    if (node.type === "assignment") addAssignment(assignments, node, scope);
    const query = node.type === "call" && isSqlCall(node) ? queryArgument(node) : undefined;
    if (query) queries.push({ node: query, scope });
    const inner = node.type === "function_definition" ? node.id : scope;
    pending.push(...node.namedChildren.map((child) => ({ node: child, scope: inner })).reverse());
  }
  return { assignments, queries };
}

function candidateOf(node: Node, { pieces, formatted }: Evaluation): SqlCandidate {
  return {
    pieces,
    line: node.startPosition.row + 1,
    lineSpan: node.endPosition.row - node.startPosition.row,
    dynamic: formatted || pieces.some((piece) => piece.kind === "hole"),
  };
}

function isSqlCall(call: Node): boolean {
  const callee = call.childForFieldName("function");
  if (callee?.type === "identifier") return SQL_FUNCTIONS.has(callee.text);
  if (callee?.type !== "attribute") return false;
  const name = callee.childForFieldName("attribute")?.text ?? "";
  return SQL_METHODS.has(name) || SQL_FUNCTIONS.has(name);
}

function queryArgument(call: Node): Node | undefined {
  const args = call.childForFieldName("arguments");
  if (args?.type !== "argument_list") return undefined;
  const first = args.namedChildren[0];
  if (first && first.type !== "keyword_argument" && first.type !== "comment") return first;
  return args.namedChildren
    .filter((arg) => arg.type === "keyword_argument")
    .find((arg) => QUERY_KEYWORDS.has(arg.childForFieldName("name")?.text ?? ""))
    ?.childForFieldName("value") ?? undefined;
}

function addAssignment(assignments: Assignments, assignment: Node, scope: Scope): void {
  const name = assignment.childForFieldName("left");
  const value = assignment.childForFieldName("right");
  if (name?.type !== "identifier" || !value) return;
  const names = assignments.get(scope) ?? new Map<string, Scoped[]>();
  names.set(name.text, [...(names.get(name.text) ?? []), { node: value, scope }]);
  assignments.set(scope, names);
}

/**
 * The name an expression refers to: `QUERY` in its scope, or `self.QUERY`, `cls.QUERY`,
 * `Repository.QUERY`, taken as an assignment in a class body (module scope, for this walk).
 */
function nameOf({ node, scope }: Scoped): { name: string; scope: Scope } | undefined {
  if (node.type === "identifier") return { name: node.text, scope };
  const object = node.type === "attribute" ? node.childForFieldName("object") : null;
  const attribute = node.childForFieldName("attribute");
  return object?.type === "identifier" && attribute ? { name: attribute.text, scope: "module" } : undefined;
}

/** Values a name was given in the function, else at module level. */
function lookup(name: string, scope: Scope, assignments: Assignments): Scoped[] {
  const local = scope === "module" ? undefined : assignments.get(scope)?.get(name);
  return local ?? assignments.get("module")?.get(name) ?? [];
}

function evaluate(node: Node, scope: Scope, assignments: Assignments, resolving: Set<string>): Evaluation | null {
  switch (node.type) {
    case "string":
      return evaluateString(node);
    case "concatenated_string":
      return join(node.namedChildren.map((part) => evaluate(part, scope, assignments, resolving)));
    case "parenthesized_expression": {
      const inner = node.namedChildren[0];
      return inner ? evaluate(inner, scope, assignments, resolving) : null;
    }
    case "identifier":
    case "attribute": {
      const name = nameOf({ node, scope });
      return name ? resolveConstant(name.name, name.scope, assignments, resolving) : null;
    }
    case "binary_operator":
      return evaluateOperator(node, scope, assignments, resolving);
    case "call":
      return evaluateWrapper(node, scope, assignments, resolving) ?? evaluateFormatCall(node, scope, assignments, resolving);
    default:
      return null;
  }
}

function evaluateOperator(node: Node, scope: Scope, assignments: Assignments, resolving: Set<string>): Evaluation | null {
  const operator = node.childForFieldName("operator")?.type;
  const left = node.childForFieldName("left");
  const right = node.childForFieldName("right");
  if (!left || !right) return null;
  const leftValue = evaluate(left, scope, assignments, resolving);
  if (operator === "%") return leftValue && { pieces: leftValue.pieces, formatted: true };
  if (operator !== "+") return null;
  const rightValue = evaluate(right, scope, assignments, resolving);
  if (!leftValue && !rightValue) return null;
  return join([leftValue ?? holeValue(), rightValue ?? holeValue()]);
}

function evaluateWrapper(node: Node, scope: Scope, assignments: Assignments, resolving: Set<string>): Evaluation | null {
  const callee = node.childForFieldName("function");
  const name = callee?.type === "attribute" ? callee.childForFieldName("attribute")?.text : callee?.text;
  const query = QUERY_WRAPPERS.has(name ?? "") ? queryArgument(node) : undefined;
  return query ? evaluate(query, scope, assignments, resolving) : null;
}

/** `"... {} ...".format(...)`: the replacement fields become holes. */
function evaluateFormatCall(node: Node, scope: Scope, assignments: Assignments, resolving: Set<string>): Evaluation | null {
  const callee = node.childForFieldName("function");
  const target = callee?.type === "attribute" ? callee.childForFieldName("object") : null;
  if (!target || callee?.childForFieldName("attribute")?.text !== "format") return null;
  const value = evaluate(target, scope, assignments, resolving);
  if (!value) return null;
  return { pieces: value.pieces.flatMap(splitFormatFields), formatted: true };
}

function splitFormatFields(piece: StringPiece): StringPiece[] {
  if (piece.kind === "hole") return [piece];
  return piece.text.split(/(\{\{|\}\}|\{[^{}]*\})/).flatMap((part): StringPiece[] => {
    if (part === "{{") return [{ kind: "text", text: "{" }];
    if (part === "}}") return [{ kind: "text", text: "}" }];
    if (part.startsWith("{")) return [{ kind: "hole" }];
    return part ? [{ kind: "text", text: part }] : [];
  });
}

function resolveConstant(name: string, scope: Scope, assignments: Assignments, resolving: Set<string>): Evaluation | null {
  const values = lookup(name, scope, assignments);
  const value = values.length === 1 ? values[0] : undefined;
  if (!value || resolving.has(name)) return null;
  resolving.add(name);
  const evaluation = evaluate(value.node, value.scope, assignments, resolving);
  resolving.delete(name);
  return evaluation;
}

function holeValue(): Evaluation {
  return { pieces: [{ kind: "hole" }], formatted: false };
}

function join(values: (Evaluation | null)[]): Evaluation | null {
  const pieces: StringPiece[] = [];
  let formatted = false;
  for (const value of values) {
    if (!value) return null;
    pieces.push(...value.pieces);
    formatted ||= value.formatted;
  }
  return { pieces, formatted };
}

function evaluateString(node: Node): Evaluation {
  const prefix = (node.children[0]?.text ?? "").replace(/["']+$/, "").toLowerCase();
  const raw = prefix.includes("r");
  const fString = prefix.includes("f");
  const pieces = node.namedChildren.flatMap((part): StringPiece[] => {
    if (part.type === "interpolation") return [{ kind: "hole" }];
    if (part.type !== "string_content") return [];
    return [{ kind: "text", text: decodePythonString(part.text, { raw, fString }) }];
  });
  return { pieces, formatted: false };
}


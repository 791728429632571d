// SQL string candidates in Go source: every string literal or `+` chain of strings
// (constants folded), wherever it appears. Whether it is SQL is decided later.
import type { Node } from "web-tree-sitter";
import type { SqlCandidate, StringPiece } from "./sql-candidate.js";
import { SIMPLE_ESCAPES } from "./string-escapes.js";

/** String constants by name, so `baseQuery + " WHERE id = $1"` folds into one statement. */
type Constants = Map<string, Node>;

/** Strings that are never SQL: import paths and struct tags. */
const NOT_SQL_PARENTS = new Set(["import_spec", "field_declaration"]);

/**
 * Functions whose string arguments are messages for people: Go's lower-case error strings
 * ("delete from cart failed") would otherwise read as SQL.
 */
const MESSAGE_FUNCTIONS = new Set([
  "panic", "Errorf", "Wrap", "Wrapf", "WithMessage", "WithMessagef",
  "Print", "Printf", "Println", "Fatal", "Fatalf", "Fatalln", "Panic", "Panicf", "Panicln",
  "Log", "Logf", "Error", "Errorw", "Skip", "Skipf", "Msg", "Msgf",
  "Debug", "Debugf", "Debugw", "Info", "Infof", "Infow", "Warn", "Warnf", "Warnw", "Warning", "Warningf",
]);

export function goSqlCandidates(root: Node): SqlCandidate[] {
  const constants = collectConstants(root);
  const candidates: SqlCandidate[] = [];
  const pending: Visit[] = [{ node: root }];
  while (pending.length > 0) {
    const visit = pending.pop();
    if (!visit) break;
    const { node } = visit;
    const next = (child: Node): Visit => ({ node: child, parent: node, grandparent: visit.parent });
    const value = isStringExpression(node) ? evaluate(node, constants, new Set()) : null;
    if (value) {
      const pieces = isSprintfFormat(visit) ? value.flatMap(splitPrintfVerbs) : value;
      if (!isNeverSql(visit)) {
        candidates.push({
          pieces,
          line: node.startPosition.row + 1,
          lineSpan: node.endPosition.row - node.startPosition.row,
          dynamic: pieces.some((piece) => piece.kind === "hole"),
        });
      }
      // Only holes can hold further strings (a call's arguments, say); their place does not matter.
      pending.push(...holesOf(node, constants).reverse().map(next));
      continue;
    }
    // Reversed onto the stack, so candidates come out in the order of the source.
    pending.push(...[...node.namedChildren].reverse().map(next));
  }
  return candidates;
}

/** A node with its parent and grandparent, tracked while walking: `Node.parent` costs a walk from the root. */
interface Visit {
  node: Node;
  parent?: Node;
  grandparent?: Node;
}

/** A literal, or a `+` whose value is a string: a lone identifier is analysed where it is declared. */
function isStringExpression(node: Node): boolean {
  return isLiteral(node) || (node.type === "binary_expression" && operatorOf(node) === "+");
}

/** Import paths, struct tags, and arguments of calls that print or wrap messages. */
function isNeverSql({ parent, grandparent }: Visit): boolean {
  if (!parent) return false;
  if (NOT_SQL_PARENTS.has(parent.type)) return true;
  const callee = parent.type === "argument_list" ? grandparent?.childForFieldName("function") : undefined;
  if (!callee) return false;
  if (callee.type === "identifier") return MESSAGE_FUNCTIONS.has(callee.text);
  const name = callee.type === "selector_expression" ? callee.childForFieldName("field")?.text : undefined;
  return name !== undefined && (MESSAGE_FUNCTIONS.has(name) || callee.text === "errors.New");
}

/** `fmt.Sprintf("SELECT … FROM %s", table)`: the verbs are run-time parts. */
function isSprintfFormat({ node, parent, grandparent }: Visit): boolean {
  if (parent?.type !== "argument_list" || parent.namedChildren[0]?.id !== node.id) return false;
  return grandparent?.childForFieldName("function")?.text === "fmt.Sprintf";
}

function splitPrintfVerbs(piece: StringPiece): StringPiece[] {
  if (piece.kind === "hole") return [piece];
  return piece.text.split(/(%[-+# 0-9.*[\]]*[a-zA-Z%])/).flatMap((part): StringPiece[] => {
    if (part === "%%") return [{ kind: "text", text: "%" }];
    if (/^%.+/.test(part)) return [{ kind: "hole" }];
    return part ? [{ kind: "text", text: part }] : [];
  });
}

function isLiteral(node: Node): boolean {
  return node.type === "raw_string_literal" || node.type === "interpreted_string_literal";
}

function operatorOf(node: Node): string | undefined {
  return node.childForFieldName("operator")?.type;
}

/** Constants, and package-level variables: query strings kept in a `var` are constants in all but name. */
function collectConstants(root: Node): Constants {
  const constants: Constants = new Map();
  const packageVars = root.namedChildren
    .filter((declaration) => declaration.type === "var_declaration")
    .flatMap((declaration) => declaration.namedChildren)
    .flatMap((spec) => (spec.type === "var_spec_list" ? spec.namedChildren : [spec]))
    .filter((spec) => spec.type === "var_spec");
  for (const spec of [...packageVars, ...root.descendantsOfType("const_spec")]) {
    const names = spec.childrenForFieldName("name").filter((name) => name.type === "identifier");
    const values = spec.childForFieldName("value")?.namedChildren ?? [];
    names.forEach((name, index) => {
      const value = values[index];
      if (value) constants.set(name.text, value);
    });
  }
  return constants;
}

/** The string value of an expression as pieces, or null when it is not a string expression. */
function evaluate(node: Node, constants: Constants, resolving: Set<string>): StringPiece[] | null {
  switch (node.type) {
    case "raw_string_literal":
      // Go drops carriage returns from raw strings.
      return [{ kind: "text", text: contentOf(node).replaceAll("\r", "") }];
    case "interpreted_string_literal":
      return [{ kind: "text", text: decodeInterpreted(node) }];
    case "parenthesized_expression": {
      const inner = node.namedChildren[0];
      return inner ? evaluate(inner, constants, resolving) : null;
    }
    case "identifier":
      return resolveConstant(node.text, constants, resolving);
    case "binary_expression": {
      if (operatorOf(node) !== "+") return null;
      const left = node.childForFieldName("left");
      const right = node.childForFieldName("right");
      if (!left || !right) return null;
      const leftPieces = evaluate(left, constants, resolving);
      const rightPieces = evaluate(right, constants, resolving);
      if (!leftPieces && !rightPieces) return null;
      return [...(leftPieces ?? [{ kind: "hole" }]), ...(rightPieces ?? [{ kind: "hole" }])];
    }
    default:
      return null;
  }
}

function resolveConstant(name: string, constants: Constants, resolving: Set<string>): StringPiece[] | null {
  const value = constants.get(name);
  if (!value || resolving.has(name)) return null;
  resolving.add(name);
  const pieces = evaluate(value, constants, resolving);
  resolving.delete(name);
  return pieces;
}

/** The operands of a `+` chain that are not strings: they may contain calls with string arguments. */
function holesOf(node: Node, constants: Constants): Node[] {
  if (node.type === "parenthesized_expression") return node.namedChildren.flatMap((child) => holesOf(child, constants));
  if (node.type === "binary_expression" && operatorOf(node) === "+") {
    return [node.childForFieldName("left"), node.childForFieldName("right")]
      .filter((operand): operand is Node => operand !== null)
      .flatMap((operand) => holesOf(operand, constants));
  }
  return evaluate(node, constants, new Set()) ? [] : [node];
}

function contentOf(literal: Node): string {
  return literal.namedChildren.find((part) => part.type === "raw_string_literal_content")?.text ?? "";
}

function decodeInterpreted(literal: Node): string {
  return literal.namedChildren
    .map((part) => (part.type === "escape_sequence" ? decodeGoEscape(part.text) : part.text))
    .join("");
}


function decodeGoEscape(escape: string): string {
  const kind = escape.charAt(1);
  const simple = SIMPLE_ESCAPES[kind];
  if (simple !== undefined) return simple;
  if (kind === "x") return String.fromCharCode(parseInt(escape.slice(2), 16));
  if (kind === "u" || kind === "U") {
    const codePoint = parseInt(escape.slice(2), 16);
    return codePoint <= 0x10ffff ? String.fromCodePoint(codePoint) : escape;
  }
  if (/^[0-7]$/.test(kind)) return String.fromCharCode(parseInt(escape.slice(1), 8));
  return escape;
}

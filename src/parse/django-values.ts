// The literal subset of Python that Django migration files are written in, as plain values.
// Anything beyond literals, names and calls stays an opaque `expr` with its source text.
import type { Node } from "web-tree-sitter";
import { decodePythonString } from "./string-escapes.js";

export type PyValue =
  | { kind: "str"; value: string; line: number }
  | { kind: "num"; value: number; line: number }
  | { kind: "bool"; value: boolean; line: number }
  | { kind: "none"; line: number }
  | { kind: "seq"; items: PyValue[]; line: number }
  | { kind: "dict"; entries: [PyValue, PyValue][]; line: number }
  | PyCall
  | PyRef
  | { kind: "expr"; text: string; line: number };

/** A call such as `models.CharField(max_length=10)`. */
export interface PyCall {
  kind: "call";
  /** The callee as written: `models.CharField`. */
  callee: string;
  /** The callee with its first segment resolved through the imports: `django.db.models.CharField`. */
  qualified: string;
  args: PyValue[];
  kwargs: Map<string, PyValue>;
  /** `*args` or `**kwargs` in the call: its arguments are not fully known. */
  splat: boolean;
  line: number;
}

/** A name or attribute chain such as `settings.AUTH_USER_MODEL`. */
export interface PyRef {
  kind: "ref";
  path: string;
  qualified: string;
  line: number;
}

export interface PyScope {
  /** Local name → fully qualified name, from the module's imports. */
  imports: Map<string, string>;
  /** Module-level constants (`SQL = "..."`) that operations may refer to by name. */
  constants: Map<string, PyValue>;
}

export function lineOf(node: Node): number {
  return node.startPosition.row + 1;
}

/** Named children without comments, which tree-sitter puts anywhere. */
export function significantChildren(node: Node): Node[] {
  return node.namedChildren.filter((child): child is Node => child !== null && child.type !== "comment");
}

export function qualify(path: string, scope: PyScope): string {
  const dot = path.indexOf(".");
  const head = dot < 0 ? path : path.slice(0, dot);
  const resolved = scope.imports.get(head);
  if (resolved === undefined) return path;
  return dot < 0 ? resolved : resolved + path.slice(dot);
}

export function toPyValue(node: Node, scope: PyScope): PyValue {
  const line = lineOf(node);
  switch (node.type) {
    case "string":
      return stringValue(node) ?? { kind: "expr", text: node.text, line };
    case "concatenated_string":
      return concatenated(node, scope);
    case "integer":
    case "float":
      return numberValue(node.text, line);
    case "true":
    case "false":
      return { kind: "bool", value: node.type === "true", line };
    case "none":
      return { kind: "none", line };
    case "list":
    case "tuple":
    case "set":
      return { kind: "seq", items: significantChildren(node).map((item) => toPyValue(item, scope)), line };
    case "parenthesized_expression": {
      const inner = significantChildren(node)[0];
      return inner ? toPyValue(inner, scope) : { kind: "expr", text: node.text, line };
    }
    case "dictionary":
      return dictionary(node, scope);
    case "call":
      return call(node, scope);
    case "identifier":
    case "attribute":
      return reference(node, scope);
    case "unary_operator":
      return negated(node, scope);
    case "binary_operator":
      return joined(node, scope);
    default:
      return { kind: "expr", text: node.text, line };
  }
}

function reference(node: Node, scope: PyScope): PyValue {
  const path = dottedPath(node);
  const line = lineOf(node);
  if (path === undefined) return { kind: "expr", text: node.text, line };
  const constant = scope.constants.get(path);
  if (constant) return constant;
  return { kind: "ref", path, qualified: qualify(path, scope), line };
}

/** `a.b.c` for identifiers and attribute chains on identifiers; undefined for anything else. */
export function dottedPath(node: Node): string | undefined {
  if (node.type === "identifier") return node.text;
  if (node.type !== "attribute") return undefined;
  const object = node.childForFieldName("object");
  const attribute = node.childForFieldName("attribute");
  if (!object || !attribute) return undefined;
  const head = dottedPath(object);
  return head === undefined ? undefined : `${head}.${attribute.text}`;
}

const COLLECTION_BUILDERS = new Set(["set", "frozenset", "list", "tuple"]);

function call(node: Node, scope: PyScope): PyValue {
  const line = lineOf(node);
  const fn = node.childForFieldName("function");
  const argumentList = node.childForFieldName("arguments");
  const callee = fn ? dottedPath(fn) : undefined;
  if (callee === undefined || !argumentList || argumentList.type !== "argument_list") {
    return { kind: "expr", text: node.text, line };
  }
  const result: PyCall = { kind: "call", callee, qualified: qualify(callee, scope), args: [], kwargs: new Map(), splat: false, line };
  if (COLLECTION_BUILDERS.has(callee)) {
    // `set([("a", "b")])`, `set()`: the collection itself.
    const items = significantChildren(argumentList);
    const inner = items[0] ? toPyValue(items[0], scope) : undefined;
    if (items.length === 0) return { kind: "seq", items: [], line };
    if (items.length === 1 && inner?.kind === "seq") return { ...inner, line };
  }
  for (const argument of significantChildren(argumentList)) {
    if (argument.type === "keyword_argument") {
      const name = argument.childForFieldName("name");
      const value = argument.childForFieldName("value");
      if (name && value) result.kwargs.set(name.text, toPyValue(value, scope));
    } else if (argument.type === "list_splat" || argument.type === "dictionary_splat") {
      result.splat = true;
    } else {
      result.args.push(toPyValue(argument, scope));
    }
  }
  return result;
}

function dictionary(node: Node, scope: PyScope): PyValue {
  const entries: [PyValue, PyValue][] = [];
  for (const pair of significantChildren(node)) {
    const key = pair.childForFieldName("key");
    const value = pair.childForFieldName("value");
    if (pair.type !== "pair" || !key || !value) return { kind: "expr", text: node.text, line: lineOf(node) };
    entries.push([toPyValue(key, scope), toPyValue(value, scope)]);
  }
  return { kind: "dict", entries, line: lineOf(node) };
}

function negated(node: Node, scope: PyScope): PyValue {
  const operand = node.childForFieldName("argument");
  const value = operand ? toPyValue(operand, scope) : undefined;
  if (value?.kind === "num" && node.text.trimStart().startsWith("-")) return { ...value, value: -value.value };
  return { kind: "expr", text: node.text, line: lineOf(node) };
}

/** `"..." + "..."`: string concatenation, the one operator migration literals use. */
function joined(node: Node, scope: PyScope): PyValue {
  const left = node.childForFieldName("left");
  const right = node.childForFieldName("right");
  const operator = node.childForFieldName("operator");
  const line = lineOf(node);
  if (!left || !right || operator?.text !== "+") return { kind: "expr", text: node.text, line };
  const [a, b] = [toPyValue(left, scope), toPyValue(right, scope)];
  if (a.kind === "str" && b.kind === "str") return { kind: "str", value: a.value + b.value, line };
  if (a.kind === "seq" && b.kind === "seq") return { kind: "seq", items: [...a.items, ...b.items], line };
  return { kind: "expr", text: node.text, line };
}

function numberValue(text: string, line: number): PyValue {
  const value = Number(text.replace(/_/g, "").replace(/[jJlL]$/, ""));
  return Number.isNaN(value) ? { kind: "expr", text, line } : { kind: "num", value, line };
}

function concatenated(node: Node, scope: PyScope): PyValue {
  let text = "";
  for (const part of significantChildren(node)) {
    const value = toPyValue(part, scope);
    if (value.kind !== "str") return { kind: "expr", text: node.text, line: lineOf(node) };
    text += value.value;
  }
  return { kind: "str", value: text, line: lineOf(node) };
}

/** A string literal's value; undefined for f-strings with interpolations and byte strings. */
function stringValue(node: Node): PyValue | undefined {
  const start = node.firstChild;
  const end = node.lastChild;
  if (start?.type !== "string_start" || end?.type !== "string_end") return undefined;
  const prefix = start.text.replace(/["']+$/, "").toLowerCase();
  if (prefix.includes("b")) return undefined;
  if (prefix.includes("f") && node.namedChildren.some((child) => child?.type === "interpolation")) return undefined;
  const text = node.text;
  const body = text.slice(start.text.length, text.length - end.text.length);
  return { kind: "str", value: decodePythonString(body, { raw: prefix.includes("r"), fString: prefix.includes("f") }), line: lineOf(node) };
}


/** Positional and keyword arguments by parameter name, following a Python signature. */
export function argumentsOf(call: PyCall, parameters: readonly string[]): Map<string, PyValue> {
  const named = new Map(call.kwargs);
  call.args.forEach((value, index) => {
    const parameter = parameters[index];
    if (parameter !== undefined && !named.has(parameter)) named.set(parameter, value);
  });
  return named;
}

export function stringOf(value: PyValue | undefined): string | undefined {
  return value?.kind === "str" ? value.value : undefined;
}

/**
 * A number literal, or the default of `getattr(settings, "NAME", default)`: the settings are
 * not known, so a setting-driven value is taken at the default its migration names.
 */
export function numberOf(value: PyValue | undefined): number | undefined {
  if (value?.kind === "call" && value.callee === "getattr" && value.args.length === 3) return numberOf(value.args[2]);
  return value?.kind === "num" ? value.value : undefined;
}

/** Python truthiness for literal values; undefined when the value is not a literal. */
export function truthOf(value: PyValue | undefined): boolean | undefined {
  switch (value?.kind) {
    case "bool":
      return value.value;
    case "none":
      return false;
    case "num":
      return value.value !== 0;
    case "str":
      return value.value !== "";
    case "seq":
      return value.items.length > 0;
    default:
      return undefined;
  }
}

/** The last segment of a dotted name: `django.db.models.CharField` → `CharField`. */
export function simpleName(path: string): string {
  return path.slice(path.lastIndexOf(".") + 1);
}

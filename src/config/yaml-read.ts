// YAML text → plain values in time and memory linear in the file: a size limit, a nesting
// limit, duplicate keys found in one pass (the yaml library's own check compares every key
// with every other), and mappings without a prototype, so no key can reach Object.prototype.
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from "yaml";
import type { ConfigProblem } from "../core/config.js";
import { formatPath, type ConfigPath, type PathProblem } from "./problems.js";

/** Larger files are refused before parsing: an organisation's file is a few kilobytes. */
export const MAX_CONFIG_BYTES = 1_048_576;
/** Deeper documents are refused; the configuration itself nests at most five levels. */
export const MAX_CONFIG_DEPTH = 64;
/** Nodes an alias may expand to, in all, so that aliases of aliases cannot multiply a small file. */
const MAX_EXPANDED_NODES = 1_000_000;
/** Keys that would reach or shadow Object.prototype if they named a service, table or rule. */
export const RESERVED_KEYS: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);

export type Locate = (problem: PathProblem) => { line: number; column: number } | undefined;

export type YamlReadResult =
  | { ok: true; value: unknown; locate: Locate }
  | { ok: false; problems: ConfigProblem[] };

/** The message for a key that cannot be used as a name. */
export function reservedKeyMessage(key: string): string {
  return `"${key}" is a reserved name and cannot name a service, table, rule or setting`;
}

/** Parses YAML to plain values, with a way back from a path in the value to a place in the text. */
export function readConfigYaml(text: string, file: string): YamlReadResult {
  const bytes = Buffer.byteLength(text, "utf8");
  if (bytes > MAX_CONFIG_BYTES) {
    return fail(file, 1, 1, `is ${bytes} bytes, more than the limit of ${MAX_CONFIG_BYTES} bytes (1 MiB): split it or remove unused entries`);
  }
  const lineCounter = new LineCounter();
  const position = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  let document: Document;
  try {
    document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false });
  } catch (error) {
    if (error instanceof RangeError) return fail(file, 1, 1, tooDeep);
    throw error;
  }
  const overflow = document.errors.find((error) => /call stack/i.test(error.message));
  if (overflow) return fail(file, position(overflow.pos[0]).line, position(overflow.pos[0]).column, tooDeep);
  if (document.errors.length > 0) {
    return {
      ok: false,
      problems: document.errors.map((error) => ({
        file,
        path: "",
        ...position(error.pos[0]),
        message: error.message,
      })),
    };
  }
  const converter = new Converter(document);
  const value = converter.value(document.contents, [], 0);
  if (converter.problems.length > 0) {
    return {
      ok: false,
      problems: converter.problems.map(({ offset, path, message }) => ({ file, path: formatPath(path), ...position(offset), message })),
    };
  }
  const locate: Locate = (problem) => {
    const offset = converter.offsetOf(problem.path, problem.at);
    return offset === undefined ? undefined : position(offset);
  };
  return { ok: true, value, locate };
}

const tooDeep = `nests deeper than ${MAX_CONFIG_DEPTH} levels`;

function fail(file: string, line: number, column: number, message: string): YamlReadResult {
  return { ok: false, problems: [{ file, path: "", line, column, message }] };
}

interface RawProblem {
  offset: number;
  path: ConfigPath;
  message: string;
}

/** One pass over the document: values, problems, and each mapping's keys for locating problems later. */
class Converter {
  readonly problems: RawProblem[] = [];
  private readonly keysOf = new Map<Node, Map<string, { key: number; value: Node | null }>>();
  private expanded = 0;

  constructor(private readonly document: Document) {}

  value(node: unknown, path: ConfigPath, depth: number): unknown {
    if (isAlias(node)) {
      const target = node.resolve(this.document);
      return target === undefined ? null : this.value(target, path, depth);
    }
    if (++this.expanded > MAX_EXPANDED_NODES) {
      this.report(node, path, `expands to more than ${MAX_EXPANDED_NODES} values through aliases`);
      return null;
    }
    if (isScalar(node)) return node.value;
    if (!isMap(node) && !isSeq(node)) return null;
    if (depth >= MAX_CONFIG_DEPTH) {
      this.report(node, path.slice(0, 2), tooDeep);
      return null;
    }
    if (isSeq(node)) return node.items.map((item, index) => this.value(item, [...path, index], depth + 1));
    const result = Object.create(null) as Record<string, unknown>;
    const keys = new Map<string, { key: number; value: Node | null }>();
    this.keysOf.set(node, keys);
    for (const pair of node.items) {
      const keyNode = isAlias(pair.key) ? pair.key.resolve(this.document) : pair.key;
      if (!isScalar(keyNode) || (keyNode.value !== null && typeof keyNode.value === "object")) {
        this.report(pair.key, path, "a key must be a plain name");
        continue;
      }
      const key = String(keyNode.value);
      const offset = rangeStart(pair.key) ?? 0;
      if (RESERVED_KEYS.has(key)) this.problems.push({ offset, path: [...path, key], message: reservedKeyMessage(key) });
      else if (keys.has(key)) this.problems.push({ offset, path: [...path, key], message: `repeats the key "${key}" (keys must be unique)` });
      else {
        keys.set(key, { key: offset, value: (pair.value as Node | null) ?? null });
        result[key] = this.value(pair.value, [...path, key], depth + 1);
      }
    }
    return result;
  }

  /**
   * Offset of the node a problem is about. A missing node is placed at the key of its
   * nearest existing ancestor, so "is required" points at the mapping that lacks it.
   */
  offsetOf(path: ConfigPath, at: PathProblem["at"]): number | undefined {
    let node: Node | null = (this.document.contents as Node | null) ?? null;
    let keyOffset = rangeStart(node);
    for (const [index, segment] of path.entries()) {
      while (isAlias(node)) node = (node.resolve(this.document) as Node | undefined) ?? null;
      const last = index === path.length - 1;
      if (isMap(node)) {
        const entry = this.keysOf.get(node)?.get(String(segment));
        if (!entry) return keyOffset;
        keyOffset = entry.key;
        if (last && at === "key") return keyOffset;
        node = entry.value;
      } else if (isSeq(node) && typeof segment === "number") {
        const item = node.items[segment] as Node | undefined;
        if (item === undefined) return keyOffset;
        node = item;
        keyOffset = rangeStart(item) ?? keyOffset;
      } else {
        return keyOffset;
      }
    }
    return rangeStart(node) ?? keyOffset;
  }

  private report(node: unknown, path: ConfigPath, message: string): void {
    this.problems.push({ offset: rangeStart(node) ?? 0, path, message });
  }
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as Node | null | undefined)?.range;
  return range ? range[0] : undefined;
}

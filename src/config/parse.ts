// Reads `.github/shared-schema.yml` into a GuardConfig, or into every problem found,
// each placed on its line and column. Bad input is a value here, never an exception.
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from "yaml";
import type { ConfigProblem, GuardConfig } from "../core/config.js";
import { allowedKeys, configDocument } from "./schema.js";
import { formatPath, problemsFromIssue, type ConfigPath, type PathProblem } from "./problems.js";
import { checkSemantics } from "./semantics.js";

export type ConfigResult = { ok: true; config: GuardConfig } | { ok: false; problems: ConfigProblem[] };

export type Locate = (problem: PathProblem) => { line: number; column: number } | undefined;

/** Validates YAML text; problems carry the line and column of the offending node. */
export function parseConfigText(text: string, file: string): ConfigResult {
  const read = readConfigYaml(text, file);
  if (!read.ok) return read;
  if (read.value === null || read.value === undefined) {
    return { ok: false, problems: [{ file, path: "", line: 1, column: 1, message: emptyMessage }] };
  }
  return validate(read.value, file, read.locate);
}

export type YamlReadResult =
  | { ok: true; value: unknown; locate: Locate }
  | { ok: false; problems: ConfigProblem[] };

/** Parses YAML to plain values, with a way back from a path in the value to a place in the text. */
export function readConfigYaml(text: string, file: string): YamlReadResult {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false });
  const position = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  if (document.errors.length > 0) {
    return {
      ok: false,
      problems: document.errors.map((error) => ({ file, path: "", ...position(error.pos[0]), message: error.message })),
    };
  }
  try {
    const value: unknown = document.toJS({ maxAliasCount: 100 });
    const locate: Locate = (problem) => {
      const offset = nodeOffset(document, problem.path, problem.at);
      return offset === undefined ? undefined : position(offset);
    };
    return { ok: true, value, locate };
  } catch (error) {
    return { ok: false, problems: [{ file, path: "", line: 1, column: 1, message: (error as Error).message }] };
  }
}

/**
 * Validates an already parsed object, as Probot's `context.config` returns it
 * (`_extends` merged): the same problems, without line numbers.
 */
export function parseConfigObject(value: unknown, file: string): ConfigResult {
  if (value === null || value === undefined) {
    return { ok: false, problems: [{ file, path: "", message: emptyMessage }] };
  }
  return validate(value, file, () => undefined);
}

const emptyMessage = "the file is empty: it must at least name default_owner and the services";

function validate(value: unknown, file: string, locate: Locate): ConfigResult {
  const toProblem = (problem: PathProblem): ConfigProblem => ({
    file,
    path: formatPath(problem.path),
    ...locate(problem),
    message: problem.message,
  });
  const shape = configDocument.safeParse(value, { reportInput: true });
  if (!shape.success) {
    const problems = shape.error.issues.flatMap((issue) => problemsFromIssue(issue, allowedKeys));
    return { ok: false, problems: inFileOrder(problems.map(toProblem)) };
  }
  const checked = checkSemantics(shape.data);
  return checked.ok ? checked : { ok: false, problems: inFileOrder(checked.problems.map(toProblem)) };
}

function inFileOrder(problems: ConfigProblem[]): ConfigProblem[] {
  const place = (problem: ConfigProblem) => (problem.line ?? 0) * 100_000 + (problem.column ?? 0);
  return problems.sort((a, b) => place(a) - place(b));
}

/**
 * Offset of the node a problem is about. A missing node is placed at the key of its
 * nearest existing ancestor, so "is required" points at the mapping that lacks it.
 */
function nodeOffset(document: Document, path: ConfigPath, at: PathProblem["at"]): number | undefined {
  let node: unknown = document.contents;
  let keyOffset: number | undefined = rangeStart(node);
  for (const [index, segment] of path.entries()) {
    const last = index === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(segment));
      if (!pair) return keyOffset;
      keyOffset = rangeStart(pair.key) ?? keyOffset;
      if (last && at === "key") return keyOffset;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === "number") {
      const item = node.items[segment];
      if (item === undefined) return keyOffset;
      node = item;
      keyOffset = rangeStart(item) ?? keyOffset;
    } else {
      return keyOffset;
    }
  }
  return rangeStart(node) ?? keyOffset;
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as Node | null | undefined)?.range;
  return range ? range[0] : undefined;
}

// Reads `.github/shared-schema.yml` into a GuardConfig, or into every problem found,
// each placed on its line and column. Bad input is a value here, never an exception.
import type { ConfigProblem, GuardConfig } from "../core/config.js";
import { allowedKeys, configDocument } from "./schema.js";
import { formatPath, problemsFromIssue, type ConfigPath, type PathProblem } from "./problems.js";
import { checkSemantics } from "./semantics.js";
import { MAX_CONFIG_DEPTH, readConfigYaml, RESERVED_KEYS, reservedKeyMessage, type Locate } from "./yaml-read.js";

export { readConfigYaml, type Locate, type YamlReadResult } from "./yaml-read.js";

export type ConfigResult = { ok: true; config: GuardConfig } | { ok: false; problems: ConfigProblem[] };

/** Validates YAML text; problems carry the line and column of the offending node. */
export function parseConfigText(text: string, file: string): ConfigResult {
  const read = readConfigYaml(text, file);
  if (!read.ok) return read;
  if (read.value === null || read.value === undefined) {
    return { ok: false, problems: [{ file, path: "", line: 1, column: 1, message: emptyMessage }] };
  }
  return validate(read.value, file, read.locate);
}

/**
 * Validates an already parsed object (several files merged through `_extends`):
 * the same problems, without line numbers.
 */
export function parseConfigObject(value: unknown, file: string): ConfigResult {
  if (value === null || value === undefined) {
    return { ok: false, problems: [{ file, path: "", message: emptyMessage }] };
  }
  return validate(value, file, () => undefined);
}

const emptyMessage = "the file is empty: it must at least name default_owner and the services";

function validate(value: unknown, file: string, locate: Locate): ConfigResult {
  const unusable = unusableKey(value, [], 0);
  if (unusable) return { ok: false, problems: [{ file, path: formatPath(unusable.path), ...locate(unusable), message: unusable.message }] };
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

/** A reserved key or too deep a nesting in a value parsed elsewhere (Probot's, or a merge of several files). */
function unusableKey(value: unknown, path: ConfigPath, depth: number): PathProblem | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  if (depth >= MAX_CONFIG_DEPTH) return { path: path.slice(0, 2), message: `nests deeper than ${MAX_CONFIG_DEPTH} levels`, at: "value" };
  for (const [key, child] of Object.entries(value)) {
    if (RESERVED_KEYS.has(key)) return { path: [...path, key], message: reservedKeyMessage(key), at: "key" };
    const inner = unusableKey(child, [...path, Array.isArray(value) ? Number(key) : key], depth + 1);
    if (inner) return inner;
  }
  return undefined;
}

function inFileOrder(problems: ConfigProblem[]): ConfigProblem[] {
  const place = (problem: ConfigProblem) => (problem.line ?? 0) * 100_000 + (problem.column ?? 0);
  return problems.sort((a, b) => place(a) - place(b));
}

import type { z } from "zod";
import type { ConfigProblem } from "../core/config.js";

/** Keys and list indexes from the document root to a node. */
export type ConfigPath = (string | number)[];

/** A problem before it is placed in the file: `at` says whether the key or the value is at fault. */
export interface PathProblem {
  path: ConfigPath;
  message: string;
  at: "key" | "value";
}

const PLAIN_KEY = /^[A-Za-z0-9_-]+$/;

/** `services.hub.migrations[0].format`; keys with dots or spaces are quoted. */
export function formatPath(path: ConfigPath): string {
  let text = "";
  for (const segment of path) {
    if (typeof segment === "number") text += `[${segment}]`;
    else if (PLAIN_KEY.test(segment)) text += text === "" ? segment : `.${segment}`;
    else text += `[${JSON.stringify(segment)}]`;
  }
  return text;
}

/** `.github/shared-schema.yml:12:9: services.hub.migrations[0].format: must be one of ...` */
export function formatConfigProblem(problem: ConfigProblem): string {
  const place =
    problem.line === undefined
      ? problem.file
      : `${problem.file}:${problem.line}${problem.column === undefined ? "" : `:${problem.column}`}`;
  return problem.path === "" ? `${place}: ${problem.message}` : `${place}: ${problem.path}: ${problem.message}`;
}

const TYPE_NAMES: Record<string, string> = {
  object: "a mapping",
  record: "a mapping",
  array: "a list",
  string: "a string",
  number: "a number",
  boolean: "true or false",
};

function describeValue(value: unknown): string {
  if (value === null) return "nothing";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string") return JSON.stringify(value);
  return String(value);
}

/** Turns one zod issue into problems a person can act on, with the keys that are allowed where relevant. */
export function problemsFromIssue(issue: z.core.$ZodIssue, allowedKeys: (path: ConfigPath) => string[]): PathProblem[] {
  const path = issue.path.filter((segment): segment is string | number => typeof segment !== "symbol");
  switch (issue.code) {
    case "invalid_type": {
      const expected = TYPE_NAMES[issue.expected] ?? issue.expected;
      if (issue.input === undefined) return [{ path, message: `is required (${expected})`, at: "key" }];
      return [{ path, message: `must be ${expected} (got ${describeValue(issue.input)})`, at: "value" }];
    }
    case "invalid_value":
      return [
        {
          path,
          message: `must be one of ${issue.values.map(String).join(", ")} (got ${describeValue(issue.input)})`,
          at: "value",
        },
      ];
    case "unrecognized_keys": {
      const allowed = allowedKeys(path).join(", ");
      return issue.keys.map((key) => ({
        path: [...path, key],
        message: `unknown key "${key}" (expected one of: ${allowed})`,
        at: "key",
      }));
    }
    default:
      return [{ path, message: issue.message, at: "value" }];
  }
}

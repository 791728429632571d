// `_extends` as Probot documents it ("repo", "owner/repo", "owner/repo:path/to/file.yml"),
// confined to the repository it names, and Probot's merge of a file over its base.
import path from "node:path";
import { CONFIG_PATH } from "./paths.js";

export interface ExtendsTarget {
  /** Undefined when the value names no owner: the extending file's owner. */
  owner?: string;
  repo: string;
  /** Normalised, relative to the repository root. */
  path: string;
}

export type ExtendsResult = { ok: true; target: ExtendsTarget } | { ok: false; message: string };

/** The pattern `@probot/octokit-plugin-config` accepts. */
const EXTENDS = /^(?:([a-z\d](?:[a-z\d]|-(?=[a-z\d])){0,38})\/)?([-_.\w\d]+)(?::([-_./\w\d]+\.ya?ml))?$/i;

/** Reads an `_extends` value; a path that leaves its repository (`..`, absolute) is refused. */
export function readExtends(value: unknown): ExtendsResult {
  const match = typeof value === "string" ? EXTENDS.exec(value) : null;
  const repo = match?.[2];
  if (!match || !repo) {
    return { ok: false, message: `must be "repo", "owner/repo" or "owner/repo:path/to/file.yml" (got ${JSON.stringify(value)})` };
  }
  const file = path.posix.normalize(match[3] ?? CONFIG_PATH);
  if (repo === "." || repo === ".." || file.startsWith("/") || file === ".." || file.startsWith("../")) {
    return { ok: false, message: `${JSON.stringify(value)} leaves the repository it names: an _extends path stays inside its repository` };
  }
  return { ok: true, target: { ...(match[1] === undefined ? {} : { owner: match[1] }), repo, path: file } };
}

/** deepmerge's defaults, which Probot uses: mappings merge key by key, lists concatenate, the rest is replaced. */
export function mergeLikeProbot(base: unknown, own: unknown): Record<string, unknown> {
  const result = Object.create(null) as Record<string, unknown>;
  if (isMapping(base)) Object.assign(result, base);
  if (!isMapping(own)) return result;
  for (const [key, value] of Object.entries(own)) {
    const earlier = result[key];
    if (Array.isArray(earlier) && Array.isArray(value)) result[key] = [...(earlier as unknown[]), ...(value as unknown[])];
    else if (isMapping(earlier) && isMapping(value)) result[key] = mergeLikeProbot(earlier, value);
    else result[key] = value;
  }
  return result;
}

export function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

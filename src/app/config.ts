// The configuration the app reviews with: Probot's `context.config` (repository, then the
// organisation's `.github`, `_extends` merged), validated; problems placed on their lines.
import type { Context } from "probot";
import { CONFIG_PATH } from "../config/load.js";
import { parseConfigObject, parseConfigText } from "../config/parse.js";
import type { ConfigProblem, GuardConfig } from "../core/config.js";
import type { Octokit } from "../github/read-api.js";

export type ConfigLookup =
  | { kind: "missing" }
  | { kind: "invalid"; problems: ConfigProblem[] }
  | { kind: "found"; config: GuardConfig };

const CONFIG_FILE_NAME = "shared-schema.yml";
const EXTENDS_KEY = /^_extends\s*:/m;
/** How `@probot/octokit-plugin-config` says that a file exists but cannot be used. */
const UNUSABLE_FILE = /^\[@probot\/octokit-plugin-config\] (Configuration could not be parsed|Recursion detected)/;

/** A repository's configuration on GitHub: the merged file, and the client to read the raw ones. */
export interface ConfigSource {
  octokit: Octokit;
  owner: string;
  repo: string;
  /** `.github/<fileName>` as Probot's `context.config` returns it: `_extends` merged, null when absent. */
  merged(fileName: string): Promise<unknown>;
}

export function contextConfigSource(context: Context): ConfigSource {
  const { owner, repo } = context.repo();
  return { octokit: context.octokit, owner, repo, merged: (fileName) => context.config(fileName) };
}

export function loadGuardConfig(context: Context): Promise<ConfigLookup> {
  return loadGuardConfigFrom(contextConfigSource(context));
}

export async function loadGuardConfigFrom(source: ConfigSource): Promise<ConfigLookup> {
  let merged: unknown;
  try {
    merged = await source.merged(CONFIG_FILE_NAME);
  } catch (error) {
    if (!(error instanceof Error) || !UNUSABLE_FILE.test(error.message)) throw error;
    const positioned = await problemsInRawFile(source);
    return { kind: "invalid", problems: positioned ?? [{ file: CONFIG_PATH, path: "", message: error.message }] };
  }
  if (merged === null) return { kind: "missing" };
  const result = parseConfigObject(merged, CONFIG_PATH);
  if (result.ok) return { kind: "found", config: result.config };
  return { kind: "invalid", problems: (await problemsInRawFile(source)) ?? result.problems };
}

/**
 * `context.config` hands back parsed objects without positions: read the file it used
 * (the repository's, else the organisation's) as text to place each problem on its line.
 * Undefined when that file alone is valid (the problem comes from what it `_extends`).
 */
async function problemsInRawFile(source: ConfigSource): Promise<ConfigProblem[] | undefined> {
  const { owner, repo } = source;
  for (const [repository, displayName] of [
    [repo, CONFIG_PATH],
    [".github", `${owner}/.github/${CONFIG_PATH}`],
  ] as const) {
    const text = await rawFile(source.octokit, owner, repository);
    if (text === undefined) continue;
    if (EXTENDS_KEY.test(text)) return undefined;
    const result = parseConfigText(text, displayName);
    return result.ok ? undefined : result.problems;
  }
  return undefined;
}

async function rawFile(octokit: Octokit, owner: string, repo: string): Promise<string | undefined> {
  try {
    const response = await octokit.rest.repos.getContent({
      owner,
      repo,
      path: CONFIG_PATH,
      mediaType: { format: "raw" },
    });
    return typeof response.data === "string" ? response.data : undefined;
  } catch (error) {
    if ((error as { status?: number }).status === 404) return undefined;
    throw error;
  }
}

// The configuration the app reviews with: Probot's `context.config` (repository, then the
// organisation's `.github`, `_extends` merged), validated; problems placed on their lines.
import type { Context } from "probot";
import { CONFIG_PATH } from "../config/load.js";
import { parseConfigObject, parseConfigText } from "../config/parse.js";
import type { ConfigProblem, GuardConfig } from "../core/config.js";

export type ConfigLookup =
  | { kind: "missing" }
  | { kind: "invalid"; problems: ConfigProblem[] }
  | { kind: "found"; config: GuardConfig };

const CONFIG_FILE_NAME = "shared-schema.yml";
const EXTENDS_KEY = /^_extends\s*:/m;
/** How `@probot/octokit-plugin-config` says that a file exists but cannot be used. */
const UNUSABLE_FILE = /^\[@probot\/octokit-plugin-config\] (Configuration could not be parsed|Recursion detected)/;

export async function loadGuardConfig(context: Context): Promise<ConfigLookup> {
  let merged: unknown;
  try {
    merged = await context.config(CONFIG_FILE_NAME);
  } catch (error) {
    if (!(error instanceof Error) || !UNUSABLE_FILE.test(error.message)) throw error;
    const positioned = await problemsInRawFile(context);
    return { kind: "invalid", problems: positioned ?? [{ file: CONFIG_PATH, path: "", message: error.message }] };
  }
  if (merged === null) return { kind: "missing" };
  const result = parseConfigObject(merged, CONFIG_PATH);
  if (result.ok) return { kind: "found", config: result.config };
  return { kind: "invalid", problems: (await problemsInRawFile(context)) ?? result.problems };
}

/**
 * `context.config` hands back parsed objects without positions: read the file it used
 * (the repository's, else the organisation's) as text to place each problem on its line.
 * Undefined when that file alone is valid (the problem comes from what it `_extends`).
 */
async function problemsInRawFile(context: Context): Promise<ConfigProblem[] | undefined> {
  const { owner, repo } = context.repo();
  for (const [source, displayName] of [
    [repo, CONFIG_PATH],
    [".github", `${owner}/.github/${CONFIG_PATH}`],
  ] as const) {
    const text = await rawFile(context, owner, source);
    if (text === undefined) continue;
    if (EXTENDS_KEY.test(text)) return undefined;
    const result = parseConfigText(text, displayName);
    return result.ok ? undefined : result.problems;
  }
  return undefined;
}

async function rawFile(context: Context, owner: string, repo: string): Promise<string | undefined> {
  try {
    const response = await context.octokit.rest.repos.getContent({
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

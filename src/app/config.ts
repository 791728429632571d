// The configuration the app reviews with, read as Probot's `context.config` reads it (the
// repository's file, else the organisation's `.github`, `_extends` followed and merged), but
// parsed here: in time linear in the file, with every problem on its line, and with an
// `_extends` path kept inside the repository it names.
import type { Context } from "probot";
import { isMapping, mergeLikeProbot, readExtends } from "../config/extends.js";
import { parseConfigObject, parseConfigText, readConfigYaml } from "../config/parse.js";
import { CONFIG_PATH } from "../config/paths.js";
import type { ConfigProblem, GuardConfig } from "../core/config.js";
import type { Octokit } from "../github/read-api.js";

export type ConfigLookup =
  | { kind: "missing" }
  | { kind: "invalid"; problems: ConfigProblem[] }
  | { kind: "found"; config: GuardConfig };

interface ConfigFile {
  owner: string;
  repo: string;
  path: string;
  /** How problems name the file. */
  name: string;
}

/** A chain of `_extends` longer than this is refused. */
const MAX_EXTENDS = 10;

/** A repository whose configuration is read, and a client allowed to read it (the app's or a token's). */
export interface ConfigSource {
  octokit: Octokit;
  owner: string;
  repo: string;
}

export function loadGuardConfig(context: Context): Promise<ConfigLookup> {
  const { owner, repo } = context.repo();
  return loadGuardConfigFrom({ octokit: context.octokit, owner, repo });
}

export async function loadGuardConfigFrom({ octokit, owner, repo }: ConfigSource): Promise<ConfigLookup> {
  const own: ConfigFile = { owner, repo, path: CONFIG_PATH, name: CONFIG_PATH };
  let first = { file: own, text: await rawFile(octokit, own) };
  if (first.text === undefined && repo !== ".github") {
    const org: ConfigFile = { owner, repo: ".github", path: CONFIG_PATH, name: `${owner}/.github/${CONFIG_PATH}` };
    first = { file: org, text: await rawFile(octokit, org) };
  }
  if (first.text === undefined) return { kind: "missing" };
  return lookupOf(await followExtends(octokit, first.file, first.text));
}

function lookupOf(result: ReturnType<typeof parseConfigText>): ConfigLookup {
  return result.ok ? { kind: "found", config: result.config } : { kind: "invalid", problems: result.problems };
}

async function followExtends(octokit: Octokit, first: ConfigFile, firstText: string): Promise<ReturnType<typeof parseConfigText>> {
  const values: Record<string, unknown>[] = [];
  const names: string[] = [];
  let file = first;
  let text: string | undefined = firstText;
  for (;;) {
    const invalid = (problem: Omit<ConfigProblem, "file">) => ({ ok: false as const, problems: [{ file: file.name, ...problem }] });
    if (text === undefined) return invalid({ path: "", message: `does not exist (extended by ${names.at(-1) ?? first.name})` });
    names.push(file.name);
    const read = readConfigYaml(text, file.name);
    if (!read.ok) return read;
    const extendsValue = isMapping(read.value) ? read.value._extends : undefined;
    if (names.length === 1 && extendsValue === undefined) return parseConfigText(text, file.name);
    if (!isMapping(read.value)) return parseConfigObject(read.value, file.name);
    const { _extends: _ignored, ...own } = read.value;
    values.push(own);
    if (extendsValue === undefined) break;
    const place = read.locate({ path: ["_extends"], at: "value", message: "" });
    const target = readExtends(extendsValue);
    if (!target.ok) return invalid({ path: "_extends", ...place, message: target.message });
    const { owner = file.owner, repo, path } = target.target;
    const name = `${owner}/${repo}/${path}`;
    if (names.includes(name) || (owner === first.owner && repo === first.repo && path === first.path)) {
      return invalid({ path: "_extends", ...place, message: `extends ${name} again: a loop` });
    }
    if (names.length >= MAX_EXTENDS) return invalid({ path: "_extends", ...place, message: `more than ${MAX_EXTENDS} files extend one another` });
    file = { owner, repo, path, name };
    text = await rawFile(octokit, file);
  }
  const merged = values.reduceRight<Record<string, unknown>>((base, own) => mergeLikeProbot(base, own), {});
  return parseConfigObject(merged, names.join(" extending "));
}

/** The file's text on the repository's default branch; undefined when there is none. */
async function rawFile(octokit: Octokit, file: ConfigFile): Promise<string | undefined> {
  try {
    const response = await octokit.rest.repos.getContent({
      owner: file.owner,
      repo: file.repo,
      path: file.path,
      mediaType: { format: "raw" },
    });
    if (typeof response.data !== "string") throw new Error(`${file.name} is a directory or a submodule, not a file`);
    return response.data;
  } catch (error) {
    if ((error as { status?: number }).status === 404) return undefined;
    throw error;
  }
}

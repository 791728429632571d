// Finding and reading the configuration from local checkouts (CLI, demo, tests).
// The app reads it through Probot's `context.config` and `parseConfigObject` instead.
import { access, readFile } from "node:fs/promises";
import path from "node:path";
import { parseConfigObject, parseConfigText, readConfigYaml, type ConfigResult } from "./parse.js";
import type { ConfigProblem } from "../core/config.js";

/** Where the file lives inside a repository, and in the organisation's `.github` repository. */
export const CONFIG_PATH = ".github/shared-schema.yml";

/** Reads and validates a configuration file; problems name it as `displayName` (default: the path given). */
export async function loadConfigFile(file: string, displayName = file): Promise<ConfigResult> {
  const text = await readText(file, displayName);
  return typeof text === "string" ? parseConfigText(text, displayName) : { ok: false, problems: [text] };
}

/**
 * The configuration a service's checkout in a workspace uses (`repo` is `owner/name`
 * or just the checkout's folder name): its own `.github/shared-schema.yml`, else the
 * one in the workspace's `.github` checkout.
 */
export async function findWorkspaceConfig(workspaceDir: string, repo: string): Promise<string | undefined> {
  const candidates = [path.join(workspaceDir, folderOf(repo), CONFIG_PATH), path.join(workspaceDir, ".github", CONFIG_PATH)];
  for (const candidate of candidates) {
    if (await exists(candidate)) return candidate;
  }
  return undefined;
}

export interface WorkspaceConfig {
  result: ConfigResult;
  /** The files read, workspace-relative, the repository's own first, then each `_extends` base. */
  files: string[];
}

/**
 * Loads what Probot's `context.config` would give `repo` in a workspace: its file (or the
 * `.github` checkout's), with `_extends: [owner/]repo[:path]` followed into sibling checkouts
 * and merged as Probot merges (bases first; mappings merged, lists concatenated).
 * Undefined when no file exists. Problems of a merged configuration have no line numbers.
 */
export async function loadWorkspaceConfig(workspaceDir: string, repo: string): Promise<WorkspaceConfig | undefined> {
  const first = await findWorkspaceConfig(workspaceDir, repo);
  if (first === undefined) return undefined;
  const files: string[] = [];
  const values: Record<string, unknown>[] = [];
  let next: string | undefined = first;
  while (next !== undefined) {
    const name = path.relative(workspaceDir, next);
    const extendedBy = files.at(-1);
    if (files.includes(name)) {
      return fail(files, { file: extendedBy ?? name, path: "_extends", message: `extends ${name} again: a loop` });
    }
    files.push(name);
    const text = await readText(next, name);
    if (typeof text !== "string") {
      const problem = extendedBy === undefined ? text : { ...text, file: extendedBy, path: "_extends", message: `extends ${name}, which ${text.message}` };
      return fail(files, problem);
    }
    const read = readConfigYaml(text, name);
    if (!read.ok) return { result: read, files };
    const extendsValue = isMapping(read.value) ? read.value._extends : undefined;
    if (files.length === 1 && extendsValue === undefined) return { result: parseConfigText(text, name), files };
    if (!isMapping(read.value)) return { result: parseConfigObject(read.value, name), files };
    const { _extends: _ignored, ...own } = read.value;
    values.push(own);
    next = extendsValue === undefined ? undefined : extendsTarget(workspaceDir, extendsValue);
    if (extendsValue !== undefined && next === undefined) {
      return fail(files, {
        file: name,
        path: "_extends",
        ...read.locate({ path: ["_extends"], at: "value", message: "" }),
        message: `must be "repo", "owner/repo" or "owner/repo:path/to/file.yml" (got ${JSON.stringify(extendsValue)})`,
      });
    }
  }
  const merged = values.reduceRight<Record<string, unknown>>((base, own) => mergeLikeProbot(base, own), {});
  return { result: parseConfigObject(merged, files.join(" extending ")), files };
}

const EXTENDS = /^(?:([a-z\d](?:[a-z\d]|-(?=[a-z\d])){0,38})\/)?([-_.\w\d]+)(?::([-_./\w\d]+\.ya?ml))?$/i;

function extendsTarget(workspaceDir: string, value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  const match = EXTENDS.exec(value);
  if (!match?.[2]) return undefined;
  return path.join(workspaceDir, match[2], match[3] ?? CONFIG_PATH);
}

/** deepmerge's defaults, which Probot uses: mappings merge key by key, lists concatenate, the rest is replaced. */
function mergeLikeProbot(base: unknown, own: unknown): Record<string, unknown> {
  const result: Record<string, unknown> = isMapping(base) ? { ...base } : {};
  if (!isMapping(own)) return result;
  for (const [key, value] of Object.entries(own)) {
    const earlier = result[key];
    if (Array.isArray(earlier) && Array.isArray(value)) result[key] = [...(earlier as unknown[]), ...(value as unknown[])];
    else if (isMapping(earlier) && isMapping(value)) result[key] = mergeLikeProbot(earlier, value);
    else result[key] = value;
  }
  return result;
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function fail(files: string[], problem: ConfigProblem): WorkspaceConfig {
  return { result: { ok: false, problems: [problem] }, files };
}

function folderOf(repo: string): string {
  return repo.slice(repo.lastIndexOf("/") + 1);
}

async function readText(file: string, displayName: string): Promise<string | ConfigProblem> {
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    return { file: displayName, path: "", message: `cannot be read: ${(error as Error).message}` };
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}

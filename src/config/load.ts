// Finding and reading the configuration from local checkouts (CLI, demo, tests).
// The app reads the same files through the GitHub API (src/app/config.ts).
import { access, readFile, realpath } from "node:fs/promises";
import path from "node:path";
import { isMapping, mergeLikeProbot, readExtends } from "./extends.js";
import { parseConfigObject, parseConfigText, readConfigYaml, type ConfigResult } from "./parse.js";
import { CONFIG_PATH } from "./paths.js";
import type { ConfigProblem } from "../core/config.js";

export { CONFIG_PATH } from "./paths.js";

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
  return first === undefined ? undefined : loadConfigChain(workspaceDir, first);
}

/**
 * Loads `first` and what its `_extends` names, in sibling checkouts of `workspaceDir`; each
 * file read stays inside the checkout it belongs to (no `..`, no symbolic link out of it).
 */
export async function loadConfigChain(workspaceDir: string, first: string, firstName = path.relative(workspaceDir, first)): Promise<WorkspaceConfig> {
  const files: string[] = [];
  const values: Record<string, unknown>[] = [];
  let next: { file: string; name: string; checkout?: string } | undefined = { file: first, name: firstName };
  while (next !== undefined) {
    const { name } = next;
    const extendedBy = files.at(-1);
    if (files.includes(name)) {
      return fail(files, { file: extendedBy ?? name, path: "_extends", message: `extends ${name} again: a loop` });
    }
    files.push(name);
    const text = await readConfined(next.file, name, next.checkout);
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
    if (extendsValue === undefined) break;
    const target = readExtends(extendsValue);
    if (!target.ok) {
      return fail(files, { file: name, path: "_extends", ...read.locate({ path: ["_extends"], at: "value", message: "" }), message: target.message });
    }
    const checkout = path.join(workspaceDir, target.target.repo);
    next = { file: path.join(checkout, target.target.path), name: path.join(target.target.repo, target.target.path), checkout };
  }
  const merged = values.reduceRight<Record<string, unknown>>((base, own) => mergeLikeProbot(base, own), {});
  return { result: parseConfigObject(merged, files.join(" extending ")), files };
}

/** The file's text, when it is inside `checkout` once symbolic links are followed. */
async function readConfined(file: string, displayName: string, checkout: string | undefined): Promise<string | ConfigProblem> {
  if (checkout !== undefined) {
    try {
      const [real, root] = await Promise.all([realpath(file), realpath(checkout)]);
      const inside = path.relative(root, real);
      if (inside.startsWith("..") || path.isAbsolute(inside)) {
        return { file: displayName, path: "", message: "is a link out of its repository: an _extends path stays inside its repository" };
      }
    } catch (error) {
      return { file: displayName, path: "", message: `cannot be read: ${(error as Error).message}` };
    }
  }
  return readText(file, displayName);
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

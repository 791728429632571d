// Finding and reading the configuration from local checkouts (CLI, demo, tests).
// The app reads it through Probot's `context.config` and `parseConfigObject` instead.
import { access, readFile } from "node:fs/promises";
import path from "node:path";
import { parseConfigText, type ConfigResult } from "./parse.js";

/** Where the file lives inside a repository, and in the organisation's `.github` repository. */
export const CONFIG_PATH = ".github/shared-schema.yml";

/** Reads and validates a configuration file; problems name it as `displayName` (default: the path given). */
export async function loadConfigFile(file: string, displayName = file): Promise<ConfigResult> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    return { ok: false, problems: [{ file: displayName, path: "", message: `cannot read the file: ${(error as Error).message}` }] };
  }
  return parseConfigText(text, displayName);
}

/**
 * The configuration a service's checkout in a workspace uses (`repo` is `owner/name`
 * or just the checkout's folder name): its own
 * `.github/shared-schema.yml`, else the one in the workspace's `.github` checkout.
 */
export async function findWorkspaceConfig(workspaceDir: string, repo: string): Promise<string | undefined> {
  const checkout = repo.slice(repo.lastIndexOf("/") + 1);
  const candidates = [path.join(workspaceDir, checkout, CONFIG_PATH), path.join(workspaceDir, ".github", CONFIG_PATH)];
  for (const candidate of candidates) {
    if (await exists(candidate)) return candidate;
  }
  return undefined;
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}

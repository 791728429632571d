// Turns the bundled example repositories (fixtures/workspace) into a workspace of git
// checkouts, and a scenario (fixtures/scenarios/<name>) into a pull request branch.
// Used by `npm run demo` and by the end-to-end tests.
import { existsSync } from "node:fs";
import { cp, mkdir, readdir, readFile, rm } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { git } from "./git.js";

export interface ExampleScenario {
  name: string;
  /** The service whose pull request the scenario is. */
  service: string;
  /** The pull request's title, and the commit message on its branch. */
  title: string;
  /** The check's conclusion the scenario is built to produce. */
  expect: "success" | "failure";
  /** Paths, inside the scenario's repository, that the pull request deletes. */
  delete: string[];
  /** Rule ids the analysis must report for the scenario (suppressed or not). */
  rules: string[];
  description: string;
  /** Folder name of the repository the pull request is in, e.g. `r10-hub`. */
  repoName: string;
}

export interface ExampleWorkspace {
  /** The workspace folder: one checkout per repository, on branch `main`. */
  dir: string;
  /** Checkout folder of each repository, by folder name (`r10-hub`, `.github`, ...). */
  checkouts: Record<string, string>;
  /** Present when a scenario was applied: its checkout is left on the scenario's branch. */
  scenario?: ExampleScenario & {
    checkout: string;
    base: "main";
    /** `scenario/<name>` */
    branch: string;
    /** Commit SHA of the branch. */
    head: string;
  };
}

export interface BuildOptions {
  /** Folder holding `workspace/` and `scenarios/`; default: the package's `fixtures/`. */
  fixturesDir?: string;
}

/** Fixed identity and dates make the example commits the same on every machine. */
const AUTHOR = { name: "r10 example", email: "examples@r10score.invalid" };
const BASE_DATE = "2024-06-01T09:00:00Z";
const SCENARIO_DATE = "2024-06-11T10:30:00Z";
const SKIPPED = new Set(["__pycache__", ".DS_Store", "node_modules"]);

/** The folder holding the package's package.json, from `src/` (vitest) or `dist/src/` (compiled). */
export function packageRoot(from = path.dirname(fileURLToPath(import.meta.url))): string {
  let dir = from;
  while (!existsSync(path.join(dir, "package.json"))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${from}`);
    dir = parent;
  }
  return dir;
}

function fixturesOf(options: BuildOptions): string {
  return options.fixturesDir ?? path.join(packageRoot(), "fixtures");
}

/** Names of the bundled scenarios, sorted. */
export async function listScenarios(options: BuildOptions = {}): Promise<string[]> {
  const entries = await readdir(path.join(fixturesOf(options), "scenarios"), { withFileTypes: true });
  return entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
}

/** Reads `scenarios/<name>/scenario.json` and finds the one repository it changes. */
export async function readScenario(name: string, options: BuildOptions = {}): Promise<ExampleScenario> {
  const available = await listScenarios(options);
  if (!available.includes(name)) {
    throw new Error(`unknown scenario "${name}" (scenarios: ${available.join(", ")})`);
  }
  const folder = path.join(fixturesOf(options), "scenarios", name);
  const file = path.join(folder, "scenario.json");
  const raw = JSON.parse(await readFile(file, "utf8")) as Record<string, unknown>;
  const repos = (await readdir(folder, { withFileTypes: true })).filter((entry) => entry.isDirectory());
  if (repos.length !== 1 || repos[0] === undefined) {
    throw new Error(`${folder} must hold exactly one repository folder (found ${repos.length})`);
  }
  const text = (key: string): string => {
    const value = raw[key];
    if (typeof value !== "string") throw new Error(`${file}: "${key}" must be a string`);
    return value;
  };
  const list = (key: string): string[] => {
    const value = raw[key] ?? [];
    if (!Array.isArray(value) || !value.every((item) => typeof item === "string")) {
      throw new Error(`${file}: "${key}" must be a list of strings`);
    }
    return value;
  };
  const expect = text("expect");
  if (expect !== "success" && expect !== "failure") throw new Error(`${file}: "expect" must be "success" or "failure"`);
  return {
    name,
    service: text("service"),
    title: text("title"),
    expect,
    delete: list("delete"),
    rules: list("rules"),
    description: typeof raw.description === "string" ? raw.description : "",
    repoName: repos[0].name,
  };
}

/**
 * Builds the example workspace in `targetDir` (created if needed, must be empty): each
 * folder of `fixtures/workspace` becomes a git repository with one commit on `main`.
 * With a scenario, its repository gets branch `scenario/<name>` with the overlay
 * committed, and is left checked out on it.
 */
export async function buildExampleWorkspace(
  targetDir: string,
  scenario?: string,
  options: BuildOptions = {},
): Promise<ExampleWorkspace> {
  const fixtures = fixturesOf(options);
  const chosen = scenario === undefined ? undefined : await readScenario(scenario, options);
  const dir = path.resolve(targetDir);
  await mkdir(dir, { recursive: true });
  if ((await readdir(dir)).length > 0) throw new Error(`cannot build the example workspace in ${dir}: the folder is not empty`);

  const repos = (await readdir(path.join(fixtures, "workspace"), { withFileTypes: true }))
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  const checkouts = Object.fromEntries(repos.map((repo) => [repo, path.join(dir, repo)]));
  await Promise.all(
    repos.map(async (repo) => {
      const checkout = path.join(dir, repo);
      await copyTree(path.join(fixtures, "workspace", repo), checkout);
      await git(checkout, ["init", "-q", "-b", "main"]);
      await commitAll(checkout, "Example repository as of the demo's start", BASE_DATE);
    }),
  );
  if (!chosen) return { dir, checkouts };

  const checkout = checkouts[chosen.repoName];
  if (checkout === undefined) {
    throw new Error(`scenario "${chosen.name}" changes ${chosen.repoName}, which fixtures/workspace does not have`);
  }
  const branch = `scenario/${chosen.name}`;
  await git(checkout, ["checkout", "-q", "-b", branch]);
  await copyTree(path.join(fixtures, "scenarios", chosen.name, chosen.repoName), checkout);
  for (const file of chosen.delete) await rm(path.join(checkout, file), { force: true, recursive: true });
  await commitAll(checkout, chosen.title, SCENARIO_DATE);
  const head = (await git(checkout, ["rev-parse", "HEAD"])).toString("utf8").trim();
  return { dir, checkouts, scenario: { ...chosen, checkout, base: "main", branch, head } };
}

async function copyTree(from: string, to: string): Promise<void> {
  await cp(from, to, { recursive: true, force: true, filter: (source) => !SKIPPED.has(path.basename(source)) });
}

async function commitAll(checkout: string, message: string, date: string): Promise<void> {
  const env = {
    GIT_AUTHOR_NAME: AUTHOR.name,
    GIT_AUTHOR_EMAIL: AUTHOR.email,
    GIT_AUTHOR_DATE: date,
    GIT_COMMITTER_NAME: AUTHOR.name,
    GIT_COMMITTER_EMAIL: AUTHOR.email,
    GIT_COMMITTER_DATE: date,
  };
  await git(checkout, ["add", "-A"]);
  await git(checkout, ["-c", "commit.gpgsign=false", "commit", "-q", "--allow-empty", "-m", message], env);
}

// The example workspace with a long hub history: the fixtures' ten migrations plus generated
// ones on `main`, and pull request branches made from the bundled scenarios, each renumbered
// to follow the generated history.
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { git } from "../../src/local/git.js";
import { buildExampleWorkspace, packageRoot, readScenario, type ExampleWorkspace } from "../../src/local/workspace-builder.js";
import { generateDjangoHistory } from "../corpus/django-history.js";

const HUB = "r10-hub";
const MIGRATIONS = "dao/migrations";
const FIXTURE_LAST = "0010_odds_tracking";
const FIXTURE_COUNT = 10;
const COMMIT_ENV = {
  GIT_AUTHOR_NAME: "r10 bench",
  GIT_AUTHOR_EMAIL: "bench@r10score.invalid",
  GIT_AUTHOR_DATE: "2024-07-01T09:00:00Z",
  GIT_COMMITTER_NAME: "r10 bench",
  GIT_COMMITTER_EMAIL: "bench@r10score.invalid",
  GIT_COMMITTER_DATE: "2024-07-01T09:00:00Z",
};

export interface BenchWorkspace {
  example: ExampleWorkspace;
  /** Migrations on the hub's `main`, fixtures' included. */
  hubMigrations: number;
  /** The hub's newest migration on `main`, which a new one depends on. */
  lastMigration: string;
}

export interface PullRequestBranch {
  repoName: string;
  branch: string;
  scenario: string;
}

async function commitAll(checkout: string, message: string): Promise<void> {
  await git(checkout, ["add", "-A"]);
  await git(checkout, ["-c", "commit.gpgsign=false", "commit", "-q", "-m", message], COMMIT_ENV);
}

/** The example workspace whose hub `main` holds `hubMigrations` migrations (at least the fixtures' ten). */
export async function buildBenchWorkspace(dir: string, hubMigrations: number): Promise<BenchWorkspace> {
  const example = await buildExampleWorkspace(dir);
  const hub = example.checkouts[HUB];
  if (!hub) throw new Error(`the example workspace has no ${HUB}`);
  const generated = hubMigrations - FIXTURE_COUNT;
  if (generated <= 0) return { example, hubMigrations: FIXTURE_COUNT, lastMigration: FIXTURE_LAST };
  const history = generateDjangoHistory({
    appLabel: "dao",
    folder: MIGRATIONS,
    migrations: generated,
    models: 120,
    seed: 600_600,
    firstNumber: FIXTURE_COUNT + 1,
    after: FIXTURE_LAST,
    modelStem: "Ledger",
  });
  await Promise.all(history.migrations.map((migration) => writeFile(path.join(hub, migration.file), migration.text)));
  await commitAll(hub, `${generated} more migrations`);
  const last = history.migrations[history.migrations.length - 1];
  return { example, hubMigrations, lastMigration: last?.name ?? FIXTURE_LAST };
}

/**
 * Branch `pr/<number>` from `main` with a scenario's files. A hub migration is renumbered after
 * the generated history; a marker comment makes every branch's head commit distinct.
 */
export async function scenarioBranch(workspace: BenchWorkspace, scenarioName: string, number: number): Promise<PullRequestBranch> {
  const scenario = await readScenario(scenarioName);
  const checkout = workspace.example.checkouts[scenario.repoName];
  if (!checkout) throw new Error(`no checkout ${scenario.repoName}`);
  const branch = `pr/${number}`;
  const overlay = path.join(packageRoot(), "fixtures", "scenarios", scenarioName, scenario.repoName);
  await git(checkout, ["checkout", "-q", "-B", branch, "main"]);
  const nextNumber = String(workspace.hubMigrations + 1).padStart(4, "0");
  for (const file of await filesUnder(overlay)) {
    let text = await readFile(path.join(overlay, file), "utf8");
    let target = file;
    if (scenario.repoName === HUB && file.startsWith(`${MIGRATIONS}/`)) {
      text = text.replace(`('dao', '${FIXTURE_LAST}')`, `('dao', '${workspace.lastMigration}')`);
      target = file.replace(/\/0011_/, `/${nextNumber}_`);
    }
    const marker = file.endsWith(".go") || file.endsWith(".sql") ? (file.endsWith(".go") ? "//" : "--") : "#";
    await mkdir(path.dirname(path.join(checkout, target)), { recursive: true });
    await writeFile(path.join(checkout, target), `${text}\n${marker} pull request ${number}\n`);
  }
  await commitAll(checkout, `${scenario.title} (#${number})`);
  await git(checkout, ["checkout", "-q", "main"]);
  return { repoName: scenario.repoName, branch, scenario: scenarioName };
}

async function filesUnder(root: string, prefix = ""): Promise<string[]> {
  const entries = await readdir(path.join(root, prefix), { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((entry) => (entry.isDirectory() ? filesUnder(root, path.posix.join(prefix, entry.name)) : Promise.resolve([path.posix.join(prefix, entry.name)]))),
  );
  return nested.flat();
}

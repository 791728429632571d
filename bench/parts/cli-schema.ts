// Part 5: the command line's `schema` over the 600-migration hub, as a whole process (Node's
// start-up, loading the parsers, reading the checkouts, the replay), next to Django 3.2
// computing the same state from the same migrations (bench/django_state.py) when Debian's
// Python has Django.
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { packageRoot } from "../../src/local/workspace-builder.js";
import { loadAverage, spread, type Spread } from "../measure.js";
import { buildBenchWorkspace } from "./app-workspace.js";

const run = promisify(execFile);
const PYTHON = "/usr/bin/python3";

export interface CliSchemaBench {
  hubMigrations: number;
  runs: number;
  /** `schema` over the workspace, whole process. */
  schemaMs: Spread;
  /** Start-up alone: the process exits on a workspace that does not exist, before any parser loads. */
  startupMs: Spread;
  /** Django 3.2: load the migrations, replay them into the project state, render the models; undefined without Django. */
  django?: { version: string; stateMs: Spread };
  /** Why Django was not measured, when it was not. */
  djangoMissing?: string;
  load: [number, number];
}

async function timed(runs: number, command: string, args: string[], options: { allowFailure?: boolean } = {}): Promise<Spread> {
  const times: number[] = [];
  for (let index = 0; index < runs + 1; index++) {
    const start = performance.now();
    await run(command, args, { maxBuffer: 64 * 1024 * 1024 }).catch((error: unknown) => {
      if (!options.allowFailure) throw error;
    });
    // The first run warms the file system cache and is not counted.
    if (index > 0) times.push(performance.now() - start);
  }
  return spread(times);
}

async function djangoVersion(): Promise<string | undefined> {
  try {
    return (await run(PYTHON, ["-c", "import django; print(django.get_version())"])).stdout.trim();
  } catch {
    return undefined;
  }
}

export async function benchCliSchema(runs: number, hubMigrations: number): Promise<CliSchemaBench> {
  const dir = await mkdtemp(path.join(tmpdir(), "ssg-bench-cli-"));
  try {
    const workspace = await buildBenchWorkspace(dir, hubMigrations);
    const cli = path.join(packageRoot(), "dist", "src", "cli", "main.js");
    const started = loadAverage();
    const schemaMs = await timed(runs, process.execPath, [cli, "schema", "--workspace", workspace.example.dir]);
    const startupMs = await timed(runs, process.execPath, [cli, "schema", "--workspace", path.join(dir, "missing")], { allowFailure: true });
    const version = await djangoVersion();
    const script = path.join(packageRoot(), "bench", "django_state.py");
    const hub = path.join(workspace.example.dir, "r10-hub");
    const django = version ? { version, stateMs: await timed(runs, PYTHON, [script, hub]) } : undefined;
    return {
      hubMigrations: workspace.hubMigrations,
      runs,
      schemaMs,
      startupMs,
      ...(django ? { django } : { djangoMissing: `${PYTHON} cannot import django (apt-get install python3-django)` }),
      load: [started, loadAverage()],
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

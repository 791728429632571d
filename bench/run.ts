// `npm run bench`: every part runs in its own Node process (so its peak memory is its own and
// process-wide caches start cold), the figures are printed as a table and written to
// bench/results.json. `--only django,sql` reruns some parts and keeps the others' figures.
import { fork } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { cpus, loadavg, totalmem } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { git } from "../src/local/git.js";
import { packageRoot } from "../src/local/workspace-builder.js";
import { spread } from "./measure.js";
import { REQUEST_TARGETS, benchBurst, benchTwoPullRequests, type BurstBench, type PullRequestRun, type TwoPullRequests } from "./parts/app.js";
import { benchCliSchema, type CliSchemaBench } from "./parts/cli-schema.js";
import { benchDjango, type DjangoBench } from "./parts/django.js";
import { benchSql, type SqlBench } from "./parts/sql.js";

const PARTS = ["django", "sql", "cli-schema", "pull-requests", "pull-requests-small-base", "burst"] as const;
type Part = (typeof PARTS)[number];

interface Options {
  only: Part[];
  runs: number;
  warmups: number;
  /** Fresh processes for the pull request part, each a cold app. */
  appRuns: number;
  burst: number;
  /** Milliseconds the fake GitHub adds to every answer. */
  latency: number;
}

function parseOptions(argv: string[]): Options & { part?: Part } {
  const value = (flag: string): string | undefined => {
    const index = argv.indexOf(flag);
    return index >= 0 ? argv[index + 1] : undefined;
  };
  const parts = (text: string | undefined): Part[] => (text ? text.split(",").filter((part): part is Part => (PARTS as readonly string[]).includes(part)) : [...PARTS]);
  const part = value("--part");
  return {
    only: parts(value("--only")),
    runs: Number(value("--runs") ?? 7),
    warmups: Number(value("--warmups") ?? 2),
    appRuns: Number(value("--app-runs") ?? 3),
    burst: Number(value("--burst") ?? 50),
    latency: Number(value("--latency") ?? 50),
    ...(part ? { part: parts(part)[0] ?? "django" } : {}),
  };
}

/** In a child process: one part, its result sent to the parent. */
async function runPart(part: Part, options: Options): Promise<unknown> {
  switch (part) {
    case "django":
      return benchDjango(options.runs, options.warmups);
    case "sql":
      return benchSql(options.runs, options.warmups);
    case "cli-schema":
      return benchCliSchema(5, 600);
    case "pull-requests":
      return benchTwoPullRequests(600, options.latency);
    case "pull-requests-small-base":
      return benchTwoPullRequests(10, options.latency);
    case "burst":
      return benchBurst(options.burst, 600, options.latency);
  }
}

function inChild(part: Part, argv: string[]): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), [...argv, "--part", part], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
    let result: unknown;
    child.on("message", (message) => {
      result = message;
    });
    child.on("exit", (code) => (code === 0 && result !== undefined ? resolve(result) : reject(new Error(`bench part ${part} exited with ${code}`))));
  });
}

interface PullRequestsAggregate {
  processes: number;
  hubMigrations: number;
  /** Request counts of the first process; `countsStable` says whether every process made the same. */
  first: PullRequestRun;
  second: PullRequestRun;
  countsStable: boolean;
  medians: Record<"first" | "second", Record<"webhookResponseMs" | "webhookToCompletedCheckMs" | "webhookToIdleMs" | "fakeGitHubBusyMs", ReturnType<typeof spread>>>;
  peakRssMb: ReturnType<typeof spread>;
}

function aggregate(runs: TwoPullRequests[]): PullRequestsAggregate {
  const [one] = runs;
  if (!one) throw new Error("no pull request runs");
  const timing = (which: "first" | "second") => ({
    webhookResponseMs: spread(runs.map((run) => run[which].webhookResponseMs)),
    webhookToCompletedCheckMs: spread(runs.map((run) => run[which].webhookToCompletedCheckMs)),
    webhookToIdleMs: spread(runs.map((run) => run[which].webhookToIdleMs)),
    fakeGitHubBusyMs: spread(runs.map((run) => run[which].fakeGitHubBusyMs)),
  });
  const counts = (run: TwoPullRequests) => JSON.stringify([run.first.requests, run.second.requests]);
  return {
    processes: runs.length,
    hubMigrations: one.hubMigrations,
    first: one.first,
    second: one.second,
    countsStable: runs.every((run) => counts(run) === counts(one)),
    medians: { first: timing("first"), second: timing("second") },
    peakRssMb: spread(runs.map((run) => run.peakRssMb)),
  };
}

/** The commit measured: BENCH_COMMIT (set when running from an export), else the checkout's HEAD and whether it has local changes. */
async function measuredCommit(): Promise<{ commit: string; localChanges: boolean | "unknown" }> {
  const exported = process.env.BENCH_COMMIT;
  if (exported) return { commit: exported, localChanges: false };
  try {
    const commit = (await git(packageRoot(), ["rev-parse", "HEAD"])).toString("utf8").trim();
    const status = (await git(packageRoot(), ["status", "--porcelain", "--untracked-files=no"])).toString("utf8");
    return { commit, localChanges: status.trim() !== "" };
  } catch {
    return { commit: "unknown", localChanges: "unknown" };
  }
}

interface Results {
  generatedAt: string;
  source: { commit: string; localChanges: boolean | "unknown" };
  machine: { cpu: string; cores: number; memoryGb: number; node: string; platform: string };
  method: Record<string, string>;
  /** Per part, as parts can be rerun alone: the commit, when, and the load average at its start and end. */
  partRuns: Record<string, { commit: string; startedAt: string; loadAverage: [number, number] }>;
  parts: {
    django?: DjangoBench;
    sql?: SqlBench;
    cliSchema?: CliSchemaBench;
    pullRequests?: PullRequestsAggregate;
    pullRequestsSmallBase?: PullRequestsAggregate;
    burst?: BurstBench;
  };
}

const METHOD = {
  timing: "median (min–max) over --runs measured runs after --warmups discarded ones, in one process per part; wall time from performance.now(), CPU time from process.cpuUsage() (user + system, includes V8's helper threads)",
  memory: "peak resident set of the part's process from getrusage (process.resourceUsage().maxRSS), which also sees synchronous stretches; the burst also samples process.memoryUsage().rss every 5 ms; no --max-old-space-size",
  pullRequests: "each process builds the example workspace with a 600-migration hub history, starts the fake GitHub of test/e2e and the app (Probot middleware on an HTTP server), opens pull request #1 (column-rename) then #2 (drop-unused-column) on the same base; requests are those the fake GitHub answered between the webhook and the app going idle",
  burst: "the same workspace, 50 pull requests cycling the six scenarios, all webhooks sent at once on one installation; waits until every check is completed",
  latency: "the fake GitHub answers every request --latency ms (default 50) late; the app paces its writes on the real clock, as in production",
  cliSchema: "node dist/src/cli/main.js schema over the 600-migration workspace, whole process, median of 5 after one unmeasured run; start-up is the same command on a missing workspace; Django is /usr/bin/python3 bench/django_state.py (Debian's Django 3.2: MigrationLoader.project_state() and its rendered models)",
  load: "1-minute load average when each part started and ended (2-core machine shared with other engineers' test runs)",
};

const ms = (value: number): string => `${value.toFixed(value < 10 ? 1 : 0)} ms`;
const verdict = (value: number, target: number): string => (value <= target ? "met" : `missed by ${(value - target).toFixed(0)} (${((value / target - 1) * 100).toFixed(0)}%)`);

function table(results: Results): string {
  const rows: [string, string, string][] = [];
  const { django, sql, cliSchema, pullRequests, pullRequestsSmallBase, burst } = results.parts;
  if (django) {
    const generated = django.generated;
    rows.push([`Django: ${generated.migrations} generated migrations, parse + replay (wall, median)`, ms(generated.parseAndReplay.wallMs.median), `≤ ${generated.targetMs} ms: ${verdict(generated.parseAndReplay.wallMs.median, generated.targetMs)}`]);
    rows.push(["  same, CPU time", ms(generated.parseAndReplay.cpuMs.median), `≤ ${generated.targetMs} ms: ${verdict(generated.parseAndReplay.cpuMs.median, generated.targetMs)}`]);
    rows.push(["  parse only / replay only (wall)", `${ms(generated.parseOnly.wallMs.median)} / ${ms(generated.replayOnly.wallMs.median)}`, ""]);
    rows.push(["  first call, WASM loading included (wall)", ms(generated.coldFirstCall.wallMs), ""]);
    rows.push(["  schema changes / unparsed", `${generated.schemaChanges} / ${generated.unparsed}`, ""]);
    rows.push([`Django: example hub (${django.exampleHub.migrations} migrations), parse + replay`, ms(django.exampleHub.parseAndReplay.wallMs.median), ""]);
    rows.push(["Django part: RSS after loading parsers / peak RSS", `${django.memory.rssAfterLoadMb} / ${django.memory.peakRssMb} MB`, ""]);
  }
  if (sql) {
    rows.push([`SQL: ${sql.eachStatement.statements} statements one by one (analyzeSql)`, `${ms(sql.eachStatement.timing.wallMs.median)}, ${sql.eachStatement.perSecond} stmt/s`, ""]);
    rows.push([`SQL: ${sql.migrationFiles.statements} DDL statements in ${sql.migrationFiles.files} migration files`, `${ms(sql.migrationFiles.timing.wallMs.median)}, ${sql.migrationFiles.perSecond} stmt/s`, ""]);
    rows.push([`SQL: ${sql.codeStrings.statements} queries as code strings (analyzeCodeSql)`, `${ms(sql.codeStrings.timing.wallMs.median)}, ${sql.codeStrings.perSecond} stmt/s`, ""]);
    rows.push(["SQL: statements with nothing found (each / files / code)", `${sql.eachStatement.missed} / ${sql.migrationFiles.missed} / ${sql.codeStrings.missed}`, ""]);
    rows.push(["SQL part: peak RSS", `${sql.memory.peakRssMb} MB`, ""]);
  }
  if (cliSchema) {
    const django = cliSchema.django;
    rows.push([`CLI schema over ${cliSchema.hubMigrations} Django migrations, whole process (median)`, ms(cliSchema.schemaMs.median), django ? `≤ Django ${django.version}: ${verdict(cliSchema.schemaMs.median, django.stateMs.median)}` : "Django not measured"]);
    rows.push(["  of which start-up (exits on a missing workspace)", ms(cliSchema.startupMs.median), ""]);
    rows.push([django ? `  Django ${django.version}: the same state, whole process (median)` : "  Django", django ? ms(django.stateMs.median) : (cliSchema.djangoMissing ?? ""), ""]);
  }
  for (const [label, run] of [["", pullRequests], [" (10-migration base)", pullRequestsSmallBase]] as const) {
    if (!run) continue;
    const first = run.first.requests;
    const second = run.second.requests;
    rows.push([`App${label}: first PR requests, all (REST / GraphQL / search / token)`, `${first.total} (${first.rest} / ${first.graphql} / ${first.codeSearch} / ${first.token})`, `≤ ${REQUEST_TARGETS.firstPullRequest}: ${verdict(first.total, REQUEST_TARGETS.firstPullRequest)}`]);
    rows.push([`App${label}: first PR, reads / config / posting`, `${first.reads} / ${first.config} / ${first.posting}`, `reads ≤ ${REQUEST_TARGETS.firstPullRequest}: ${verdict(first.reads, REQUEST_TARGETS.firstPullRequest)}`]);
    rows.push([`App${label}: first PR code searches`, `${first.codeSearch}`, `≤ ${REQUEST_TARGETS.firstPullRequestCodeSearches}: ${verdict(first.codeSearch, REQUEST_TARGETS.firstPullRequestCodeSearches)}`]);
    rows.push([`App${label}: second PR requests, all (REST / GraphQL / search / token)`, `${second.total} (${second.rest} / ${second.graphql} / ${second.codeSearch} / ${second.token})`, `≤ ${REQUEST_TARGETS.secondPullRequest}: ${verdict(second.total, REQUEST_TARGETS.secondPullRequest)}`]);
    rows.push([`App${label}: second PR, reads / config / posting`, `${second.reads} / ${second.config} / ${second.posting}`, `reads ≤ ${REQUEST_TARGETS.secondPullRequest}: ${verdict(second.reads, REQUEST_TARGETS.secondPullRequest)}`]);
    rows.push([`App${label}: webhook → completed check, first / second (median of ${run.processes})`, `${ms(run.medians.first.webhookToCompletedCheckMs.median)} / ${ms(run.medians.second.webhookToCompletedCheckMs.median)}`, ""]);
    rows.push([`App${label}: of which the fake GitHub answering, first / second (median)`, `${ms(run.medians.first.fakeGitHubBusyMs.median)} / ${ms(run.medians.second.fakeGitHubBusyMs.median)}`, ""]);
    rows.push([`App${label}: conclusions first / second; counts stable`, `${run.first.conclusion} / ${run.second.conclusion}; ${run.countsStable}`, ""]);
    rows.push([`App${label}: peak RSS (median)`, `${run.peakRssMb.median} MB`, ""]);
  }
  if (burst) {
    rows.push([`Burst: ${burst.pullRequests} webhooks, checks completed`, `${burst.completedChecks} of ${burst.pullRequests}`, `all: ${burst.completedChecks >= burst.pullRequests && burst.unexpectedConclusions.length === 0 ? "met" : "missed"}`]);
    rows.push(["Burst: first webhook → last check completed", ms(burst.allChecksCompletedMs), ""]);
    rows.push(["Burst: webhook answers by status; response time median / max", `${Object.entries(burst.webhookAnswers).map(([status, count]) => `${count}× ${status}`).join(", ")}; ${ms(burst.webhookResponseMs.median)} / ${ms(burst.webhookResponseMs.max)}`, ""]);
    rows.push(["Burst: per PR webhook → completed check (median / p90 / max)", `${ms(burst.webhookToCompletedCheckMs.median)} / ${ms(burst.webhookToCompletedCheckMs.p90)} / ${ms(burst.webhookToCompletedCheckMs.max)}`, ""]);
    rows.push(["Burst: requests (REST / GraphQL / search / token)", `${burst.requests.total} (${burst.requests.rest} / ${burst.requests.graphql} / ${burst.requests.codeSearch} / ${burst.requests.token})`, ""]);
    rows.push(["Burst: fake GitHub busy answering, of the whole burst", ms(burst.fakeGitHubBusyMs), ""]);
    rows.push(["Burst: RSS before / sampled peak / process peak", `${burst.memory.rssBeforeMb} / ${burst.memory.sampledPeakRssMb} / ${burst.memory.peakRssMb} MB`, ""]);
  }
  const width = Math.max(...rows.map(([label]) => label.length));
  const figureWidth = Math.max(...rows.map(([, figure]) => figure.length));
  return rows.map(([label, figure, target]) => `${label.padEnd(width)}  ${figure.padStart(figureWidth)}  ${target}`).join("\n");
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const options = parseOptions(argv);
  if (options.part) {
    const result = await runPart(options.part, options);
    // Servers closed, but kept-alive sockets could hold the process open: leave once sent.
    if (process.send) process.send(result, () => process.exit(0));
    else process.stdout.write(`${JSON.stringify(result, null, 2)}\n`, () => process.exit(0));
    return;
  }
  const file = path.join(packageRoot(), "bench", "results.json");
  const previous = existsSync(file) ? (JSON.parse(await readFile(file, "utf8")) as Results) : undefined;
  const cpu = cpus();
  const results: Results = {
    generatedAt: new Date().toISOString(),
    source: await measuredCommit(),
    machine: { cpu: cpu[0]?.model ?? "unknown", cores: cpu.length, memoryGb: Math.round(totalmem() / 1_073_741_824), node: process.version, platform: `${process.platform} ${process.arch}` },
    method: METHOD,
    partRuns: { ...previous?.partRuns },
    parts: { ...previous?.parts },
  };
  for (const part of options.only) {
    const load = loadavg()[0] ?? 0;
    const startedAt = new Date().toISOString();
    process.stderr.write(`bench: ${part} (load average ${load.toFixed(2)})\n`);
    switch (part) {
      case "django":
        results.parts.django = (await inChild(part, argv)) as DjangoBench;
        break;
      case "sql":
        results.parts.sql = (await inChild(part, argv)) as SqlBench;
        break;
      case "cli-schema":
        results.parts.cliSchema = (await inChild(part, argv)) as CliSchemaBench;
        break;
      case "pull-requests":
      case "pull-requests-small-base": {
        const runs: TwoPullRequests[] = [];
        for (let index = 0; index < options.appRuns; index++) runs.push((await inChild(part, argv)) as TwoPullRequests);
        results.parts[part === "pull-requests" ? "pullRequests" : "pullRequestsSmallBase"] = aggregate(runs);
        break;
      }
      case "burst":
        results.parts.burst = (await inChild(part, argv)) as BurstBench;
        break;
    }
    results.partRuns[part] = { commit: results.source.commit, startedAt, loadAverage: [Math.round(load * 100) / 100, Math.round((loadavg()[0] ?? 0) * 100) / 100] };
  }
  await writeFile(file, `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(`${table(results)}\n\ncommit ${results.source.commit}${results.source.localChanges === true ? " with local changes" : ""}; machine: ${results.machine.cpu}, ${results.machine.cores} cores, ${results.machine.memoryGb} GB, Node ${results.machine.node}\n`);
  process.stdout.write(`load average per part (start→end): ${Object.entries(results.partRuns).map(([part, run]) => `${part} ${run.loadAverage[0]}→${run.loadAverage[1]} (${run.commit.slice(0, 7)})`).join(", ")}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});

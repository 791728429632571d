// Parts 3 and 4: pull requests through the real app (Probot's webhook middleware on an HTTP
// server) against the end-to-end tests' local GitHub, counting every request it answers.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { systemClock } from "../../src/github/rate-limit.js";
import { readScenario } from "../../src/local/workspace-builder.js";
import { startAppServer, type RunningApp } from "../../test/e2e/app-server.js";
import { FakeGitHub, pullRequestPayload, sendWebhook, type RecordedRequest } from "../../test/e2e/fake-github.js";
import { peakRssMb, round, RssSampler, spread, type Spread } from "../measure.js";
import { buildBenchWorkspace, scenarioBranch, type BenchWorkspace, type PullRequestBranch } from "./app-workspace.js";

const SECRET = "bench-webhook-secret";
const OWNER = "r10score";
const INSTALLATION = 4_242;
const CHECK_TIMEOUT_MS = 15 * 60_000;
/** The scenarios a burst cycles through: clean, breaking with and without consumers, foreign changes. */
const BURST_SCENARIOS = ["clean-change", "column-rename", "drop-unused-column", "cross-service-fk", "foreign-schema-change", "suppressed"];

export const REQUEST_TARGETS = { firstPullRequest: 15, firstPullRequestCodeSearches: 2, secondPullRequest: 8 };

export interface RequestCounts {
  /** Every request the pull request caused, the installation token exchange included. */
  total: number;
  /** Without the installation token exchange, which Probot makes once per installation and hour. */
  api: number;
  rest: number;
  graphql: number;
  codeSearch: number;
  token: number;
  /** What the analysis reads: pull request files, trees, blobs and heads (GraphQL), code search. */
  reads: number;
  /** The configuration file: the repository's, then the organisation's `.github`. */
  config: number;
  /** The check run, the review and the summary comment, with the listings that prevent duplicates. */
  posting: number;
  /** `GET /repos/{owner}/{repo}/git/trees/{sha}` → count. */
  byEndpoint: Record<string, number>;
}

export interface PullRequestRun {
  scenario: string;
  number: number;
  conclusion: string | null;
  /** Until the webhook delivery was answered (configuration read, check created). */
  webhookResponseMs: number;
  /** Until the check on the head SHA was `completed`. */
  webhookToCompletedCheckMs: number;
  /** Until the background run finished posting (review, comment). */
  webhookToIdleMs: number;
  /** Of `webhookToIdleMs`, the time the fake GitHub spent answering (its git commands), overlaps counted once. */
  fakeGitHubBusyMs: number;
  /** Fake GitHub answer time per endpoint, summed. */
  fakeGitHubAnswerMs: Record<string, number>;
  /** Each request: milliseconds after the webhook was sent, endpoint, and how long the fake took to answer. */
  timeline: string[];
  requests: RequestCounts;
  unanswered: number;
}

function endpointOf(request: RecordedRequest): string {
  const template = request.path
    .replace(/^\/repos\/[^/]+\/[^/]+/, "/repos/{owner}/{repo}")
    .replace(/\/app\/installations\/\d+/, "/app/installations/{id}")
    .replace(/\b[0-9a-f]{40}\b/g, "{sha}")
    .replace(/\/\d+(?=\/|$)/g, "/{n}")
    .replace(/\/contents\/.*/, "/contents/{path}");
  return `${request.method} ${template}`;
}

export function countRequests(requests: readonly RecordedRequest[]): RequestCounts {
  const byEndpoint: Record<string, number> = {};
  for (const request of requests) byEndpoint[endpointOf(request)] = (byEndpoint[endpointOf(request)] ?? 0) + 1;
  const token = requests.filter((request) => request.path.endsWith("/access_tokens")).length;
  const graphql = requests.filter((request) => request.path === "/graphql").length;
  const codeSearch = requests.filter((request) => request.path === "/search/code").length;
  const config = requests.filter((request) => request.path.includes("/contents/")).length;
  const posting = requests.filter((request) => /\/(check-runs|reviews|comments)(\/|$)/.test(request.path)).length;
  return {
    total: requests.length,
    api: requests.length - token,
    rest: requests.length - token - graphql - codeSearch,
    graphql,
    codeSearch,
    token,
    reads: requests.length - token - config - posting,
    config,
    posting,
    byEndpoint,
  };
}

/** When the fake GitHub was answering a request: its own git work is not the app's time. */
interface ServedSpan {
  endpoint: string;
  start: number;
  end: number;
}

type Route = (method: string, url: URL, ...rest: unknown[]) => Promise<unknown>;

/** Wraps the fake's router (a private method, reached at run time) to time each answer. */
function timeAnswers(fake: FakeGitHub): ServedSpan[] {
  const spans: ServedSpan[] = [];
  const router = fake as unknown as { route: Route };
  const route = router.route.bind(fake);
  router.route = async (method, url, ...rest) => {
    const start = performance.now();
    try {
      return await route(method, url, ...rest);
    } finally {
      spans.push({ endpoint: endpointOf({ method, path: url.pathname, status: 0 }), start, end: performance.now() });
    }
  };
  return spans;
}

/** Milliseconds between `from` and `to` during which the fake was answering at least one request. */
function busyMs(spans: readonly ServedSpan[], from: number, to: number): number {
  const clipped = spans
    .map((span) => [Math.max(span.start, from), Math.min(span.end, to)] as const)
    .filter(([start, end]) => end > start)
    .sort((a, b) => a[0] - b[0]);
  let busy = 0;
  let reached = from;
  for (const [start, end] of clipped) {
    if (end <= reached) continue;
    busy += end - Math.max(start, reached);
    reached = end;
  }
  return round(busy);
}

/** The slowest endpoints the fake answered between `from` and `to`: total answer time each. */
function answerTimes(spans: readonly ServedSpan[], from: number, to: number): Record<string, number> {
  const totals: Record<string, number> = {};
  for (const span of spans) if (span.start >= from && span.end <= to) totals[span.endpoint] = round((totals[span.endpoint] ?? 0) + span.end - span.start);
  return totals;
}

interface Stack {
  fake: FakeGitHub;
  app: RunningApp;
  spans: ServedSpan[];
  close(): Promise<void>;
}

/** The fake GitHub answering each request `latencyMs` late; the app pacing its writes in real time, as in production. */
async function startStack(workspace: BenchWorkspace, latencyMs: number): Promise<Stack> {
  const fake = await FakeGitHub.start(workspace.example.dir, OWNER, { latencyMs });
  const spans = timeAnswers(fake);
  const app = await startAppServer({ githubUrl: fake.url, secret: SECRET, writeClock: systemClock });
  return {
    fake,
    app,
    spans,
    close: async () => {
      await app.close();
      await fake.close();
    },
  };
}

/** Resolves with the milliseconds since `start` once the check on `headSha` has completed. */
function checkCompleted(fake: FakeGitHub, headSha: string, start: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      if (fake.checkRuns.some((check) => check.head_sha === headSha && check.status === "completed")) {
        clearInterval(timer);
        resolve(round(performance.now() - start));
      } else if (performance.now() - start > CHECK_TIMEOUT_MS) {
        clearInterval(timer);
        reject(new Error(`no completed check on ${headSha} after ${CHECK_TIMEOUT_MS} ms`));
      }
    }, 2);
  });
}

async function openAndDeliver(stack: Stack, branch: PullRequestBranch, number: number) {
  const pr = await stack.fake.openPullRequest(branch.repoName, number, branch.branch);
  const start = performance.now();
  const completed = checkCompleted(stack.fake, pr.headSha, start);
  const response = await sendWebhook(stack.app.webhookUrl, SECRET, {
    name: "pull_request",
    id: `bench-${number}`,
    payload: pullRequestPayload(stack.fake, pr, "opened", INSTALLATION),
  });
  // 202: the webhooks middleware answers "still processing" when the handler takes over 9 s.
  if (response.status !== 200 && response.status !== 202) throw new Error(`webhook for #${number} answered ${response.status}`);
  return { pr, start, webhookResponseMs: round(performance.now() - start), webhookStatus: response.status, completed };
}

async function runOne(stack: Stack, branch: PullRequestBranch, number: number): Promise<PullRequestRun> {
  const before = stack.fake.requests.length;
  const { pr, start, webhookResponseMs, completed } = await openAndDeliver(stack, branch, number);
  const webhookToCompletedCheckMs = await completed;
  await stack.app.guard.idle();
  const end = performance.now();
  const webhookToIdleMs = round(end - start);
  const requests = stack.fake.requests.slice(before);
  return {
    scenario: branch.scenario,
    number,
    conclusion: stack.fake.checkRuns.find((check) => check.head_sha === pr.headSha)?.conclusion ?? null,
    webhookResponseMs,
    webhookToCompletedCheckMs,
    webhookToIdleMs,
    fakeGitHubBusyMs: busyMs(stack.spans, start, end),
    fakeGitHubAnswerMs: answerTimes(stack.spans, start, end),
    timeline: stack.spans
      .filter((span) => span.start >= start && span.end <= end)
      .map((span) => `+${Math.round(span.start - start)} ms ${span.endpoint} (${Math.round(span.end - span.start)} ms)`),
    requests: countRequests(requests),
    unanswered: requests.filter((request) => request.unserved !== undefined).length,
  };
}

async function inWorkspace<T>(hubMigrations: number, work: (workspace: BenchWorkspace) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(tmpdir(), "ssg-bench-"));
  try {
    return await work(await buildBenchWorkspace(dir, hubMigrations));
  } catch (error) {
    // Said before the servers close under the app's still running work.
    process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    throw error;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export interface TwoPullRequests {
  hubMigrations: number;
  first: PullRequestRun;
  second: PullRequestRun;
  peakRssMb: number;
}

/** A fresh app: a first pull request (column rename, consumers searched), then a second on the same base. */
export function benchTwoPullRequests(hubMigrations: number, latencyMs: number): Promise<TwoPullRequests> {
  return inWorkspace(hubMigrations, async (workspace) => {
    const firstBranch = await scenarioBranch(workspace, "column-rename", 1);
    const secondBranch = await scenarioBranch(workspace, "drop-unused-column", 2);
    const stack = await startStack(workspace, latencyMs);
    try {
      const first = await runOne(stack, firstBranch, 1);
      const second = await runOne(stack, secondBranch, 2);
      return { hubMigrations: workspace.hubMigrations, first, second, peakRssMb: peakRssMb() };
    } finally {
      await stack.close();
    }
  });
}

export interface BurstBench {
  pullRequests: number;
  hubMigrations: number;
  completedChecks: number;
  /** Checks whose conclusion differs from the scenario's expected one. */
  unexpectedConclusions: string[];
  conclusions: Record<string, number>;
  /** From the first webhook sent to the last check completed. */
  allChecksCompletedMs: number;
  webhookToCompletedCheckMs: Spread & { p90: number };
  requests: RequestCounts;
  unanswered: number;
  /** Status → count: 202 when the webhooks middleware stopped waiting for the handler (9 s). */
  webhookAnswers: Record<string, number>;
  webhookResponseMs: Spread;
  fakeGitHubBusyMs: number;
  fakeGitHubAnswerMs: Record<string, number>;
  memory: { rssBeforeMb: number; sampledPeakRssMb: number; peakRssMb: number };
}

/** 50 pull requests opened at once on one installation; waits for every check. */
export function benchBurst(pullRequests: number, hubMigrations: number, latencyMs: number): Promise<BurstBench> {
  return inWorkspace(hubMigrations, async (workspace) => {
    const branches: PullRequestBranch[] = [];
    for (let index = 0; index < pullRequests; index++) {
      branches.push(await scenarioBranch(workspace, BURST_SCENARIOS[index % BURST_SCENARIOS.length] ?? "clean-change", 101 + index));
    }
    const expected = new Map(await Promise.all(BURST_SCENARIOS.map(async (name) => [name, (await readScenario(name)).expect] as const)));
    const stack = await startStack(workspace, latencyMs);
    try {
      const rssBeforeMb = round(process.memoryUsage().rss / 1_048_576);
      const sampler = new RssSampler();
      const start = performance.now();
      const delivered = await Promise.all(branches.map((branch, index) => openAndDeliver(stack, branch, 101 + index)));
      const latencies = await Promise.all(delivered.map((delivery) => delivery.completed.then((ms) => ms + round(delivery.start - start))));
      const completedAt = performance.now();
      const allChecksCompletedMs = round(completedAt - start);
      await stack.app.guard.idle();
      const sampledPeakRssMb = sampler.stop();
      const conclusions: Record<string, number> = {};
      const unexpectedConclusions: string[] = [];
      delivered.forEach(({ pr }, index) => {
        const conclusion = stack.fake.checkRuns.find((check) => check.head_sha === pr.headSha)?.conclusion ?? "none";
        conclusions[conclusion] = (conclusions[conclusion] ?? 0) + 1;
        const scenario = branches[index]?.scenario ?? "";
        if (conclusion !== expected.get(scenario)) unexpectedConclusions.push(`#${pr.number} ${scenario}: ${conclusion}`);
      });
      const sorted = [...latencies].sort((a, b) => a - b);
      return {
        pullRequests,
        hubMigrations: workspace.hubMigrations,
        completedChecks: stack.fake.checkRuns.filter((check) => check.status === "completed").length,
        unexpectedConclusions,
        conclusions,
        allChecksCompletedMs,
        webhookToCompletedCheckMs: { ...spread(latencies), p90: sorted[Math.ceil(sorted.length * 0.9) - 1] ?? 0 },
        requests: countRequests(stack.fake.requests),
        unanswered: stack.fake.unanswered().length,
        webhookAnswers: delivered.reduce<Record<string, number>>((answers, delivery) => ({ ...answers, [delivery.webhookStatus]: (answers[delivery.webhookStatus] ?? 0) + 1 }), {}),
        webhookResponseMs: spread(delivered.map((delivery) => delivery.webhookResponseMs)),
        fakeGitHubBusyMs: busyMs(stack.spans, start, completedAt),
        fakeGitHubAnswerMs: answerTimes(stack.spans, start, completedAt),
        memory: { rssBeforeMb, sampledPeakRssMb, peakRssMb: peakRssMb() },
      };
    } finally {
      await stack.close();
    }
  });
}

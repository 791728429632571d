// The Action's entry as GitHub Actions runs it: a real process with the environment a
// workflow step gets, against a local server playing GitHub's API over the example
// repositories. It must read everything through the API with the token, and post the check
// run and the sticky comment the app posts.
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { buildExampleWorkspace } from "../../src/local/workspace-builder.js";
import { expectOneBlockedCheck } from "../e2e/expectations.js";
import { FakeGitHub, pullRequestPayload, type PullRequestRecord } from "../e2e/fake-github.js";

const OWNER = "r10score";
const TOKEN = "ghs_workflow_token_for_e2e";
const STICKY_MARKER = "<!-- shared-schema-guard -->";
const ENTRY = path.resolve("dist/src/action/main.js");
const execute = promisify(execFile);

beforeAll(async () => {
  // The Action runs the built JavaScript (npm ci builds it through `prepare`).
  const [built, source] = await Promise.all([stat(ENTRY).catch(() => undefined), stat("src/action/run.ts")]);
  if (!built || built.mtimeMs < source.mtimeMs) throw new Error(`${ENTRY} is missing or older than src/action: run npm run build`);
});

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Scenario {
  dir: string;
  fake: FakeGitHub;
  pr: PullRequestRecord;
  repo: string;
}

async function scenario(name: string): Promise<Scenario> {
  const dir = await mkdtemp(path.join(tmpdir(), "ssg-action-"));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const workspace = await buildExampleWorkspace(path.join(dir, "workspace"), name);
  const fake = await FakeGitHub.start(workspace.dir, OWNER);
  cleanups.push(() => fake.close());
  const repoName = workspace.scenario?.repoName ?? "r10-hub";
  const pr = await fake.openPullRequest(repoName, 12, workspace.scenario?.branch ?? "main");
  return { dir, fake, pr, repo: `${OWNER}/${repoName}` };
}

/** Runs the entry with the variables a `pull_request` workflow step gets. */
async function runAction({ dir, fake, pr, repo }: Scenario, extraEnv: Record<string, string> = {}) {
  const eventPath = path.join(dir, "event.json");
  const { installation: _installation, ...event } = pullRequestPayload(fake, pr, "opened", 0);
  await writeFile(eventPath, JSON.stringify(event));
  const summaryPath = path.join(dir, "step-summary.md");
  const env = {
    PATH: process.env.PATH ?? "",
    GITHUB_ACTIONS: "true",
    GITHUB_EVENT_NAME: "pull_request",
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_REPOSITORY: repo,
    GITHUB_TOKEN: TOKEN,
    GITHUB_API_URL: fake.url,
    GITHUB_STEP_SUMMARY: summaryPath,
    ...extraEnv,
  };
  const result = await execute("node", [ENTRY], { env, cwd: dir }).then(
    ({ stdout, stderr }) => ({ status: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({ status: error.code, stdout: error.stdout, stderr: error.stderr }),
  );
  const summary = await readFile(summaryPath, "utf8").catch(() => "");
  return { ...result, summary };
}

function expectOnlyTokenRequests(fake: FakeGitHub) {
  expect(fake.unanswered()).toEqual([]);
  expect(fake.requests.length).toBeGreaterThan(5);
  expect(new Set(fake.requests.map((request) => request.authorization))).toEqual(new Set([`token ${TOKEN}`]));
}

describe("the Action, end to end", { timeout: 120_000 }, () => {
  it("blocks a column rename another service reads: failed check, review and sticky comment, failed step", async () => {
    const running = await scenario("column-rename");
    const { fake, pr } = running;
    const { status, stdout, stderr, summary } = await runAction(running);

    expect(stderr).toBe("");
    expect(status).toBe(1);
    expectOnlyTokenRequests(fake);
    expectOneBlockedCheck(fake, pr.headSha, "r10score/r10-odds");
    expect(fake.reviews.map((review) => review.state)).toEqual(["CHANGES_REQUESTED"]);
    expect(fake.comments).toHaveLength(1);
    expect(fake.comments[0]?.body.startsWith(STICKY_MARKER)).toBe(true);
    expect(stdout).toMatch(/^\*\*Blocked\*\*/);
    expect(summary).toContain("**Blocked**");
  });

  it("edits its sticky comment in place when the workflow runs again", async () => {
    const running = await scenario("column-rename");
    await runAction(running);
    const second = await runAction(running);

    expect(second.status).toBe(1);
    expect(running.fake.checkRuns).toHaveLength(2);
    expect(running.fake.comments).toHaveLength(1);
    // The same blocking findings on the same head: no second review.
    expect(running.fake.reviews).toHaveLength(1);
  });

  it("passes a change nobody else depends on: successful check, no comment, successful step", async () => {
    const running = await scenario("clean-change");
    const { status, stderr } = await runAction(running);

    expect(stderr).toBe("");
    expect(status).toBe(0);
    expectOnlyTokenRequests(running.fake);
    expect(running.fake.checkRuns.map((check) => check.conclusion)).toEqual(["success"]);
    expect(running.fake.comments).toEqual([]);
    expect(running.fake.reviews).toEqual([]);
  });

  it("says why when the event is not a pull request, and asks GitHub nothing", async () => {
    const running = await scenario("clean-change");
    const eventPath = path.join(running.dir, "push.json");
    await writeFile(eventPath, JSON.stringify({ ref: "refs/heads/main" }));
    const { status, stderr } = await runAction(running, { GITHUB_EVENT_NAME: "push", GITHUB_EVENT_PATH: eventPath });
    expect(status).toBe(2);
    expect(stderr).toContain("the push event names no pull request: run it on pull_request");
    expect(running.fake.requests).toEqual([]);
  });
});

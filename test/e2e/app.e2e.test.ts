// The whole app over HTTP: signed webhooks in, the real pipeline and GitHub readers, and a
// local server playing GitHub's API over the example repositories.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { git } from "../../src/local/git.js";
import { buildExampleWorkspace } from "../../src/local/workspace-builder.js";
import { startAppServer, type RunningApp } from "./app-server.js";
import { expectOneBlockedCheck } from "./expectations.js";
import {
  checkRunRerequestedPayload,
  FakeGitHub,
  pullRequestPayload,
  sendWebhook,
  type PullRequestRecord,
} from "./fake-github.js";

const SECRET = "e2e-webhook-secret";
const OWNER = "r10score";
const INSTALLATION = 31_337;
const STICKY_MARKER = "<!-- shared-schema-guard -->";

interface Running {
  /** The checkout the pull request's branch is in. */
  checkout: string;
  fake: FakeGitHub;
  app: RunningApp;
  pr: PullRequestRecord;
  deliver(action: "opened" | "synchronize", deliveryId: string): Promise<Response>;
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function runScenario(scenario: string, options: { withoutConfig?: boolean } = {}): Promise<Running> {
  const dir = await mkdtemp(path.join(tmpdir(), "ssg-e2e-"));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const workspace = await buildExampleWorkspace(dir, scenario);
  if (options.withoutConfig) await rm(path.join(workspace.dir, ".github"), { recursive: true, force: true });
  const fake = await FakeGitHub.start(workspace.dir, OWNER);
  cleanups.push(() => fake.close());
  const app = await startAppServer({ githubUrl: fake.url, secret: SECRET });
  cleanups.push(() => app.close());
  const repoName = workspace.scenario?.repoName ?? "r10-hub";
  const pr = await fake.openPullRequest(repoName, 7, workspace.scenario?.branch ?? "main");
  return {
    checkout: workspace.scenario?.checkout ?? path.join(workspace.dir, repoName),
    fake,
    app,
    pr,
    deliver: (action, deliveryId) =>
      sendWebhook(app.webhookUrl, SECRET, { name: "pull_request", id: deliveryId, payload: pullRequestPayload(fake, pr, action, INSTALLATION) }),
  };
}

// The first review of a process loads the parsers and replays every history: allow for a cold start.
describe("the app, end to end", { timeout: 120_000 }, () => {
  it("blocks a column rename that another service reads: failed check, review, summary comment", async () => {
    const { fake, app, pr, deliver } = await runScenario("column-rename");

    const response = await deliver("opened", "delivery-1");
    expect(response.status).toBe(200);
    await app.guard.idle();

    expect(fake.unanswered()).toEqual([]);
    expectOneBlockedCheck(fake, pr.headSha, "r10score/r10-odds");

    expect(fake.reviews).toHaveLength(1);
    const [review] = fake.reviews;
    expect(review).toMatchObject({ state: "CHANGES_REQUESTED", commit_id: pr.headSha });
    expect(review?.body).toContain("<!-- shared-schema-guard:review fingerprints=");
    const placed = [...(review?.comments.map((comment) => comment.path) ?? []), review?.body ?? ""].join("\n");
    expect(placed).toContain("dao/migrations/0011_rename_name_oddcompany_display_name.py");

    expect(fake.comments).toHaveLength(1);
    expect(fake.comments[0]?.body).toContain(STICKY_MARKER);
    expect(fake.comments[0]?.body).toContain("internal/db/companies.go");
  });

  it("on a second delivery for the same head posts a new check but no second review or comment", async () => {
    const { fake, app, deliver } = await runScenario("column-rename");
    await deliver("opened", "delivery-1");
    await app.guard.idle();

    await deliver("synchronize", "delivery-2");
    await app.guard.idle();
    const redelivered = await deliver("synchronize", "delivery-2");
    await app.guard.idle();

    expect(redelivered.status).toBe(200);
    expect(fake.checkRuns.map((check) => check.conclusion)).toEqual(["failure", "failure"]);
    expect(fake.reviews).toHaveLength(1);
    expect(fake.comments).toHaveLength(1);
  });

  it("dismisses its blocking review and says all clear once a push removes the change", async () => {
    const { checkout, fake, app, pr, deliver } = await runScenario("column-rename");
    await deliver("opened", "delivery-1");
    await app.guard.idle();
    const blockedSha = pr.headSha;

    await git(checkout, ["-c", "user.name=Maria", "-c", "user.email=maria@example.invalid", "revert", "--no-edit", "HEAD"]);
    await fake.refreshPullRequest(pr);
    await deliver("synchronize", "delivery-2");
    await app.guard.idle();

    expect(fake.unanswered()).toEqual([]);
    expect(fake.checkRuns.map((check) => [check.head_sha, check.conclusion])).toEqual([
      [blockedSha, "failure"],
      [pr.headSha, "success"],
    ]);
    expect(fake.reviews.map((review) => review.state)).toEqual(["DISMISSED"]);
    expect(fake.comments).toHaveLength(1);
    expect(fake.comments[0]?.edits).toBe(1);
    expect(fake.comments[0]?.body).toContain(STICKY_MARKER);
    expect(fake.comments[0]?.body).not.toContain("internal/db/companies.go");
  });

  it("passes a clean change: successful check, no review, no comment", async () => {
    const { fake, app, pr, deliver } = await runScenario("clean-change");

    const response = await deliver("opened", "delivery-1");
    expect(response.status).toBe(200);
    await app.guard.idle();

    expect(fake.unanswered()).toEqual([]);
    expect(fake.checkRuns).toHaveLength(1);
    expect(fake.checkRuns[0]).toMatchObject({ head_sha: pr.headSha, conclusion: "success" });
    expect(fake.checkRuns[0]?.history).toEqual(["in_progress", "completed:success"]);
    expect(fake.reviews).toEqual([]);
    expect(fake.comments).toEqual([]);
  });

  it("re-runs the check when someone asks for it, without a second review", async () => {
    const { fake, app, pr, deliver } = await runScenario("column-rename");
    await deliver("opened", "delivery-1");
    await app.guard.idle();

    const response = await sendWebhook(app.webhookUrl, SECRET, {
      name: "check_run",
      id: "delivery-2",
      payload: checkRunRerequestedPayload(fake, pr, "shared-schema", INSTALLATION),
    });
    await app.guard.idle();

    expect(response.status).toBe(200);
    expect(fake.checkRuns.map((check) => check.history)).toEqual([
      ["in_progress", "completed:failure"],
      ["in_progress", "completed:failure"],
    ]);
    expect(fake.reviews).toHaveLength(1);
  });

  it("tells a repository without configuration how to add one, with a neutral check", async () => {
    const { fake, app, pr, deliver } = await runScenario("clean-change", { withoutConfig: true });

    await deliver("opened", "delivery-1");
    await app.guard.idle();

    expect(fake.checkRuns).toHaveLength(1);
    expect(fake.checkRuns[0]).toMatchObject({ head_sha: pr.headSha, status: "completed", conclusion: "neutral" });
    expect(fake.checkRuns[0]?.output.summary).toContain(".github/shared-schema.yml");
    expect(fake.reviews).toEqual([]);
    expect(fake.comments).toEqual([]);
  });

  it("refuses a webhook whose signature does not match, and posts nothing", async () => {
    const { fake, app, pr } = await runScenario("clean-change");
    const response = await sendWebhook(app.webhookUrl, "not-the-secret", {
      name: "pull_request",
      id: "forged",
      payload: pullRequestPayload(fake, pr, "opened", INSTALLATION),
    });
    await app.guard.idle();

    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(fake.checkRuns).toEqual([]);
  });
});

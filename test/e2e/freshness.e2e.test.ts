// Fresh on request, end to end: after a consumer fixes its code on its default branch, a
// recheck reads that branch again, and a push that changes the code re-runs the blocked
// pull request by itself. Signed webhooks to the real server, the real pipeline, the fake GitHub.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { git } from "../../src/local/git.js";
import { buildExampleWorkspace } from "../../src/local/workspace-builder.js";
import { startAppServer } from "./app-server.js";
import { FakeGitHub, issueCommentPayload, pullRequestPayload, pushPayload, sendWebhook } from "./fake-github.js";

const SECRET = "e2e-webhook-secret";
const OWNER = "r10score";
const INSTALLATION = 31_337;
const CONSUMER_FILE = "internal/db/companies.go";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The hub renames `r10_odd_company.name`, which odds reads: the pull request is blocked. */
async function blockedRename() {
  const dir = await mkdtemp(path.join(tmpdir(), "ssg-e2e-fresh-"));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const workspace = await buildExampleWorkspace(dir, "column-rename");
  const fake = await FakeGitHub.start(workspace.dir, OWNER);
  cleanups.push(() => fake.close());
  const app = await startAppServer({ githubUrl: fake.url, secret: SECRET });
  cleanups.push(() => app.close());
  const pr = await fake.openPullRequest("r10-hub", 7, workspace.scenario?.branch ?? "main");
  let deliveries = 0;
  const send = async (name: string, payload: Record<string, unknown>) => {
    const response = await sendWebhook(app.webhookUrl, SECRET, { name, id: `delivery-${++deliveries}`, payload });
    expect(response.status).toBe(200);
    await app.guard.idle();
  };
  await send("pull_request", pullRequestPayload(fake, pr, "opened", INSTALLATION));
  expect(fake.checkRuns.map((check) => check.conclusion)).toEqual(["failure"]);
  const odds = workspace.checkouts["r10-odds"] ?? "";
  /** Commits a change to odds' default branch; returns the commits before and after. */
  const commitToOdds = async (file: string, change: (text: string) => string) => {
    const before = (await git(odds, ["rev-parse", "HEAD"])).toString("utf8").trim();
    await writeFile(path.join(odds, file), change(await readFile(path.join(odds, file), "utf8")));
    await git(odds, ["-c", "user.name=Olga", "-c", "user.email=olga@example.invalid", "commit", "-qam", `change ${file}`]);
    return { before, after: (await git(odds, ["rev-parse", "HEAD"])).toString("utf8").trim(), modified: [file] };
  };
  /** Odds reads `display_name` from now on. */
  const fixOdds = () => commitToOdds(CONSUMER_FILE, (text) => text.replace("SELECT id, name, slug", "SELECT id, display_name, slug").replace("ORDER BY name", "ORDER BY display_name"));
  return { fake, pr, send, fixOdds, commitToOdds };
}

describe("fresh on request, end to end", { timeout: 180_000 }, () => {
  it("a recheck right after the consumer fixed its code reads its new default branch and unblocks", async () => {
    const { fake, pr, send, fixOdds } = await blockedRename();
    await fixOdds();
    fake.roles.set("maria-dev", "write");

    const command = fake.addHumanComment("r10-hub", 7, "/ownership recheck", "maria-dev");
    await send("issue_comment", issueCommentPayload(fake, pr, command, INSTALLATION));

    expect(fake.checkRuns.map((check) => check.conclusion)).toEqual(["failure", "success"]);
    expect(fake.reviews.map((review) => review.state)).toEqual(["DISMISSED"]);
    expect(fake.unanswered()).toEqual([]);
  });

  it("a push to the consumer's default branch that changes the blocking code re-runs the pull request by itself", async () => {
    const { fake, send, fixOdds, commitToOdds } = await blockedRename();

    // A push that leaves the consumer's code alone re-runs nothing.
    await send("push", pushPayload(fake, "r10-odds", await commitToOdds("README.md", (text) => `${text}\nPolls bookmakers.\n`), INSTALLATION));
    expect(fake.checkRuns).toHaveLength(1);

    await send("push", pushPayload(fake, "r10-odds", await fixOdds(), INSTALLATION));

    expect(fake.checkRuns.map((check) => check.conclusion)).toEqual(["failure", "success"]);
    expect(fake.reviews.map((review) => review.state)).toEqual(["DISMISSED"]);
    expect(fake.unanswered()).toEqual([]);
  });
});

// GitHub failing while the app reads: every mode ends in a `failure` check that names what
// failed, the process goes on, and once GitHub recovers a re-run posts nothing twice.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { GuardDeps } from "../../src/app/deps.js";
import { STICKY_MARKER } from "../../src/github/comments.js";
import { strictJsonResponses } from "../../src/github/json-responses.js";
import { loadPullRequestChanges } from "../../src/github/pull-request-files.js";
import { createReadCaches } from "../../src/github/read-caches.js";
import { GitHubReader } from "../../src/github/snapshot.js";
import {
  CONFIG_YAML,
  deliver,
  expectEveryMockUsed,
  fakePipeline,
  fixture,
  freshGitHub,
  GitHubLog,
  nockConfig,
  outcome,
  REPO_PATH,
  startApp,
} from "./harness.js";
import { finding, TestOctokit } from "./helpers.js";

const CHECKS = `${REPO_PATH}/check-runs`;
const FILES = `${REPO_PATH}/pulls/12/files`;
const REVIEWS = `${REPO_PATH}/pulls/12/reviews`;
const COMMENTS = `${REPO_PATH}/issues/12/comments`;
const FaultTestOctokit = TestOctokit.plugin(strictJsonResponses);

const blocking = finding({ fingerprint: "fp-fault" });
const listedFile = { filename: "migrations/0002_drop_token.sql", status: "added", patch: "@@ -0,0 +1,3 @@\n+a\n+b\n+c" };

/** The fake pipeline, with the pull request's files read from GitHub as the app reads them. */
function pipelineReadingFiles(): ReturnType<typeof fakePipeline> {
  const pipeline = fakePipeline(() => outcome([blocking]));
  const fakeSources = pipeline.deps.sources;
  const deps: GuardDeps = {
    ...pipeline.deps,
    sources: (installation, config, options) => {
      const reader = new GitHubReader(installation.octokit, { caches: createReadCaches(), scope: installation.id });
      return { ...fakeSources(installation, config, options), changes: (pr) => loadPullRequestChanges(installation.octokit, pr, reader) };
    },
  };
  return { ...pipeline, deps };
}

interface Fault {
  mode: string;
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  /** What the check's title must say. */
  says: RegExp;
}

const faults: Fault[] = [
  { mode: "a 5xx", status: 502, body: { message: "Bad Gateway" }, says: /GitHub answered 502 to GET .*\/pulls\/12\/files/ },
  {
    mode: "a primary rate limit (403, quota used up)",
    status: 403,
    body: { message: "API rate limit exceeded for installation ID 4242." },
    headers: { "x-ratelimit-remaining": "0", "x-ratelimit-reset": "1764417600" },
    says: /GitHub answered 403 to GET .*\/pulls\/12\/files/,
  },
  {
    mode: "a 429 with retry-after",
    status: 429,
    body: { message: "Too Many Requests" },
    headers: { "retry-after": "30" },
    says: /GitHub answered 429 to GET .*\/pulls\/12\/files/,
  },
  {
    mode: "a secondary rate limit",
    status: 403,
    body: { message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again." },
    says: /GitHub answered 403 to GET .*\/pulls\/12\/files/,
  },
  {
    mode: "truncated JSON",
    status: 200,
    body: '[{"filename": "migrations/0002_drop_token.sql", "sta',
    headers: { "content-type": "application/json; charset=utf-8" },
    says: /invalid JSON/,
  },
  {
    mode: "a body that is no JSON at all",
    status: 200,
    body: "<html>unicorn</html>",
    headers: { "content-type": "application/json" },
    says: /invalid JSON/,
  },
];

describe("GitHub failing while the pull request's files are read", () => {
  let github: GitHubLog;

  beforeEach(() => {
    github = freshGitHub();
  });
  afterEach(expectEveryMockUsed);

  for (const fault of faults) {
    it(`${fault.mode}: the check fails and says what failed, and a re-run after recovery reviews once`, async () => {
      nockConfig(CONFIG_YAML);
      github
        .answer("POST", CHECKS, 201, { id: 71 })
        .answer("GET", FILES, fault.status, fault.body, fault.headers ? { headers: fault.headers } : {})
        .answer("PATCH", `${CHECKS}/71`, 200, { id: 71 });
      const pipeline = pipelineReadingFiles();
      const { probot, guard } = await startApp(pipeline.deps, FaultTestOctokit);

      await deliver(probot, "pull_request", fixture("pull_request.opened"), `fault-${fault.mode}`);
      await guard.idle();

      const [failed] = github.bodiesOf("PATCH", `${CHECKS}/71`);
      expect(failed).toMatchObject({ status: "completed", conclusion: "failure" });
      expect((failed?.output as { title: string }).title).toMatch(/^could not complete: /);
      expect((failed?.output as { title: string }).title).toMatch(fault.says);
      expect(pipeline.requests).toEqual([]);
      expect(github.writes()).toEqual([`POST ${CHECKS}`, `PATCH ${CHECKS}/71`]);

      // The same delivery again (GitHub's redelivery) changes nothing.
      await deliver(probot, "pull_request", fixture("pull_request.opened"), `fault-${fault.mode}`);
      await guard.idle();
      expect(github.writes()).toHaveLength(2);

      // GitHub recovers; someone re-runs the check.
      nockConfig(CONFIG_YAML);
      github
        .answer("POST", CHECKS, 201, { id: 72 })
        .answer("GET", FILES, 200, [listedFile])
        .answer("PATCH", `${CHECKS}/72`, 200, { id: 72 })
        .answer("GET", REVIEWS, 200, [])
        .answer("POST", REVIEWS, 200, { id: 500 })
        .answer("GET", COMMENTS, 200, [])
        .answer("POST", COMMENTS, 201, { id: 900 });
      await deliver(probot, "check_run", fixture("check_run.rerequested"));
      await guard.idle();

      expect(github.bodiesOf("PATCH", `${CHECKS}/72`)[0]).toMatchObject({ conclusion: "failure" });
      expect(github.writes().slice(2)).toEqual([`POST ${CHECKS}`, `PATCH ${CHECKS}/72`, `POST ${REVIEWS}`, `POST ${COMMENTS}`]);
    });
  }

  it("a connection that fails (a timeout) fails the check, and the app goes on reviewing", async () => {
    nockConfig(CONFIG_YAML);
    github.answer("POST", CHECKS, 201, { id: 73 }).answer("PATCH", `${CHECKS}/73`, 200, { id: 73 });
    const nock = (await import("nock")).default;
    nock("https://api.github.com").get(FILES).query(true).replyWithError({ code: "ETIMEDOUT", message: "connect ETIMEDOUT 140.82.121.6:443" });
    const pipeline = pipelineReadingFiles();
    const { probot, guard } = await startApp(pipeline.deps, FaultTestOctokit);

    await deliver(probot, "pull_request", fixture("pull_request.opened"));
    await guard.idle();

    const [failed] = github.bodiesOf("PATCH", `${CHECKS}/73`);
    expect(failed).toMatchObject({ conclusion: "failure" });
    expect((failed?.output as { title: string }).title).toMatch(/^could not complete: no answer from GitHub to GET \/repos\/r10score\/r10-notifications\/pulls\/12\/files/);
  });
});

describe("GitHub failing after the review was posted", () => {
  let github: GitHubLog;

  beforeEach(() => {
    github = freshGitHub();
  });
  afterEach(expectEveryMockUsed);

  it("a 5xx on the summary comment fails the check; the re-run posts the comment and no second review", async () => {
    nockConfig(CONFIG_YAML);
    github
      .answer("POST", CHECKS, 201, { id: 81 })
      .answer("GET", FILES, 200, [listedFile])
      .answer("PATCH", `${CHECKS}/81`, 200, { id: 81 }, { times: 2 })
      .answer("GET", REVIEWS, 200, [])
      .answer("POST", REVIEWS, 200, { id: 500 })
      .answer("GET", COMMENTS, 503, { message: "Service Unavailable" });
    const pipeline = pipelineReadingFiles();
    const { probot, guard } = await startApp(pipeline.deps, FaultTestOctokit);

    await deliver(probot, "pull_request", fixture("pull_request.opened"));
    await guard.idle();

    const patches = github.bodiesOf("PATCH", `${CHECKS}/81`);
    expect(patches.at(-1)).toMatchObject({ conclusion: "failure" });
    expect((patches.at(-1)?.output as { title: string }).title).toMatch(/GitHub answered 503 to GET .*\/issues\/12\/comments/);
    const [posted] = github.bodiesOf("POST", REVIEWS);

    // GitHub recovers: the review posted before is found, and only the comment is new.
    nockConfig(CONFIG_YAML);
    const bot = { login: "shared-schema-guard[bot]", type: "Bot" };
    github
      .answer("POST", CHECKS, 201, { id: 82 })
      .answer("GET", FILES, 200, [listedFile])
      .answer("PATCH", `${CHECKS}/82`, 200, { id: 82 })
      .answer("GET", REVIEWS, 200, [{ id: 500, user: bot, body: posted?.body, state: "CHANGES_REQUESTED", commit_id: posted?.commit_id }])
      .answer("GET", COMMENTS, 200, [])
      .answer("POST", COMMENTS, 201, { id: 900 });
    await deliver(probot, "check_run", fixture("check_run.rerequested"));
    await guard.idle();

    expect(github.writes().filter((write) => write === `POST ${REVIEWS}`)).toHaveLength(1);
    expect(github.bodiesOf("POST", COMMENTS)).toHaveLength(1);
    expect(github.bodiesOf("POST", COMMENTS)[0]?.body).toContain(STICKY_MARKER);
  });
});

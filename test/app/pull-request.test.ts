import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { STICKY_MARKER } from "../../src/github/comments.js";
import { reviewMarker } from "../../src/github/reviews.js";
import {
  CONFIG_YAML,
  deliver,
  fakePipeline,
  fixture,
  GitHubLog,
  nockConfig,
  expectEveryMockUsed,
  freshGitHub,
  outcome,
  REPO_PATH,
  startApp,
} from "./harness.js";
import { changedFile, finding } from "./helpers.js";

const HEAD = "2222222222222222222222222222222222222222";
const CHECKS = `${REPO_PATH}/check-runs`;
const REVIEWS = `${REPO_PATH}/pulls/12/reviews`;
const COMMENTS = `${REPO_PATH}/issues/12/comments`;
const bot = { login: "shared-schema-guard[bot]", type: "Bot" };

const onDiff = finding({ loc: { file: "migrations/0002_drop_token.sql", line: 3 }, fingerprint: "fp-on-diff" });
const offDiff = finding({ loc: { file: "migrations/0002_drop_token.sql", line: 30 }, fingerprint: "fp-off-diff" });
const files = [changedFile("migrations/0002_drop_token.sql", [1, 2, 3, 4, 5])];

describe("a pull request", () => {
  let github: GitHubLog;

  beforeEach(() => {
    github = freshGitHub();
  });
  afterEach(expectEveryMockUsed);

  it("that blocks gets an in-progress check, then the failed check, then a review and a summary comment", async () => {
    nockConfig(CONFIG_YAML);
    github
      .answer("POST", CHECKS, 201, { id: 77 })
      .answer("GET", REVIEWS, 200, [])
      .answer("POST", REVIEWS, 200, { id: 500 })
      .answer("GET", COMMENTS, 200, [])
      .answer("POST", COMMENTS, 201, { id: 900 })
      .answer("PATCH", `${CHECKS}/77`, 200, { id: 77 });
    const pipeline = fakePipeline(() => outcome([onDiff, offDiff]), files);
    const { probot, guard } = await startApp(pipeline.deps);

    await deliver(probot, "pull_request", fixture("pull_request.opened"));
    await guard.idle();

    expect(github.writes()).toEqual([`POST ${CHECKS}`, `PATCH ${CHECKS}/77`, `POST ${REVIEWS}`, `POST ${COMMENTS}`]);
    const [created] = github.bodiesOf("POST", CHECKS);
    expect(created).toMatchObject({ name: "shared-schema", head_sha: HEAD, status: "in_progress" });
    const [completed] = github.bodiesOf("PATCH", `${CHECKS}/77`);
    expect(completed).toMatchObject({ status: "completed", conclusion: "failure" });

    const [review] = github.bodiesOf("POST", REVIEWS);
    expect(review).toMatchObject({ commit_id: HEAD, event: "REQUEST_CHANGES" });
    expect(review?.comments).toEqual([expect.objectContaining({ path: onDiff.loc.file, line: 3, side: "RIGHT" })]);
    expect(review?.body).toContain("`migrations/0002_drop_token.sql:30`");
    expect(review?.body).toContain(reviewMarker(["fp-on-diff", "fp-off-diff"]));
    const [comment] = github.bodiesOf("POST", COMMENTS);
    expect(comment?.body).toContain(STICKY_MARKER);

    const [request] = pipeline.requests;
    expect(request?.service.name).toBe("notifications");
    expect(request?.changes.head.ref).toBe(HEAD);
    expect(request?.changes.base.ref).toBe("1111111111111111111111111111111111111111");
  });

  it("is reviewed on synchronize, reopened and ready_for_review too", async () => {
    for (let run = 0; run < 3; run++) nockConfig(CONFIG_YAML);
    github
      .answer("POST", CHECKS, 201, { id: 77 }, { times: 3 })
      .answer("GET", REVIEWS, 200, [], { times: 3 })
      .answer("GET", COMMENTS, 200, [], { times: 3 })
      .answer("PATCH", `${CHECKS}/77`, 200, { id: 77 }, { times: 3 });
    const pipeline = fakePipeline(() => outcome([]), files);
    const { probot, guard } = await startApp(pipeline.deps);
    for (const event of ["pull_request.synchronize", "pull_request.reopened", "pull_request.ready_for_review"]) {
      await deliver(probot, "pull_request", fixture(event));
      await guard.idle();
    }
    expect(pipeline.requests.map((request) => request.changes.head.ref)).toEqual([
      "3333333333333333333333333333333333333333",
      HEAD,
      HEAD,
    ]);
  });

  it("re-run with the same blocking findings posts no second review and edits the comment found on page 2", async () => {
    nockConfig(CONFIG_YAML);
    github
      .answer("POST", CHECKS, 201, { id: 78 })
      .answer("GET", REVIEWS, 200, [
        { id: 500, state: "CHANGES_REQUESTED", body: `old\n${reviewMarker(["fp-on-diff"])}`, user: bot, commit_id: HEAD },
      ])
      .answer("GET", COMMENTS, 200, [{ id: 1, body: "a human", user: { login: "octocat", type: "User" } }], {
        query: { per_page: "100" },
        headers: { link: `<https://api.github.com${COMMENTS}?per_page=100&page=2>; rel="next"` },
      })
      .answer("GET", COMMENTS, 200, [{ id: 901, body: `${STICKY_MARKER}\nan older summary`, user: bot }], {
        query: { per_page: "100", page: "2" },
      })
      .answer("PATCH", `${REPO_PATH}/issues/comments/901`, 200, { id: 901 })
      .answer("PATCH", `${CHECKS}/78`, 200, { id: 78 });
    const { probot, guard } = await startApp(fakePipeline(() => outcome([onDiff]), files).deps);

    await deliver(probot, "pull_request", fixture("pull_request.opened"));
    await guard.idle();

    expect(github.writes()).toEqual([`POST ${CHECKS}`, `PATCH ${CHECKS}/78`, `PATCH ${REPO_PATH}/issues/comments/901`]);
    expect(github.bodiesOf("PATCH", `${REPO_PATH}/issues/comments/901`)[0]?.body).toContain(STICKY_MARKER);
  });

  it("once clean dismisses the app's blocking review and says all clear in the existing comment", async () => {
    nockConfig(CONFIG_YAML);
    github
      .answer("POST", CHECKS, 201, { id: 79 })
      .answer("GET", REVIEWS, 200, [
        { id: 500, state: "CHANGES_REQUESTED", body: reviewMarker(["fp-on-diff"]), user: bot },
        { id: 501, state: "CHANGES_REQUESTED", body: "a human reviewer", user: { login: "octocat", type: "User" } },
      ])
      .answer("PUT", `${REVIEWS}/500/dismissals`, 200, { id: 500 })
      .answer("GET", COMMENTS, 200, [{ id: 901, body: `${STICKY_MARKER}\n1 blocking finding`, user: bot }])
      .answer("PATCH", `${REPO_PATH}/issues/comments/901`, 200, { id: 901 })
      .answer("PATCH", `${CHECKS}/79`, 200, { id: 79 });
    const { probot, guard } = await startApp(fakePipeline(() => outcome([]), files).deps);

    await deliver(probot, "pull_request", fixture("pull_request.synchronize"));
    await guard.idle();

    expect(github.writes()).toEqual([
      `POST ${CHECKS}`,
      `PATCH ${CHECKS}/79`,
      `PUT ${REVIEWS}/500/dismissals`,
      `PATCH ${REPO_PATH}/issues/comments/901`,
    ]);
    expect(github.bodiesOf("PATCH", `${CHECKS}/79`)[0]).toMatchObject({ conclusion: "success" });
  });

  it("with only warnings passes the check and gets a summary comment but no review", async () => {
    nockConfig(CONFIG_YAML);
    github
      .answer("POST", CHECKS, 201, { id: 83 })
      .answer("GET", REVIEWS, 200, [])
      .answer("GET", COMMENTS, 200, [])
      .answer("POST", COMMENTS, 201, { id: 903 })
      .answer("PATCH", `${CHECKS}/83`, 200, { id: 83 });
    const { probot, guard } = await startApp(fakePipeline(() => outcome([finding({ severity: "warning" })]), files).deps);

    await deliver(probot, "pull_request", fixture("pull_request.opened"));
    await guard.idle();

    expect(github.writes()).toEqual([`POST ${CHECKS}`, `PATCH ${CHECKS}/83`, `POST ${COMMENTS}`]);
    expect(github.bodiesOf("PATCH", `${CHECKS}/83`)[0]).toMatchObject({ conclusion: "success" });
  });

  it("that is clean gets a successful check and no comment", async () => {
    nockConfig(CONFIG_YAML);
    github
      .answer("POST", CHECKS, 201, { id: 80 })
      .answer("GET", REVIEWS, 200, [])
      .answer("GET", COMMENTS, 200, [])
      .answer("PATCH", `${CHECKS}/80`, 200, { id: 80 });
    const { probot, guard } = await startApp(fakePipeline(() => outcome([]), files).deps);

    await deliver(probot, "pull_request", fixture("pull_request.opened"));
    await guard.idle();

    expect(github.writes()).toEqual([`POST ${CHECKS}`, `PATCH ${CHECKS}/80`]);
    expect(github.bodiesOf("PATCH", `${CHECKS}/80`)[0]).toMatchObject({ conclusion: "success" });
  });

  it("that touches no migration and no SQL gets a success check that says so, and no comment or review", async () => {
    nockConfig(CONFIG_YAML);
    github
      .answer("POST", CHECKS, 201, { id: 81 })
      .answer("GET", REVIEWS, 200, [])
      .answer("GET", COMMENTS, 200, [])
      .answer("PATCH", `${CHECKS}/81`, 200, { id: 81 });
    const pipeline = fakePipeline(() => outcome([], { nothingToAnalyse: true, notes: ["This pull request changes no migration."] }));
    const { probot, guard } = await startApp(pipeline.deps);

    await deliver(probot, "pull_request", fixture("pull_request.opened"));
    await guard.idle();

    expect(github.writes()).toEqual([`POST ${CHECKS}`, `PATCH ${CHECKS}/81`]);
    const [completed] = github.bodiesOf("PATCH", `${CHECKS}/81`);
    expect(completed).toMatchObject({ conclusion: "success", output: { title: "No migration or SQL changed" } });
  });

  it("with 120 findings sends its annotations in three requests", async () => {
    nockConfig(CONFIG_YAML);
    const many = Array.from({ length: 120 }, (_, index) =>
      finding({ severity: "warning", loc: { file: "migrations/0002_drop_token.sql", line: index + 1 }, fingerprint: `fp-${index}` }),
    );
    github
      .answer("POST", CHECKS, 201, { id: 82 })
      .answer("GET", REVIEWS, 200, [])
      .answer("GET", COMMENTS, 200, [])
      .answer("POST", COMMENTS, 201, { id: 902 })
      .answer("PATCH", `${CHECKS}/82`, 200, { id: 82 }, { times: 3 });
    const { probot, guard } = await startApp(fakePipeline(() => outcome(many), files).deps);

    await deliver(probot, "pull_request", fixture("pull_request.opened"));
    await guard.idle();

    const patches = github.bodiesOf("PATCH", `${CHECKS}/82`);
    expect(patches.map((body) => (body.output as { annotations: unknown[] }).annotations.length)).toEqual([50, 50, 20]);
    expect(patches[0]).toMatchObject({ status: "completed", conclusion: "success" });
    const titles = new Set(patches.map((body) => (body.output as { title: string }).title));
    expect(titles.size).toBe(1);
  });
});

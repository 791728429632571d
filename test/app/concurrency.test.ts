import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ReviewOutcome } from "../../src/pipeline/types.js";
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

const OLD_HEAD = "2222222222222222222222222222222222222222";
const NEW_HEAD = "3333333333333333333333333333333333333333";
const CHECKS = `${REPO_PATH}/check-runs`;
const REVIEWS = `${REPO_PATH}/pulls/12/reviews`;
const COMMENTS = `${REPO_PATH}/issues/12/comments`;
const files = [changedFile("migrations/0002_drop_token.sql", [3])];

describe("deliveries and runs", () => {
  let github: GitHubLog;

  beforeEach(() => {
    github = freshGitHub();
  });
  afterEach(expectEveryMockUsed);

  it("a redelivered webhook changes nothing", async () => {
    nockConfig(CONFIG_YAML);
    github
      .answer("POST", CHECKS, 201, { id: 60 })
      .answer("GET", REVIEWS, 200, [])
      .answer("GET", COMMENTS, 200, [])
      .answer("PATCH", `${CHECKS}/60`, 200, { id: 60 });
    const pipeline = fakePipeline(() => outcome([]), files);
    const { probot, guard } = await startApp(pipeline.deps);

    await deliver(probot, "pull_request", fixture("pull_request.opened"), "same-delivery");
    await deliver(probot, "pull_request", fixture("pull_request.opened"), "same-delivery");
    await guard.idle();

    expect(pipeline.requests).toHaveLength(1);
    expect(github.writes()).toEqual([`POST ${CHECKS}`, `PATCH ${CHECKS}/60`]);
  });

  it("a run for an older head SHA completes its own check but never posts over the newer one", async () => {
    nockConfig(CONFIG_YAML);
    nockConfig(CONFIG_YAML);
    github
      .answer("POST", CHECKS, 201, { id: 61 })
      .answer("POST", CHECKS, 201, { id: 62 })
      .answer("PATCH", `${CHECKS}/61`, 200, { id: 61 })
      .answer("GET", REVIEWS, 200, [])
      .answer("POST", REVIEWS, 200, { id: 700 })
      .answer("GET", COMMENTS, 200, [])
      .answer("POST", COMMENTS, 201, { id: 800 })
      .answer("PATCH", `${CHECKS}/62`, 200, { id: 62 });
    let releaseOld: (value: ReviewOutcome) => void = () => undefined;
    const oldRun = new Promise<ReviewOutcome>((resolve) => {
      releaseOld = resolve;
    });
    const pipeline = fakePipeline(
      (request) => (request.changes.head.ref === OLD_HEAD ? oldRun : outcome([finding({ fingerprint: "new" })])),
      files,
    );
    const { probot, guard } = await startApp(pipeline.deps);

    await deliver(probot, "pull_request", fixture("pull_request.opened"));
    await deliver(probot, "pull_request", fixture("pull_request.synchronize"));
    releaseOld(outcome([finding({ fingerprint: "old" })]));
    await guard.idle();

    expect(github.writes()).toEqual([
      `POST ${CHECKS}`,
      `POST ${CHECKS}`,
      `PATCH ${CHECKS}/61`,
      `PATCH ${CHECKS}/62`,
      `POST ${REVIEWS}`,
      `POST ${COMMENTS}`,
    ]);
    expect(github.bodiesOf("POST", CHECKS).map((body) => body.head_sha)).toEqual([OLD_HEAD, NEW_HEAD]);
    expect(github.bodiesOf("PATCH", `${CHECKS}/61`)[0]).toMatchObject({ conclusion: "failure" });
    expect(github.bodiesOf("POST", REVIEWS)[0]).toMatchObject({ commit_id: NEW_HEAD });
  });

  it("an API failure while posting the review turns the completed check into a failure, and the app goes on serving", async () => {
    nockConfig(CONFIG_YAML);
    nockConfig(CONFIG_YAML);
    github
      .answer("POST", CHECKS, 201, { id: 63 })
      .answer("PATCH", `${CHECKS}/63`, 200, { id: 63 }, { times: 2 })
      .answer("GET", REVIEWS, 502, { message: "Bad Gateway" })
      .answer("POST", CHECKS, 201, { id: 64 })
      .answer("GET", REVIEWS, 200, [])
      .answer("GET", COMMENTS, 200, [])
      .answer("PATCH", `${CHECKS}/64`, 200, { id: 64 });
    const { probot, guard } = await startApp(fakePipeline(() => outcome([]), files).deps);

    await deliver(probot, "pull_request", fixture("pull_request.opened"));
    await guard.idle();
    await deliver(probot, "pull_request", fixture("pull_request.reopened"));
    await guard.idle();

    const [verdict, failed] = github.bodiesOf("PATCH", `${CHECKS}/63`);
    expect(verdict).toMatchObject({ status: "completed", conclusion: "success" });
    expect(failed).toMatchObject({ status: "completed", conclusion: "failure" });
    expect((failed?.output as { title: string }).title).toBe(`could not complete: GitHub answered 502 to GET ${REVIEWS}`);
    expect(github.bodiesOf("PATCH", `${CHECKS}/64`)[0]).toMatchObject({ conclusion: "success" });
  });

  it("a pipeline exception fails the check with its reason, never leaving it in progress", async () => {
    nockConfig(CONFIG_YAML);
    github.answer("POST", CHECKS, 201, { id: 65 }).answer("PATCH", `${CHECKS}/65`, 200, { id: 65 });
    const { probot, guard } = await startApp(
      fakePipeline(() => {
        throw new Error("libpg-query crashed");
      }).deps,
    );

    await deliver(probot, "pull_request", fixture("pull_request.opened"));
    await guard.idle();

    expect(github.bodiesOf("PATCH", `${CHECKS}/65`)[0]).toMatchObject({
      status: "completed",
      conclusion: "failure",
      output: { title: "could not complete: libpg-query crashed" },
    });
  });

  it("answers the webhook before the analysis finishes", async () => {
    nockConfig(CONFIG_YAML);
    github
      .answer("POST", CHECKS, 201, { id: 66 })
      .answer("GET", REVIEWS, 200, [])
      .answer("GET", COMMENTS, 200, [])
      .answer("PATCH", `${CHECKS}/66`, 200, { id: 66 });
    let release: (value: ReviewOutcome) => void = () => undefined;
    const slow = new Promise<ReviewOutcome>((resolve) => {
      release = resolve;
    });
    const { probot, guard } = await startApp(fakePipeline(() => slow, files).deps);

    await deliver(probot, "pull_request", fixture("pull_request.opened"));
    expect(github.writes()).toEqual([`POST ${CHECKS}`]);
    release(outcome([]));
    await guard.idle();
    expect(github.writes()).toEqual([`POST ${CHECKS}`, `PATCH ${CHECKS}/66`]);
  });
});

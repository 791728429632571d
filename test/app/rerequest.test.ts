import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CONFIG_YAML, deliver, fakePipeline, fixture, GitHubLog, nockConfig, expectEveryMockUsed, freshGitHub, outcome, REPO_PATH, startApp } from "./harness.js";

const HEAD = "2222222222222222222222222222222222222222";
const CHECKS = `${REPO_PATH}/check-runs`;

describe("a re-requested check", () => {
  let github: GitHubLog;

  beforeEach(() => {
    github = freshGitHub();
  });
  afterEach(expectEveryMockUsed);

  function answerCleanRun(id: number): void {
    github
      .answer("POST", CHECKS, 201, { id })
      .answer("GET", `${REPO_PATH}/pulls/12/reviews`, 200, [])
      .answer("GET", `${REPO_PATH}/issues/12/comments`, 200, [])
      .answer("PATCH", `${CHECKS}/${id}`, 200, { id });
  }

  it("check_run: reviews the pull request of the payload again on the same head SHA", async () => {
    nockConfig(CONFIG_YAML);
    answerCleanRun(90);
    const pipeline = fakePipeline(() => outcome([]));
    const { probot, guard } = await startApp(pipeline.deps);

    await deliver(probot, "check_run", fixture("check_run.rerequested"));
    await guard.idle();

    expect(github.bodiesOf("POST", CHECKS)[0]).toMatchObject({ name: "shared-schema", head_sha: HEAD, status: "in_progress" });
    expect(github.bodiesOf("PATCH", `${CHECKS}/90`)[0]).toMatchObject({ conclusion: "success" });
    expect(pipeline.requests.map((request) => request.changes.head.ref)).toEqual([HEAD]);
  });

  it("check_run of another app's check is not ours to re-run", async () => {
    const payload = fixture("check_run.rerequested");
    (payload.check_run as { name: string }).name = "lint";
    const pipeline = fakePipeline(() => outcome([]));
    const { probot, guard } = await startApp(pipeline.deps);

    await deliver(probot, "check_run", payload);
    await guard.idle();

    expect(github.requests).toEqual([]);
    expect(pipeline.requests).toEqual([]);
  });

  it("check_suite: finds the pull requests of the head SHA when the payload lists none (forks)", async () => {
    const payload = fixture("check_suite.rerequested");
    (payload.check_suite as { pull_requests: unknown[] }).pull_requests = [];
    nockConfig(CONFIG_YAML);
    github.answer("GET", `${REPO_PATH}/commits/${HEAD}/pulls`, 200, [
      { number: 12, state: "open", head: { sha: HEAD }, base: { sha: "1".repeat(40), repo: { id: 700002 } } },
      { number: 9, state: "closed", head: { sha: HEAD }, base: { sha: "1".repeat(40), repo: { id: 700002 } } },
    ]);
    answerCleanRun(91);
    const pipeline = fakePipeline(() => outcome([]));
    const { probot, guard } = await startApp(pipeline.deps);

    await deliver(probot, "check_suite", payload);
    await guard.idle();

    expect(pipeline.requests).toHaveLength(1);
    expect(github.bodiesOf("PATCH", `${CHECKS}/91`)[0]).toMatchObject({ conclusion: "success" });
  });

  it("check_suite: reviews each pull request the payload lists", async () => {
    nockConfig(CONFIG_YAML);
    answerCleanRun(92);
    const pipeline = fakePipeline(() => outcome([]));
    const { probot, guard } = await startApp(pipeline.deps);

    await deliver(probot, "check_suite", fixture("check_suite.rerequested"));
    await guard.idle();

    expect(pipeline.requests.map((request) => request.changes.head.ref)).toEqual([HEAD]);
  });

  it("check_run without pull_requests (a fork, a closed pull request): finds the pull request from the head SHA", async () => {
    const payload = fixture("check_run.rerequested");
    Reflect.deleteProperty(payload.check_run as Record<string, unknown>, "pull_requests");
    nockConfig(CONFIG_YAML);
    github.answer("GET", `${REPO_PATH}/commits/${HEAD}/pulls`, 200, [
      { number: 12, state: "open", head: { sha: HEAD }, base: { sha: "1".repeat(40), repo: { id: 700002 } } },
    ]);
    answerCleanRun(93);
    const pipeline = fakePipeline(() => outcome([]));
    const { probot, guard } = await startApp(pipeline.deps);

    await deliver(probot, "check_run", payload);
    await guard.idle();

    expect(pipeline.requests.map((request) => request.changes.head.ref)).toEqual([HEAD]);
    expect(github.bodiesOf("PATCH", `${CHECKS}/93`)[0]).toMatchObject({ conclusion: "success" });
  });

  it("check_run whose commit heads no open pull request concludes neutral, saying why", async () => {
    const payload = fixture("check_run.rerequested");
    Reflect.deleteProperty(payload.check_run as Record<string, unknown>, "pull_requests");
    github
      .answer("GET", `${REPO_PATH}/commits/${HEAD}/pulls`, 200, [
        { number: 12, state: "closed", head: { sha: HEAD }, base: { sha: "1".repeat(40), repo: { id: 700002 } } },
      ])
      .answer("POST", CHECKS, 201, { id: 94 });
    const pipeline = fakePipeline(() => outcome([]));
    const { probot, guard } = await startApp(pipeline.deps);

    await deliver(probot, "check_run", payload);
    await guard.idle();

    expect(pipeline.requests).toEqual([]);
    const [check] = github.bodiesOf("POST", CHECKS);
    expect(check).toMatchObject({ head_sha: HEAD, status: "completed", conclusion: "neutral", output: { title: "No open pull request to review" } });
    expect((check?.output as { summary: string }).summary).toContain("heads no open pull request");
  });
});

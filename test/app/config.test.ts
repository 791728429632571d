import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CONFIG_YAML, deliver, fakePipeline, fixture, GitHubLog, nockConfig, expectEveryMockUsed, freshGitHub, outcome, REPO_PATH, startApp } from "./harness.js";

const CHECKS = `${REPO_PATH}/check-runs`;

describe("the configuration", () => {
  let github: GitHubLog;

  beforeEach(() => {
    github = freshGitHub();
  });
  afterEach(expectEveryMockUsed);

  it("missing everywhere gets a neutral check that explains how to add one", async () => {
    nockConfig(null);
    github.answer("POST", CHECKS, 201, { id: 1 });
    const pipeline = fakePipeline(() => outcome([]));
    const { probot, guard } = await startApp(pipeline.deps);

    await deliver(probot, "pull_request", fixture("pull_request.opened"));
    await guard.idle();

    const [check] = github.bodiesOf("POST", CHECKS);
    expect(check).toMatchObject({ name: "shared-schema", status: "completed", conclusion: "neutral" });
    expect((check?.output as { summary: string }).summary).toContain(".github/shared-schema.yml");
    expect(pipeline.requests).toEqual([]);
  });

  it("invalid fails the check with each problem at its line and column", async () => {
    const invalid = CONFIG_YAML.replace("format: sql", "format: flyway");
    nockConfig(invalid);
    nockConfig(invalid);
    github.answer("POST", CHECKS, 201, { id: 2 });
    const { probot, guard } = await startApp(fakePipeline(() => outcome([])).deps);

    await deliver(probot, "pull_request", fixture("pull_request.opened"));
    await guard.idle();

    const [check] = github.bodiesOf("POST", CHECKS);
    expect(check).toMatchObject({ status: "completed", conclusion: "failure" });
    const summary = (check?.output as { summary: string }).summary;
    expect(summary).toMatch(/\.github\/shared-schema\.yml:12:\d+: services\.notifications\.migrations\[0\]\.format: must be one of/);
  });

  it("that is not YAML fails the check with the place of the syntax error", async () => {
    const broken = "default_owner: hub\nservices: [unclosed\n";
    nockConfig(broken);
    nockConfig(broken);
    github.answer("POST", CHECKS, 201, { id: 3 });
    const { probot, guard } = await startApp(fakePipeline(() => outcome([])).deps);

    await deliver(probot, "pull_request", fixture("pull_request.opened"));
    await guard.idle();

    const [check] = github.bodiesOf("POST", CHECKS);
    expect(check).toMatchObject({ conclusion: "failure" });
    expect((check?.output as { summary: string }).summary).toMatch(/\.github\/shared-schema\.yml:\d+:\d+: /);
  });

  it("that names no service for this repository means the app stays silent", async () => {
    nockConfig(CONFIG_YAML.replace("repo: r10score/r10-notifications", "repo: r10score/r10-push"));
    const pipeline = fakePipeline(() => outcome([]));
    const { probot, guard } = await startApp(pipeline.deps);

    await deliver(probot, "pull_request", fixture("pull_request.opened"));
    await guard.idle();

    expect(github.requests).toEqual([]);
    expect(pipeline.requests).toEqual([]);
  });

  it("that cannot be read fails the check saying so", async () => {
    github
      .answer("GET", (uri) => uri.includes("shared-schema.yml"), 500, { message: "Server Error" })
      .answer("POST", CHECKS, 201, { id: 4 });
    const { probot, guard } = await startApp(fakePipeline(() => outcome([])).deps);

    await deliver(probot, "pull_request", fixture("pull_request.opened"));
    await guard.idle();

    const [check] = github.bodiesOf("POST", CHECKS);
    expect(check).toMatchObject({ status: "completed", conclusion: "failure" });
    expect((check?.output as { title: string }).title).toMatch(/^could not complete: GitHub answered 500 to GET /);
  });
});

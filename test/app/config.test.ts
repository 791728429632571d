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

  it("keeps an _extends path inside the repository it names, with the place of the value", async () => {
    nockConfig('_extends: ".github:../../outside.yml"\n');
    github.answer("POST", CHECKS, 201, { id: 5 });
    const { probot, guard } = await startApp(fakePipeline(() => outcome([])).deps);

    await deliver(probot, "pull_request", fixture("pull_request.opened"));
    await guard.idle();

    const [check] = github.bodiesOf("POST", CHECKS);
    expect(check).toMatchObject({ status: "completed", conclusion: "failure" });
    expect((check?.output as { summary: string }).summary).toContain(
      '.github/shared-schema.yml:1:11: _extends: ".github:../../outside.yml" leaves the repository it names',
    );
  });

  it("follows _extends into the organisation's repository and merges as Probot does", async () => {
    nockConfig("_extends: .github:shared/schema.yml\ntables:\n  r10_device: { owner: notifications }\n");
    github.answer("GET", "/repos/r10score/.github/contents/shared%2Fschema.yml", 200, CONFIG_YAML, {
      headers: { "content-type": "text/plain; charset=utf-8" },
    });
    const pipeline = fakePipeline(() => outcome([]));
    const { probot, guard } = await startApp(pipeline.deps);
    github.answer("POST", CHECKS, 201, { id: 6 }).answer("PATCH", `${CHECKS}/6`, 200, {});

    await deliver(probot, "pull_request", fixture("pull_request.opened"));
    await guard.idle();

    const tables = pipeline.requests[0]?.config.tables;
    expect(tables?.get("r10_device")).toEqual({ owner: "notifications", writers: ["notifications"] });
    expect(tables?.get("r10_live_activity_token")).toEqual({ owner: "notifications", writers: ["notifications"] });
  });

  it("rejects __proto__ as a name with its place, like any other problem", async () => {
    nockConfig(`${CONFIG_YAML}  __proto__: { owner: hub }\n`);
    github.answer("POST", CHECKS, 201, { id: 7 });
    const { probot, guard } = await startApp(fakePipeline(() => outcome([])).deps);

    await deliver(probot, "pull_request", fixture("pull_request.opened"));
    await guard.idle();

    const [check] = github.bodiesOf("POST", CHECKS);
    expect(check).toMatchObject({ conclusion: "failure" });
    expect((check?.output as { summary: string }).summary).toContain('.github/shared-schema.yml:16:3: tables.__proto__: "__proto__" is a reserved name');
  });
});

// `review --repo --pr`: a pull request reviewed through GitHub's API with a token, posting
// what the app posts, against a local server playing GitHub over the example repositories.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseCommandLine } from "../../src/cli/args.js";
import { runCli } from "../../src/cli/run.js";
import { buildExampleWorkspace } from "../../src/local/workspace-builder.js";
import { FakeGitHub } from "../e2e/fake-github.js";

const OWNER = "r10score";
const folders: string[] = [];
afterAll(async () => Promise.all(folders.map((dir) => rm(dir, { recursive: true, force: true }))));

async function fakeFor(scenario: string, options: { withoutConfig?: boolean } = {}) {
  const dir = await mkdtemp(path.join(tmpdir(), "ssg-cli-github-"));
  folders.push(dir);
  const workspace = await buildExampleWorkspace(dir, scenario);
  if (options.withoutConfig) await rm(path.join(workspace.dir, ".github"), { recursive: true, force: true });
  const fake = await FakeGitHub.start(workspace.dir, OWNER);
  const repoName = workspace.scenario?.repoName ?? "r10-hub";
  const pr = await fake.openPullRequest(repoName, 5, workspace.scenario?.branch ?? "main");
  return { fake, pr, repo: `${OWNER}/${repoName}` };
}

async function cli(argv: string[], env: NodeJS.ProcessEnv = {}) {
  let stdout = "";
  let stderr = "";
  const status = await runCli(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) }, process.cwd(), env);
  return { status, stdout, stderr };
}

describe("review in GitHub mode", { timeout: 120_000 }, () => {
  let blocking: Awaited<ReturnType<typeof fakeFor>>;
  beforeAll(async () => {
    blocking = await fakeFor("column-rename");
  });
  afterAll(() => blocking.fake.close());

  it("prints SARIF, posts the failed check and the sticky comment, and exits 1", async () => {
    const { fake, pr, repo } = blocking;
    const result = await cli(["review", "--repo", repo, "--pr", "5", "--format", "sarif", "--api-url", fake.url], { GITHUB_TOKEN: "ghs_from_env" });

    expect(result.stderr).toBe("");
    expect(result.status).toBe(1);
    const sarif = JSON.parse(result.stdout) as { version: string; runs: { results: { ruleId: string; level: string }[] }[] };
    expect(sarif.version).toBe("2.1.0");
    expect(sarif.runs[0]?.results).toContainEqual(expect.objectContaining({ ruleId: "breaking-change", level: "error" }));
    expect(fake.unanswered()).toEqual([]);
    expect(new Set(fake.requests.map((request) => request.authorization))).toEqual(new Set(["token ghs_from_env"]));
    expect(fake.checkRuns.at(-1)).toMatchObject({ name: "shared-schema", head_sha: pr.headSha, conclusion: "failure" });
    expect(fake.comments).toHaveLength(1);
  });

  it("prints workflow command annotations; --github-token wins over GITHUB_TOKEN, GITHUB_API_URL names the API", async () => {
    const { fake, repo } = blocking;
    const before = fake.requests.length;
    const result = await cli(["review", "--repo", repo, "--pr", "5", "--format", "github", "--github-token", "ghs_flag"], {
      GITHUB_TOKEN: "ghs_from_env",
      GITHUB_API_URL: fake.url,
    });

    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/^::error file=dao\/migrations\/[^,]+\.py,line=\d+,title=breaking-change%3A r10_odd_company\.name::/m);
    expect(new Set(fake.requests.slice(before).map((request) => request.authorization))).toEqual(new Set(["token ghs_flag"]));
    expect(fake.comments).toHaveLength(1);
  });

  it("posts the neutral check and exits 0 for a repository without configuration", async () => {
    const { fake, pr, repo } = await fakeFor("clean-change", { withoutConfig: true });
    try {
      const result = await cli(["review", "--repo", repo, "--pr", "5", "--api-url", fake.url], { GITHUB_TOKEN: "t" });
      expect(result.status).toBe(0);
      expect(result.stderr).toContain(`no .github/shared-schema.yml in ${repo} nor in ${OWNER}/.github`);
      expect(fake.checkRuns).toMatchObject([{ head_sha: pr.headSha, conclusion: "neutral" }]);
    } finally {
      await fake.close();
    }
  });

  it("exits 2 and says what GitHub refused when the pull request does not exist", async () => {
    const { fake, repo } = blocking;
    const result = await cli(["review", "--repo", repo, "--pr", "404", "--api-url", fake.url], { GITHUB_TOKEN: "t" });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^shared-schema-guard: could not complete: /);
  });
});

describe("GitHub mode's command line", () => {
  it("takes the token and the API from the environment as Actions sets them", () => {
    expect(parseCommandLine(["review", "--repo", "o/r", "--pr", "3"], "/", { GITHUB_TOKEN: "t", GITHUB_API_URL: "https://ghe.example/api/v3" })).toEqual({
      command: "review-github",
      repo: "o/r",
      pullNumber: 3,
      token: "t",
      apiUrl: "https://ghe.example/api/v3",
      format: "markdown",
    });
    expect(parseCommandLine(["review", "--repo", "o/r", "--pr", "3", "--github-token", "x"], "/", {})).toMatchObject({ apiUrl: "https://api.github.com", token: "x" });
  });

  it.each([
    [["review", "--repo", "o/r", "--pr", "3"], {}, /needs a token: --github-token TOKEN or GITHUB_TOKEN/],
    [["review", "--repo", "o/r", "--pr", "three"], { GITHUB_TOKEN: "t" }, /needs --pr NUMBER \(got "three"\)/],
    [["review", "--repo", "just-a-name", "--pr", "3"], { GITHUB_TOKEN: "t" }, /needs --repo OWNER\/NAME/],
    [["review", "--pr", "3"], { GITHUB_TOKEN: "t" }, /needs --repo OWNER\/NAME/],
    [["review", "--repo", "o/r", "--pr", "3", "--service", "hub"], { GITHUB_TOKEN: "t" }, /review in GitHub mode does not take --service/],
    [["review", "--repo", "o/r", "--pr", "3", "--api-url", "not a url"], { GITHUB_TOKEN: "t" }, /--api-url must be a URL/],
    [["schema", "--repo", "o/r"], {}, /schema does not take --repo/],
  ])("%j exits 2", async (argv, env, message) => {
    const result = await cli(argv, env);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(message);
  });
});

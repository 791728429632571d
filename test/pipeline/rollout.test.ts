import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/run.js";
import { buildExampleWorkspace, type ExampleWorkspace } from "../../src/local/workspace-builder.js";

const run = promisify(execFile);
let dir = "";
let workspace: ExampleWorkspace;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "ssg-rollout-"));
  workspace = await buildExampleWorkspace(path.join(dir, "ws"), "cross-service-fk");
  // A tag on the pull request's head: its migrations are "already there" for a baseline naming it.
  await run("git", ["-C", workspace.scenario?.checkout ?? "", "tag", "schema-baseline"]);
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

async function reviewWith(extra: string, format = "json") {
  const orgConfig = await readFile(path.join(workspace.dir, ".github", ".github", "shared-schema.yml"), "utf8");
  const config = path.join(dir, `config-${extra.length}-${format}.yml`);
  await writeFile(config, `${orgConfig}\n${extra}\n`);
  const scenario = workspace.scenario;
  let stdout = "";
  let stderr = "";
  const argv = ["review", "--service", scenario?.service ?? "", "--workspace", workspace.dir, "--config", config, "--head", scenario?.branch ?? "", "--format", format];
  const status = await runCli(argv, { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text) });
  return { status, stdout, stderr };
}

describe("rolling out over an existing history", () => {
  it("without mode or baseline, the cross-service foreign key blocks", async () => {
    const { status, stdout } = await reviewWith("");
    expect(status).toBe(1);
    expect((JSON.parse(stdout) as { conclusion: string }).conclusion).toBe("failure");
  });

  it("mode: advisory reports the same findings, concludes neutral and exits 0", async () => {
    const { status, stdout } = await reviewWith("mode: advisory");
    expect(status).toBe(0);
    const report = JSON.parse(stdout) as { conclusion: string; findings: { rule: string; severity: string }[] };
    expect(report.conclusion).toBe("neutral");
    expect(report.findings).toContainEqual(expect.objectContaining({ rule: "cross-service-foreign-key", severity: "error" }));
    const markdown = await reviewWith("mode: advisory", "markdown");
    expect(markdown.stdout).toMatch(/^\*\*Advisory\*\*: would block, but `mode: advisory` fails nothing: /);
  });

  it("baseline: findings in migrations present at the baseline ref are not reported, and a note says how many", async () => {
    const { status, stdout } = await reviewWith("baseline: schema-baseline", "markdown");
    expect(status).toBe(0);
    expect(stdout).not.toContain("cross-service-foreign-key");
    expect(stdout).toMatch(/\d+ findings? (is|are) not reported: in migrations already present at the baseline `schema-baseline`\./);
  });

  it("baseline at a ref before the migration was added hides nothing", async () => {
    const { status } = await reviewWith("baseline: main");
    expect(status).toBe(1);
  });

  it("a baseline that cannot be read hides nothing and says so", async () => {
    const { status, stdout } = await reviewWith("baseline: no-such-tag", "markdown");
    expect(status).toBe(1);
    expect(stdout).toContain("The baseline `no-such-tag` could not be read");
  });
});

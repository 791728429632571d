import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/run.js";
import { buildExampleWorkspace, listScenarios, readScenario } from "../../src/local/workspace-builder.js";

const run = promisify(execFile);
const folders: string[] = [];
afterAll(async () => Promise.all(folders.map((dir) => rm(dir, { recursive: true, force: true }))));

async function workspaceWith(scenario?: string) {
  const dir = await mkdtemp(path.join(tmpdir(), "ssg-cli-"));
  folders.push(dir);
  return buildExampleWorkspace(dir, scenario);
}

async function cli(argv: string[]) {
  let stdout = "";
  let stderr = "";
  const status = await runCli(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { status, stdout, stderr };
}

interface JsonFinding {
  rule: string;
  severity: string;
  table?: string;
  column?: string;
  file: string;
  line: number;
  consumers: { repo: string; path: string; line: number }[];
  needs: string[];
  suppressed: boolean;
  suppressionReason: string | null;
}

async function reviewJson(scenario: string) {
  const ws = await workspaceWith(scenario);
  const info = ws.scenario!;
  const result = await cli(["review", "--service", info.service, "--workspace", ws.dir, "--head", info.branch, "--format", "json"]);
  return { ...result, json: JSON.parse(result.stdout) as { conclusion: string; findings: JsonFinding[] }, ws };
}

describe("shared-schema-guard review over the example repositories", async () => {
  const scenarios = await listScenarios();

  it.each(scenarios)("scenario %s concludes as the example says, with the rules it names", async (name) => {
    const scenario = await readScenario(name);
    const { status, json } = await reviewJson(name);
    expect(json.conclusion).toBe(scenario.expect);
    expect(status).toBe(scenario.expect === "failure" ? 1 : 0);
    for (const ruleId of scenario.rules) expect(json.findings.map((f) => f.rule)).toContain(ruleId);
  });

  it.each(["index-on-shared-table", "not-null-on-shared-table", "rewrite-own-table"])("prints the lock finding of %s with its safe recipe", async (name) => {
    const ws = await workspaceWith(name);
    const info = ws.scenario!;
    const { stdout } = await cli(["review", "--service", info.service, "--workspace", ws.dir, "--head", info.branch]);
    expect(stdout).toContain("Safe recipe");
    expect(stdout.replace(/commit [0-9a-f]{7}/g, "commit <sha>")).toMatchSnapshot();
  });

  it("names the consumer of a renamed column by repository, file and line", async () => {
    const { json } = await reviewJson("column-rename");
    const breaking = json.findings.find((f) => f.rule === "breaking-change");
    expect(breaking).toMatchObject({ severity: "error", table: "r10_odd_company", column: "name", needs: ["odds"], suppressed: false });
    expect(breaking?.consumers).toContainEqual({ repo: "r10score/r10-odds", path: "internal/db/companies.go", line: 17 });
  });

  it("shows a suppressed finding as suppressed and does not fail on it", async () => {
    const { json, status } = await reviewJson("suppressed");
    expect(status).toBe(0);
    expect(json.findings.find((f) => f.rule === "table-prefix")).toMatchObject({ suppressed: true, severity: "error" });
  });

  it("never lets a suppression stand in for another service's consent: shown with its reason, still blocking", async () => {
    const { json, status } = await reviewJson("suppressed-foreign-change");
    expect(status).toBe(1);
    expect(json.findings.find((f) => f.rule === "foreign-schema-change")).toMatchObject({
      suppressed: false,
      suppressionReason: "agreed with the hub team in PLAT-412",
      needs: ["hub"],
      severity: "error",
    });
    const ws = await workspaceWith("suppressed-foreign-change");
    const markdown = await cli(["review", "--service", "notifications", "--workspace", ws.dir, "--head", ws.scenario!.branch]);
    expect(markdown.stdout).toContain(
      "Suppression noted (agreed with the hub team in PLAT-412), but a suppression cannot replace the consent of hub: it still needs `/ownership ack r10_notification <reason>` from hub.",
    );
  });

  it("blocks a breaking change when a consumer lookup fails, and says so", async () => {
    const ws = await workspaceWith("drop-unused-column");
    await rm(ws.checkouts["r10-odds"]!, { recursive: true, force: true });
    const result = await cli(["review", "--service", "hub", "--workspace", ws.dir, "--head", ws.scenario!.branch, "--format", "json"]);
    const json = JSON.parse(result.stdout) as { conclusion: string; findings: (JsonFinding & { message: string })[] };
    expect(result.status).toBe(1);
    const breaking = json.findings.find((f) => f.rule === "breaking-change");
    expect(breaking?.severity).toBe("error");
    expect(breaking?.needs).toContain("odds");
    expect(breaking?.message).toMatch(/could not|failed|incomplete/i);
  });

  it("prints Markdown by default whose first line says whether it blocks", async () => {
    const ws = await workspaceWith("column-rename");
    const result = await cli(["review", "--service", "hub", "--workspace", ws.dir, "--head", ws.scenario!.branch]);
    expect(result.status).toBe(1);
    expect(result.stdout.split("\n")[0]).toMatch(/^\*\*Blocked\*\*/);
    expect(result.stdout).toContain("r10score/r10-odds:internal/db/companies.go:17");
  });

  it("reviews nothing to analyse as a success", async () => {
    const ws = await workspaceWith();
    const result = await cli(["review", "--service", "odds", "--workspace", ws.dir, "--base", "main", "--head", "main", "--format", "json"]);
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ conclusion: "success", findings: [] });
  });
});

describe("usage and configuration errors exit with status 2", () => {
  it.each([
    [["review"], /review needs --service NAME/],
    [["review", "--service", "hub", "--format", "xml"], /--format must be markdown, json, sarif, github/],
    [["schema", "--service", "hub"], /schema does not take --service/],
    [["frobnicate"], /unknown command "frobnicate"/],
    [["review", "--service", "hub", "--bogus"], /bogus/],
  ])("%j", async (argv, message) => {
    const result = await cli(argv);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe("");
  });

  it("names an unknown service", async () => {
    const ws = await workspaceWith();
    const result = await cli(["review", "--service", "billing", "--workspace", ws.dir]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('declares a service named "billing"');
  });

  it("names the file, the path inside it and the reason for an invalid configuration", async () => {
    const ws = await workspaceWith();
    const config = path.join(ws.dir, "broken.yml");
    await writeFile(
      config,
      ["default_owner: hub", "services:", "  hub:", "    repo: r10score/r10-hub", "    migrations:", '      - { path: "x/*.sql", format: djano }', ""].join("\n"),
    );
    const result = await cli(["schema", "--workspace", ws.dir, "--config", config]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/broken\.yml:6:\d+: services\.hub\.migrations\[0\]\.format: .*djano/);
  });

  it("reports invalid YAML with its line", async () => {
    const ws = await workspaceWith();
    const config = path.join(ws.dir, "bad.yml");
    await writeFile(config, "services:\n  hub: [unclosed\n");
    const result = await cli(["schema", "--workspace", ws.dir, "--config", config]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/bad\.yml:\d+/);
  });

  it("says which checkout is missing", async () => {
    const ws = await workspaceWith();
    await rm(ws.checkouts["r10-notifications"]!, { recursive: true, force: true });
    const result = await cli(["schema", "--workspace", ws.dir]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("r10-notifications");
  });
});

describe("shared-schema-guard schema", () => {
  it("prints every table with owner, writers and Django's own names and types", async () => {
    const ws = await workspaceWith();
    const result = await cli(["schema", "--workspace", ws.dir]);
    expect(result.status).toBe(0);
    const schema = JSON.parse(result.stdout) as {
      tables: Record<string, { owner: string; writers: string[]; columns: Record<string, { type: string; nullable: boolean }> }>;
    };
    expect(schema.tables.r10_device).toMatchObject({
      owner: "hub",
      writers: ["hub", "notifications"],
      columns: { id: { type: "uuid", nullable: false }, created_at: { type: "timestamp with time zone", nullable: false } },
    });
    expect(schema.tables.r10_live_activity_token?.owner).toBe("notifications");
    expect(schema.tables.dao_team?.columns.name).toEqual({ type: "character varying(120)", nullable: false });
  });

  it("survives bad input in a migration folder: binary, empty, unparseable and very large files", async () => {
    const ws = await workspaceWith();
    const migrations = path.join(ws.checkouts["r10-notifications"]!, "migrations");
    await mkdir(migrations, { recursive: true });
    await writeFile(path.join(migrations, "0100_binary.sql"), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3]));
    await writeFile(path.join(migrations, "0101_empty.sql"), "");
    await writeFile(path.join(migrations, "0102_broken.sql"), "CREATE TABLE r10_x (id int,, );\n");
    const big = "INSERT INTO r10_live_activity_token (token) VALUES ('x') ON CONFLICT DO NOTHING;\n".repeat(70_000);
    await writeFile(path.join(migrations, "0103_big.sql"), big);
    const hubMigrations = path.join(ws.checkouts["r10-hub"]!, "dao", "migrations");
    await writeFile(path.join(hubMigrations, "0100_broken.py"), "from django.db import migrations\nclass Migration(:\n");
    const commit = async (dir: string) => {
      await run("git", ["add", "-A"], { cwd: dir });
      await run("git", ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "bad input"], { cwd: dir });
    };
    await commit(ws.checkouts["r10-notifications"]!);
    await commit(ws.checkouts["r10-hub"]!);
    const result = await cli(["schema", "--workspace", ws.dir]);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout).tables.r10_live_activity_token).toBeDefined();
  });

  it("runs as the installed bin", async () => {
    const ws = await workspaceWith();
    const bin = path.resolve("dist/src/cli/main.js");
    const { stdout } = await run("node", [bin, "schema", "--workspace", ws.dir]);
    expect(Object.keys(JSON.parse(stdout).tables)).toContain("r10_notification");
  });
});

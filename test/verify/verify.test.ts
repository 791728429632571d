import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/run.js";
import { buildExampleWorkspace } from "../../src/local/workspace-builder.js";
import { createDatabase, dropDatabase, exampleDatabaseSql, requireServer } from "./database.js";

interface VerifyJson {
  conclusion: string;
  differences: { kind: string; table: string; column: string | null; service: string; migration: { file: string; line: number } | null; expected: string | null; actual: string | null; message: string }[];
  services: { service: string; passes: boolean; usesChecked: number; missing: { table: string; column: string | null; file: string; line: number }[] }[];
  notCompared: { frameworkTables: string[] };
}

const hasServer = requireServer();
const suffix = `${process.pid}`;
let workspace = "";
const databases: string[] = [];

async function cli(argv: string[]) {
  let stdout = "";
  let stderr = "";
  const status = await runCli(argv, { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text) });
  return { status, stdout, stderr };
}

async function database(name: string, drift: string[] = []): Promise<string> {
  const full = `ssg_verify_${name}_${suffix}`;
  databases.push(full);
  return createDatabase(full, [...(await exampleDatabaseSql()), ...drift]);
}

async function verifyJson(url: string): Promise<{ status: number; report: VerifyJson }> {
  const { status, stdout, stderr } = await cli(["verify", "--workspace", workspace, "--database-url", url, "--format", "json"]);
  expect(stderr).toBe("");
  return { status, report: JSON.parse(stdout) as VerifyJson };
}

describe.runIf(hasServer)("verify against a real PostgreSQL", () => {
  beforeAll(async () => {
    workspace = await mkdtemp(path.join(tmpdir(), "ssg-verify-"));
    await buildExampleWorkspace(workspace);
  });
  afterAll(async () => {
    await Promise.all(databases.map(dropDatabase));
    await rm(workspace, { recursive: true, force: true });
  });

  it("finds no drift in a database the migrations built, and the odds service's code finds all it uses", async () => {
    const { status, report } = await verifyJson(await database("clean"));
    expect(report.differences).toEqual([]);
    expect(report.conclusion).toBe("success");
    expect(status).toBe(0);
    expect(report.notCompared.frameworkTables).toEqual(["auth_user", "django_migrations"]);
    expect(report.services).toEqual([expect.objectContaining({ service: "odds", passes: true, missing: [] })]);
    expect(report.services[0]?.usesChecked).toBeGreaterThanOrEqual(5);
  });

  it("reports each kind of drift, naming the migration that should have made it", async () => {
    const url = await database("drift", [
      // A migration never applied, a raw SQL file applied by hand, a column nobody migrated,
      // a type and a nullability changed by hand, and a rename that did not happen.
      "DROP TABLE r10_live_activity_token",
      "CREATE TABLE r10_odds_snapshot (id bigserial PRIMARY KEY, payload jsonb NOT NULL)",
      "ALTER TABLE r10_match ADD COLUMN venue text",
      "ALTER TABLE r10_notification ALTER COLUMN title TYPE varchar(255)",
      "ALTER TABLE r10_device ALTER COLUMN app_version SET NOT NULL",
      "ALTER TABLE r10_match RENAME COLUMN kickoff_at TO start_time",
    ]);
    const { status, report } = await verifyJson(url);
    expect(status).toBe(1);
    expect(report.conclusion).toBe("failure");
    const byKind = (kind: string) => report.differences.filter((difference) => difference.kind === kind);
    expect(byKind("missing-table")).toEqual([
      expect.objectContaining({
        table: "r10_live_activity_token",
        service: "notifications",
        migration: { file: "migrations/0001_live_activity_tokens.sql", line: 4 },
        message: expect.stringContaining("was `migrations/0001_live_activity_tokens.sql` applied?"),
      }),
    ]);
    expect(byKind("unexpected-table")).toEqual([expect.objectContaining({ table: "r10_odds_snapshot", service: "hub", column: null })]);
    expect(byKind("unexpected-column")).toEqual([expect.objectContaining({ table: "r10_match", column: "venue", actual: "text NULL" })]);
    expect(byKind("type-differs")).toEqual([
      expect.objectContaining({
        table: "r10_notification",
        column: "title",
        expected: "character varying(200)",
        actual: "character varying(255)",
        migration: expect.objectContaining({ file: "dao/migrations/0001_initial.py" }),
      }),
    ]);
    expect(byKind("nullability-differs")).toEqual([
      expect.objectContaining({
        table: "r10_device",
        column: "app_version",
        expected: "NULL",
        actual: "NOT NULL",
        migration: expect.objectContaining({ file: "dao/migrations/0002_device_app_version.py" }),
      }),
    ]);
    expect(byKind("missing-column")).toEqual([
      expect.objectContaining({
        table: "r10_match",
        column: "kickoff_at",
        migration: expect.objectContaining({ file: "dao/migrations/0005_rename_start_time_match_kickoff_at.py" }),
        message: expect.stringContaining("The database has `r10_match.start_time` but not `r10_match.kickoff_at`"),
      }),
    ]);
    // The old name of a rename that did not happen is not reported again as a column nobody created.
    expect(report.differences.some((difference) => difference.column === "start_time")).toBe(false);
    expect(report.differences).toHaveLength(6);
    // The odds service has no migrations: its query of r10_match.kickoff_at would fail at startup.
    expect(report.services).toEqual([
      expect.objectContaining({
        service: "odds",
        passes: false,
        missing: [expect.objectContaining({ table: "r10_match", column: "kickoff_at", file: "internal/db/matches.go" })],
      }),
    ]);
  });

  it("fails the odds service's startup check alone when only a column its code reads is missing", async () => {
    const { status, stdout } = await cli([
      "verify",
      "--workspace",
      workspace,
      "--database-url",
      await database("odds", ["ALTER TABLE r10_odd_company DROP COLUMN is_active"]),
    ]);
    expect(status).toBe(1);
    expect(stdout).toContain("**Drift**");
    expect(stdout).toContain("- **was `dao/migrations/0010_odds_tracking.py` applied?** (hub) The database lacks column `r10_odd_company.is_active`");
    expect(stdout).toMatch(/\| odds \| ❌ would fail \| \d+ \| `r10_odd_company.is_active` at `internal\/db\/companies.go:17`<br>`r10_odd_company.is_active` at `internal\/db\/companies.go:35` \|/);
  });

  it("prints the clean result as Markdown", async () => {
    const { status, stdout } = await cli(["verify", "--workspace", workspace, "--database-url", await database("markdown")]);
    expect(status).toBe(0);
    expect(stdout).toMatch(/^\*\*No drift\*\*: `postgres:\/\/[^`]+\/ssg_verify_markdown_\d+` \(schema `public`\) has every table/);
    expect(stdout).toContain("| odds | ✅ passes |");
    expect(stdout).toContain("- Not compared: 2 tables that Django's own apps or the migration tools create (`auth_user`, `django_migrations`).");
  });

  it("exits 2, without a password in the message, when the database cannot be reached", async () => {
    const { status, stdout, stderr } = await cli([
      "verify",
      "--workspace",
      workspace,
      "--database-url",
      "postgres://someone:hunter2@127.0.0.1:1/nowhere",
    ]);
    expect(status).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toContain("could not read postgres://someone@127.0.0.1:1/nowhere");
    expect(stderr).not.toContain("hunter2");
  });
});

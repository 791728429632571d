// Statements about objects other than a table's columns, run by a service that does not own
// them, through the whole review over the example workspace: never a green check.
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/run.js";
import { buildExampleWorkspace, type ExampleWorkspace } from "../../src/local/workspace-builder.js";

const run = promisify(execFile);
let workspace: ExampleWorkspace;
let branches = 0;

beforeAll(async () => {
  workspace = await buildExampleWorkspace(await mkdtemp(path.join(tmpdir(), "ssg-objects-")));
});
afterAll(async () => rm(workspace.dir, { recursive: true, force: true }));

interface JsonFinding {
  rule: string;
  severity: string;
  table?: string;
  column?: string;
  line: number;
  needs: string[];
  consumers: { repo: string; path: string; line: number }[];
}

/** Reviews a pull request of `repo` that adds one migration holding `sql`. */
async function review(sql: string, { repo = "r10-notifications", service = "notifications", file = "migrations/0003_change.sql" } = {}) {
  const checkout = path.join(workspace.dir, repo);
  const branch = `change-${(branches += 1)}`;
  const gitIn = (args: string[]) => run("git", ["-C", checkout, ...args]);
  await gitIn(["checkout", "-q", "-b", branch, "main"]);
  await writeFile(path.join(checkout, file), sql);
  await gitIn(["add", "-A"]);
  await gitIn(["-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false", "commit", "-q", "-m", "change"]);
  await gitIn(["checkout", "-q", "main"]);
  let stdout = "";
  await runCli(["review", "--service", service, "--workspace", workspace.dir, "--head", branch, "--format", "json"], {
    stdout: (text) => (stdout += text),
    stderr: () => undefined,
  });
  return JSON.parse(stdout) as { conclusion: string; findings: JsonFinding[] };
}

describe("what another service owns or uses, changed by a migration of notifications", () => {
  it.each([
    ["DROP SCHEMA public CASCADE;", "foreign-schema-change", "public"],
    ["DROP OWNED BY app_user CASCADE;", "foreign-schema-change", "app_user"],
    ["DROP EXTENSION IF EXISTS citext CASCADE;", "foreign-schema-change", "citext"],
    ["DROP TYPE IF EXISTS r10_status CASCADE;", "foreign-schema-change", "r10_status"],
    ["CREATE RULE r10_block AS ON INSERT TO r10_device DO INSTEAD NOTHING;", "foreign-schema-change", "r10_device"],
    ["CREATE TRIGGER r10_audit AFTER UPDATE ON r10_match FOR EACH ROW EXECUTE FUNCTION r10_audit();", "foreign-schema-change", "r10_match"],
    ["ALTER TABLE r10_device DISABLE TRIGGER ALL;", "foreign-schema-change", "r10_device"],
    ["ALTER TABLE r10_match ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY;", "foreign-schema-change", "r10_match"],
    ["ALTER TABLE r10_match_odd RENAME CONSTRAINT r10_match_odd_pkey TO r10_match_odd_key;", "foreign-schema-change", "r10_match_odd"],
    ["ALTER VIEW r10_match RENAME TO r10_fixture;", "foreign-schema-change", "r10_match"],
    ["ALTER INDEX r10_match RENAME TO r10_fixture;", "foreign-schema-change", "r10_match"],
    ["ALTER SEQUENCE r10_match RENAME TO r10_fixture;", "foreign-schema-change", "r10_match"],
    ["REVOKE SELECT ON r10_user FROM odds_service;", "foreign-schema-change", "r10_user"],
    ["ALTER TABLE r10_user OWNER TO notifications_service;", "foreign-schema-change", "r10_user"],
    ["CREATE POLICY r10_own ON r10_user USING (id = current_setting('app.user')::bigint);", "foreign-schema-change", "r10_user"],
    ["ALTER SEQUENCE r10_match_id_seq RESTART;", "foreign-schema-change", "r10_match"],
    ["PREPARE wipe AS DELETE FROM r10_match;\nEXECUTE wipe;", "foreign-write", "r10_match"],
  ])("%s is blocked", async (sql, rule, table) => {
    const result = await review(sql);
    expect(result.conclusion).toBe("failure");
    expect(result.findings).toContainEqual(expect.objectContaining({ rule, severity: "error", table }));
  });

  it("DROP SCHEMA public CASCADE also drops the hub's tables, each a breaking change for its consumers", async () => {
    const { findings } = await review("DROP SCHEMA public CASCADE;");
    const dropped = findings.filter((finding) => finding.rule === "breaking-change").map((finding) => finding.table);
    expect(dropped).toEqual(expect.arrayContaining(["r10_match", "r10_odd_company", "r10_device"]));
    expect(findings.find((finding) => finding.rule === "foreign-schema-change" && finding.table === "public")?.needs).toEqual(["hub"]);
  });
});

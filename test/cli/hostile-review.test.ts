// Pull requests a careless or hostile author could open: each must be reviewed, never waved
// through, and never flood the report.
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/run.js";
import { buildExampleWorkspace } from "../../src/local/workspace-builder.js";

const run = promisify(execFile);
const folders: string[] = [];
afterAll(async () => Promise.all(folders.map((dir) => rm(dir, { recursive: true, force: true }))));

interface Json {
  conclusion: string;
  notes: string[];
  notChecked: string[];
  findings: { rule: string; severity: string; file: string; line: number; message: string; count?: number; suppressed: boolean }[];
}

/** The example workspace with `change` applied to the notifications checkout on branch `pr`. */
async function pullRequest(change: (checkout: string, workspace: string) => Promise<void>) {
  const dir = await mkdtemp(path.join(tmpdir(), "ssg-hostile-"));
  folders.push(dir);
  const ws = await buildExampleWorkspace(dir);
  const checkout = ws.checkouts["r10-notifications"]!;
  await run("git", ["checkout", "-qb", "pr"], { cwd: checkout });
  await change(checkout, ws.dir);
  await run("git", ["add", "-A"], { cwd: checkout });
  await run("git", ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "change"], { cwd: checkout });
  const review = async (format: "json" | "markdown") => {
    let stdout = "";
    const status = await runCli(["review", "--service", "notifications", "--workspace", ws.dir, "--head", "pr", "--format", format], {
      stdout: (text) => (stdout += text),
      stderr: () => undefined,
    });
    return { status, stdout };
  };
  const json = await review("json");
  return { status: json.status, json: JSON.parse(json.stdout) as Json, markdown: (await review("markdown")).stdout };
}

describe("review of a pull request that rewrites the migration history", () => {
  it("reports a renamed applied migration, which would run again under its new name", async () => {
    const { status, json } = await pullRequest((checkout) =>
      rename(path.join(checkout, "migrations/0002_push_attempts.sql"), path.join(checkout, "migrations/0003_push_attempts.sql")),
    );
    expect(status).toBe(1);
    expect(json.findings).toContainEqual(
      expect.objectContaining({ rule: "migration-history-rewrite", severity: "error", file: "migrations/0003_push_attempts.sql" }),
    );
    expect(json.findings.find((finding) => finding.rule === "migration-history-rewrite")?.message).toContain("`migrations/0002_push_attempts.sql` is renamed");
  });

  it("keeps the note of a deleted migration in every format, with no claim that nothing changed", async () => {
    const { status, json, markdown } = await pullRequest((checkout) => rm(path.join(checkout, "migrations/0002_push_attempts.sql")));
    expect(status).toBe(0);
    expect(json.notes).toContainEqual(expect.stringContaining("`migrations/0002_push_attempts.sql` is deleted: a migration that already ran stays applied"));
    expect(markdown).toContain("is deleted: a migration that already ran stays applied");
    expect(markdown).not.toMatch(/changes no migration/i);
  });
});

describe("review with a rule turned off", () => {
  it("never claims that nothing affects another service's tables: it names what was not checked", async () => {
    const { status, json, markdown } = await pullRequest(async (checkout, workspace) => {
      const config = path.join(workspace, ".github/.github/shared-schema.yml");
      await writeFile(config, (await readFile(config, "utf8")).replace("rules:\n", "rules:\n  unparsed-sql: off\n"));
      await run("git", ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qam", "rules"], { cwd: path.join(workspace, ".github") });
      await writeFile(path.join(checkout, "migrations/0003_broken.sql"), "ALTER TABLE r10_notification ADD COLUMN x int,, ;\n");
    });
    expect(status).toBe(0);
    expect(json.notChecked).toEqual(["unparsed-sql"]);
    const headline = markdown.split("\n")[0];
    expect(headline).not.toContain("nothing in this pull request affects another service's tables");
    expect(headline).toContain("not checked: `unparsed-sql`, turned off in the configuration");
  });
});

describe("review of a migration that would flood the report", () => {
  const insert = (index: number) => `INSERT INTO r10_push_attempt (id) VALUES (${index});\n`;

  it("gives repeated findings once, with their count, and keeps the report small", async () => {
    const { status, json, markdown } = await pullRequest((checkout) =>
      writeFile(path.join(checkout, "migrations/0003_seed.sql"), `${Array.from({ length: 4_000 }, (_, index) => insert(index)).join("")}DROP TABLE r10_push_attempt;\n`),
    );
    expect(status).toBe(0);
    const repeated = json.findings.filter((finding) => finding.rule === "non-idempotent-migration");
    expect(repeated).toEqual([expect.objectContaining({ count: 4_000, line: 1 }), expect.objectContaining({ count: 1, line: 4_001 })]);
    expect(json.findings).toContainEqual(expect.objectContaining({ rule: "breaking-change", line: 4_001 }));
    expect(markdown.length).toBeLessThan(20_000);
  }, 60_000);

  it("does not parse a migration over the size limit, and blocks on it rather than pass", async () => {
    const { status, json, markdown } = await pullRequest((checkout) =>
      writeFile(path.join(checkout, "migrations/0003_seed.sql"), `${Array.from({ length: 110_000 }, (_, index) => insert(index)).join("")}DROP TABLE r10_push_attempt;\n`),
    );
    expect(status).toBe(1);
    expect(json.findings).toEqual([
      expect.objectContaining({ rule: "unparsed-sql", severity: "error", file: "migrations/0003_seed.sql", line: 1, message: expect.stringMatching(/more than the 2 MB the app analyses in one migration/) }),
    ]);
    expect(markdown.length).toBeLessThan(10_000);
  }, 60_000);
});

describe("review with a glob that matches no file", () => {
  it("warns in the check, naming the glob, instead of seeing a service without migrations", async () => {
    const { json, markdown } = await pullRequest(async (checkout, workspace) => {
      const config = path.join(workspace, ".github/.github/shared-schema.yml");
      await writeFile(config, (await readFile(config, "utf8")).replace('path: "migrations/*.sql"', 'path: "db/migrations/*.sql"'));
      await run("git", ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qam", "glob"], { cwd: path.join(workspace, ".github") });
      await writeFile(path.join(checkout, "migrations/0003_drop.sql"), "DROP TABLE r10_notification;\n");
    });
    const warning =
      "⚠️ Warning: services.notifications.migrations[0].path in shared-schema.yml, `db/migrations/*.sql`, matches no file of r10score/r10-notifications at this commit, so notifications seems to have no migrations there: check the glob.";
    expect(json.notes).toContain(warning);
    expect(markdown).toContain(warning);
  });
});

describe("review of Go code", () => {
  it("reports a file with a NUL byte as unreadable, and blocks on it", async () => {
    const { status, json } = await pullRequest(async (checkout) => {
      await mkdir(path.join(checkout, "internal/purge"), { recursive: true });
      await writeFile(path.join(checkout, "internal/purge/purge.go"), 'package purge\n\x00\nconst q = "DELETE FROM r10_match"\n');
    });
    expect(status).toBe(1);
    expect(json.findings).toEqual([
      expect.objectContaining({ rule: "unparsed-sql", severity: "error", file: "internal/purge/purge.go", line: 2, message: expect.stringContaining("contains a NUL byte") }),
    ]);
  });

  it("takes a // suppression above the call for the SQL string below it", async () => {
    const { json } = await pullRequest(async (checkout) => {
      await mkdir(path.join(checkout, "internal/report"), { recursive: true });
      const source = [
        "package report",
        "",
        "func count(ctx context.Context, db *pgxpool.Pool) error {",
        "\t// shared-schema: ignore unknown-reference the reporting view is created by the analytics team's tooling",
        "\t_, err := db.Exec(ctx, `",
        "\t\tSELECT total FROM r10_daily_report`)",
        "\treturn err",
        "}",
        "",
      ].join("\n");
      await writeFile(path.join(checkout, "internal/report/count.go"), source);
    });
    expect(json.findings).toEqual([expect.objectContaining({ rule: "unknown-reference", line: 6, suppressed: true })]);
  });
});

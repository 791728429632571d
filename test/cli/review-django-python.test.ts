import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/run.js";
import { buildExampleWorkspace } from "../../src/local/workspace-builder.js";

const run = promisify(execFile);
const folders: string[] = [];
afterAll(async () => Promise.all(folders.map((dir) => rm(dir, { recursive: true, force: true }))));

interface JsonFinding {
  rule: string;
  severity: string;
  table?: string;
  column?: string;
  line: number;
  consumers: { repo: string; path: string }[];
}

const HEADER = `from django.db import migrations


`;
const DEPENDENCIES = `    dependencies = [("dao", "0010_odds_tracking")]\n`;

/** The hub's pull request adding one Django migration; r10-odds reads r10_odd_company.name. */
async function reviewHub(migration: string) {
  const dir = await mkdtemp(path.join(tmpdir(), "ssg-django-python-"));
  folders.push(dir);
  const ws = await buildExampleWorkspace(dir);
  const hub = ws.checkouts["r10-hub"]!;
  const git = (...args: string[]) => run("git", ["-c", "user.name=t", "-c", "user.email=t@t", ...args], { cwd: hub });
  await git("checkout", "-qb", "python-built-operations");
  await writeFile(path.join(hub, "dao", "migrations", "0011_python.py"), `${HEADER}${migration}`);
  await git("add", "dao/migrations/0011_python.py");
  await git("commit", "-qm", "python-built operations");
  let stdout = "";
  const status = await runCli(["review", "--service", "hub", "--workspace", ws.dir, "--head", "python-built-operations", "--format", "json"], {
    stdout: (text) => (stdout += text),
    stderr: () => undefined,
  });
  return { status, json: JSON.parse(stdout) as { conclusion: string; findings: JsonFinding[] } };
}

const REMOVE = `migrations.RemoveField(model_name="oddcompany", name="name")`;

describe("review: Django operations built by Python code fail closed", () => {
  it.each([
    ["operations +=", `class Migration(migrations.Migration):\n${DEPENDENCIES}    operations = []\n    operations += [${REMOVE}]\n`, 7],
    ["operations.append", `class Migration(migrations.Migration):\n${DEPENDENCIES}    operations = []\n    operations.append(${REMOVE})\n`, 7],
    ["Migration.operations after the class", `class Migration(migrations.Migration):\n${DEPENDENCIES}    operations = []\n\n\nMigration.operations.extend([${REMOVE}])\n`, 9],
    ["self.operations in __init__", `class Migration(migrations.Migration):\n${DEPENDENCIES}    operations = []\n\n    def __init__(self, *args, **kwargs):\n        super().__init__(*args, **kwargs)\n        self.operations = [${REMOVE}]\n`, 10],
    [
      "RunPython calling schema_editor.execute",
      `def forwards(apps, schema_editor):\n    schema_editor.execute("ALTER TABLE r10_odd_company DROP COLUMN name")\n\n\nclass Migration(migrations.Migration):\n${DEPENDENCIES}    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]\n`,
      10,
    ],
  ])("%s: dropping a column another service reads is a blocking breaking change", async (_name, migration, line) => {
    const { status, json } = await reviewHub(migration);
    expect(json.conclusion).toBe("failure");
    expect(status).toBe(1);
    const breaking = json.findings.find((finding) => finding.rule === "breaking-change" && finding.column === "name");
    expect(breaking).toMatchObject({ severity: "error", table: "r10_odd_company", line });
    expect(breaking?.consumers.map((consumer) => consumer.repo)).toContain("r10score/r10-odds");
  });

  it("operations decided at run time are an unparsed-sql error, never a pass", async () => {
    const { status, json } = await reviewHub(
      `import os\n\n\nclass Migration(migrations.Migration):\n${DEPENDENCIES}    operations = []\n    if os.environ.get("CLEANUP"):\n        operations = [${REMOVE}]\n`,
    );
    expect(json.conclusion).toBe("failure");
    expect(status).toBe(1);
    expect(json.findings).toEqual([expect.objectContaining({ rule: "unparsed-sql", severity: "error", line: 10, message: expect.stringContaining("if os.environ.get") })]);
  });
});

import { describe, expect, it } from "vitest";
import { migrationName, parseDjangoMigration } from "../../src/parse/django.js";

const header = `from django.conf import settings
from django.db import migrations, models
`;

async function parse(text: string) {
  return parseDjangoMigration({ file: "dao/migrations/0002_change.py", text, appLabel: "dao" });
}

describe("parseDjangoMigration", () => {
  it("reads dependencies, including swappable and __first__ ones, replaces, run_before, initial and atomic", async () => {
    const parsed = await parse(`${header}
class Migration(migrations.Migration):
    initial = True
    atomic = False
    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("dao", "0001_initial"),  # the first one
        ('billing', '__first__'),
    ]
    replaces = [("dao", "0001_a"), ("dao", "0001_b")]
    run_before = [("other", "0003_x")]
    operations = []
`);
    expect(parsed.name).toBe("0002_change");
    expect(parsed.initial).toBe(true);
    expect(parsed.atomic).toBe(false);
    expect(parsed.dependencies).toEqual([
      { setting: "AUTH_USER_MODEL" },
      { app: "dao", name: "0001_initial" },
      { app: "billing", name: "__first__" },
    ]);
    expect(parsed.replaces).toEqual([
      { app: "dao", name: "0001_a" },
      { app: "dao", name: "0001_b" },
    ]);
    expect(parsed.runBefore).toEqual([{ app: "other", name: "0003_x" }]);
    expect(parsed.operations).toEqual([]);
    expect(parsed.unparsed).toEqual([]);
  });

  it("reads operations with positional and keyword arguments, qualified through the imports", async () => {
    const parsed = await parse(`${header}from django.db.migrations import AddField as Add

class Migration(migrations.Migration):
    operations = [
        migrations.RemoveField("team", name="logo"),
        Add(
            model_name="team",
            name="size",
            field=models.IntegerField(default=-1),
        ),
    ]
`);
    const [remove, add] = parsed.operations;
    expect(remove).toMatchObject({ callee: "migrations.RemoveField", qualified: "django.db.migrations.RemoveField", line: 7 });
    expect(remove?.args).toEqual([{ kind: "str", value: "team", line: 7 }]);
    expect(remove?.kwargs.get("name")).toEqual({ kind: "str", value: "logo", line: 7 });
    expect(add).toMatchObject({ qualified: "django.db.migrations.AddField", line: 8 });
    const field = add?.kwargs.get("field");
    expect(field).toMatchObject({ kind: "call", qualified: "django.db.models.IntegerField", line: 11 });
    expect(field?.kind === "call" ? field.kwargs.get("default") : undefined).toMatchObject({ kind: "num", value: -1 });
  });

  it("decodes Python string literals: concatenation, triple quotes, raw strings and escapes", async () => {
    const parsed = await parse(`${header}
class Migration(migrations.Migration):
    operations = [
        migrations.RunSQL(
            "SELECT 'a' "
            'FROM t\\tu',
            r"raw\\n",
        ),
        migrations.RunSQL("""
            UPDATE t SET x = 1;
        """),
    ]
`);
    const [first, second] = parsed.operations;
    expect(first?.args[0]).toMatchObject({ kind: "str", value: "SELECT 'a' FROM t\tu" });
    expect(first?.args[1]).toMatchObject({ kind: "str", value: "raw\\n" });
    expect(second?.args[0]).toMatchObject({ kind: "str", value: "\n            UPDATE t SET x = 1;\n        " });
  });

  it("substitutes module-level constants that operations name", async () => {
    const parsed = await parse(`${header}
FORWARD = "CREATE INDEX IF NOT EXISTS i " + "ON t (x)"

class Migration(migrations.Migration):
    operations = [migrations.RunSQL(FORWARD, migrations.RunSQL.noop)]
`);
    expect(parsed.operations[0]?.args[0]).toMatchObject({ kind: "str", value: "CREATE INDEX IF NOT EXISTS i ON t (x)" });
    expect(parsed.operations[0]?.args[1]).toMatchObject({ kind: "ref", path: "migrations.RunSQL.noop" });
  });

  it("reports a Python syntax error at its line and keeps the operations that parse", async () => {
    const parsed = await parse(`${header}
class Migration(migrations.Migration):
    operations = [
        migrations.RemoveField("team", "logo"),
        migrations.AddField("team", "size", models.IntegerField(default=)),
    ]
`);
    expect(parsed.unparsed.map((problem) => problem.loc)).toContainEqual({ file: "dao/migrations/0002_change.py", line: 7 });
    expect(parsed.unparsed[0]).toMatchObject({ context: "migration", reason: expect.stringContaining("syntax error") });
    expect(parsed.operations.map((operation) => operation.callee)).toEqual(["migrations.RemoveField"]);
  });

  it("reports a file without a Migration class", async () => {
    const parsed = await parse(`${header}\nOPERATIONS = []\n`);
    expect(parsed.operations).toEqual([]);
    expect(parsed.unparsed).toEqual([
      expect.objectContaining({ loc: { file: "dao/migrations/0002_change.py", line: 1 }, reason: expect.stringContaining("class Migration") }),
    ]);
  });

  it("reports operations that are not a literal list, and items that are not calls", async () => {
    const computed = await parse(`${header}
class Migration(migrations.Migration):
    operations = make_operations()
`);
    expect(computed.unparsed).toEqual([expect.objectContaining({ loc: { file: "dao/migrations/0002_change.py", line: 5 }, reason: expect.stringContaining("not a literal list") })]);
    const spliced = await parse(`${header}
class Migration(migrations.Migration):
    operations = [
        *extra_operations,
    ]
`);
    expect(spliced.unparsed).toEqual([expect.objectContaining({ loc: { file: "dao/migrations/0002_change.py", line: 6 } })]);
  });

  it("never throws on text that is not Python at all", async () => {
    const parsed = await parse("\u0000\u0001 {{{{ ))) class Migration(");
    expect(parsed.operations).toEqual([]);
    expect(parsed.unparsed.length).toBeGreaterThan(0);
  });

  it("names a migration after its file", () => {
    expect(migrationName("dao/migrations/0042_auto_20240101_1200.py")).toBe("0042_auto_20240101_1200");
  });
});

import { describe, expect, it } from "vitest";
import { parseDjangoMigration } from "../../src/parse/django.js";

const header = `from django.db import migrations, models
`;

async function parse(text: string) {
  return parseDjangoMigration({ file: "dao/migrations/0002_change.py", text: `${header}${text}`, appLabel: "dao" });
}

const operationNames = (parsed: Awaited<ReturnType<typeof parse>>): string[] =>
  parsed.operations.map((operation) => `${operation.callee.replace("migrations.", "")}:${operation.line}`);

describe("operations built by Python statements", () => {
  it("evaluates +=, append, extend and insert in the class body, in order", async () => {
    const parsed = await parse(`
class Migration(migrations.Migration):
    operations = [migrations.RemoveField("team", "a")]
    operations += [migrations.RemoveField("team", "b")]
    operations.append(migrations.RemoveField("team", "c"))
    operations.extend([migrations.RemoveField("team", "d")])
    operations.insert(0, migrations.RemoveField("team", "e"))
    operations = operations + [migrations.RemoveField("team", "f")]
`);
    expect(parsed.unparsed).toEqual([]);
    expect(operationNames(parsed)).toEqual(["RemoveField:8", "RemoveField:4", "RemoveField:5", "RemoveField:6", "RemoveField:7", "RemoveField:9"]);
  });

  it("evaluates Migration.operations changed at module level after the class", async () => {
    const parsed = await parse(`
class Migration(migrations.Migration):
    operations = []

Migration.operations.append(migrations.RemoveField("team", "a"))
Migration.operations += [migrations.RemoveField("team", "b")]
`);
    expect(parsed.unparsed).toEqual([]);
    expect(operationNames(parsed)).toEqual(["RemoveField:6", "RemoveField:7"]);
    const reassigned = await parse(`
class Migration(migrations.Migration):
    operations = [migrations.AddField("team", "x", models.IntegerField(null=True))]

Migration.operations = [migrations.RemoveField("team", "b")]
`);
    expect(operationNames(reassigned)).toEqual(["RemoveField:6"]);
  });

  it("evaluates module-level list constants changed before the class", async () => {
    const parsed = await parse(`
OPERATIONS = [migrations.RemoveField("team", "a")]
OPERATIONS += [migrations.RemoveField("team", "b")]
OPERATIONS.append(migrations.RemoveField("team", "c"))

class Migration(migrations.Migration):
    operations = OPERATIONS
`);
    expect(parsed.unparsed).toEqual([]);
    expect(operationNames(parsed)).toEqual(["RemoveField:3", "RemoveField:4", "RemoveField:5"]);
    const looped = await parse(`
OPERATIONS = []
for name in ["a", "b"]:
    OPERATIONS.append(migrations.RemoveField("team", name))

class Migration(migrations.Migration):
    operations = OPERATIONS
`);
    expect(looped.operations).toEqual([]);
    expect(looped.unparsed).toEqual([expect.objectContaining({ loc: { file: "dao/migrations/0002_change.py", line: 8 }, reason: expect.stringContaining("not a literal list") })]);
  });

  it("takes the branch of an if whose condition is a literal, and reports one decided at run time", async () => {
    const decided = await parse(`
class Migration(migrations.Migration):
    if False:
        operations = []
    elif 1:
        operations = [migrations.RemoveField("team", "a")]
    else:
        operations = []
`);
    expect(decided.unparsed).toEqual([]);
    expect(operationNames(decided)).toEqual(["RemoveField:7"]);
    const undecided = await parse(`
import os

class Migration(migrations.Migration):
    operations = []
    if os.environ.get("DROP"):
        operations = [migrations.RemoveField("team", "a")]
`);
    expect(undecided.operations).toEqual([]);
    expect(undecided.unparsed).toEqual([
      expect.objectContaining({ loc: { file: "dao/migrations/0002_change.py", line: 7 }, reason: expect.stringContaining('if os.environ.get("DROP")'), subject: "operations" }),
    ]);
  });

  it("evaluates self.operations in __init__, after super().__init__ copies the class's", async () => {
    const parsed = await parse(`
class Migration(migrations.Migration):
    operations = [migrations.RemoveField("team", "a")]

    def __init__(self, name, app_label):
        super().__init__(name, app_label)
        self.operations = self.operations + [migrations.RemoveField("team", "b")]
        self.operations.append(migrations.RemoveField("team", "c"))
`);
    expect(parsed.unparsed).toEqual([]);
    expect(operationNames(parsed)).toEqual(["RemoveField:4", "RemoveField:8", "RemoveField:9"]);
    const replaced = await parse(`
class Migration(migrations.Migration):
    operations = []

    def __init__(self, *args, **kwargs):
        super(Migration, self).__init__(*args, **kwargs)
        self.operations = [migrations.RemoveField("team", "b")]
`);
    expect(operationNames(replaced)).toEqual(["RemoveField:8"]);
  });

  it("reports every other construct that touches the operations, naming it, and keeps no operation of such a migration", async () => {
    const cases: [string, number, string][] = [
      [`class Migration(migrations.Migration):\n    operations = []\n    for name in ["a"]:\n        operations.append(migrations.RemoveField("team", name))\n`, 5, "for name in"],
      [`class Migration(migrations.Migration):\n    operations = [migrations.RemoveField("team", "a")]\n    operations.pop()\n`, 5, "operations.pop(...)"],
      [`class Migration(migrations.Migration):\n    operations = []\n    operations += extra()\n`, 5, "not a literal list"],
      [`class Migration(migrations.Migration):\n    operations = []\n\nMigration.operations.extend(load())\n`, 6, "not a literal list"],
      [`class Migration(migrations.Migration):\n    operations = []\n\nfor op in EXTRA:\n    Migration.operations.append(op)\n`, 6, "for op in EXTRA"],
      [`class Migration(migrations.Migration):\n    operations = []\n\n    def __init__(self, *args):\n        super().__init__(*args)\n        self.operations = build()\n`, 8, "not a literal list"],
      [`class Migration(migrations.Migration):\n    operations = []\n\n    def apply(self, project_state, schema_editor, collect_sql=False):\n        self.operations = []\n`, 6, "method `apply`"],
      [`class Migration(migrations.Migration):\n    operations = [migrations.RemoveField("team", "a")] if FLAG else []\n`, 4, "not a literal list"],
    ];
    for (const [text, line, named] of cases) {
      const parsed = await parse(`\n${text}`);
      expect(parsed.operations, text).toEqual([]);
      expect(parsed.unparsed, text).toEqual([expect.objectContaining({ loc: { file: "dao/migrations/0002_change.py", line }, reason: expect.stringContaining(named) })]);
    }
  });
});

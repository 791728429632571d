import { describe, expect, it } from "vitest";
import { replayDjangoHistory, type DjangoMigrationSource } from "../../src/model/django-replay.js";
import type { ParsedMigration, SchemaChange } from "../../src/core/changes.js";

const HEADER = `from django.conf import settings
from django.db import migrations, models
`;

function migration(operations: string, dependencies = "[]", extra = ""): string {
  return `${HEADER}
class Migration(migrations.Migration):
    dependencies = ${dependencies}
${extra}    operations = [
${operations}
    ]
`;
}

function source(app: string, name: string, text: string): DjangoMigrationSource {
  return { file: `${app}/migrations/${name}.py`, text, appLabel: app };
}

function createModel(name: string, extraFields = ""): string {
  return `        migrations.CreateModel(name="${name}", fields=[("id", models.AutoField(primary_key=True, serialize=False))${extraFields}]),`;
}

function changesOf(result: ParsedMigration | undefined): SchemaChange[] {
  return (result?.statements ?? []).flatMap((statement) => statement.changes);
}

const files = (results: ParsedMigration[]): string[] => results.map((result) => result.file.replace("/migrations/", ":").replace(/\.py$/, ""));

describe("apply order", () => {
  it("follows dependencies across apps, not file names, breaking ties by app label then name", async () => {
    const results = await replayDjangoHistory([
      source("alpha", "0001_initial", migration(createModel("Stadium", `, ("league", models.ForeignKey(on_delete=models.CASCADE, to="zulu.league"))`), `[("zulu", "0002_league")]`)),
      source("zulu", "0002_league", migration(createModel("League"), `[("zulu", "0001_initial")]`)),
      source("zulu", "0001_initial", migration(createModel("Country"))),
      source("alpha", "0002_more", migration(`        migrations.AddField("stadium", "seats", models.IntegerField(null=True)),`, `[("alpha", "0001_initial")]`)),
    ]);
    expect(files(results)).toEqual(["zulu:0001_initial", "zulu:0002_league", "alpha:0001_initial", "alpha:0002_more"]);
    const stadium = changesOf(results[2])[0];
    expect(stadium?.kind === "create-table" && stadium.columns[1]).toMatchObject({ name: "league_id", type: "integer", references: { table: "zulu_league" } });
    expect(results.flatMap((result) => result.unparsed)).toEqual([]);
  });

  it("honours run_before, __first__ and __latest__, and ignores dependencies on apps outside the history", async () => {
    const results = await replayDjangoHistory([
      source("alpha", "0001_initial", migration(createModel("A"), `[("contenttypes", "0002_remove_content_type_name")]`)),
      source("beta", "0001_initial", migration(createModel("B"), "[]", `    run_before = [("alpha", "0001_initial")]\n`)),
      source("gamma", "0001_initial", migration(createModel("C"), `[("delta", "__first__")]`)),
      source("delta", "0001_initial", migration(createModel("D"))),
      source("epsilon", "0001_initial", migration(createModel("E"), `[("delta", "__latest__")]`)),
      source("delta", "0002_more", migration(`        migrations.AddField("d", "x", models.IntegerField(null=True)),`, `[("delta", "0001_initial")]`)),
    ]);
    expect(files(results)).toEqual([
      "beta:0001_initial",
      "alpha:0001_initial",
      "delta:0001_initial",
      "delta:0002_more",
      "epsilon:0001_initial",
      "gamma:0001_initial",
    ]);
  });

  it("reports a missing dependency and a cycle, and still replays every file", async () => {
    const results = await replayDjangoHistory([
      source("alpha", "0001_initial", migration(createModel("A"), `[("alpha", "0000_gone")]`)),
      source("beta", "0001_initial", migration(createModel("B"), `[("beta", "0002_next")]`)),
      source("beta", "0002_next", migration(createModel("C"), `[("beta", "0001_initial")]`)),
    ]);
    expect(results).toHaveLength(3);
    expect(results.flatMap((result) => result.unparsed.map((problem) => problem.reason))).toEqual([
      expect.stringContaining("alpha.0000_gone"),
      expect.stringContaining("circular dependency"),
    ]);
    expect(results.every((result) => changesOf(result).length === 1)).toBe(true);
  });

  it("skips Django's package marker", async () => {
    const results = await replayDjangoHistory([source("alpha", "__init__", ""), source("alpha", "0001_initial", migration(createModel("A")))]);
    expect(files(results)).toEqual(["alpha:0001_initial"]);
  });
});

describe("squashed migrations", () => {
  const first = source("dao", "0001_initial", migration(createModel("Team")));
  const second = source("dao", "0002_size", migration(`        migrations.AddField("team", "size", models.IntegerField(null=True)),`, `[("dao", "0001_initial")]`));
  const squash = source(
    "dao",
    "0001_squashed_0002_size",
    migration(`${createModel("Team", `, ("size", models.IntegerField(null=True))`)}`, "[]", `    replaces = [("dao", "0001_initial"), ("dao", "0002_size")]\n`),
  );
  const third = source("dao", "0003_name", migration(`        migrations.AddField("team", "name", models.TextField(null=True)),`, `[("dao", "0002_size")]`));

  it("replays the replaced migrations while they are all present; the squash adds nothing", async () => {
    const results = await replayDjangoHistory([squash, first, second, third]);
    expect(files(results)).toEqual(["dao:0001_initial", "dao:0001_squashed_0002_size", "dao:0002_size", "dao:0003_name"]);
    expect(results.map((result) => changesOf(result).map((change) => change.kind))).toEqual([["create-table"], [], ["add-column"], ["add-column"]]);
  });

  it("replays the squash once the replaced migrations are gone, and what depended on them follows it", async () => {
    const results = await replayDjangoHistory([third, squash]);
    expect(files(results)).toEqual(["dao:0001_squashed_0002_size", "dao:0003_name"]);
    const created = changesOf(results[0])[0];
    expect(created?.kind === "create-table" && created.columns.map((column) => column.name)).toEqual(["id", "size"]);
    expect(changesOf(results[1])).toEqual([expect.objectContaining({ kind: "add-column", table: "dao_team" })]);
    expect(results.flatMap((result) => result.unparsed)).toEqual([]);
  });

  it("replays the squash, not the leftovers, when only some replaced migrations remain", async () => {
    const results = await replayDjangoHistory([squash, second, third]);
    expect(results.map((result) => [files([result])[0], changesOf(result).length])).toEqual([
      ["dao:0001_squashed_0002_size", 1],
      ["dao:0002_size", 0],
      ["dao:0003_name", 1],
    ]);
  });
});

describe("RunSQL, RunPython and SeparateDatabaseAndState", () => {
  const team = source("dao", "0001_initial", migration(createModel("Team", `, ("name", models.TextField())`)));

  it("analyses RunSQL given as a string, a list, (sql, params) pairs, with reverse_sql ignored, at the line of the call", async () => {
    const text = migration(
      `        migrations.RunSQL("ALTER TABLE dao_team ADD COLUMN IF NOT EXISTS slug text", reverse_sql="ALTER TABLE dao_team DROP COLUMN slug"),
        migrations.RunSQL(
            sql=["UPDATE dao_team SET slug = name", "DROP TABLE IF EXISTS legacy_team"],
            reverse_sql=migrations.RunSQL.noop,
        ),
        migrations.RunSQL([("INSERT INTO dao_team (name) VALUES (%s)", ["hub"])]),
        migrations.RunSQL(migrations.RunSQL.noop, "DROP TABLE dao_team"),`,
      `[("dao", "0001_initial")]`,
    );
    const results = await replayDjangoHistory([team, source("dao", "0002_sql", text)]);
    const statements = results[1]?.statements ?? [];
    expect(statements.map((statement) => statement.loc.line)).toEqual([7, 8, 12, 13]);
    expect(statements[0]?.changes).toEqual([expect.objectContaining({ kind: "add-column", table: "dao_team", ifNotExists: true, loc: { file: "dao/migrations/0002_sql.py", line: 7 } })]);
    expect(statements[1]?.changes).toEqual([expect.objectContaining({ kind: "drop-table", table: "legacy_team", ifExists: true, loc: { file: "dao/migrations/0002_sql.py", line: 8 } })]);
    expect(statements[1]?.uses).toEqual([expect.objectContaining({ table: "dao_team", access: "write", columns: expect.arrayContaining(["slug"]) })]);
    expect(statements[2]?.uses).toEqual([expect.objectContaining({ table: "dao_team", access: "write", columns: ["name"] })]);
    expect(statements[3]).toMatchObject({ changes: [], uses: [] });
    expect(results[1]?.unparsed).toEqual([]);
  });

  it("reports RunSQL whose SQL is built at run time (calls, f-strings), and SQL that does not parse", async () => {
    const text = migration(
      `        migrations.RunSQL(build_sql()),
        migrations.RunSQL("ALTER TABLE dao_team FROBNICATE"),
        migrations.RunSQL(f"UPDATE {TABLE} SET name = 'x'"),
        migrations.RunSQL(f"UPDATE dao_team SET name = 'x'"),`,
      `[("dao", "0001_initial")]`,
    );
    const results = await replayDjangoHistory([team, source("dao", "0002_sql", text)]);
    expect(results[1]?.unparsed.map((problem) => [problem.loc.line, problem.context])).toEqual([
      [7, "migration"],
      [8, "migration"],
      [9, "migration"],
    ]);
    expect(results[1]?.statements[3]?.uses).toEqual([expect.objectContaining({ table: "dao_team", access: "write" })]);
  });

  it("applies RunSQL state_operations to the state only", async () => {
    const text = migration(
      `        migrations.RunSQL(
            "ALTER TABLE dao_team RENAME TO r10_team",
            state_operations=[migrations.AlterModelTable("team", "r10_team")],
        ),
        migrations.AddField("team", "size", models.IntegerField(null=True)),`,
      `[("dao", "0001_initial")]`,
    );
    const results = await replayDjangoHistory([team, source("dao", "0002_sql", text)]);
    expect(changesOf(results[1]).map((change) => [change.kind, change.table])).toEqual([
      ["rename-table", "dao_team"],
      ["add-column", "r10_team"],
    ]);
  });

  it("reports RunPython as a data migration, RunPython.noop as nothing", async () => {
    const text = migration(
      `        migrations.RunPython(forwards, migrations.RunPython.noop),
        migrations.RunPython(code=migrations.RunPython.noop),`,
      `[("dao", "0001_initial")]`,
    );
    const results = await replayDjangoHistory([team, source("dao", "0002_data", text)]);
    expect(results[1]?.statements).toEqual([
      { loc: { file: "dao/migrations/0002_data.py", line: 7 }, changes: [], uses: [], dataMigration: true },
      { loc: { file: "dao/migrations/0002_data.py", line: 8 }, changes: [], uses: [] },
    ]);
  });

  it("analyses the SQL RunPython's function passes to schema_editor.execute or cursor.execute like RunSQL's", async () => {
    const text = `${HEADER}
DROP = "ALTER TABLE dao_team DROP COLUMN name"


def forwards(apps, schema_editor):
    schema_editor.execute(DROP)
    helper(schema_editor)


def helper(schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("UPDATE dao_team SET name = %s", ["x"])


def backwards(apps, schema_editor):
    schema_editor.execute("ALTER TABLE dao_team ADD COLUMN name text")


class Migration(migrations.Migration):
    dependencies = [("dao", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
`;
    const results = await replayDjangoHistory([team, source("dao", "0002_data", text)]);
    expect(results[1]?.unparsed).toEqual([]);
    const [statement] = results[1]?.statements ?? [];
    expect(statement).toMatchObject({ loc: { line: 23 }, dataMigration: true });
    expect(statement?.changes.map((change) => [change.kind, change.table, change.loc.line])).toEqual([["drop-column", "dao_team", 8]]);
    expect(statement?.uses).toEqual([expect.objectContaining({ table: "dao_team", access: "write", columns: ["name"], loc: { file: "dao/migrations/0002_data.py", line: 14 } })]);
  });

  it("reports SQL that RunPython builds at run time, and runs nothing it cannot see", async () => {
    const text = `${HEADER}
def forwards(apps, schema_editor):
    for table in ["dao_team"]:
        schema_editor.execute("DROP TABLE " + table)


class Migration(migrations.Migration):
    dependencies = [("dao", "0001_initial")]
    operations = [migrations.RunPython(forwards)]
`;
    const results = await replayDjangoHistory([team, source("dao", "0002_data", text)]);
    expect(results[1]?.unparsed).toEqual([
      expect.objectContaining({ loc: { file: "dao/migrations/0002_data.py", line: 6 }, reason: expect.stringContaining("RunPython forwards: SQL built at run time"), subject: "RunPython" }),
    ]);
  });

  it("reports an AddField of a field class whose column type is unknown, as AlterField does", async () => {
    const text = migration(
      `        migrations.AddField("team", "secret", vendor.fields.Mystery()),
        migrations.AddField("team", "size", models.IntegerField(null=True)),`,
      `[("dao", "0001_initial")]`,
    );
    const results = await replayDjangoHistory([team, source("dao", "0002_add", `import vendor.fields\n${text}`)]);
    expect(results[1]?.unparsed).toEqual([
      expect.objectContaining({ loc: { file: "dao/migrations/0002_add.py", line: 8 }, reason: expect.stringContaining("dao_team.secret cannot be read from vendor.fields.Mystery(...)"), subject: "vendor.fields.Mystery" }),
    ]);
    expect(changesOf(results[1]).map((change) => change.kind)).toEqual(["add-column", "add-column"]);
  });

  it("SeparateDatabaseAndState: database operations reach the database, state operations the state", async () => {
    const text = migration(
      `        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterModelTable("team", "r10_team"),
                migrations.AddField("team", "size", models.IntegerField(null=True)),
            ],
            state_operations=[
                migrations.AlterModelTable(name="team", table="r10_team"),
                migrations.AddField("team", "size", models.IntegerField(null=True)),
            ],
        ),
        migrations.RenameField("team", "size", "headcount"),`,
      `[("dao", "0001_initial")]`,
    );
    const results = await replayDjangoHistory([team, source("dao", "0002_move", text)]);
    expect(results[1]?.statements.map((statement) => [statement.loc.line, statement.changes.map((change) => [change.kind, change.table])])).toEqual([
      [9, [["rename-table", "dao_team"]]],
      [10, [["add-column", "r10_team"]]],
      [17, [["rename-column", "r10_team"]]],
    ]);
  });

  it("SeparateDatabaseAndState: a model moved to another app in the state only keeps its table", async () => {
    const moved = migration(
      `        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel("team")]),`,
      `[("dao", "0001_initial")]`,
    );
    const adopted = migration(
      `        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(name="Team", fields=[("id", models.AutoField(primary_key=True, serialize=False))], options={"db_table": "dao_team"}),
            ],
        ),
        migrations.AddField("team", "size", models.IntegerField(null=True)),`,
      `[("dao", "0002_move")]`,
    );
    const results = await replayDjangoHistory([team, source("dao", "0002_move", moved), source("league", "0001_adopt", adopted)]);
    expect(changesOf(results[1])).toEqual([]);
    expect(changesOf(results[2])).toEqual([expect.objectContaining({ kind: "add-column", table: "dao_team" })]);
  });

  it("reports an operation it does not know, naming it, at its line", async () => {
    const text = `${HEADER}import myapp.operations

class Migration(migrations.Migration):
    dependencies = [("dao", "0001_initial")]
    operations = [
        myapp.operations.BackfillTeams(batch=500),
        migrations.AddField("team", "size", models.IntegerField(null=True)),
    ]
`;
    const results = await replayDjangoHistory([team, source("dao", "0002_custom", text)]);
    expect(results[1]?.unparsed).toEqual([
      {
        loc: { file: "dao/migrations/0002_custom.py", line: 8 },
        reason: expect.stringContaining("myapp.operations.BackfillTeams"),
        context: "migration",
        subject: "myapp.operations.BackfillTeams",
      },
    ]);
    expect(changesOf(results[1])).toEqual([expect.objectContaining({ kind: "add-column" })]);
  });

  it("turns a file that is not a readable migration into an unparsed entry, never an exception", async () => {
    const results = await replayDjangoHistory([team, source("dao", "0002_broken", "class Migration(:\n    operations = [")]);
    expect(results[1]?.unparsed.length).toBeGreaterThan(0);
    expect(results[1]?.unparsed[0]).toMatchObject({ context: "migration", loc: { file: "dao/migrations/0002_broken.py" } });
  });
});

describe("column types", () => {
  it("maps every Django field class to the PostgreSQL type Django creates", async () => {
    const fields: [string, string, string, boolean?][] = [
      ["a", "models.BigAutoField(primary_key=True, serialize=False)", "bigint"],
      ["b", "models.CharField(max_length=12)", "character varying(12)"],
      ["c", "models.SlugField()", "character varying(50)"],
      ["d", "models.EmailField()", "character varying(254)"],
      ["e", "models.URLField()", "character varying(200)"],
      ["f", "models.TextField()", "text"],
      ["g", "models.IntegerField()", "integer"],
      ["h", "models.BigIntegerField()", "bigint"],
      ["i", "models.SmallIntegerField()", "smallint"],
      ["j", "models.PositiveIntegerField()", "integer"],
      ["k", "models.PositiveSmallIntegerField()", "smallint"],
      ["l", "models.PositiveBigIntegerField()", "bigint"],
      ["m", "models.BooleanField(default=False)", "boolean"],
      ["n", "models.NullBooleanField()", "boolean", true],
      ["o", "models.DateField()", "date"],
      ["p", "models.DateTimeField(auto_now_add=True)", "timestamp with time zone"],
      ["q", "models.TimeField()", "time without time zone"],
      ["r", "models.DurationField()", "interval"],
      ["s", "models.DecimalField(decimal_places=2, max_digits=10)", "numeric(10,2)"],
      ["t", "models.FloatField()", "double precision"],
      ["u", "models.UUIDField()", "uuid"],
      ["v", "models.JSONField(default=dict)", "jsonb"],
      ["w", "django.contrib.postgres.fields.jsonb.JSONField()", "jsonb"],
      ["x", "models.BinaryField()", "bytea"],
      ["y", "models.GenericIPAddressField()", "inet"],
      ["z", "models.IPAddressField()", "inet"],
      ["aa", "models.FileField(upload_to='x')", "character varying(100)"],
      ["ab", "models.ImageField(max_length=255, upload_to='x')", "character varying(255)"],
      ["ac", "models.FilePathField(path='/tmp')", "character varying(100)"],
      ["ad", "django.contrib.postgres.fields.ArrayField(base_field=models.CharField(max_length=5), size=None)", "character varying(5)[]"],
      ["ae", "django.contrib.postgres.fields.hstore.HStoreField()", "hstore"],
      ["af", "django.contrib.postgres.fields.citext.CICharField(max_length=10)", "citext"],
      ["ag", "django.contrib.postgres.fields.ranges.DateTimeRangeField()", "tstzrange"],
      ["ah", "myapp.fields.EncryptedTextField()", "text"],
      ["ai", "Str(max_length=7)", "character varying(7)"],
      ["aj", "phonenumber_field.modelfields.PhoneNumberField(max_length=128, region=None)", "character varying(128)"],
      ["ao", "picklefield.fields.PickledObjectField(editable=False)", "text"],
      ["ak", "vendor.fields.Mystery()", "unknown"],
      ["al", "models.SmallAutoField(primary_key=True, serialize=False)", "smallint"],
      ["am", "models.CharField(max_length=getattr(settings, 'TASK_ID_MAX_LENGTH', 255))", "character varying(255)"],
      ["an", "models.CharField(max_length=compute_length())", "unknown"],
    ];
    const text = `${HEADER}import django.contrib.postgres.fields
import django.contrib.postgres.fields.citext
import django.contrib.postgres.fields.hstore
import django.contrib.postgres.fields.jsonb
import django.contrib.postgres.fields.ranges
import myapp.fields
import phonenumber_field.modelfields
from django.db.models import CharField as Str

class Migration(migrations.Migration):
    operations = [
        migrations.CreateModel(name="Everything", fields=[
${fields.map(([name, field]) => `            ("${name}", ${field}),`).join("\n")}
        ]),
    ]
`;
    const results = await replayDjangoHistory([source("dao", "0001_initial", text)]);
    const table = changesOf(results[0])[0];
    const columns = table?.kind === "create-table" ? table.columns : [];
    expect(columns.map((column) => [column.name, column.type, column.nullable])).toEqual(fields.map(([name, , type, nullable]) => [name, type, nullable ?? false]));
    // An unknown column type is never silent: the CreateModel names each such field.
    expect(results[0]?.unparsed.map((problem) => problem.subject)).toEqual(["vendor.fields.Mystery", "models.CharField"]);
    expect(results[0]?.unparsed[0]?.reason).toContain("dao_everything.ak cannot be read from vendor.fields.Mystery(...)");
  });
});

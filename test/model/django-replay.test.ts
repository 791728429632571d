import { describe, expect, it } from "vitest";
import { replayDjangoHistory, type DjangoMigrationSource, type DjangoReplayOptions } from "../../src/model/django-replay.js";
import type { ParsedMigration, SchemaChange } from "../../src/core/changes.js";

const HEADER = `from django.conf import settings
from django.db import migrations, models
import django.db.models.deletion
`;

function migration(operations: string, dependencies = "[]"): string {
  return `${HEADER}
class Migration(migrations.Migration):
    dependencies = ${dependencies}
    operations = [
${operations}
    ]
`;
}

function source(app: string, name: string, text: string): DjangoMigrationSource {
  return { file: `${app}/migrations/${name}.py`, text, appLabel: app };
}

const ID = `("id", models.AutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID"))`;
const TEAM = `        migrations.CreateModel(
            name="Team",
            fields=[
                ${ID},
                ("name", models.CharField(max_length=100)),
            ],
        ),`;
const INITIAL = source("dao", "0001_initial", migration(TEAM));

/** Replays the initial Team migration followed by `operations` as dao 0002, and returns 0002's changes. */
async function changesAfterTeam(operations: string, options?: DjangoReplayOptions): Promise<SchemaChange[]> {
  const results = await replayDjangoHistory([INITIAL, source("dao", "0002_change", migration(operations, `[("dao", "0001_initial")]`))], options);
  return changesOf(results.at(-1));
}

function changesOf(result: ParsedMigration | undefined): SchemaChange[] {
  return (result?.statements ?? []).flatMap((statement) => statement.changes);
}

describe("CreateModel", () => {
  it("creates the table under Django's default name with its columns, relation index and pattern index", async () => {
    const results = await replayDjangoHistory([
      source(
        "dao",
        "0001_initial",
        migration(`${TEAM}
        migrations.CreateModel(
            name="Player",
            fields=[
                ${ID},
                ("nick", models.SlugField(unique=True)),
                ("bio", models.TextField(blank=True, null=True)),
                ("team", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="players", to="dao.team")),
            ],
        ),`),
      ),
    ]);
    const [team, player, ...indexes] = changesOf(results[0]);
    expect(team).toMatchObject({ kind: "create-table", table: "dao_team", loc: { file: "dao/migrations/0001_initial.py", line: 8 } });
    expect(player).toEqual({
      kind: "create-table",
      table: "dao_player",
      loc: { file: "dao/migrations/0001_initial.py", line: 15 },
      ifNotExists: false,
      constraints: [],
      columns: [
        { name: "id", type: "integer", nullable: false, hasDefault: true, primaryKey: true, unique: true },
        { name: "nick", type: "character varying(50)", nullable: false, hasDefault: false, primaryKey: false, unique: true },
        { name: "bio", type: "text", nullable: true, hasDefault: false, primaryKey: false, unique: false },
        {
          name: "team_id",
          type: "integer",
          nullable: false,
          hasDefault: false,
          primaryKey: false,
          unique: false,
          references: { table: "dao_team", columns: ["id"] },
        },
      ],
    });
    expect(indexes.map((change) => (change.kind === "create-index" ? [change.table, change.name, change.columns] : change.kind))).toEqual([
      ["dao_player", "dao_player_nick_6ddb5688_like", ["nick"]],
      ["dao_player", "dao_player_team_id_2df90b6a", ["team_id"]],
    ]);
    expect(results[0]?.statements).toHaveLength(2);
  });

  it("reads positional arguments and options: db_table, unique_together, index_together, indexes, constraints", async () => {
    const results = await replayDjangoHistory([
      source(
        "dao",
        "0001_initial",
        migration(`        migrations.CreateModel(
            "Device",
            [
                ${ID},
                ("token", models.CharField("token", max_length=64)),
                ("kind", models.CharField(max_length=10)),
                ("price", models.DecimalField("price", "price", 8, 2)),
            ],
            {
                "db_table": "r10_device",
                "unique_together": {("token", "kind")},
                "index_together": ("kind", "token"),
                "indexes": [models.Index(fields=["-kind"], name="r10_device_kind_idx")],
                "constraints": [
                    models.CheckConstraint(check=models.Q(kind__in=["ios", "android"]), name="kind_known"),
                    models.UniqueConstraint(fields=["token"], condition=models.Q(kind="ios"), name="one_ios_token"),
                ],
            },
        ),`),
      ),
    ]);
    const changes = changesOf(results[0]);
    expect(changes[0]).toMatchObject({
      kind: "create-table",
      table: "r10_device",
      columns: [
        { name: "id" },
        { name: "token", type: "character varying(64)" },
        { name: "kind", type: "character varying(10)" },
        { name: "price", type: "numeric(8,2)" },
      ],
      constraints: [
        { kind: "unique", name: "r10_device_token_kind_87902ff9_uniq", columns: ["token", "kind"] },
        { kind: "check", name: "kind_known", notValid: false },
      ],
    });
    expect(changes.slice(1)).toEqual([
      expect.objectContaining({ kind: "create-index", name: "r10_device_kind_token_8970a03d_idx", columns: ["kind", "token"], unique: false }),
      expect.objectContaining({ kind: "create-index", name: "r10_device_kind_idx", columns: ["kind"], unique: false }),
      expect.objectContaining({ kind: "create-index", name: "one_ios_token", columns: ["token"], unique: true }),
    ]);
  });

  it("creates no table for unmanaged and proxy models, yet relations to them resolve", async () => {
    const changes = await changesAfterTeam(`        migrations.CreateModel(
            name="LegacyScore",
            fields=[("code", models.CharField(max_length=8, primary_key=True, serialize=False))],
            options={"db_table": "legacy_score", "managed": False},
        ),
        migrations.CreateModel(name="BigTeam", fields=[], options={"proxy": True}, bases=("dao.team",)),
        migrations.AddField("team", "score", models.ForeignKey(null=True, on_delete=models.SET_NULL, to="dao.legacyscore")),
        migrations.AddField("legacyscore", "note", models.TextField(null=True)),
        migrations.AddField("team", "parent", models.ForeignKey(null=True, on_delete=models.SET_NULL, to="dao.bigteam")),`);
    expect(changes.filter((change) => change.kind === "add-column")).toEqual([
      expect.objectContaining({
        table: "dao_team",
        column: expect.objectContaining({ name: "score_id", type: "character varying(8)", nullable: true, references: { table: "legacy_score", columns: ["code"] } }),
      }),
      expect.objectContaining({
        table: "dao_team",
        column: expect.objectContaining({ name: "parent_id", type: "integer", references: { table: "dao_team", columns: ["id"] } }),
      }),
    ]);
    expect(changes.some((change) => change.table === "legacy_score" || change.table === "dao_bigteam")).toBe(false);
  });

  it("gives a multi-table child a <parent>_ptr_id primary key, listed or not", async () => {
    const changes = await changesAfterTeam(`        migrations.CreateModel(
            name="Club",
            fields=[
                ("team_ptr", models.OneToOneField(auto_created=True, on_delete=django.db.models.deletion.CASCADE, parent_link=True, primary_key=True, serialize=False, to="dao.team")),
                ("city", models.CharField(max_length=50)),
            ],
            bases=("dao.team",),
        ),
        migrations.CreateModel(name="NationalTeam", fields=[("code", models.CharField(max_length=3))], bases=("dao.team", models.Model)),`);
    const tables = changes.filter((change) => change.kind === "create-table");
    for (const table of tables) {
      expect(table.kind === "create-table" && table.columns[0]).toEqual({
        name: "team_ptr_id",
        type: "integer",
        nullable: false,
        hasDefault: false,
        primaryKey: true,
        unique: true,
        references: { table: "dao_team", columns: ["id"] },
      });
    }
    expect(tables.map((table) => table.table)).toEqual(["dao_club", "dao_nationalteam"]);
  });
});

describe("relations", () => {
  const accounts = source(
    "accounts",
    "0001_initial",
    migration(`        migrations.CreateModel(
            name="User",
            fields=[("id", models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False))],
        ),`),
  );

  it("resolves settings.AUTH_USER_MODEL to the configured user model, with its uuid key", async () => {
    const results = await replayDjangoHistory(
      [
        source(
          "dao",
          "0001_initial",
          migration(
            `        migrations.CreateModel(name="Ticket", fields=[${ID}, ("owner", models.ForeignKey(on_delete=models.CASCADE, to=settings.AUTH_USER_MODEL))]),`,
            "[migrations.swappable_dependency(settings.AUTH_USER_MODEL)]",
          ),
        ),
        accounts,
      ],
      { authUserModel: "accounts.User" },
    );
    expect(results.map((result) => result.file)).toEqual(["accounts/migrations/0001_initial.py", "dao/migrations/0001_initial.py"]);
    const ticket = changesOf(results[1])[0];
    expect(ticket?.kind === "create-table" && ticket.columns[1]).toMatchObject({ name: "owner_id", type: "uuid", references: { table: "accounts_user", columns: ["id"] } });
  });

  it("defaults AUTH_USER_MODEL to auth.User (auth_user, integer) when it is not replayed", async () => {
    const changes = await changesAfterTeam(`        migrations.AddField("team", "coach", models.OneToOneField(null=True, on_delete=models.SET_NULL, to=settings.AUTH_USER_MODEL)),`);
    expect(changes[0]).toMatchObject({
      kind: "add-column",
      table: "dao_team",
      column: { name: "coach_id", type: "integer", nullable: true, unique: true, references: { table: "auth_user", columns: ["id"] } },
    });
  });

  it("resolves self, a model of the same app by name, another app's model, to_field and db_column", async () => {
    const results = await replayDjangoHistory([
      INITIAL,
      source(
        "billing",
        "0001_initial",
        migration(`        migrations.CreateModel(name="Invoice", fields=[
            ("id", models.BigAutoField(primary_key=True, serialize=False)),
            ("number", models.CharField(max_length=20, unique=True)),
        ]),`),
      ),
      source(
        "dao",
        "0002_relations",
        migration(
          `        migrations.AddField("team", "mentor", models.ForeignKey(null=True, on_delete=models.SET_NULL, to="self")),
        migrations.AddField("team", "sister", models.ForeignKey(null=True, on_delete=models.SET_NULL, to="Team", db_column="sister_team")),
        migrations.AddField("team", "invoice", models.ForeignKey(null=True, on_delete=models.SET_NULL, to="billing.invoice")),
        migrations.AddField("team", "invoice_number", models.ForeignKey(null=True, on_delete=models.SET_NULL, to="billing.Invoice", to_field="number", db_constraint=False)),`,
          `[("dao", "0001_initial"), ("billing", "0001_initial")]`,
        ),
      ),
    ]);
    const columns = changesOf(results.at(-1)).flatMap((change) => (change.kind === "add-column" ? [change.column] : []));
    expect(columns.map((column) => [column.name, column.type, column.references?.table, column.references?.columns])).toEqual([
      ["mentor_id", "integer", "dao_team", ["id"]],
      ["sister_team", "integer", "dao_team", ["id"]],
      ["invoice_id", "bigint", "billing_invoice", ["id"]],
      ["invoice_number_id", "character varying(20)", undefined, undefined],
    ]);
  });

  it("resolves a swappable setting other than AUTH_USER_MODEL to the model it defaults to", async () => {
    const results = await replayDjangoHistory([
      source(
        "oauth",
        "0001_initial",
        `${HEADER}from oauth.settings import oauth_settings

class Migration(migrations.Migration):
    operations = [
        migrations.CreateModel(
            name="Application",
            fields=[("id", models.BigAutoField(primary_key=True, serialize=False))],
            options={"swappable": "OAUTH_APPLICATION_MODEL"},
        ),
        migrations.CreateModel(
            name="Token",
            fields=[${ID}, ("application", models.ForeignKey(on_delete=models.CASCADE, to=oauth_settings.APPLICATION_MODEL))],
        ),
    ]
`,
      ),
    ]);
    const [application, token] = changesOf(results[0]);
    expect(application).toMatchObject({ kind: "create-table", table: "oauth_application" });
    expect(token?.kind === "create-table" && token.columns[1]).toMatchObject({ name: "application_id", type: "bigint", references: { table: "oauth_application" } });
  });

  it("creates automatic many-to-many tables, self-referential ones with from_/to_ columns, none with through", async () => {
    const changes = await changesAfterTeam(`        migrations.CreateModel(
            name="Fan",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("teams", models.ManyToManyField(related_name="fans", to="dao.Team")),
                ("friends", models.ManyToManyField(to="dao.fan")),
                ("memberships", models.ManyToManyField(through="dao.Membership", to="dao.team")),
            ],
        ),
        migrations.CreateModel(
            name="Coach",
            fields=[("id", models.BigAutoField(primary_key=True, serialize=False)), ("teams", models.ManyToManyField(to="dao.team"))],
        ),`);
    const joins = changes.filter((change) => change.kind === "create-table").slice(1);
    expect(joins).toEqual([
      expect.objectContaining({
        table: "dao_fan_teams",
        columns: [
          { name: "id", type: "integer", nullable: false, hasDefault: true, primaryKey: true, unique: true },
          { name: "fan_id", type: "bigint", nullable: false, hasDefault: false, primaryKey: false, unique: false, references: { table: "dao_fan", columns: ["id"] } },
          { name: "team_id", type: "integer", nullable: false, hasDefault: false, primaryKey: false, unique: false, references: { table: "dao_team", columns: ["id"] } },
        ],
        constraints: [{ kind: "unique", name: expect.stringMatching(/^dao_fan_teams_fan_id_team_id_[0-9a-f]{8}_uniq$/), columns: ["fan_id", "team_id"] }],
      }),
      expect.objectContaining({ table: "dao_fan_friends", columns: [expect.objectContaining({ name: "id" }), expect.objectContaining({ name: "from_fan_id" }), expect.objectContaining({ name: "to_fan_id" })] }),
      expect.objectContaining({ kind: "create-table", table: "dao_coach" }),
      // A model's own BigAutoField says nothing of DEFAULT_AUTO_FIELD, which Django 3.2 defaults to AutoField.
      expect.objectContaining({ table: "dao_coach_teams", columns: [expect.objectContaining({ name: "id", type: "integer" }), expect.objectContaining({ name: "coach_id", type: "bigint" }), expect.objectContaining({ name: "team_id", type: "integer" })] }),
    ]);
  });

  it.each([
    ["django.db.models.BigAutoField", "bigint"],
    ["SmallAutoField", "smallint"],
    ["AutoField", "integer"],
  ])("keys automatic join tables with DEFAULT_AUTO_FIELD %s as %s, as migrate does", async (defaultAutoField, type) => {
    const changes = await changesAfterTeam(
      `        migrations.CreateModel(
            name="Fan",
            fields=[("id", models.AutoField(primary_key=True, serialize=False)), ("teams", models.ManyToManyField(to="dao.team"))],
        ),`,
      { defaultAutoField },
    );
    const join = changes.find((change) => change.kind === "create-table" && change.table === "dao_fan_teams");
    expect(join).toMatchObject({ columns: [{ name: "id", type }, { name: "fan_id", type: "integer" }, { name: "team_id", type: "integer" }] });
  });
});

describe("DeleteModel, RenameModel, AlterModelTable", () => {
  it("drops the table and its join tables", async () => {
    const changes = await changesAfterTeam(`        migrations.AddField("team", "rivals", models.ManyToManyField(to="dao.team")),
        migrations.DeleteModel(name="Team"),`);
    expect(changes.slice(-2)).toEqual([
      expect.objectContaining({ kind: "drop-table", table: "dao_team_rivals" }),
      expect.objectContaining({ kind: "drop-table", table: "dao_team" }),
    ]);
  });

  it("renames the default table, its join tables and their columns; relations keep their column names", async () => {
    const results = await replayDjangoHistory([
      INITIAL,
      source(
        "dao",
        "0002_more",
        migration(
          `        migrations.CreateModel(name="Player", fields=[${ID}, ("team", models.ForeignKey(on_delete=models.CASCADE, to="dao.team")), ("teams", models.ManyToManyField(to="dao.team"))]),
        migrations.AddField("team", "players", models.ManyToManyField(related_name="+", to="dao.player")),`,
          `[("dao", "0001_initial")]`,
        ),
      ),
      source(
        "dao",
        "0003_rename",
        migration(
          `        migrations.RenameModel(old_name="Team", new_name="Squad"),
        migrations.AddField("player", "former", models.ForeignKey(null=True, on_delete=models.SET_NULL, to="dao.squad")),`,
          `[("dao", "0002_more")]`,
        ),
      ),
    ]);
    const changes = changesOf(results.at(-1));
    expect(changes.slice(0, 4).map((change) => [change.kind, change.table, "newName" in change ? change.newName : undefined, "column" in change ? change.column : undefined])).toEqual([
      ["rename-table", "dao_team", "dao_squad", undefined],
      ["rename-table", "dao_team_players", "dao_squad_players", undefined],
      ["rename-column", "dao_squad_players", "squad_id", "team_id"],
      ["rename-column", "dao_player_teams", "squad_id", "team_id"],
    ]);
    expect(changes.find((change) => change.kind === "add-column")).toMatchObject({ table: "dao_player", column: { name: "former_id", references: { table: "dao_squad" } } });
    expect(changes.some((change) => change.kind === "rename-column" && change.table === "dao_player")).toBe(false);
  });

  it("renames nothing in the database when the model has an explicit db_table", async () => {
    const results = await replayDjangoHistory([
      source("dao", "0001_initial", migration(`        migrations.CreateModel(name="Team", fields=[${ID}], options={"db_table": "r10_team"}),`)),
      source("dao", "0002_rename", migration(`        migrations.RenameModel("Team", "Squad"),\n        migrations.AddField("squad", "size", models.IntegerField(null=True)),`, `[("dao", "0001_initial")]`)),
    ]);
    expect(changesOf(results[1])).toEqual([expect.objectContaining({ kind: "add-column", table: "r10_team" })]);
  });

  it("AlterModelTable renames to the new name, and back to the default for None", async () => {
    const changes = await changesAfterTeam(`        migrations.AlterModelTable(name="team", table="r10_team"),
        migrations.AlterModelTable("team", None),`);
    expect(changes).toEqual([
      expect.objectContaining({ kind: "rename-table", table: "dao_team", newName: "r10_team", loc: { file: "dao/migrations/0002_change.py", line: 8 } }),
      expect.objectContaining({ kind: "rename-table", table: "r10_team", newName: "dao_team", loc: { file: "dao/migrations/0002_change.py", line: 9 } }),
    ]);
  });

  it("AlterModelOptions and AlterModelManagers change nothing in the database", async () => {
    const results = await replayDjangoHistory([
      INITIAL,
      source("dao", "0002_options", migration(`        migrations.AlterModelOptions(name="team", options={"ordering": ["name"]}),\n        migrations.AlterModelManagers("team", []),`, `[("dao", "0001_initial")]`)),
    ]);
    expect(results[1]?.statements.map((statement) => statement.changes)).toEqual([[], []]);
    expect(results[1]?.unparsed).toEqual([]);
  });
});

describe("field operations", () => {
  it("AddField adds the column with Django's temporary default, then drops the default", async () => {
    const changes = await changesAfterTeam(`        migrations.AddField(model_name="team", name="size", field=models.PositiveSmallIntegerField(default=11), preserve_default=False),
        migrations.AddField("team", "motto", models.CharField(max_length=80, null=True)),`);
    expect(changes).toEqual([
      expect.objectContaining({ kind: "add-column", table: "dao_team", column: { name: "size", type: "smallint", nullable: false, hasDefault: true, primaryKey: false, unique: false, defaultVolatility: "immutable", defaultText: "the field's default, sent once as a constant" } }),
      expect.objectContaining({ kind: "drop-default", table: "dao_team", column: "size" }),
      expect.objectContaining({ kind: "add-constraint", table: "dao_team", constraint: { kind: "check", name: "dao_team_size_check", notValid: false } }),
      expect.objectContaining({ kind: "add-column", table: "dao_team", column: expect.objectContaining({ name: "motto", nullable: true, hasDefault: false }) }),
    ]);
  });

  it("RemoveField drops the relation's _id column, and a many-to-many field's join table", async () => {
    const changes = await changesAfterTeam(`        migrations.AddField("team", "captain", models.ForeignKey(null=True, on_delete=models.SET_NULL, to=settings.AUTH_USER_MODEL)),
        migrations.AddField("team", "fans", models.ManyToManyField(to=settings.AUTH_USER_MODEL)),
        migrations.RemoveField(model_name="team", name="captain"),
        migrations.RemoveField("team", "fans"),`);
    expect(changes.slice(-2)).toEqual([
      expect.objectContaining({ kind: "drop-column", table: "dao_team", column: "captain_id" }),
      expect.objectContaining({ kind: "drop-table", table: "dao_team_fans" }),
    ]);
  });

  it("RenameField renames the column, including a relation's _id column and a join table", async () => {
    const changes = await changesAfterTeam(`        migrations.AddField("team", "captain", models.ForeignKey(null=True, on_delete=models.SET_NULL, to=settings.AUTH_USER_MODEL)),
        migrations.AddField("team", "fans", models.ManyToManyField(to=settings.AUTH_USER_MODEL)),
        migrations.RenameField(model_name="team", old_name="name", new_name="title"),
        migrations.RenameField("team", "captain", "leader"),
        migrations.RenameField("team", "fans", "supporters"),`);
    expect(changes.filter((change) => change.kind.startsWith("rename"))).toEqual([
      expect.objectContaining({ kind: "rename-column", table: "dao_team", column: "name", newName: "title" }),
      expect.objectContaining({ kind: "rename-column", table: "dao_team", column: "captain_id", newName: "leader_id" }),
      expect.objectContaining({ kind: "rename-table", table: "dao_team_fans", newName: "dao_team_supporters" }),
    ]);
  });

  it("RenameField renames no column when db_column fixes it", async () => {
    const changes = await changesAfterTeam(`        migrations.AddField("team", "short", models.CharField(db_column="abbr", max_length=3, null=True)),
        migrations.RenameField("team", "short", "code"),
        migrations.AlterField("team", "code", models.CharField(max_length=3, null=True)),`);
    expect(changes.filter((change) => change.kind.startsWith("rename"))).toEqual([
      expect.objectContaining({ kind: "rename-column", table: "dao_team", column: "abbr", newName: "code", loc: { file: "dao/migrations/0002_change.py", line: 10 } }),
    ]);
  });

  it("AlterField changes type and nullability as Django's schema editor does", async () => {
    const changes = await changesAfterTeam(`        migrations.AlterField(model_name="team", name="name", field=models.CharField(max_length=200, null=True)),
        migrations.AlterField("team", "name", models.CharField(max_length=200, default="unnamed")),
        migrations.AlterField("team", "name", models.CharField(max_length=200)),`);
    expect(changes.map((change) => [change.kind, "column" in change ? change.column : undefined, "newType" in change ? change.newType : undefined])).toEqual([
      ["alter-column-type", "name", "character varying(200)"],
      ["drop-not-null", "name", undefined],
      ["set-default", "name", undefined],
      ["set-not-null", "name", undefined],
      ["drop-default", "name", undefined],
    ]);
  });

  it("AlterField of a primary key's type changes the columns that point at it", async () => {
    const changes = await changesAfterTeam(`        migrations.CreateModel(name="Player", fields=[${ID}, ("team", models.ForeignKey(on_delete=models.CASCADE, to="dao.team"))]),
        migrations.AlterField("team", "id", models.BigAutoField(primary_key=True, serialize=False)),`);
    expect(changes.filter((change) => change.kind === "alter-column-type")).toEqual([
      expect.objectContaining({ table: "dao_team", column: "id", newType: "bigint" }),
      expect.objectContaining({ table: "dao_player", column: "team_id", newType: "bigint" }),
    ]);
  });

  it("AlterField to a ForeignKey adds the constraint; a field class it cannot read is reported", async () => {
    const results = await replayDjangoHistory([
      INITIAL,
      source(
        "dao",
        "0002_change",
        migration(
          `        migrations.AddField("team", "owner", models.IntegerField(null=True)),
        migrations.AlterField("team", "owner", models.ForeignKey(null=True, on_delete=models.SET_NULL, to=settings.AUTH_USER_MODEL, db_column="owner")),
        migrations.AlterField("team", "name", vendor.fields.Mystery(max_length=100)),`,
          `[("dao", "0001_initial")]`,
        ),
      ),
    ]);
    expect(changesOf(results[1]).find((change) => change.kind === "add-constraint")).toMatchObject({
      table: "dao_team",
      constraint: { kind: "foreign-key", columns: ["owner"], references: { table: "auth_user", columns: ["id"] } },
    });
    expect(results[1]?.unparsed).toEqual([
      expect.objectContaining({ loc: { file: "dao/migrations/0002_change.py", line: 10 }, subject: "vendor.fields.Mystery", context: "migration" }),
    ]);
  });
});

describe("indexes and constraints", () => {
  it("indexes both columns of a join table, and follows db_index and unique with the _like index", async () => {
    const changes = await changesAfterTeam(`        migrations.AddField("team", "rivals", models.ManyToManyField(to="dao.team")),
        migrations.AlterField("team", "name", models.CharField(db_index=True, max_length=100)),
        migrations.AlterField("team", "name", models.CharField(max_length=100)),`);
    expect(changes.map((change) => [change.kind, "name" in change ? change.name : change.table])).toEqual([
      ["create-table", "dao_team_rivals"],
      ["create-index", "dao_team_rivals_from_team_id_9b83579c"],
      ["create-index", "dao_team_rivals_to_team_id_06b8ff93"],
      ["create-index", "dao_team_name_842e2ae1"],
      ["create-index", "dao_team_name_842e2ae1_like"],
      ["drop-index", "dao_team_name_842e2ae1"],
      ["drop-index", "dao_team_name_842e2ae1_like"],
    ]);
  });

  it("AddIndex, RemoveIndex, AddConstraint and RemoveConstraint", async () => {
    const changes = await changesAfterTeam(`        migrations.AddIndex(model_name="team", index=models.Index(fields=["name"], name="team_name_idx")),
        migrations.RemoveIndex("team", "team_name_idx"),
        migrations.AddConstraint("team", models.UniqueConstraint(fields=("name",), name="team_name_unique")),
        migrations.AddConstraint(model_name="team", constraint=models.CheckConstraint(check=models.Q(name__gt=""), name="team_name_set")),
        migrations.AddConstraint("team", models.UniqueConstraint(models.functions.Lower("name"), name="team_name_ci")),
        migrations.RemoveConstraint("team", "team_name_unique"),
        migrations.RemoveConstraint(model_name="team", name="team_name_ci"),`);
    expect(changes).toEqual([
      expect.objectContaining({ kind: "create-index", table: "dao_team", name: "team_name_idx", columns: ["name"], unique: false }),
      expect.objectContaining({ kind: "drop-index", table: "dao_team", name: "team_name_idx" }),
      expect.objectContaining({ kind: "add-constraint", table: "dao_team", constraint: { kind: "unique", name: "team_name_unique", columns: ["name"] } }),
      expect.objectContaining({ kind: "add-constraint", table: "dao_team", constraint: { kind: "check", name: "team_name_set", notValid: false } }),
      expect.objectContaining({ kind: "create-index", table: "dao_team", name: "team_name_ci", unique: true }),
      expect.objectContaining({ kind: "drop-constraint", table: "dao_team", name: "team_name_unique" }),
      expect.objectContaining({ kind: "drop-index", table: "dao_team", name: "team_name_ci" }),
    ]);
  });

  it("AlterUniqueTogether and AlterIndexTogether add and drop what changed, under Django's names", async () => {
    const changes = await changesAfterTeam(`        migrations.AddField("team", "city", models.CharField(max_length=40, null=True)),
        migrations.AlterUniqueTogether(name="team", unique_together=set([("name", "city")])),
        migrations.AlterIndexTogether("team", {("city", "name")}),
        migrations.AlterUniqueTogether("team", set()),
        migrations.AlterIndexTogether("team", None),`);
    expect(changes.slice(1).map((change) => [change.kind, "name" in change ? change.name : change.kind === "add-constraint" ? change.constraint.name : undefined])).toEqual([
      ["add-constraint", "dao_team_name_city_94d05dc5_uniq"],
      ["create-index", "dao_team_city_name_004b972f_idx"],
      ["drop-constraint", "dao_team_name_city_94d05dc5_uniq"],
      ["drop-index", "dao_team_city_name_004b972f_idx"],
    ]);
  });

  it("drops indexes and constraints under the names they were created with, whatever was renamed since", async () => {
    const changes = await changesAfterTeam(`        migrations.AddField("team", "city", models.CharField(max_length=40, null=True)),
        migrations.AddField("team", "rank", models.PositiveIntegerField(null=True)),
        migrations.AlterUniqueTogether("team", {("name", "city")}),
        migrations.RenameField("team", "city", "town"),
        migrations.RenameModel("Team", "Squad"),
        migrations.AlterUniqueTogether("squad", set()),
        migrations.AlterField("squad", "rank", models.IntegerField(null=True)),`);
    expect(changes.filter((change) => change.kind === "drop-constraint").map((change) => change.kind === "drop-constraint" && [change.table, change.name])).toEqual([
      ["dao_squad", "dao_team_name_city_94d05dc5_uniq"],
      ["dao_squad", "dao_team_rank_check"],
    ]);
  });

  it("AlterOrderWithRespectTo adds and drops the _order column", async () => {
    const changes = await changesAfterTeam(`        migrations.AlterOrderWithRespectTo(name="team", order_with_respect_to="name"),
        migrations.AlterOrderWithRespectTo("team", None),`);
    expect(changes).toEqual([
      expect.objectContaining({ kind: "add-column", table: "dao_team", column: expect.objectContaining({ name: "_order", type: "integer", nullable: false }) }),
      expect.objectContaining({ kind: "drop-default", column: "_order" }),
      expect.objectContaining({ kind: "drop-column", table: "dao_team", column: "_order" }),
    ]);
  });

  it("knows django.contrib.postgres operations", async () => {
    const results = await replayDjangoHistory([
      INITIAL,
      source(
        "dao",
        "0002_postgres",
        `${HEADER}from django.contrib.postgres.operations import AddIndexConcurrently, TrigramExtension
from django.contrib.postgres.indexes import GinIndex

class Migration(migrations.Migration):
    atomic = False
    dependencies = [("dao", "0001_initial")]
    operations = [
        TrigramExtension(),
        AddIndexConcurrently("team", GinIndex(fields=["name"], name="team_name_trgm", opclasses=["gin_trgm_ops"])),
    ]
`,
      ),
    ]);
    expect(results[1]?.unparsed).toEqual([]);
    expect(results[1]?.statements.map((statement) => statement.changes)).toEqual([
      [],
      [expect.objectContaining({ kind: "create-index", table: "dao_team", name: "team_name_trgm", concurrently: true })],
    ]);
  });

  it("reports an operation on a model the history does not have", async () => {
    const results = await replayDjangoHistory([INITIAL, source("dao", "0002_ghost", migration(`        migrations.AddField("ghost", "x", models.IntegerField(null=True)),`, `[("dao", "0001_initial")]`))]);
    expect(results[1]?.statements).toEqual([]);
    expect(results[1]?.unparsed).toEqual([expect.objectContaining({ loc: { file: "dao/migrations/0002_ghost.py", line: 8 }, reason: expect.stringContaining("dao.ghost"), subject: "AddField" })]);
  });
});

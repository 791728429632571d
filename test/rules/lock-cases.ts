// Lock rule cases as users write them: raw SQL files (sql, goose, dbmate) and Django
// migrations, parsed and replayed by the real parsers, over a base where `r10_device`
// (hub's, written by notifications) and `r10_match` (hub's alone) exist with rows.
import type { MigrationFormat, ParsedMigration, SchemaState } from "../../src/core/changes.js";
import type { RuleFinding } from "../../src/core/findings.js";
import { replayDjangoHistory } from "../../src/model/django-replay.js";
import { loadSqlParser, parseSqlMigration } from "../../src/parse/sql.js";
import type { Rule } from "../../src/rules/types.js";
import { config, review, schema } from "./builders.js";

export const base: SchemaState = schema({
  r10_device: {
    createdBy: "hub",
    columns: { id: { type: "uuid", nullable: false }, push_token: "text", locale: "character varying(8)", badge: "integer", seen_at: "timestamp without time zone" },
    indexes: ["r10_device_locale_idx"],
  },
  r10_match: {
    createdBy: "hub",
    columns: { id: { type: "integer", nullable: false }, status: "character varying(20)", venue: "text", price: "numeric(10,2)" },
  },
});

export const lockConfig = (postgres?: number) =>
  config({ tables: { r10_device: { owner: "hub", writers: ["hub", "notifications"] } }, ...(postgres === undefined ? {} : { postgres }) });

export interface CaseOptions {
  format?: Exclude<MigrationFormat, "django">;
  postgres?: number;
}

export async function sqlMigration(sql: string, format: Exclude<MigrationFormat, "django"> = "sql"): Promise<ParsedMigration> {
  await loadSqlParser();
  return parseSqlMigration(sql, `migrations/0003_change.${format === "sql" ? "up." : ""}sql`, format);
}

export async function checkSql(rule: Rule, sql: string, options: CaseOptions = {}): Promise<RuleFinding[]> {
  const migration = await sqlMigration(sql, options.format ?? "sql");
  return rule.check(review({ config: lockConfig(options.postgres), baseSchema: base, headSchema: base, changedMigrations: [migration] }));
}

const INITIAL = `from django.db import migrations, models

class Migration(migrations.Migration):
    initial = True
    dependencies = []
    operations = [
        migrations.CreateModel(
            name="Device",
            fields=[
                ("id", models.UUIDField(primary_key=True, serialize=False)),
                ("push_token", models.TextField(null=True)),
                ("locale", models.CharField(max_length=8, null=True)),
                ("badge", models.IntegerField(null=True)),
                ("seen_at", models.DateTimeField(null=True)),
            ],
            options={"db_table": "r10_device"},
        ),
        migrations.CreateModel(
            name="Match",
            fields=[("id", models.AutoField(primary_key=True, serialize=False)), ("status", models.CharField(max_length=20, null=True))],
            options={"db_table": "r10_match"},
        ),
    ]
`;

/** A Django migration after the initial one: `operations` is the body of its list. */
export function djangoMigration(operations: string, extra = ""): string {
  return `from django.contrib.postgres.operations import AddIndexConcurrently, AddConstraintNotValid, ValidateConstraint
from django.db import migrations, models

class Migration(migrations.Migration):
${extra}    dependencies = [("dao", "0001_initial")]
    operations = [
${operations}
    ]
`;
}

export async function checkDjango(rule: Rule, operations: string, options: { extra?: string; postgres?: number } = {}): Promise<RuleFinding[]> {
  const history = await replayDjangoHistory([
    { file: "dao/migrations/0001_initial.py", text: INITIAL, appLabel: "dao" },
    { file: "dao/migrations/0002_change.py", text: djangoMigration(operations, options.extra), appLabel: "dao" },
  ]);
  const changed = history.filter((migration) => migration.file.endsWith("0002_change.py"));
  return rule.check(review({ config: lockConfig(options.postgres), baseSchema: base, headSchema: base, changedMigrations: changed }));
}

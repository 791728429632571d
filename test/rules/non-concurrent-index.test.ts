import { describe, expect, it } from "vitest";
import { nonConcurrentIndex } from "../../src/rules/non-concurrent-index.js";
import { checkDjango, checkSql } from "./lock-cases.js";

describe("non-concurrent-index", () => {
  it.each([
    ["CONCURRENTLY", "CREATE INDEX CONCURRENTLY r10_device_token_idx ON r10_device (push_token);"],
    ["an index on a table the migration creates", "CREATE TABLE r10_badge (id uuid PRIMARY KEY, device_id uuid);\nCREATE INDEX r10_badge_device_idx ON r10_badge (device_id);"],
    ["DROP INDEX CONCURRENTLY", "DROP INDEX CONCURRENTLY IF EXISTS r10_device_locale_idx;"],
    ["a table created inside BEGIN … COMMIT", "BEGIN;\nCREATE TABLE core_foo (id serial PRIMARY KEY, tenant_id integer);\nCREATE INDEX core_foo_tenant_id ON core_foo (tenant_id);\nCOMMIT;"],
  ])("valid SQL: %s", async (_name, sql) => {
    expect(await checkSql(nonConcurrentIndex, sql)).toEqual([]);
  });

  it.each([
    ["CREATE INDEX", "CREATE INDEX r10_device_token_idx ON r10_device (push_token);", "r10_device"],
    ["CREATE UNIQUE INDEX", "CREATE UNIQUE INDEX r10_match_status_key ON r10_match (status);", "r10_match"],
    ["an index on a table no history knows", 'CREATE INDEX "field_name_idx" ON "table_name" ("field_name");', "table_name"],
    ["DROP INDEX, resolved to its table", "DROP INDEX r10_device_locale_idx;", "r10_device"],
  ])("invalid SQL: %s", async (_name, sql, table) => {
    const findings = await checkSql(nonConcurrentIndex, sql);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: "non-concurrent-index", table, loc: { line: 1 } });
    expect(findings[0]?.recipe).toContain("CONCURRENTLY");
  });

  it("is an error naming the declared writer on a shared table, a warning on the owner's own", async () => {
    const [shared] = await checkSql(nonConcurrentIndex, "CREATE INDEX r10_device_token_idx ON r10_device (push_token);");
    expect(shared).toMatchObject({ severity: "error", needs: ["notifications"] });
    expect(shared?.message).toContain("`r10_device` is written by notifications: this statement blocks its writes for as long as the index build takes.");
    const [own] = await checkSql(nonConcurrentIndex, "CREATE INDEX r10_match_status_idx ON r10_match (status);");
    expect(own).toMatchObject({ severity: "warning", needs: [] });
  });

  it("suggests CONCURRENTLY on the statement's own lines, not inside a transaction", async () => {
    const [finding] = await checkSql(nonConcurrentIndex, "CREATE INDEX r10_device_token_idx\n  ON r10_device (push_token);\n");
    expect(finding?.suggestion).toEqual({ startLine: 1, endLine: 2, text: "CREATE INDEX CONCURRENTLY r10_device_token_idx\n  ON r10_device (push_token);" });
    const [wrapped] = await checkSql(nonConcurrentIndex, "-- +goose Up\nCREATE INDEX r10_device_token_idx ON r10_device (push_token);\n", { format: "goose" });
    expect(wrapped?.suggestion).toBeUndefined();
    expect(wrapped?.recipe).toContain("-- +goose NO TRANSACTION");
  });

  it.each([
    ["AddIndexConcurrently", `        AddIndexConcurrently("device", models.Index(fields=["push_token"], name="r10_device_token_idx")),`],
    ["RunSQL with CONCURRENTLY", `        migrations.RunSQL("CREATE INDEX CONCURRENTLY r10_device_token_idx ON r10_device (push_token)"),`],
    ["an AddField with db_index on a model the migration creates", `        migrations.CreateModel(name="Badge", fields=[("id", models.AutoField(primary_key=True)), ("code", models.CharField(max_length=8, db_index=True))]),`],
  ])("valid Django: %s", async (_name, operations) => {
    expect(await checkDjango(nonConcurrentIndex, operations, { extra: "    atomic = False\n" })).toEqual([]);
  });

  it.each([
    ["AddIndex", `        migrations.AddIndex("device", models.Index(fields=["push_token"], name="r10_device_token_idx")),`],
    ["AddField with db_index=True", `        migrations.AddField("device", "region", models.CharField(max_length=8, null=True, db_index=True)),`],
    ["AlterField to db_index=True", `        migrations.AlterField("device", "badge", models.IntegerField(null=True, db_index=True)),`],
    ["RunSQL CREATE INDEX", `        migrations.RunSQL("CREATE INDEX r10_device_token_idx ON r10_device (push_token)"),`],
  ])("invalid Django: %s", async (_name, operations) => {
    const findings = await checkDjango(nonConcurrentIndex, operations);
    expect(findings.length).toBeGreaterThan(0);
    expect(findings[0]).toMatchObject({ table: "r10_device", severity: "error", loc: { file: "dao/migrations/0002_change.py" } });
    expect(findings[0]?.recipe).toContain("atomic = False");
  });
});

import { describe, expect, it } from "vitest";
import { backfillInMigration } from "../../src/rules/backfill-in-migration.js";
import { checkDjango, checkSql } from "./lock-cases.js";

describe("backfill-in-migration", () => {
  it.each([
    ["an UPDATE with WHERE", "UPDATE r10_device SET locale = 'en' WHERE id = '5b3c1a2e-0000-4000-8000-000000000000';"],
    ["a DELETE with WHERE", "DELETE FROM r10_device WHERE push_token IS NULL;"],
    ["a table the migration creates", "CREATE TABLE r10_badge (id uuid, code text);\nUPDATE r10_badge SET code = 'x';"],
  ])("valid SQL: %s", async (_name, sql) => {
    expect(await checkSql(backfillInMigration, sql)).toEqual([]);
  });

  it.each([
    ["UPDATE without WHERE", "UPDATE r10_device SET locale = 'en';", "writes"],
    ["DELETE without WHERE", "DELETE FROM r10_device;", "writes"],
    ["a backfill in the transaction of the DDL", "BEGIN;\nALTER TABLE r10_device ADD COLUMN region text;\nUPDATE r10_device SET region = 'eu';\nCOMMIT;", "reads and writes"],
  ])("invalid SQL: %s", async (_name, sql, blocks) => {
    const findings = await checkSql(backfillInMigration, sql);
    expect(findings).toHaveLength(1);
    expect(findings[0]?.message).toContain(`blocks its ${blocks}`);
  });

  it("Django: RunSQL backfill after AddField in one atomic migration", async () => {
    const operations = `        migrations.AddField("device", "region", models.TextField(null=True)),\n        migrations.RunSQL("UPDATE r10_device SET region = 'eu'", migrations.RunSQL.noop),`;
    const [finding] = await checkDjango(backfillInMigration, operations);
    expect(finding?.message).toContain("same transaction");
    expect(finding?.recipe).toContain("RunPython");
  });
});

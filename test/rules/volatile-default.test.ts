import { describe, expect, it } from "vitest";
import { volatileDefault } from "../../src/rules/volatile-default.js";
import { checkDjango, checkSql } from "./lock-cases.js";

describe("volatile-default", () => {
  it.each([
    ["a constant", "ALTER TABLE r10_device ADD COLUMN score integer DEFAULT 10;"],
    ["now(), STABLE", "ALTER TABLE r10_device ADD COLUMN created_at timestamptz DEFAULT now();"],
    ["CURRENT_TIMESTAMP", "ALTER TABLE r10_device ADD COLUMN created_at timestamptz NOT NULL DEFAULT CURRENT_TIMESTAMP;"],
    ["a cast literal", "ALTER TABLE r10_device ADD COLUMN prefs jsonb DEFAULT '{}'::jsonb;"],
    ["an enum literal", "ALTER TABLE r10_device ADD COLUMN mood some_enum DEFAULT 'ok';"],
    ["arithmetic of constants", "ALTER TABLE r10_device ADD COLUMN blah integer DEFAULT 2 + 2;"],
    ["no default", "ALTER TABLE r10_device ADD COLUMN note text;"],
    ["a volatile default on a table the migration creates", "CREATE TABLE r10_badge (id uuid);\nALTER TABLE r10_badge ADD COLUMN token uuid DEFAULT gen_random_uuid();"],
  ])("valid SQL: %s", async (_name, sql) => {
    expect(await checkSql(volatileDefault, sql)).toEqual([]);
  });

  it.each([
    ["gen_random_uuid()", "ALTER TABLE r10_device ADD COLUMN token uuid DEFAULT gen_random_uuid();", 16],
    ["uuid_generate_v4()", "ALTER TABLE r10_device ADD COLUMN token uuid DEFAULT uuid_generate_v4();", 16],
    ["random()", 'ALTER TABLE "r10_device" ADD COLUMN "foo" boolean DEFAULT random() > 0.5;', 16],
    ["clock_timestamp()", "ALTER TABLE r10_device ADD COLUMN seen timestamptz DEFAULT clock_timestamp();", 16],
    ["a function the app cannot classify", "ALTER TABLE r10_device ADD COLUMN foo jsonb DEFAULT myjsonb();", 16],
    ["now() with arguments", "ALTER TABLE r10_device ADD COLUMN foo timestamptz DEFAULT now(123);", 16],
    ["a serial column", "ALTER TABLE r10_device ADD COLUMN seq serial;", 16],
    ["a stored generated column", "ALTER TABLE r10_match ADD COLUMN total numeric GENERATED ALWAYS AS (price * 2) STORED;", 16],
    ["a constant on PostgreSQL 10", "ALTER TABLE r10_device ADD COLUMN score integer DEFAULT 10;", 10],
  ])("invalid SQL: %s", async (_name, sql, postgres) => {
    const findings = await checkSql(volatileDefault, sql, { postgres });
    expect(findings).toHaveLength(1);
    expect(findings[0]?.rule).toBe("volatile-default");
  });

  it("Django sends a field's default once as a constant: quiet on 11+, a rewrite on 10", async () => {
    const add = `        migrations.AddField("device", "score", models.IntegerField(default=0)),`;
    expect(await checkDjango(volatileDefault, add)).toEqual([]);
    const [finding] = await checkDjango(volatileDefault, add, { postgres: 10 });
    expect(finding).toMatchObject({ table: "r10_device", column: "score", severity: "error" });
  });

  it("RunSQL with a volatile default", async () => {
    const findings = await checkDjango(volatileDefault, `        migrations.RunSQL("ALTER TABLE r10_device ADD COLUMN token uuid DEFAULT gen_random_uuid()"),`);
    expect(findings).toHaveLength(1);
  });
});

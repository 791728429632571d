import { describe, expect, it } from "vitest";
import { rewriteReason } from "../../src/rules/type-rewrites.js";
import { rewritingTypeChange } from "../../src/rules/rewriting-type-change.js";
import { checkDjango, checkSql } from "./lock-cases.js";

const modern = { postgres: 16, utcSession: false };

describe("rewriteReason", () => {
  it.each([
    ["character varying(20)", "character varying(40)"],
    ["character varying(20)", "character varying"],
    ["character varying(20)", "text"],
    ["text", "character varying"],
    ["numeric(10,2)", "numeric(12,2)"],
    ["numeric(10,2)", "numeric"],
    ["timestamp(3) without time zone", "timestamp without time zone"],
    ["bit varying(4)", "bit varying(8)"],
    ["cidr", "inet"],
    ["xml", "text"],
  ])("keeps the table: %s → %s", (from, to) => {
    expect(rewriteReason(from, to, modern)).toBeUndefined();
  });

  it.each([
    ["integer", "bigint"],
    ["character varying(40)", "character varying(20)"],
    ["text", "character varying(20)"],
    ["numeric(10,2)", "numeric(10,4)"],
    ["numeric(10,2)", "numeric(8,2)"],
    ["json", "jsonb"],
    ["character(8)", "text"],
    ["character varying(20)[]", "character varying(40)[]"],
    ["timestamp without time zone", "timestamp with time zone"],
  ])("rewrites: %s → %s", (from, to) => {
    expect(rewriteReason(from, to, modern)).toBeDefined();
  });

  it("timestamp → timestamptz keeps the table on 12+ only when the session is UTC", () => {
    expect(rewriteReason("timestamp without time zone", "timestamp with time zone", { postgres: 12, utcSession: true })).toBeUndefined();
    expect(rewriteReason("timestamp without time zone", "timestamp with time zone", { postgres: 11, utcSession: true })).toBeDefined();
  });
});

describe("rewriting-type-change", () => {
  it.each([
    ["a varchar made longer", "ALTER TABLE r10_match ALTER COLUMN status TYPE varchar(40);"],
    ["a varchar made text", "ALTER TABLE r10_match ALTER COLUMN status TYPE text;"],
    ["USING the column itself", "ALTER TABLE r10_match ALTER COLUMN status TYPE varchar(40) USING status::varchar(40);"],
    ["more numeric precision", "ALTER TABLE r10_match ALTER COLUMN price TYPE numeric(14,2);"],
    ["timestamptz with the session in UTC", "SET timezone = 'UTC';\nALTER TABLE r10_device ALTER COLUMN seen_at TYPE timestamptz;"],
    ["a table the migration creates", "CREATE TABLE r10_badge (id integer);\nALTER TABLE r10_badge ALTER COLUMN id TYPE bigint;"],
  ])("valid SQL: %s", async (_name, sql) => {
    expect(await checkSql(rewritingTypeChange, sql)).toEqual([]);
  });

  it.each([
    ["integer → bigint", "ALTER TABLE r10_device ALTER COLUMN badge TYPE bigint;", "badge"],
    ["a shorter varchar", "ALTER TABLE r10_device ALTER COLUMN locale TYPE varchar(4);", "locale"],
    ["a USING expression", "ALTER TABLE r10_match ALTER COLUMN status TYPE integer USING status::integer;", "status"],
    ["timestamp → timestamptz without UTC", "ALTER TABLE r10_device ALTER COLUMN seen_at TYPE timestamptz;", "seen_at"],
    ["a column of unknown type", 'ALTER TABLE "core_recipe" ALTER COLUMN "edits" TYPE text;', "edits"],
  ])("invalid SQL: %s", async (_name, sql, column) => {
    const findings = await checkSql(rewritingTypeChange, sql);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: "rewriting-type-change", column });
    expect(findings[0]?.recipe).toContain("RENAME COLUMN");
  });

  it("Django: a longer CharField and CharField → TextField are quiet; IntegerField → BigIntegerField rewrites", async () => {
    expect(await checkDjango(rewritingTypeChange, `        migrations.AlterField("device", "locale", models.CharField(max_length=16, null=True)),`)).toEqual([]);
    expect(await checkDjango(rewritingTypeChange, `        migrations.AlterField("device", "locale", models.TextField(null=True)),`)).toEqual([]);
    const [finding] = await checkDjango(rewritingTypeChange, `        migrations.AlterField("device", "badge", models.BigIntegerField(null=True)),`);
    expect(finding).toMatchObject({ table: "r10_device", column: "badge", severity: "error", needs: ["notifications"] });
    expect(finding?.recipe).toContain("Migrate the consumers (notifications)");
  });
});

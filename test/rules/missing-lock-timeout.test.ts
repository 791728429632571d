import { describe, expect, it } from "vitest";
import { missingLockTimeout } from "../../src/rules/missing-lock-timeout.js";
import { checkDjango, checkSql } from "./lock-cases.js";

const timeouts = "SET lock_timeout = '1s';\nSET statement_timeout = '5s';\n";

describe("missing-lock-timeout", () => {
  it.each([
    ["both timeouts first", `${timeouts}ALTER TABLE r10_device ADD COLUMN c boolean;`],
    ["mixed-case names", "SET Lock_Timeout = '1s';\nSET Statement_Timeout = '5s';\nALTER TABLE r10_device ADD COLUMN c boolean;"],
    ["set_config", "SELECT set_config('lock_timeout', '1s', false);\nSELECT set_config('statement_timeout', '5s', false);\nALTER TABLE r10_device ADD COLUMN c boolean;"],
    ["no DDL", "SELECT * FROM r10_device;"],
    ["only a table the migration creates", "CREATE TABLE r10_badge (id uuid);\nCREATE INDEX r10_badge_idx ON r10_badge (id);"],
    ["CREATE INDEX CONCURRENTLY, which blocks no one", "CREATE INDEX CONCURRENTLY r10_device_token_idx ON r10_device (push_token);"],
  ])("valid SQL: %s", async (_name, sql) => {
    expect(await checkSql(missingLockTimeout, sql)).toEqual([]);
  });

  it.each([
    ["no timeouts", "ALTER TABLE r10_device ADD COLUMN c boolean;", 1, "lock_timeout"],
    ["only statement_timeout", "SET statement_timeout = '5s';\nALTER TABLE r10_device ADD COLUMN c boolean;", 2, "lock_timeout"],
    ["only lock_timeout", "SET lock_timeout = '1s';\nALTER TABLE r10_device ADD COLUMN c boolean;", 2, "statement_timeout"],
    ["timeouts after the DDL", `ALTER TABLE r10_device ADD COLUMN c boolean;\n${timeouts}`, 1, "lock_timeout"],
    ["a schema-qualified setting is another setting", "SET foo.lock_timeout = '1s';\nSET foo.statement_timeout = '5s';\nALTER TABLE r10_device ADD COLUMN c boolean;", 3, "lock_timeout"],
    ["lock_timeout = 0 disables it", "SET lock_timeout = 0;\nSET statement_timeout = '5s';\nALTER TABLE r10_device ADD COLUMN c boolean;", 3, "lock_timeout"],
    ["SET LOCAL ended by COMMIT", "BEGIN;\nSET LOCAL lock_timeout = '1s';\nSET LOCAL statement_timeout = '5s';\nCOMMIT;\nALTER TABLE r10_device ADD COLUMN c boolean;", 5, "lock_timeout"],
    ["a non-concurrent index build", "CREATE INDEX r10_device_token_idx ON r10_device (push_token);", 1, "SHARE lock"],
  ])("invalid SQL: %s", async (_name, sql, line, mentions) => {
    const findings = await checkSql(missingLockTimeout, sql);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: "missing-lock-timeout", loc: { line } });
    expect(findings[0]?.message).toContain(mentions);
  });

  it("reports once per migration, and suggests the SET lines before the statement", async () => {
    const findings = await checkSql(missingLockTimeout, "ALTER TABLE r10_device ADD COLUMN c boolean;\nALTER TABLE r10_match ADD COLUMN d boolean;\n");
    expect(findings).toHaveLength(1);
    expect(findings[0]?.suggestion).toEqual({
      startLine: 1,
      endLine: 1,
      text: "SET lock_timeout = '5s';\nSET statement_timeout = '30s';\nALTER TABLE r10_device ADD COLUMN c boolean;",
    });
    expect(findings[0]).toMatchObject({ severity: "warning", needs: ["notifications"] });
  });

  it("Django: an AddField without timeouts; a RunSQL SET first is fine", async () => {
    const add = `        migrations.AddField("device", "region", models.TextField(null=True)),`;
    const [finding] = await checkDjango(missingLockTimeout, add);
    expect(finding?.recipe).toContain("migrations.RunSQL");
    const first = `        migrations.RunSQL("SET lock_timeout = '5s'; SET statement_timeout = '30s'", migrations.RunSQL.noop),\n${add}`;
    expect(await checkDjango(missingLockTimeout, first)).toEqual([]);
  });
});

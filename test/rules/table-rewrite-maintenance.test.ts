import { describe, expect, it } from "vitest";
import { tableRewriteMaintenance } from "../../src/rules/table-rewrite-maintenance.js";
import { checkDjango, checkSql } from "./lock-cases.js";

describe("table-rewrite-maintenance", () => {
  it.each([
    ["plain VACUUM", "VACUUM r10_device;"],
    ["VACUUM (FULL false)", "VACUUM (FULL false) r10_device;"],
    ["ANALYZE", "ANALYZE r10_device;"],
    ["REINDEX CONCURRENTLY", "REINDEX TABLE CONCURRENTLY r10_device;"],
    ["REINDEX (CONCURRENTLY)", "REINDEX (CONCURRENTLY) INDEX r10_device_locale_idx;"],
  ])("valid SQL: %s", async (_name, sql) => {
    expect(await checkSql(tableRewriteMaintenance, sql)).toEqual([]);
  });

  it.each([
    ["VACUUM FULL", "VACUUM FULL r10_device;", "VACUUM FULL"],
    ["VACUUM (FULL)", "VACUUM (FULL) r10_device;", "VACUUM FULL"],
    ["CLUSTER", "CLUSTER r10_device USING r10_device_locale_idx;", "CLUSTER"],
    ["REINDEX TABLE", "REINDEX TABLE r10_device;", "REINDEX"],
    ["REINDEX INDEX, resolved to its table", "REINDEX INDEX r10_device_locale_idx;", "REINDEX"],
    ["SET TABLESPACE", "ALTER TABLE r10_device SET TABLESPACE fast_ssd;", "SET TABLESPACE"],
  ])("invalid SQL: %s", async (_name, sql, command) => {
    const findings = await checkSql(tableRewriteMaintenance, sql);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: "table-rewrite-maintenance", table: "r10_device", severity: "error" });
    expect(findings[0]?.message).toContain(command);
  });

  it("suggests REINDEX … CONCURRENTLY", async () => {
    const [finding] = await checkSql(tableRewriteMaintenance, "REINDEX TABLE r10_device;\n");
    expect(finding?.suggestion?.text).toBe("REINDEX TABLE CONCURRENTLY r10_device;");
  });

  it("Django RunSQL", async () => {
    expect(await checkDjango(tableRewriteMaintenance, `        migrations.RunSQL("CLUSTER r10_device USING r10_device_locale_idx"),`)).toHaveLength(1);
  });
});

import { describe, expect, it } from "vitest";
import { concurrentlyInTransaction } from "../../src/rules/concurrently-in-transaction.js";
import { checkDjango, checkSql } from "./lock-cases.js";

const index = "CREATE INDEX CONCURRENTLY r10_device_token_idx ON r10_device (push_token);";

describe("concurrently-in-transaction", () => {
  it.each([
    ["a plain file, which nothing wraps", "sql" as const, index],
    ["a plain file with other statements", "sql" as const, `ALTER TABLE r10_match ADD COLUMN referee text;\n${index}`],
    ["after COMMIT", "sql" as const, `COMMIT;\n${index}\nBEGIN;`],
    ["goose NO TRANSACTION", "goose" as const, `-- +goose NO TRANSACTION\n-- +goose Up\n${index}`],
    ["dbmate transaction:false", "dbmate" as const, `-- migrate:up transaction:false\n${index}`],
  ])("valid: %s", async (_name, format, sql) => {
    expect(await checkSql(concurrentlyInTransaction, sql, { format })).toEqual([]);
  });

  it.each([
    ["inside BEGIN … COMMIT", "sql" as const, `BEGIN;\n${index}\nCOMMIT;`, 2],
    ["a goose migration, wrapped by default", "goose" as const, `-- +goose Up\n${index}`, 2],
    ["a dbmate migration, wrapped by default", "dbmate" as const, `-- migrate:up\n${index}`, 2],
    ["DROP INDEX CONCURRENTLY in BEGIN", "sql" as const, "BEGIN;\nDROP INDEX CONCURRENTLY r10_device_locale_idx;\nCOMMIT;", 2],
    ["REINDEX CONCURRENTLY in BEGIN", "sql" as const, "BEGIN;\nREINDEX TABLE CONCURRENTLY r10_device;\nCOMMIT;", 2],
    ["VACUUM in BEGIN", "sql" as const, "BEGIN;\nVACUUM r10_device;\nCOMMIT;", 2],
  ])("invalid: %s", async (_name, format, sql, line) => {
    const findings = await checkSql(concurrentlyInTransaction, sql, { format });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: "concurrently-in-transaction", loc: { line }, needs: [] });
    expect(findings[0]?.message).toContain("cannot run inside a transaction block");
  });

  it("Django: AddIndexConcurrently or RunSQL CONCURRENTLY in an atomic migration fails; atomic = False is fine", async () => {
    const add = `        AddIndexConcurrently("device", models.Index(fields=["push_token"], name="r10_device_token_idx")),`;
    const [finding] = await checkDjango(concurrentlyInTransaction, add);
    expect(finding).toMatchObject({ table: "r10_device", rule: "concurrently-in-transaction" });
    expect(finding?.recipe).toContain("atomic = False");
    const runSql = `        migrations.RunSQL("${index}"),`;
    expect(await checkDjango(concurrentlyInTransaction, runSql)).toHaveLength(1);
    expect(await checkDjango(concurrentlyInTransaction, add, { extra: "    atomic = False\n" })).toEqual([]);
  });
});

import { describe, expect, it } from "vitest";
import type { MigrationFormat } from "../../src/core/changes.js";
import { nonIdempotentMigration } from "../../src/rules/non-idempotent-migration.js";
import { change, migration, review, statement } from "./builders.js";

function check(format: MigrationFormat, idempotencyProblem?: string) {
  const stmt = statement(4, [change.createTable("r10_campaign")], idempotencyProblem ? { idempotencyProblem } : {});
  return nonIdempotentMigration.check(review({ changedMigrations: [migration("migrations/0009.sql", [stmt], { format })] }));
}

describe("non-idempotent-migration", () => {
  it.each([
    ["an idempotent raw statement", "sql" as const, undefined],
    ["a Django migration, which django_migrations records", "django" as const, "CREATE TABLE without IF NOT EXISTS"],
  ])("valid: %s", (_name, format, problem) => {
    expect(check(format, problem)).toEqual([]);
  });

  it.each(["sql", "goose", "dbmate"] as const)("invalid: a %s statement with a problem", (format) => {
    const findings = check(format, "CREATE TABLE without IF NOT EXISTS");
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: "non-idempotent-migration", table: "r10_campaign", loc: { file: "migrations/0009.sql", line: 4 } });
    expect(findings[0]?.message).toContain("CREATE TABLE without IF NOT EXISTS");
  });
});

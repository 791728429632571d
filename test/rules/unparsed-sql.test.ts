import { describe, expect, it } from "vitest";
import { unparsedSql } from "../../src/rules/unparsed-sql.js";
import { code, migration, review, statement } from "./builders.js";

describe("unparsed-sql", () => {
  it("valid: everything parsed", () => {
    expect(unparsedSql.check(review({ changedMigrations: [migration("m.sql", [statement(1, [])])], changedCode: [code("a.go", 3, [])] }))).toEqual([]);
  });

  it("invalid: an unparsed migration statement is an error naming the reason", () => {
    const findings = unparsedSql.check(
      review({ changedMigrations: [migration("migrations/0011.sql", [], { unparsed: [{ line: 7, reason: "syntax error at or near \"TABEL\"" }] })] }),
    );
    expect(findings).toEqual([expect.objectContaining({ severity: "error", loc: { file: "migrations/0011.sql", line: 7 } })]);
    expect(findings[0]?.message).toContain('syntax error at or near "TABEL"');
  });

  it("invalid: an unknown Django operation names its subject", () => {
    const findings = unparsedSql.check(
      review({
        changedMigrations: [
          migration("dao/migrations/0572_x.py", [], { format: "django", unparsed: [{ line: 20, reason: "unknown migration operation", subject: "pgtrigger.AddTrigger" }] }),
        ],
      }),
    );
    expect(findings[0]?.message).toMatch(/^`pgtrigger.AddTrigger` could not be analysed: unknown migration operation/);
  });

  it("invalid: unparsed SQL in code is a warning", () => {
    const findings = unparsedSql.check(review({ changedCode: [code("internal/odds/store.go", 55, [], [{ reason: "dynamic SQL built at run time" }])] }));
    expect(findings).toEqual([expect.objectContaining({ severity: "warning", loc: { file: "internal/odds/store.go", line: 55 } })]);
  });

  it("invalid: a code file that cannot be read as text is an error: anything may hide in it", () => {
    const unreadable = { reason: "the file cannot be read as Go text (it contains a NUL byte)", unreadable: true };
    const findings = unparsedSql.check(review({ changedCode: [code("internal/odds/store.go", 3, [], [unreadable])] }));
    expect(findings).toEqual([expect.objectContaining({ severity: "error", loc: { file: "internal/odds/store.go", line: 3 } })]);
  });

  it("invalid: a data migration is reported as a warning, never passed as understood", () => {
    const findings = unparsedSql.check(
      review({ changedMigrations: [migration("dao/migrations/0573_backfill.py", [statement(14, [], { dataMigration: true })], { format: "django" })] }),
    );
    expect(findings).toEqual([expect.objectContaining({ severity: "warning", loc: { file: "dao/migrations/0573_backfill.py", line: 14 } })]);
    expect(findings[0]?.message).toContain("RunPython");
  });
});

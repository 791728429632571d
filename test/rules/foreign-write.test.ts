import { describe, expect, it } from "vitest";
import { foreignWrite } from "../../src/rules/foreign-write.js";
import { change, code, config, migration, review, schema, statement, use } from "./builders.js";

const cfg = config({ tables: { r10_notification: { owner: "hub", writers: ["notifications"] }, r10_odd_company: { owner: "hub", writers: ["odds"] } } });
const base = schema({ r10_notification: { createdBy: "hub" }, r10_odd_company: { createdBy: "hub" }, r10_push_log: { createdBy: "notifications" } });

function check(service: string, overrides: Parameters<typeof review>[0]) {
  return foreignWrite.check(review({ config: cfg, baseSchema: base, headSchema: base, service, ...overrides }));
}

describe("foreign-write", () => {
  it.each([
    ["a declared writer", "notifications", "r10_notification", "write"],
    ["the owner, who is always a writer", "hub", "r10_odd_company", "write"],
    ["the creator of an undeclared table", "notifications", "r10_push_log", "write"],
    ["a read of a foreign table", "notifications", "r10_odd_company", "read"],
  ] as const)("valid: %s", (_name, service, table, access) => {
    expect(check(service, { changedCode: [code("store.go", 10, [use(table, access)])] })).toEqual([]);
  });

  it("invalid: code of a service that is not a writer", () => {
    const findings = check("notifications", { changedCode: [code("internal/store/odds.go", 17, [use("r10_odd_company", "write")])] });
    expect(findings).toEqual([
      expect.objectContaining({ rule: "foreign-write", table: "r10_odd_company", needs: ["hub"], loc: { file: "internal/store/odds.go", line: 17 } }),
    ]);
    expect(findings[0]?.message).toContain("only hub and odds may write");
  });

  it("invalid: DML and TRUNCATE in a migration, once per statement", () => {
    const stmt = statement(3, [change.truncate("r10_odd_company")], { uses: [use("r10_odd_company", "write")] });
    const findings = check("notifications", { changedMigrations: [migration("migrations/0012.sql", [stmt, statement(8, [], { uses: [use("r10_odd_company", "write")] })])] });
    expect(findings.map((finding) => finding.loc.line)).toEqual([3, 8]);
  });
});

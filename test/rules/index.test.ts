import { describe, expect, it } from "vitest";
import { ruleIds, rules, runRules } from "../../src/rules/index.js";
import { change, column, config, migration, review, statement } from "./builders.js";

describe("rules", () => {
  it("lists every rule id once: SPEC's Findings table, then the lock rules", () => {
    expect(ruleIds).toEqual([
      "foreign-schema-change",
      "cross-service-foreign-key",
      "table-prefix",
      "breaking-change",
      "foreign-write",
      "unknown-reference",
      "non-idempotent-migration",
      "undeclared-table",
      "unparsed-sql",
      "non-concurrent-index",
      "concurrently-in-transaction",
      "constraint-without-not-valid",
      "set-not-null-without-check",
      "unique-without-index",
      "rewriting-type-change",
      "volatile-default",
      "missing-lock-timeout",
      "table-rewrite-maintenance",
      "backfill-in-migration",
    ]);
  });

  it("links every rule to its page under docs/rules/", () => {
    expect(rules.map((rule) => rule.docs)).toEqual(ruleIds.map((id) => `docs/rules/${id}.md`));
  });

  it("runs every rule over one review", () => {
    const input = review({
      service: "notifications",
      config: config({ tables: { r10_device: { owner: "hub" } } }),
      changedMigrations: [migration("migrations/0001.sql", [statement(1, [change.createTable("push", [column("device_id", { references: { table: "r10_device", columns: [] } })])])])],
    });
    expect(runRules(input).map((finding) => finding.rule).sort()).toEqual(["cross-service-foreign-key", "missing-lock-timeout", "table-prefix", "undeclared-table"]);
  });
});

import { describe, expect, it } from "vitest";
import { RULE_IDS } from "../../src/core/config.js";
import { rules, runRules } from "../../src/rules/index.js";
import { change, column, config, migration, review, statement } from "./builders.js";

describe("rules", () => {
  it("lists every rule id of the Findings table once, in its order", () => {
    expect(rules.map((rule) => rule.id)).toEqual([...RULE_IDS]);
  });

  it("runs every rule over one review", () => {
    const input = review({
      service: "notifications",
      config: config({ tables: { r10_device: { owner: "hub" } } }),
      changedMigrations: [migration("migrations/0001.sql", [statement(1, [change.createTable("push", [column("device_id", { references: { table: "r10_device", columns: [] } })])])])],
    });
    expect(runRules(input).map((finding) => finding.rule).sort()).toEqual(["cross-service-foreign-key", "table-prefix", "undeclared-table"]);
  });
});

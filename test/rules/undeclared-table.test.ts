import { describe, expect, it } from "vitest";
import type { SchemaChange } from "../../src/core/changes.js";
import { undeclaredTable } from "../../src/rules/undeclared-table.js";
import { change, config, migration, review, schema, statement } from "./builders.js";

function check(...changes: SchemaChange[]) {
  return undeclaredTable.check(
    review({
      service: "notifications",
      config: config({ tables: { r10_live_activity_token: { owner: "notifications" } } }),
      baseSchema: schema({ r10_push_log: { createdBy: "notifications" } }),
      changedMigrations: [migration("migrations/0010.sql", [statement(1, changes)])],
    }),
  );
}

describe("undeclared-table", () => {
  it.each([
    ["a declared table", change.createTable("r10_live_activity_token")],
    ["CREATE TABLE IF NOT EXISTS of a table that already exists", change.createTable("r10_push_log")],
    ["changes to existing tables", change.dropTable("r10_push_log")],
  ])("valid: %s", (_name, schemaChange) => {
    expect(check(schemaChange)).toEqual([]);
  });

  it.each([
    ["a new table", change.createTable("r10_campaign"), "r10_campaign"],
    ["a rename to a new name", change.renameTable("r10_push_log", "r10_push_history"), "r10_push_history"],
  ])("invalid: %s", (_name, schemaChange, table) => {
    const findings = check(schemaChange);
    expect(findings).toEqual([expect.objectContaining({ rule: "undeclared-table", table, loc: { file: "migrations/0010.sql", line: 1 } })]);
    expect(findings[0]?.message).toContain("belongs to notifications");
  });

  it("reports a table once even when created and then renamed back", () => {
    expect(check(change.createTable("r10_a"), change.renameTable("r10_a", "r10_b"), change.renameTable("r10_b", "r10_a"))).toHaveLength(2);
  });
});

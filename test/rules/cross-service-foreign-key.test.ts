import { describe, expect, it } from "vitest";
import type { SchemaChange } from "../../src/core/changes.js";
import { crossServiceForeignKey } from "../../src/rules/cross-service-foreign-key.js";
import { change, column, config, migration, review, schema, statement } from "./builders.js";

const cfg = config({ tables: { r10_device: { owner: "hub" }, r10_live_activity_token: { owner: "notifications" } } });
const base = schema({ r10_device: { createdBy: "hub" }, r10_user: { createdBy: "hub" }, r10_live_activity_token: { createdBy: "notifications" } });

function check(service: string, schemaChange: SchemaChange) {
  return crossServiceForeignKey.check(
    review({ config: cfg, service, baseSchema: base, changedMigrations: [migration("migrations/0003.sql", [statement(9, [schemaChange])])] }),
  );
}

const references = (table: string) => ({ table, columns: [] });

describe("cross-service-foreign-key", () => {
  it.each([
    ["a key within one owner's tables", "hub", change.addColumn("r10_device", column("user_id", { references: references("r10_user") }))],
    ["a new table of its own referencing its own table", "notifications", change.createTable("r10_push", [column("token_id", { references: references("r10_live_activity_token") })])],
    ["a plain uuid column instead of a key", "notifications", change.createTable("r10_push", [column("device_id", { type: "uuid" })])],
  ])("valid: %s", (_name, service, schemaChange) => {
    expect(check(service, schemaChange)).toEqual([]);
  });

  it.each([
    [
      "column REFERENCES from a new notifications table to hub's",
      "notifications",
      change.createTable("r10_push", [column("device_id", { references: references("r10_device") })]),
      { table: "r10_push", column: "device_id", needs: ["hub"] },
    ],
    [
      "table constraint in CREATE TABLE",
      "notifications",
      change.createTable("r10_push", [column("device_id")], [
        { kind: "foreign-key", columns: ["device_id"], references: references("r10_device"), notValid: false },
      ]),
      { table: "r10_push", column: "device_id", needs: ["hub"] },
    ],
    [
      "ADD CONSTRAINT from hub's table to notifications' table",
      "hub",
      change.foreignKey("r10_device", ["token_id"], "r10_live_activity_token"),
      { table: "r10_device", column: "token_id", needs: ["notifications"] },
    ],
    [
      "a key between two tables neither of which the reviewed service owns",
      "odds",
      change.foreignKey("r10_live_activity_token", ["device_id"], "r10_device"),
      { table: "r10_live_activity_token", needs: ["hub", "notifications"] },
    ],
  ])("invalid: %s", (_name, service, schemaChange, expected) => {
    const findings = check(service, schemaChange);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: "cross-service-foreign-key", loc: { file: "migrations/0003.sql", line: 9 }, ...expected });
    expect([...(findings[0]?.needs ?? [])].sort()).toEqual(expected.needs);
  });
});

import { describe, expect, it } from "vitest";
import type { SchemaChange } from "../../src/core/changes.js";
import { foreignSchemaChange } from "../../src/rules/foreign-schema-change.js";
import { change, column, config, migration, review, schema, statement } from "./builders.js";

const cfg = config({ tables: { r10_device: { owner: "hub" }, r10_live_activity_token: { owner: "notifications" } } });
const base = schema({ r10_device: { createdBy: "hub", indexes: ["r10_device_token_idx"] }, r10_push_log: { createdBy: "notifications" } });

function check(service: string, ...changes: SchemaChange[]) {
  return foreignSchemaChange.check(
    review({ config: cfg, service, baseSchema: base, changedMigrations: [migration("migrations/0007.sql", [statement(3, changes)])] }),
  );
}

describe("foreign-schema-change", () => {
  it.each([
    ["its own configured table", "notifications", change.addColumn("r10_live_activity_token", column("expires_at"))],
    ["a table it created before", "notifications", change.dropColumn("r10_push_log", "sent_at")],
    ["a new table it creates", "notifications", change.createTable("r10_campaign", [column("id")])],
    ["the owner's own table", "hub", change.createIndex("r10_device", "r10_device_user_idx")],
    ["an index nobody can place", "notifications", change.dropIndex("mystery_idx")],
    ["a truncate (foreign-write judges rows)", "notifications", change.truncate("r10_device")],
  ])("valid: %s", (_name, service, schemaChange) => {
    expect(check(service, schemaChange)).toEqual([]);
  });

  it.each([
    ["alters a configured foreign table", change.addColumn("r10_device", column("badge")), "r10_device", "badge"],
    ["drops an index resolved by name from the base schema", change.dropIndex("r10_device_token_idx"), "r10_device", undefined],
    ["creates a table declared as someone else's", change.createTable("r10_live_activity_token", [column("id")]), "r10_live_activity_token", undefined],
    ["renames an unconfigured table of the default owner", change.renameTable("auth_user", "r10_user"), "auth_user", undefined],
  ])("invalid: notifications %s", (_name, schemaChange, table, col) => {
    const service = table === "r10_live_activity_token" ? "hub" : "notifications";
    const [finding, ...rest] = check(service, schemaChange);
    expect(rest).toEqual([]);
    const owner = table === "r10_live_activity_token" ? "notifications" : "hub";
    expect(finding).toMatchObject({ rule: "foreign-schema-change", table, column: col, needs: [owner], loc: { file: "migrations/0007.sql", line: 3 } });
    expect(finding?.message).toContain(`belongs to ${owner}`);
  });

  it("reports one finding per table and statement, listing every action", () => {
    const findings = check(
      "notifications",
      change.addColumn("r10_device", column("badge")),
      change.createIndex("r10_device", "r10_device_badge_idx", ["badge"]),
    );
    expect(findings).toHaveLength(1);
    expect(findings[0]?.message).toContain("adds column `badge` and creates index `r10_device_badge_idx`");
    expect(findings[0]?.column).toBeUndefined();
  });
});

import { describe, expect, it } from "vitest";
import { ownerInReview, ownerOf, writersOf } from "../../src/rules/ownership.js";
import { change, config, migration, review, schema, statement } from "./builders.js";

const cfg = config({ tables: { r10_notification: { owner: "hub", writers: ["notifications"] }, r10_live_activity_token: { owner: "notifications" } } });
const known = schema({ r10_push_log: { createdBy: "notifications" }, r10_match: {} });

describe("ownership", () => {
  it.each([
    ["a configured table", "r10_live_activity_token", "notifications"],
    ["an unconfigured table, by its creator", "r10_push_log", "notifications"],
    ["a table of unknown origin, by the default owner", "r10_match", "hub"],
    ["a table nobody knows", "auth_user", "hub"],
  ])("ownerOf %s", (_name, table, owner) => {
    expect(ownerOf(cfg, table, known)).toBe(owner);
  });

  it("writersOf: configured writers and the owner; the owner alone by default", () => {
    expect(writersOf(cfg, "r10_notification")).toEqual(["hub", "notifications"]);
    expect(writersOf(cfg, "r10_push_log", known)).toEqual(["notifications"]);
  });

  it("a table the reviewed pull request creates belongs to the reviewed service", () => {
    const input = review({ config: cfg, service: "odds", baseSchema: known, changedMigrations: [migration("m.sql", [statement(1, [change.createTable("r10_price")])])] });
    expect(ownerInReview(input, "r10_price")).toBe("odds");
    expect(ownerInReview(input, "r10_push_log")).toBe("notifications");
  });
});

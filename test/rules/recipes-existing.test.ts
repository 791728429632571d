import { describe, expect, it } from "vitest";
import { crossServiceForeignKey } from "../../src/rules/cross-service-foreign-key.js";
import { tablePrefix } from "../../src/rules/table-prefix.js";
import { config, review } from "./builders.js";
import { base, sqlMigration } from "./lock-cases.js";

async function check(rule: typeof tablePrefix, sql: string, service = "notifications") {
  const migration = await sqlMigration(sql);
  return rule.check(review({ service, config: config({ tables: { r10_device: { owner: "hub" } } }), baseSchema: base, headSchema: base, changedMigrations: [migration] }));
}

describe("safe recipes of the ownership rules", () => {
  it("cross-service-foreign-key suggests the column without its REFERENCES", async () => {
    const [finding] = await check(crossServiceForeignKey, "CREATE TABLE r10_receipt (\n  id uuid PRIMARY KEY,\n  device_id uuid REFERENCES r10_device (id) ON DELETE CASCADE\n);\n");
    expect(finding?.suggestion).toEqual({ startLine: 1, endLine: 4, text: "CREATE TABLE r10_receipt (\n  id uuid PRIMARY KEY,\n  device_id uuid\n);" });
    expect(finding?.recipe).toContain("without REFERENCES");
  });

  it("table-prefix suggests the prefixed name", async () => {
    const [finding] = await check(tablePrefix, "CREATE TABLE IF NOT EXISTS receipt (id uuid PRIMARY KEY);\n");
    expect(finding?.suggestion?.text).toBe("CREATE TABLE IF NOT EXISTS r10_receipt (id uuid PRIMARY KEY);");
    expect(finding?.recipe).toContain("`r10_receipt`");
  });
});

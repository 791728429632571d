import { describe, expect, it } from "vitest";
import type { SchemaChange } from "../../src/core/changes.js";
import { tablePrefix } from "../../src/rules/table-prefix.js";
import { change, config, migration, review, statement } from "./builders.js";

function check(schemaChange: SchemaChange, guard = config()) {
  return tablePrefix.check(
    review({ config: guard, changedMigrations: [migration("dao/migrations/0571_x.py", [statement(12, [schemaChange])], { format: "django" })] }),
  );
}

describe("table-prefix", () => {
  it.each([
    ["a prefixed new table", change.createTable("r10_match")],
    ["a schema-qualified prefixed table", change.createTable("stats.r10_daily")],
    ["a rename to a prefixed name", change.renameTable("match", "r10_match")],
    ["changes that name no new table", change.dropTable("legacy_match")],
  ])("valid: %s", (_name, schemaChange) => {
    expect(check(schemaChange)).toEqual([]);
  });

  it("is off without a configured prefix", () => {
    expect(check(change.createTable("match"), config({ prefix: undefined }))).toEqual([]);
  });

  it.each([
    ["a created table without the prefix", change.createTable("dao_match"), "dao_match"],
    ["a Django many-to-many table without the prefix", change.createTable("dao_match_players"), "dao_match_players"],
    ["a rename to an unprefixed name", change.renameTable("r10_match", "match"), "match"],
  ])("invalid: %s", (_name, schemaChange, table) => {
    const findings = check(schemaChange);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: "table-prefix", table, loc: { file: "dao/migrations/0571_x.py", line: 12 }, needs: [] });
    expect(findings[0]?.message).toContain(`\`r10_${table}\``);
  });
});

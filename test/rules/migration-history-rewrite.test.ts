import { describe, expect, it } from "vitest";
import { migrationHistoryRewrite } from "../../src/rules/migration-history-rewrite.js";
import { review } from "./builders.js";

describe("migration-history-rewrite", () => {
  it.each([
    ["no rename", []],
    ["a pull request that only adds migrations", []],
  ])("valid: %s", (_name, renames) => {
    expect(migrationHistoryRewrite.check(review({ migrationRenames: renames }))).toEqual([]);
  });

  it.each([
    ["a SQL migration renamed, changing its version", "migrations/0002_push.sql", "migrations/0003_push.sql"],
    ["a Django migration renamed, changing its name", "dao/migrations/0011_x.py", "dao/migrations/0011_y.py"],
    ["a migration moved to another folder", "migrations/0002_push.sql", "db/migrations/0002_push.sql"],
  ])("invalid: %s", (_name, previousPath, path) => {
    const [finding, ...rest] = migrationHistoryRewrite.check(review({ service: "notifications", migrationRenames: [{ previousPath, path }] }));
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ rule: "migration-history-rewrite", service: "notifications", loc: { file: path, line: 1 }, needs: [] });
    expect(finding?.message).toContain(`\`${previousPath}\` is renamed to \`${path}\``);
    expect(finding?.message).toContain("runs again");
  });
});

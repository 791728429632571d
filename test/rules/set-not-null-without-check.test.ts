import { describe, expect, it } from "vitest";
import { setNotNullWithoutCheck } from "../../src/rules/set-not-null-without-check.js";
import { checkDjango, checkSql } from "./lock-cases.js";

const recipe = [
  "ALTER TABLE r10_device ADD CONSTRAINT push_token_not_null CHECK (push_token IS NOT NULL) NOT VALID;",
  "ALTER TABLE r10_device VALIDATE CONSTRAINT push_token_not_null;",
  "ALTER TABLE r10_device ALTER COLUMN push_token SET NOT NULL;",
  "ALTER TABLE r10_device DROP CONSTRAINT push_token_not_null;",
].join("\n");

describe("set-not-null-without-check", () => {
  it.each([
    ["after a validated CHECK (col IS NOT NULL)", recipe],
    ["in separate transactions", `BEGIN;\nALTER TABLE r10_device ADD CONSTRAINT push_token_not_null CHECK (push_token IS NOT NULL) NOT VALID;\nCOMMIT;\nBEGIN;\nALTER TABLE r10_device VALIDATE CONSTRAINT push_token_not_null;\nALTER TABLE r10_device ALTER COLUMN push_token SET NOT NULL;\nCOMMIT;`],
    ["a helper check added earlier, validated and dropped here", "ALTER TABLE r10_device VALIDATE CONSTRAINT r10_device_push_token_not_null;\nALTER TABLE r10_device ALTER COLUMN push_token SET NOT NULL;\nALTER TABLE r10_device DROP CONSTRAINT r10_device_push_token_not_null;"],
    ["a column already NOT NULL", "ALTER TABLE r10_device ALTER COLUMN id SET NOT NULL;"],
    ["a table the migration creates", "CREATE TABLE r10_badge (id uuid, code text);\nALTER TABLE r10_badge ALTER COLUMN code SET NOT NULL;"],
    ["ADD COLUMN … NOT NULL DEFAULT", "ALTER TABLE r10_device ADD COLUMN score integer NOT NULL DEFAULT 0;"],
  ])("valid SQL: %s", async (_name, sql) => {
    expect(await checkSql(setNotNullWithoutCheck, sql)).toEqual([]);
  });

  it.each([
    ["no check at all", 'ALTER TABLE "r10_device" ALTER COLUMN "push_token" SET NOT NULL;', 16],
    ["a check not validated yet", "ALTER TABLE r10_device ADD CONSTRAINT push_token_not_null CHECK (push_token IS NOT NULL) NOT VALID;\nALTER TABLE r10_device ALTER COLUMN push_token SET NOT NULL;", 16],
    ["a validated check of another column", "ALTER TABLE r10_device ADD CONSTRAINT locale_not_null CHECK (locale IS NOT NULL) NOT VALID;\nALTER TABLE r10_device VALIDATE CONSTRAINT locale_not_null;\nALTER TABLE r10_device ALTER COLUMN push_token SET NOT NULL;", 16],
    ["an unrelated VALIDATE", "ALTER TABLE r10_device VALIDATE CONSTRAINT some_other_check;\nALTER TABLE r10_device ALTER COLUMN push_token SET NOT NULL;", 16],
    ["the recipe on PostgreSQL 11, which ignores the check", recipe, 11],
    ["a table no history knows", 'ALTER TABLE "core_recipe" ALTER COLUMN "foo" SET NOT NULL;', 16],
  ])("invalid SQL: %s", async (_name, sql, postgres) => {
    const findings = await checkSql(setNotNullWithoutCheck, sql, { postgres });
    expect(findings).toHaveLength(1);
    expect(findings[0]?.rule).toBe("set-not-null-without-check");
    expect(findings[0]?.recipe).toContain("VALIDATE CONSTRAINT");
  });

  it("Django: AlterField to null=False blocks; after AddConstraintNotValid + ValidateConstraint it does not", async () => {
    const alter = `        migrations.AlterField("device", "push_token", models.TextField()),`;
    const [finding] = await checkDjango(setNotNullWithoutCheck, alter);
    expect(finding).toMatchObject({ table: "r10_device", column: "push_token", severity: "error", needs: ["notifications"] });
    expect(finding?.recipe).toContain("AddConstraintNotValid");
    const prepared = [
      `        AddConstraintNotValid("device", models.CheckConstraint(check=models.Q(push_token__isnull=False), name="push_token_not_null")),`,
      `        ValidateConstraint("device", "push_token_not_null"),`,
      alter,
    ].join("\n");
    expect(await checkDjango(setNotNullWithoutCheck, prepared)).toEqual([]);
  });
});

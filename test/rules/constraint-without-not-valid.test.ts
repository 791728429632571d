import { describe, expect, it } from "vitest";
import { constraintWithoutNotValid } from "../../src/rules/constraint-without-not-valid.js";
import { checkDjango, checkSql } from "./lock-cases.js";

const fk = "ALTER TABLE r10_device ADD CONSTRAINT r10_device_match_fk FOREIGN KEY (match_id) REFERENCES r10_match (id)";

describe("constraint-without-not-valid", () => {
  it.each([
    ["NOT VALID, then VALIDATE in its own statement", `${fk} NOT VALID;\nALTER TABLE r10_device VALIDATE CONSTRAINT r10_device_match_fk;`],
    ["a CHECK NOT VALID", "ALTER TABLE r10_match ADD CONSTRAINT positive_price CHECK (price >= 0) NOT VALID;"],
    ["a constraint on a table created in the same transaction", "BEGIN;\nCREATE TABLE core_foo (id serial PRIMARY KEY, age integer NOT NULL);\nALTER TABLE core_foo ADD CONSTRAINT age_restriction CHECK (age >= 25);\nCOMMIT;"],
    ["foreign keys inside CREATE TABLE", "CREATE TABLE r10_badge (id uuid PRIMARY KEY, device_id uuid REFERENCES r10_device (id));"],
    ["UNIQUE USING INDEX", "ALTER TABLE r10_device ADD CONSTRAINT email_uniq UNIQUE USING INDEX email_idx;"],
    ["NOT VALID and VALIDATE in separate transactions", `BEGIN;\n${fk} NOT VALID;\nCOMMIT;\nBEGIN;\nALTER TABLE r10_device VALIDATE CONSTRAINT r10_device_match_fk;\nCOMMIT;`],
  ])("valid SQL: %s", async (_name, sql) => {
    expect(await checkSql(constraintWithoutNotValid, sql)).toEqual([]);
  });

  it.each([
    ["a foreign key", `${fk};`, 1],
    ["a CHECK", 'ALTER TABLE "r10_match" ADD CONSTRAINT "positive_price" CHECK ("price" >= 0);', 1],
    ["ADD COLUMN … REFERENCES", "ALTER TABLE r10_device ADD COLUMN match_id integer REFERENCES r10_match (id);", 1],
    ["VALIDATE in the transaction that added it NOT VALID", `BEGIN;\n${fk} NOT VALID;\nALTER TABLE r10_device VALIDATE CONSTRAINT r10_device_match_fk;\nCOMMIT;`, 3],
    ["a constraint on a table no history knows", "ALTER TABLE distributors ADD CONSTRAINT distfk FOREIGN KEY (address) REFERENCES addresses (address);", 1],
  ])("invalid SQL: %s", async (_name, sql, line) => {
    const findings = await checkSql(constraintWithoutNotValid, sql);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: "constraint-without-not-valid", loc: { line } });
    expect(findings[0]?.recipe).toContain("VALIDATE CONSTRAINT");
  });

  it("goose: VALIDATE in the same migration shares its transaction", async () => {
    const findings = await checkSql(constraintWithoutNotValid, `-- +goose Up\n${fk} NOT VALID;\nALTER TABLE r10_device VALIDATE CONSTRAINT r10_device_match_fk;`, { format: "goose" });
    expect(findings.map((finding) => finding.loc.line)).toEqual([3]);
  });

  it("suggests NOT VALID and the VALIDATE after it in a plain file", async () => {
    const [finding] = await checkSql(constraintWithoutNotValid, `${fk};\n`);
    expect(finding?.suggestion?.text).toBe(`${fk} NOT VALID;\nALTER TABLE r10_device VALIDATE CONSTRAINT r10_device_match_fk;`);
    expect(finding).toMatchObject({ severity: "error", needs: ["notifications"] });
  });

  it.each([
    ["AddField of a ForeignKey", `        migrations.AddField("device", "match", models.ForeignKey(null=True, on_delete=models.CASCADE, to="dao.match")),`],
    ["AddConstraint of a CheckConstraint", `        migrations.AddConstraint("device", models.CheckConstraint(check=models.Q(badge__gte=0), name="badge_positive")),`],
    ["AddConstraintNotValid then ValidateConstraint in one atomic migration", `        AddConstraintNotValid("device", models.CheckConstraint(check=models.Q(badge__gte=0), name="badge_positive")),\n        ValidateConstraint("device", "badge_positive"),`],
  ])("invalid Django: %s", async (_name, operations) => {
    const findings = await checkDjango(constraintWithoutNotValid, operations);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ table: "r10_device", severity: "error" });
  });

  it("valid Django: AddConstraintNotValid alone, and ValidateConstraint in a later migration", async () => {
    const add = `        AddConstraintNotValid("device", models.CheckConstraint(check=models.Q(badge__gte=0), name="badge_positive")),`;
    expect(await checkDjango(constraintWithoutNotValid, add)).toEqual([]);
  });
});

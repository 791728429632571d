import { describe, expect, it } from "vitest";
import type { TableUse } from "../../src/core/changes.js";
import { unknownReference } from "../../src/rules/unknown-reference.js";
import { code, review, schema, use } from "./builders.js";

const head = schema({ r10_match: { columns: { id: "uuid", kickoff: "timestamptz" } }, r10_team: { columns: { id: "uuid", name: "text" } } });

function check(...uses: TableUse[]) {
  return unknownReference.check(review({ service: "odds", headSchema: head, changedCode: [code("internal/odds/store.go", 20, uses)] }));
}

describe("unknown-reference", () => {
  it.each([
    ["known table and columns", [use("r10_match", "read", { columns: ["kickoff", "id"] })]],
    ["an unqualified column one of the joined tables has", [use("r10_match", "read", { possibleColumns: ["name"] }), use("r10_team", "read", { possibleColumns: ["name"] })]],
    ["PostgreSQL's catalogs", [use("information_schema.columns", "read", { columns: ["column_name"] })]],
    ["Django's own tables, created outside every configured history", [use("auth_user", "read", { columns: ["email"] })]],
    ["system columns", [use("r10_match", "read", { columns: ["ctid"] })]],
  ])("valid: %s", (_name, uses) => {
    expect(check(...uses)).toEqual([]);
  });

  it.each([
    ["an unknown table", [use("r10_matches", "read")], { table: "r10_matches", column: undefined }],
    ["an unknown certain column", [use("r10_match", "read", { columns: ["kick_off"] })], { table: "r10_match", column: "kick_off" }],
    [
      "an unqualified column no joined table has",
      [use("r10_match", "read", { possibleColumns: ["venue"] }), use("r10_team", "read", { possibleColumns: ["venue"] })],
      { table: undefined, column: "venue" },
    ],
  ])("invalid: %s", (_name, uses, expected) => {
    const findings = check(...uses);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: "unknown-reference", loc: { file: "internal/odds/store.go", line: 20 }, needs: [], ...expected });
  });

  it("does not guess about unqualified columns when one of the tables is unknown", () => {
    const findings = check(use("r10_match", "read", { possibleColumns: ["venue"] }), use("r10_venue", "read", { possibleColumns: ["venue"] }));
    expect(findings.map((finding) => finding.table)).toEqual(["r10_venue"]);
  });
});

import { expect, test } from "vitest";
import { findSuppressions } from "../../src/parse/suppressions.js";

test("SQL: applies to the next statement line, skipping blank and comment lines", () => {
  const text = [
    "CREATE TABLE r10_a (id int);",
    "-- shared-schema: ignore breaking-change the odds service stopped reading it in v2.3",
    "",
    "-- a plain comment",
    "DROP TABLE r10_legacy;",
  ].join("\n");
  expect(findSuppressions(text, "migrations/003.sql", "--")).toEqual([
    {
      loc: { file: "migrations/003.sql", line: 2 },
      appliesToLine: 5,
      rule: "breaking-change",
      reason: "the odds service stopped reading it in v2.3",
    },
  ]);
});

test("Python: # comments, indented", () => {
  const text = [
    "operations = [",
    "    # shared-schema: ignore foreign-schema-change agreed with notifications",
    "    migrations.RemoveField(model_name='device', name='token'),",
    "]",
  ].join("\n");
  expect(findSuppressions(text, "dao/migrations/0571_x.py", "#")).toEqual([
    { loc: { file: "dao/migrations/0571_x.py", line: 2 }, appliesToLine: 3, rule: "foreign-schema-change", reason: "agreed with notifications" },
  ]);
});

test("stacked suppressions apply to the same statement", () => {
  const text = ["-- shared-schema: ignore table-prefix legacy name", "-- shared-schema: ignore undeclared-table temporary", "CREATE TABLE tmp (a int);"].join("\n");
  expect(findSuppressions(text, "m.sql", "--").map((s) => [s.rule, s.appliesToLine])).toEqual([
    ["table-prefix", 3],
    ["undeclared-table", 3],
  ]);
});

test.each([
  ["-- shared-schema: ignore breaking-change", "breaking-change", ""],
  ["--shared-schema:ignore non-idempotent-migration   re-run is guarded  ", "non-idempotent-migration", "re-run is guarded"],
  ["-- shared-schema: ignore not-a-rule why", "not-a-rule", "why"],
  ["-- shared-schema: ignore", "", ""],
])("%j → rule %j, reason %j (kept raw)", (line, rule, reason) => {
  expect(findSuppressions(`${line}\nSELECT 1;`, "m.sql", "--")).toMatchObject([{ rule, reason, appliesToLine: 2 }]);
});

test.each([
  ["not a directive", "-- shared-schema ignore breaking-change x\nDROP TABLE t;"],
  ["inside code, not a comment line", "DROP TABLE t; -- shared-schema: ignore breaking-change x\nSELECT 1;"],
  ["wrong comment prefix", "# shared-schema: ignore breaking-change x\nDROP TABLE t;"],
  ["nothing below it", "DROP TABLE t;\n-- shared-schema: ignore breaking-change x\n\n"],
])("ignored: %s", (_name, text) => {
  expect(findSuppressions(text, "m.sql", "--")).toEqual([]);
});

test("CRLF line endings", () => {
  expect(findSuppressions("-- shared-schema: ignore table-prefix old\r\nCREATE TABLE t (a int);\r\n", "m.sql", "--")).toEqual([
    { loc: { file: "m.sql", line: 1 }, appliesToLine: 2, rule: "table-prefix", reason: "old" },
  ]);
});

test("Go: a // comment above the call covers the SQL string on the lines below, up to the closing bracket", () => {
  const text = [
    "func purge(ctx context.Context) error {",
    "\t// shared-schema: ignore foreign-write the hub asked us to purge stale devices (PLAT-9)",
    "\t_, err := db.Exec(ctx, `",
    "\t\tDELETE FROM r10_device",
    "\t\tWHERE last_seen < now() - interval '1 year'`)",
    "\tif err != nil {",
    "\t\treturn err",
    "\t}",
  ].join("\n");
  expect(findSuppressions(text, "internal/db/devices.go", "//")).toEqual([
    {
      loc: { file: "internal/db/devices.go", line: 2 },
      appliesToLine: 3,
      appliesThroughLine: 5,
      rule: "foreign-write",
      reason: "the hub asked us to purge stale devices (PLAT-9)",
    },
  ]);
});

test("Go: a one-line call is covered on its line only; brackets inside strings do not count", () => {
  const text = ["\t// shared-schema: ignore foreign-write purge (PLAT-9)", '\tdb.Exec(ctx, "DELETE FROM r10_device WHERE note = \'(\'")', "\tx := 1"].join("\n");
  expect(findSuppressions(text, "a.go", "//")).toEqual([{ loc: { file: "a.go", line: 1 }, appliesToLine: 2, rule: "foreign-write", reason: "purge (PLAT-9)" }]);
});

test("Python: a # comment above cursor.execute covers a triple-quoted string below", () => {
  const text = ["# shared-schema: ignore foreign-write purge (PLAT-9)", "cursor.execute(", '    """', "    DELETE FROM r10_device", '    """', ")"].join("\n");
  expect(findSuppressions(text, "a.py", "#")).toMatchObject([{ appliesToLine: 2, appliesThroughLine: 6 }]);
});

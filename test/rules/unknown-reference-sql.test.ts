// unknown-reference on real SQL: a schema replayed from a migration with views, materialized
// views, sequences, functions, schemas and DO blocks, and queries that PostgreSQL accepts or refuses.
import { beforeAll, describe, expect, it } from "vitest";
import type { SchemaState } from "../../src/core/changes.js";
import { emptySchema, replayMigrations } from "../../src/model/schema.js";
import { analyzeSql, loadSqlParser, parseSqlMigration } from "../../src/parse/sql.js";
import { unknownReference } from "../../src/rules/unknown-reference.js";
import { review } from "./builders.js";
import { invalidQueries, referenceSchema, validQueries } from "./reference-cases.js";

let head: SchemaState;

beforeAll(async () => {
  await loadSqlParser();
  const migration = parseSqlMigration(referenceSchema, "migrations/0001_schema.sql", "sql");
  expect(migration.unparsed).toEqual([]);
  head = replayMigrations(emptySchema(), [migration], "notifications");
});

function findingsFor(sql: string) {
  const analysis = analyzeSql(sql, { file: "internal/store/query.sql", line: 1, context: "code" });
  expect(analysis.unparsed).toEqual([]);
  const uses = analysis.statements.flatMap((statement) => statement.uses);
  return unknownReference.check(review({ service: "odds", headSchema: head, changedCode: [{ file: "internal/store/query.sql", uses, unparsed: [] }] }));
}

describe("unknown-reference on views, sequences, functions and schemas", () => {
  it.each(validQueries)("valid: %s", (sql) => {
    expect(findingsFor(sql)).toEqual([]);
  });

  it.each(invalidQueries)("invalid: %s", (sql, expected) => {
    const findings = findingsFor(sql);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: "unknown-reference", ...expected });
  });
});

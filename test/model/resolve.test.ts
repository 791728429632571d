// Statements resolved as PostgreSQL runs them: what CASCADE takes along, and what a permissive
// ALTER VIEW/INDEX/SEQUENCE really renames.
import { beforeAll, describe, expect, it } from "vitest";
import type { MigrationStatement, SchemaState } from "../../src/core/changes.js";
import { resolveStatement } from "../../src/model/resolve.js";
import { emptySchema, replayMigrations } from "../../src/model/schema.js";
import { analyzeSql, loadSqlParser, parseSqlMigration } from "../../src/parse/sql.js";

beforeAll(loadSqlParser);

const base = `
CREATE EXTENSION IF NOT EXISTS citext;
CREATE TYPE r10_status AS ENUM ('open', 'closed');
CREATE TABLE r10_match (
  id bigserial PRIMARY KEY,
  status r10_status,
  home text,
  away text,
  title text GENERATED ALWAYS AS (home || ' - ' || away) STORED,
  email citext
);
CREATE INDEX r10_match_home ON r10_match (home);
CREATE TABLE r10_bet (id bigserial PRIMARY KEY, match_id bigint CONSTRAINT r10_bet_match REFERENCES r10_match (id));
CREATE VIEW r10_fixture AS SELECT id, home FROM r10_match;
CREATE VIEW r10_titles AS SELECT title FROM r10_match;
CREATE VIEW r10_fixture_ids AS SELECT id FROM r10_fixture;
CREATE SCHEMA stats;
CREATE TABLE stats.r10_total (n int);
`;

let schema: SchemaState;
beforeAll(() => {
  schema = replayMigrations(emptySchema(), [parseSqlMigration(base, "0001.sql", "sql")], "hub");
});

function resolved(sql: string): { changes: string[]; objects: string[] } {
  const analysis = analyzeSql(sql, { file: "0002.sql", line: 1, context: "migration" });
  expect(analysis.unparsed).toEqual([]);
  const statement: MigrationStatement = analysis.statements[0] ?? { loc: { file: "", line: 1 }, changes: [], uses: [] };
  const result = resolveStatement(statement, schema);
  return {
    changes: result.changes.map((change) => {
      const subject = change.kind === "drop-index" ? change.name : change.table;
      const column = "column" in change && typeof change.column === "string" ? `.${change.column}` : "";
      return `${change.kind} ${subject}${column}`;
    }),
    objects: (result.objects ?? []).map((change) =>
      change.action === "database-wide" ? `database-wide ${change.subject}` : change.action === "create" ? `create ${change.object.name}` : `${change.action} ${change.kind} ${change.name}`,
    ),
  };
}

describe("CASCADE reaches what PostgreSQL drops with it", () => {
  it("DROP COLUMN … CASCADE: generated columns computed from it, indexes on it, views that read it", () => {
    expect(resolved("ALTER TABLE r10_match DROP COLUMN home CASCADE;")).toEqual({
      changes: ["drop-column r10_match.home", "drop-index r10_match_home", "drop-column r10_match.title"],
      objects: ["drop view r10_titles", "drop view r10_fixture", "drop view r10_fixture_ids"],
    });
  });

  it("DROP COLUMN without CASCADE still drops its indexes", () => {
    expect(resolved("ALTER TABLE r10_match DROP COLUMN home;").changes).toEqual(["drop-column r10_match.home", "drop-index r10_match_home"]);
  });

  it("DROP TABLE … CASCADE: views over it and other tables' foreign keys to it", () => {
    expect(resolved("DROP TABLE r10_match CASCADE;")).toEqual({
      changes: ["drop-table r10_match", "drop-constraint r10_bet"],
      objects: ["drop view r10_fixture", "drop view r10_fixture_ids", "drop view r10_titles"],
    });
  });

  it("DROP TYPE … CASCADE and DROP EXTENSION … CASCADE drop the columns of their types", () => {
    expect(resolved("DROP TYPE r10_status CASCADE;").changes).toEqual(["drop-column r10_match.status"]);
    expect(resolved("DROP EXTENSION citext CASCADE;")).toEqual({
      changes: ["drop-column r10_match.email"],
      objects: ["drop extension citext", "database-wide citext"],
    });
  });

  it("DROP SCHEMA … CASCADE drops its tables, and public's are every unqualified table", () => {
    expect(resolved("DROP SCHEMA stats CASCADE;").changes).toEqual(["drop-table stats.r10_total"]);
    expect(resolved("DROP SCHEMA public CASCADE;").changes).toEqual(
      expect.arrayContaining(["drop-table r10_match", "drop-table r10_bet", "drop-constraint r10_bet"]),
    );
  });
});

describe("names resolve to whatever relation has them", () => {
  it.each([
    ["ALTER VIEW r10_match RENAME TO r10_game;", "rename-table r10_match"],
    ["ALTER INDEX r10_match RENAME TO r10_game;", "rename-table r10_match"],
    ["ALTER SEQUENCE r10_match RENAME TO r10_game;", "rename-table r10_match"],
    ["ALTER TABLE r10_fixture RENAME TO r10_fixtures;", undefined],
    ["ALTER INDEX r10_match_home RENAME TO r10_match_home_idx;", "table-detail r10_match"],
    ["ALTER SEQUENCE r10_match_id_seq RESTART;", "table-detail r10_match"],
  ])("%s", (sql, change) => {
    const result = resolved(sql);
    expect(result.changes).toEqual(change === undefined ? [] : [change]);
    if (change === undefined) expect(result.objects).toEqual(["rename view r10_fixture"]);
  });

  it("ALTER SCHEMA … RENAME moves its tables", () => {
    expect(resolved("ALTER SCHEMA stats RENAME TO numbers;").changes).toEqual(["rename-table stats.r10_total"]);
  });
});

import { beforeAll, describe, expect, test } from "vitest";
import { analyzeCodeSql, loadSqlParser, type SqlOrigin } from "../../src/parse/sql.js";
import { replacePlaceholders } from "../../src/parse/sql-code-text.js";

beforeAll(loadSqlParser);

const code: SqlOrigin = { file: "internal/store/device.go", line: 42, context: "code" };

function usesOf(sql: string): string[] | null {
  const analysis = analyzeCodeSql(sql, code);
  if (!analysis) return null;
  expect(analysis.unparsed).toEqual([]);
  return analysis.statements.flatMap((statement) =>
    statement.uses.map((use) => `${use.access} ${use.table} ${[...use.columns].sort().join(",")}${use.allColumns ? " *" : ""}`),
  );
}

describe("placeholders", () => {
  test.each([
    ["$1", "SELECT token FROM r10_device WHERE id = $1 AND platform = $2", ["read r10_device id,platform,token"]],
    ["?", "SELECT token FROM r10_device WHERE id = ? AND platform IN (?, ?)", ["read r10_device id,platform,token"]],
    ["%s", "UPDATE r10_device SET token = %s WHERE id = %s", ["write r10_device id,token"]],
    ["%(name)s", "INSERT INTO r10_notification (user_id, body) VALUES (%(user_id)s, %(body)s)", ["write r10_notification body,user_id"]],
    ["@name (pgx named arguments)", "DELETE FROM r10_device WHERE user_id = @user_id", ["write r10_device user_id"]],
    [":name (sqlx, SQLAlchemy text())", "SELECT id FROM users WHERE email = :email AND created_at::date = :day", ["read users created_at,email,id"]],
    ["%% is a literal percent", "SELECT id FROM users WHERE email LIKE '%%@example.com' OR name LIKE %s", ["read users email,id,name"]],
    ["? as the jsonb operator still parses", "SELECT id FROM events WHERE payload ? 'kind'", ["read events id,payload"]],
  ])("%s", (_name, sql, expected) => {
    expect(usesOf(sql)).toEqual(expected);
  });

  test("placeholders inside strings, quoted identifiers and comments are left alone", () => {
    expect(replacePlaceholders(`SELECT '?', "a?b", $$ %s $$ -- what?\nFROM t WHERE a = ? /* :x */`, { questionMarks: true })).toBe(
      `SELECT '?', "a?b", $$ %s $$ -- what?\nFROM t WHERE a = $1 /* :x */`,
    );
  });

  test("line breaks are kept, so lines stay those of the file", () => {
    const analysis = analyzeCodeSql("\n  SELECT a\n  FROM t\n  WHERE b = %(b)s", code);
    expect(analysis?.statements[0]?.loc).toEqual({ file: "internal/store/device.go", line: 43 });
  });

  test("fixedLine: every statement at the origin line", () => {
    const analysis = analyzeCodeSql("SELECT a FROM t;\nSELECT b FROM u;", { ...code, fixedLine: true });
    expect(analysis?.statements.map((statement) => statement.loc.line)).toEqual([42, 42]);
  });
});

describe("what is not SQL gives null", () => {
  test.each([
    ["prose that parses as DELETE", "Delete from cart"],
    ["prose that parses as TRUNCATE", "Truncate logs"],
    ["prose that parses as SELECT", "Select from list"],
    ["an error message", "failed to delete from cart: %w"],
    ["a log line", "update user %d failed"],
    ["a sentence with a full stop", "Delete from cart."],
    ["a single word", "users"],
    ["a keyword alone", "select"],
    ["SQL naming no table", "SELECT 1"],
    ["a transaction command", "BEGIN"],
    ["an empty string", ""],
    ["a format string", "%s: %s"],
    ["a URL", "https://example.com/select?from=users"],
  ])("%s: %j", (_name, text) => {
    expect(analyzeCodeSql(text, code)).toBeNull();
  });

  test.each([
    ["upper-case keywords", "DELETE FROM cart"],
    ["lower-case keywords", "delete from cart"],
    ["capitalised but with SQL punctuation", "Select * from cart"],
    ["capitalised with a placeholder", "Delete from cart where id = $1"],
  ])("%s is SQL: %j", (_name, text) => {
    expect(usesOf(text)).not.toBeNull();
  });
});

test("DDL in application code yields changes", () => {
  const analysis = analyzeCodeSql("CREATE TABLE IF NOT EXISTS r10_cache (key text PRIMARY KEY)", code);
  expect(analysis?.statements[0]?.changes).toMatchObject([{ kind: "create-table", table: "r10_cache" }]);
  expect(analysis?.statements[0]?.idempotencyProblem).toBeUndefined();
});

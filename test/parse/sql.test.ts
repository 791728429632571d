import { beforeAll, describe, expect, test } from "vitest";
import { analyzeSql, loadSqlParser, parseSqlMigration, type SqlOrigin } from "../../src/parse/sql.js";

beforeAll(loadSqlParser);

const migration: SqlOrigin = { file: "migrations/001.sql", line: 1, context: "migration" };

function lines(sql: string, origin: SqlOrigin = migration): number[] {
  return analyzeSql(sql, origin).statements.map((statement) => statement.loc.line);
}

test("loadSqlParser is idempotent", async () => {
  await Promise.all([loadSqlParser(), loadSqlParser()]);
  expect(analyzeSql("SELECT 1", migration).statements).toHaveLength(1);
});

describe("statement lines", () => {
  test("the line of the first token, after comments and blank lines", () => {
    const sql = ["-- header", "", "/* a block", "   comment */", "CREATE TABLE a (id int);", "-- between", "SELECT 1; SELECT 2;", "", "  DROP TABLE b;"].join("\n");
    expect(lines(sql)).toEqual([5, 7, 7, 9]);
  });

  test("byte offsets are converted through UTF-8, not string indexes", () => {
    const sql = [
      "-- café ☕ and emoji 😀😀😀 before anything",
      "INSERT INTO t (name) VALUES ('café'); INSERT INTO t (name) VALUES ('日本語のテキスト');",
      "/* ünïcödé 🎉 */",
      "CREATE TABLE après (x text DEFAULT 'naïve');",
      "SELECT '😀' FROM t;",
    ].join("\n");
    const analysis = analyzeSql(sql, migration);
    expect(analysis.statements.map((statement) => [statement.loc.line, statement.text])).toEqual([
      [2, "INSERT INTO t (name) VALUES ('café')"],
      [2, "INSERT INTO t (name) VALUES ('日本語のテキスト')"],
      [4, "CREATE TABLE après (x text DEFAULT 'naïve')"],
      [5, "SELECT '😀' FROM t"],
    ]);
    expect(analysis.statements[2]?.changes[0]).toMatchObject({ table: "après", loc: { line: 4 } });
  });

  test("CRLF line endings", () => {
    expect(lines("SELECT 1;\r\n\r\nSELECT 2;\r\n")).toEqual([1, 3]);
  });

  test("origin line offsets every statement", () => {
    expect(lines("SELECT 1;\nSELECT 2;", { ...migration, line: 30 })).toEqual([30, 31]);
  });

  test("fixedLine reports the origin line for every statement", () => {
    expect(lines("SELECT 1;\n\nSELECT 2;", { ...migration, line: 12, fixedLine: true })).toEqual([12, 12]);
  });

  test("statement kind and text", () => {
    const [statement] = analyzeSql("  -- x\n  ALTER TABLE t ADD COLUMN a int ;  ", migration).statements;
    expect(statement).toMatchObject({ statementKind: "AlterTableStmt", text: "ALTER TABLE t ADD COLUMN a int" });
  });
});

describe("bad input", () => {
  test("a bad statement is reported at its own line; the good ones still count", () => {
    const sql = [
      "CREATE TABLE IF NOT EXISTS a (id int);",
      "-- the next one is broken",
      "ALTER TABLE a ADD COLUMN;",
      "INSERT INTO a (id) VALUES (1) ON CONFLICT DO NOTHING;",
      "CREATE TABLE 'oops' (x int);",
      "DROP TABLE IF EXISTS b;",
    ].join("\n");
    const analysis = analyzeSql(sql, migration);
    expect(analysis.statements.map((statement) => [statement.loc.line, statement.statementKind])).toEqual([
      [1, "CreateStmt"],
      [4, "InsertStmt"],
      [6, "DropStmt"],
    ]);
    expect(analysis.unparsed).toEqual([
      { loc: { file: "migrations/001.sql", line: 3 }, reason: 'syntax error at or near ";"', context: "migration", sql: "ALTER TABLE a ADD COLUMN;" },
      { loc: { file: "migrations/001.sql", line: 5 }, reason: "syntax error at or near \"'oops'\"", context: "migration", sql: "CREATE TABLE 'oops' (x int);" },
    ]);
  });

  test("semicolons inside strings, dollar quotes and parentheses do not split statements during recovery", () => {
    const sql = ["SELECT ';' FROM a;", "DO $$ BEGIN PERFORM 1; END $$;", "broken here;", "CREATE RULE r AS ON INSERT TO a DO ALSO (NOTIFY a; NOTIFY b);"].join("\n");
    const analysis = analyzeSql(sql, migration);
    expect(analysis.statements.map((statement) => statement.statementKind)).toEqual(["SelectStmt", "DoStmt", "SelectStmt", "RuleStmt"]);
    expect(analysis.unparsed.map((item) => item.loc.line)).toEqual([3]);
  });

  test("text that cannot even be scanned is one unparsed item, placed where the parser says", () => {
    const analysis = analyzeSql("SELECT 1;\nSELECT 'never closed", { ...migration, line: 7 });
    expect(analysis.statements).toEqual([]);
    expect(analysis.unparsed).toMatchObject([{ loc: { file: "migrations/001.sql", line: 8 }, context: "migration", reason: "SQL does not parse: unterminated quoted string at or near \"'never closed\"" }]);
  });

  test("binary input", () => {
    expect(analyzeSql("CREATE TABLE\0\u0001", migration)).toEqual({
      statements: [],
      unparsed: [{ loc: { file: "migrations/001.sql", line: 1 }, reason: "binary file", context: "migration" }],
    });
  });

  test.each(["", "   \n\n", "-- only a comment\n/* and another */\n"])("empty text %j: nothing, no error", (sql) => {
    expect(analyzeSql(sql, migration)).toEqual({ statements: [], unparsed: [] });
  });

  test("a 5 MB file is analysed without crashing", () => {
    // Long literals keep the statement count (and the test's time) small; the size is what matters.
    const statement = `INSERT INTO r10_event (id, payload) VALUES (1, '${"x".repeat(10_000)}') ON CONFLICT DO NOTHING;\n`;
    const count = Math.ceil((5 * 1024 * 1024) / statement.length);
    const analysis = analyzeSql(statement.repeat(count), migration);
    expect(analysis.unparsed).toEqual([]);
    expect(analysis.statements).toHaveLength(count);
    expect(analysis.statements[count - 1]?.loc.line).toBe(count);
  });

  test("a 5 MB file with an error near the end still reports the good statements", () => {
    const statement = `UPDATE r10_event SET payload = '${"é".repeat(5_000)}' WHERE id = 1;\n`;
    const count = Math.ceil((5 * 1024 * 1024) / statement.length);
    const analysis = analyzeSql(statement.repeat(count) + "UPDATE oops;\n", migration);
    expect(analysis.statements).toHaveLength(count);
    expect(analysis.unparsed).toMatchObject([{ loc: { line: count + 1 } }]);
  });
});

describe("idempotency of raw migrations", () => {
  test.each([
    ["CREATE TABLE t (a int);", "CREATE TABLE IF NOT EXISTS"],
    ["CREATE INDEX i ON t (a);", "CREATE INDEX IF NOT EXISTS"],
    ["CREATE INDEX ON t (a);", "name it"],
    ["ALTER TABLE t ADD COLUMN a int;", "ADD COLUMN IF NOT EXISTS"],
    ["DROP TABLE t;", "DROP TABLE IF EXISTS"],
    ["DROP INDEX i;", "DROP INDEX IF EXISTS"],
    ["ALTER TABLE t DROP COLUMN a;", "DROP COLUMN IF EXISTS"],
    ["ALTER TABLE t DROP CONSTRAINT c;", "DROP CONSTRAINT IF EXISTS"],
    ["INSERT INTO t (a) VALUES (1);", "ON CONFLICT"],
    ["ALTER TABLE t ADD CONSTRAINT c UNIQUE (a);", "no IF NOT EXISTS"],
    ["ALTER TABLE t RENAME TO u;", "RENAME"],
    ["ALTER TABLE t RENAME COLUMN a TO b;", "RENAME"],
    ["CREATE TYPE mood AS ENUM ('happy');", "pg_type"],
    ["CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1';", "CREATE OR REPLACE FUNCTION"],
    ["CREATE VIEW v AS SELECT 1;", "CREATE OR REPLACE VIEW"],
    ["CREATE SEQUENCE s;", "CREATE SEQUENCE IF NOT EXISTS"],
    ["CREATE EXTENSION pgcrypto;", "CREATE EXTENSION IF NOT EXISTS"],
    ["SELECT * INTO t_copy FROM t;", "CREATE TABLE IF NOT EXISTS"],
    ["CREATE TABLE t_copy AS SELECT * FROM t;", "CREATE TABLE IF NOT EXISTS"],
    ["CREATE TRIGGER trg AFTER INSERT ON t FOR EACH ROW EXECUTE FUNCTION f();", "CREATE OR REPLACE TRIGGER"],
    ["DROP VIEW v;", "DROP VIEW IF EXISTS"],
  ])("%s → mentions %s", (sql, hint) => {
    const [statement] = analyzeSql(sql, migration).statements;
    expect(statement?.idempotencyProblem).toContain(hint);
  });

  test.each([
    "CREATE TABLE IF NOT EXISTS t (a int);",
    "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS i ON t (a);",
    "ALTER TABLE t ADD COLUMN IF NOT EXISTS a int;",
    "DROP TABLE IF EXISTS t;",
    "DROP INDEX IF EXISTS i;",
    "ALTER TABLE t DROP COLUMN IF EXISTS a, DROP CONSTRAINT IF EXISTS c;",
    "INSERT INTO t (a) VALUES (1) ON CONFLICT DO NOTHING;",
    "INSERT INTO t (a) SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM t WHERE a = 1);",
    "ALTER TABLE IF EXISTS t RENAME TO u;",
    "ALTER TABLE t ALTER COLUMN a TYPE bigint, ALTER COLUMN a SET NOT NULL, ALTER COLUMN a SET DEFAULT 0;",
    "CREATE OR REPLACE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1';",
    "CREATE OR REPLACE VIEW v AS SELECT 1;",
    "UPDATE t SET a = 1;",
    "SELECT 1;",
  ])("%s is re-runnable", (sql) => {
    expect(analyzeSql(sql, migration).statements[0]?.idempotencyProblem).toBeUndefined();
  });

  test("one ALTER TABLE lists each distinct problem once", () => {
    const [statement] = analyzeSql("ALTER TABLE t ADD COLUMN a int, ADD COLUMN b int, DROP COLUMN c;", migration).statements;
    expect(statement?.idempotencyProblem).toBe(
      "ADD COLUMN fails when the column exists: use ADD COLUMN IF NOT EXISTS; DROP COLUMN fails when the column is gone: use DROP COLUMN IF EXISTS",
    );
  });

  test("SQL in application code is not judged for idempotency", () => {
    expect(analyzeSql("INSERT INTO t (a) VALUES (1);", { ...migration, context: "code" }).statements[0]?.idempotencyProblem).toBeUndefined();
  });
});

describe("PL/pgSQL", () => {
  test("DO block: guarded statements count as changes at the DO's line without idempotency problems", () => {
    const sql = [
      "SELECT 1;",
      "DO $$",
      "BEGIN",
      "  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'fk_device_user') THEN",
      "    ALTER TABLE r10_device ADD CONSTRAINT fk_device_user FOREIGN KEY (user_id) REFERENCES users (id);",
      "  END IF;",
      "  UPDATE r10_device SET token = lower(token);",
      "  INSERT INTO r10_log (message) VALUES ('done');",
      "END $$;",
    ].join("\n");
    const analysis = analyzeSql(sql, migration);
    expect(analysis.unparsed).toEqual([]);
    const inner = analysis.statements.slice(1).map((statement) => ({
      line: statement.loc.line,
      kind: statement.statementKind,
      changes: statement.changes.map((change) => change.kind),
      uses: statement.uses.map((use) => `${use.access} ${use.table} ${use.columns.join(",")}`),
      problem: statement.idempotencyProblem,
    }));
    expect(inner).toEqual([
      { line: 2, kind: "DoStmt", changes: [], uses: [], problem: undefined },
      { line: 2, kind: "AlterTableStmt", changes: ["add-constraint"], uses: [], problem: undefined },
      { line: 2, kind: "UpdateStmt", changes: [], uses: ["write r10_device token"], problem: undefined },
      { line: 2, kind: "InsertStmt", changes: [], uses: ["write r10_log message"], problem: expect.stringContaining("ON CONFLICT") },
    ]);
  });

  test("DO block: an EXCEPTION handler guards re-runs, a bare statement does not", () => {
    const sql = [
      "DO $$ BEGIN",
      "  BEGIN",
      "    ALTER TABLE r10_a ADD CONSTRAINT r10_a_uq UNIQUE (code);",
      "  EXCEPTION WHEN duplicate_object THEN NULL;",
      "  END;",
      "  CREATE TABLE r10_b (id int);",
      "END $$;",
    ].join("\n");
    const problems = analyzeSql(sql, migration).statements.map((statement) => [statement.statementKind, statement.idempotencyProblem !== undefined]);
    expect(problems).toEqual([
      ["DoStmt", false],
      ["AlterTableStmt", false],
      ["CreateStmt", true],
    ]);
  });

  test("static EXECUTE strings are analysed; computed ones are unparsed with a reason", () => {
    const sql = "DO $$ BEGIN EXECUTE 'DROP TABLE IF EXISTS legacy'; EXECUTE 'DROP TABLE ' || quote_ident(name); END $$;";
    const analysis = analyzeSql(sql, migration);
    expect(analysis.statements.flatMap((statement) => statement.changes)).toMatchObject([{ kind: "drop-table", table: "legacy", ifExists: true }]);
    expect(analysis.unparsed).toEqual([
      {
        loc: { file: "migrations/001.sql", line: 1 },
        reason: "EXECUTE of a computed string cannot be analysed: 'DROP TABLE ' || quote_ident(name)",
        context: "migration",
        sql: sql.slice(0, -1),
      },
    ]);
  });

  test("function bodies: reads and writes are recorded, variables are not columns, no idempotency judgement", () => {
    const sql = [
      "CREATE OR REPLACE FUNCTION touch_device() RETURNS trigger LANGUAGE plpgsql AS $fn$",
      "DECLARE",
      "  owner_count int := (SELECT count(*) FROM users WHERE active);",
      "BEGIN",
      "  SELECT count(*) INTO owner_count FROM r10_device WHERE user_id = NEW.user_id;",
      "  INSERT INTO r10_audit (device_id, owners) VALUES (NEW.id, owner_count);",
      "  RETURN NEW;",
      "END $fn$;",
    ].join("\n");
    const analysis = analyzeSql(sql, migration);
    expect(analysis.unparsed).toEqual([]);
    const uses = analysis.statements.flatMap((statement) => statement.uses.map((use) => `${use.access} ${use.table} ${use.columns.join(",")}`));
    expect(uses.sort()).toEqual(["read r10_device user_id", "read users active", "write r10_audit device_id,owners"]);
    expect(analysis.statements.every((statement) => statement.loc.line === 1)).toBe(true);
    expect(analysis.statements.some((statement) => statement.idempotencyProblem)).toBe(false);
  });

  test("SQL-language function bodies are analysed", () => {
    const sql = "CREATE OR REPLACE FUNCTION active_count() RETURNS bigint LANGUAGE sql AS $$ SELECT count(*) FROM users WHERE active $$;";
    const uses = analyzeSql(sql, migration).statements.flatMap((statement) => statement.uses);
    expect(uses).toMatchObject([{ table: "users", access: "read", columns: ["active"] }]);
  });

  test("BEGIN ATOMIC bodies are analysed", () => {
    const sql = "CREATE OR REPLACE FUNCTION bump() RETURNS void LANGUAGE sql BEGIN ATOMIC UPDATE counters SET n = n + 1; END;";
    const uses = analyzeSql(sql, migration).statements.flatMap((statement) => statement.uses);
    expect(uses).toMatchObject([{ table: "counters", access: "write", columns: ["n"] }]);
  });

  test("the language name is case-insensitive", () => {
    const sql = "CREATE OR REPLACE FUNCTION f() RETURNS void LANGUAGE PLPGSQL AS $$ BEGIN DELETE FROM r10_cache; END $$;";
    expect(analyzeSql(sql, migration).statements.flatMap((statement) => statement.uses)).toMatchObject([{ table: "r10_cache", access: "write" }]);
  });

  test("bodies in other languages are reported, not skipped", () => {
    const analysis = analyzeSql("DO LANGUAGE plpython3u $$ plpy.execute('DROP TABLE x') $$;", migration);
    expect(analysis.unparsed).toMatchObject([{ reason: "a body in LANGUAGE plpython3u is not analysed", loc: { line: 1 } }]);
  });

  test("a PL/pgSQL body that does not parse is reported", () => {
    const analysis = analyzeSql("\nDO $$ BEGIN this is not plpgsql; END $$;", migration);
    expect(analysis.unparsed).toMatchObject([{ loc: { line: 2 }, reason: expect.stringContaining("PL/pgSQL body does not parse") }]);
  });
});

describe("parseSqlMigration", () => {
  test("sql: the whole file", () => {
    const parsed = parseSqlMigration("CREATE TABLE IF NOT EXISTS r10_a (id int);\nDROP TABLE IF EXISTS r10_b;", "m/1.up.sql", "sql");
    expect(parsed).toMatchObject({ file: "m/1.up.sql", format: "sql", unparsed: [] });
    expect(parsed.statements.map((statement) => statement.changes[0]?.kind)).toEqual(["create-table", "drop-table"]);
  });

  test("goose: only the Up section, with the file's line numbers", () => {
    const text = [
      "-- +goose Up",
      "-- +goose StatementBegin",
      "CREATE TABLE IF NOT EXISTS r10_a (id int);",
      "-- +goose StatementEnd",
      "",
      "-- +goose Down",
      "DROP TABLE r10_a;",
    ].join("\n");
    const parsed = parseSqlMigration(text, "m/1.sql", "goose");
    expect(parsed.unparsed).toEqual([]);
    expect(parsed.statements.map((statement) => [statement.loc.line, statement.changes[0]?.kind])).toEqual([[3, "create-table"]]);
  });

  test("dbmate: only the migrate:up section", () => {
    const text = ["-- migrate:up", "ALTER TABLE r10_a ADD COLUMN IF NOT EXISTS b int;", "", "-- migrate:down", "ALTER TABLE r10_a DROP COLUMN b;"].join("\n");
    const parsed = parseSqlMigration(text, "db/migrations/1.sql", "dbmate");
    expect(parsed.statements.flatMap((statement) => statement.changes.map((change) => [change.loc.line, change.kind]))).toEqual([[2, "add-column"]]);
  });

  test("goose file without an Up section is reported", () => {
    const parsed = parseSqlMigration("CREATE TABLE r10_a (id int);", "m/1.sql", "goose");
    expect(parsed.statements).toEqual([]);
    expect(parsed.unparsed).toMatchObject([{ loc: { file: "m/1.sql", line: 1 }, reason: expect.stringContaining("-- +goose Up"), context: "migration" }]);
  });

  test("DML in a migration yields writes", () => {
    const parsed = parseSqlMigration("UPDATE r10_device SET platform = 'ios' WHERE platform IS NULL;", "m/2.sql", "sql");
    expect(parsed.statements[0]?.uses).toMatchObject([{ table: "r10_device", access: "write", columns: ["platform"] }]);
  });
});

describe("a migration whose text the scanner cannot read", () => {
  test("reports an unterminated $$ with the parser's own message and line, not a JSON error", async () => {
    await loadSqlParser();
    const migration = parseSqlMigration(
      "CREATE TABLE r10_x (id int);\nCREATE FUNCTION f() RETURNS void AS $$ BEGIN unterminated\nSELECT 1;\n",
      "migrations/0009_f.sql",
      "sql",
    );
    expect(migration.unparsed).toEqual([
      expect.objectContaining({
        loc: { file: "migrations/0009_f.sql", line: 2 },
        reason: 'SQL does not parse: unterminated dollar-quoted string at or near "$$ BEGIN unterminated SELECT 1; "',
      }),
    ]);
    expect(migration.unparsed[0]?.reason).not.toMatch(/JSON/);
  });
});

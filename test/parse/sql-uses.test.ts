import { beforeAll, describe, expect, test } from "vitest";
import { analyzeSql, loadSqlParser } from "../../src/parse/sql.js";
import type { TableUse } from "../../src/core/changes.js";

beforeAll(loadSqlParser);

type Use = Omit<TableUse, "loc">;

/** Uses sorted by table and access, columns sorted, so expectations read as sets. */
function usesOf(sql: string): Use[] {
  const analysis = analyzeSql(sql, { file: "q.sql", line: 1, context: "code" });
  expect(analysis.unparsed).toEqual([]);
  return analysis.statements
    .flatMap((statement) => statement.uses)
    .map(({ loc: _loc, ...use }) => ({ ...use, columns: [...use.columns].sort(), possibleColumns: [...use.possibleColumns].sort() }))
    .sort((a, b) => `${a.table} ${a.access}`.localeCompare(`${b.table} ${b.access}`));
}

function read(table: string, columns: string[] = [], extra: Partial<Use> = {}): Use {
  return { table, access: "read", columns, possibleColumns: [], allColumns: false, ...extra };
}
function inserting(...columns: string[]): Partial<Use> {
  return { insert: { columns } };
}
function write(table: string, columns: string[] = [], extra: Partial<Use> = {}): Use {
  return { table, access: "write", columns, possibleColumns: [], allColumns: false, ...extra };
}

describe("SELECT", () => {
  test.each<[string, string, Use[]]>([
    ["one table: unqualified columns are certain", "SELECT id, name FROM users WHERE active ORDER BY created_at", [read("users", ["active", "created_at", "id", "name"])]],
    ["star", "SELECT * FROM users", [read("users", [], { allColumns: true })]],
    ["schema-qualified and public", "SELECT a FROM public.users, billing.invoice i WHERE i.total > 0", [
      read("billing.invoice", ["total"], { possibleColumns: ["a"] }),
      read("users", [], { possibleColumns: ["a"] }),
    ]],
    ["aliases and join", "SELECT u.id, d.token, platform FROM users u JOIN r10_device AS d ON d.user_id = u.id", [
      read("r10_device", ["token", "user_id"], { possibleColumns: ["platform"] }),
      read("users", ["id"], { possibleColumns: ["platform"] }),
    ]],
    ["t.* marks only that table", "SELECT d.*, u.email FROM r10_device d LEFT JOIN users u USING (user_id)", [
      read("r10_device", ["user_id"], { allColumns: true }),
      read("users", ["email", "user_id"]),
    ]],
    ["bare * with a join marks every table", "SELECT * FROM a JOIN b ON a.id = b.a_id", [
      read("a", ["id"], { allColumns: true }),
      read("b", ["a_id"], { allColumns: true }),
    ]],
    ["table name as qualifier", "SELECT users.id FROM users", [read("users", ["id"])]],
    ["GROUP BY, HAVING, function arguments", "SELECT team_id, count(*), max(lower(email)) FROM users GROUP BY team_id HAVING sum(score) > 3", [
      read("users", ["email", "score", "team_id"]),
    ]],
    ["ORDER BY an output alias is not a column", "SELECT count(*) AS total FROM users ORDER BY total DESC", [read("users")]],
    ["CTE name is not a table", "WITH recent AS (SELECT id, user_id FROM orders WHERE placed_at > now()) SELECT r.id, u.name FROM recent r JOIN users u ON u.id = r.user_id", [
      read("orders", ["id", "placed_at", "user_id"]),
      read("users", ["id", "name"]),
    ]],
    ["recursive CTE", "WITH RECURSIVE tree AS (SELECT id, parent_id FROM node WHERE parent_id IS NULL UNION ALL SELECT n.id, n.parent_id FROM node n JOIN tree t ON n.parent_id = t.id) SELECT id FROM tree", [
      read("node", ["id", "parent_id"]),
    ]],
    ["subquery in FROM", "SELECT s.total FROM (SELECT sum(amount) AS total FROM payments WHERE paid) s", [read("payments", ["amount", "paid"])]],
    ["subquery in WHERE", "SELECT name FROM users WHERE id IN (SELECT user_id FROM r10_device WHERE platform = 'ios')", [
      read("r10_device", ["platform", "user_id"]),
      read("users", ["id", "name"]),
    ]],
    ["correlated subquery resolves its qualifier outward", "SELECT u.name FROM users u WHERE EXISTS (SELECT 1 FROM orders o WHERE o.user_id = u.id)", [
      read("orders", ["user_id"]),
      read("users", ["id", "name"]),
    ]],
    ["UNION", "SELECT id FROM a UNION SELECT id FROM b", [read("a", ["id"]), read("b", ["id"])]],
    ["functions in FROM make unqualified columns uncertain", "SELECT x, t.y FROM t, unnest(t.arr) AS x", [read("t", ["arr", "y"], { possibleColumns: ["x"], openScope: true })]],
    ["a function's column aliases are its columns", "SELECT value, index, t.y FROM t, unnest(t.arr) WITH ORDINALITY AS u(value, index)", [read("t", ["arr", "y"])]],
    ["a CTE's column list names its columns", "WITH RECURSIVE n(a, b) AS (SELECT 1, 2 UNION ALL SELECT a + 1, b FROM n WHERE a < 3) SELECT a, b, t.y FROM n, t", [read("t", ["y"])]],
    ["a subquery's outputs are its columns", "SELECT total, t.y FROM t, (SELECT count(*) AS total FROM u) s", [read("t", ["y"]), read("u")]],
    ["quoted identifiers keep their case", 'SELECT "UserId" FROM "Accounts"', [read("Accounts", ["UserId"])]],
    ["no table", "SELECT 1, now()", []],
    ["system catalogs are not tables of any service", "SELECT conname FROM pg_constraint JOIN information_schema.columns c ON true", []],
  ])("%s", (_name, sql, expected) => {
    expect(usesOf(sql)).toEqual(expected);
  });
});

describe("INSERT", () => {
  test.each<[string, string, Use[]]>([
    ["column list", "INSERT INTO r10_notification (user_id, body) VALUES ($1, $2)", [write("r10_notification", ["body", "user_id"], inserting("user_id", "body"))]],
    ["no column list writes every column", "INSERT INTO log VALUES (1, 'x')", [write("log", [], { allColumns: true, insert: { columns: "all" } })]],
    ["INSERT … SELECT", "INSERT INTO archive (id, body) SELECT id, body FROM messages WHERE sent_at < now()", [
      write("archive", ["body", "id"], inserting("id", "body")),
      read("messages", ["body", "id", "sent_at"]),
    ]],
    ["ON CONFLICT target and DO UPDATE SET", "INSERT INTO counters AS c (key, n) VALUES ($1, 1) ON CONFLICT (key) DO UPDATE SET n = c.n + EXCLUDED.n, updated_at = now() WHERE c.locked = false", [
      write("counters", ["key", "locked", "n", "updated_at"], inserting("key", "n")),
    ]],
    ["ON CONFLICT DO NOTHING", "INSERT INTO t (a) VALUES (1) ON CONFLICT DO NOTHING", [write("t", ["a"], inserting("a"))]],
    ["RETURNING", "INSERT INTO t (a) VALUES (1) RETURNING id", [write("t", ["a", "id"], inserting("a"))]],
    ["RETURNING *", "INSERT INTO t (a) VALUES (1) RETURNING *", [write("t", ["a"], { allColumns: true, ...inserting("a") })]],
    ["WITH … INSERT", "WITH src AS (SELECT a FROM s) INSERT INTO t (a) SELECT a FROM src", [read("s", ["a"]), write("t", ["a"], inserting("a"))]],
  ])("%s", (_name, sql, expected) => {
    expect(usesOf(sql)).toEqual(expected);
  });
});

describe("UPDATE, DELETE, TRUNCATE, MERGE, COPY", () => {
  test.each<[string, string, Use[]]>([
    ["UPDATE writes SET targets", "UPDATE r10_device SET token = $1, updated_at = now() WHERE id = $2", [write("r10_device", ["id", "token", "updated_at"])]],
    ["UPDATE … FROM reads the other table", "UPDATE orders o SET status = s.status FROM shipments s WHERE s.order_id = o.id", [
      write("orders", ["id", "status"]),
      read("shipments", ["order_id", "status"]),
    ]],
    ["UPDATE with an unqualified column and two tables in scope", "UPDATE orders SET status = 'x' FROM shipments WHERE shipped", [
      write("orders", ["status"], { possibleColumns: ["shipped"] }),
      read("shipments", [], { possibleColumns: ["shipped"] }),
    ]],
    ["UPDATE with a subquery", "UPDATE users SET score = (SELECT count(*) FROM orders WHERE orders.user_id = users.id)", [
      read("orders", ["user_id"]),
      write("users", ["id", "score"]),
    ]],
    ["a whole-row DELETE uses only the columns it names", "DELETE FROM sessions WHERE expires_at < now()", [write("sessions", ["expires_at"])]],
    ["DELETE … USING", "DELETE FROM r10_device d USING users u WHERE d.user_id = u.id AND u.deleted RETURNING d.id", [
      write("r10_device", ["id", "user_id"]),
      read("users", ["deleted", "id"]),
    ]],
    ["TRUNCATE names no column", "TRUNCATE a, b", [write("a"), write("b")]],
    ["MERGE", "MERGE INTO stock s USING deliveries d ON s.item = d.item WHEN MATCHED THEN UPDATE SET qty = s.qty + d.qty WHEN NOT MATCHED THEN INSERT (item, qty) VALUES (d.item, d.qty)", [
      read("deliveries", ["item", "qty"]),
      write("stock", ["item", "qty"], inserting("item", "qty")),
    ]],
    ["COPY FROM writes", "COPY t (a, b) FROM STDIN", [write("t", ["a", "b"], inserting("a", "b"))]],
    ["COPY FROM without a column list", "COPY t FROM STDIN", [write("t", [], { allColumns: true, insert: { columns: "all" } })]],
    ["COPY TO reads", "COPY t TO STDOUT", [read("t", [], { allColumns: true })]],
    ["a view records the reads of its query", "CREATE VIEW v AS SELECT a FROM t", [read("t", ["a"])]],
    ["self-join of the target: one write, one read", "UPDATE t SET a = t2.a FROM t t2 WHERE t2.id = t.parent_id", [
      read("t", ["a", "id"]),
      write("t", ["a", "parent_id"]),
    ]],
  ])("%s", (_name, sql, expected) => {
    expect(usesOf(sql)).toEqual(expected);
  });
});

test("uses carry the statement's location", () => {
  const analysis = analyzeSql("\nSELECT a FROM t;\n\nDELETE FROM u;", { file: "x.go", line: 40, context: "code" });
  expect(analysis.statements.flatMap((statement) => statement.uses.map((use) => [use.table, use.loc]))).toEqual([
    ["t", { file: "x.go", line: 41 }],
    ["u", { file: "x.go", line: 43 }],
  ]);
});

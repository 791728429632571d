import { describe, expect, it } from "vitest";
import { analyzeCodeFile } from "../../src/parse/code-sql.js";
import type { SqlCandidate } from "../../src/parse/sql-candidate.js";
import { goSqlCandidates } from "../../src/parse/go-sql.js";
import { loadParser, withTree } from "../../src/parse/tree-sitter.js";

async function candidatesOf(source: string): Promise<{ text: string; line: number; dynamic: boolean }[]> {
  const parser = await loadParser("go");
  const candidates = withTree(parser, source, (tree) => goSqlCandidates(tree.rootNode));
  return candidates.map((candidate: SqlCandidate) => ({
    text: candidate.pieces.map((piece) => (piece.kind === "text" ? piece.text : "<run time>")).join(""),
    line: candidate.line,
    dynamic: candidate.dynamic,
  }));
}

const lines = (...source: string[]): string => source.join("\n");

describe("Go string candidates", () => {
  it("reads raw and interpreted literals, decoding escapes", async () => {
    const source = lines(
      "package store",
      "const listDevices = `SELECT id FROM r10_device`",
      'var byToken = "SELECT id FROM r10_device WHERE token = \\"t\\"\\n\\tAND x = \\x41"',
    );
    expect(await candidatesOf(source)).toEqual([
      { text: "SELECT id FROM r10_device", line: 2, dynamic: false },
      { text: 'SELECT id FROM r10_device WHERE token = "t"\n\tAND x = A', line: 3, dynamic: false },
    ]);
  });

  it("folds `+` chains of literals and constants into one string at the chain's first line", async () => {
    const source = lines(
      "package store",
      'const columns = "id, token"',
      "func q() string {",
      '\treturn "SELECT " + columns +',
      '\t\t" FROM r10_device" +',
      "\t\t` WHERE id = $1`",
      "}",
    );
    expect(await candidatesOf(source)).toEqual([
      { text: "id, token", line: 2, dynamic: false },
      { text: "SELECT id, token FROM r10_device WHERE id = $1", line: 4, dynamic: false },
    ]);
  });

  it("folds package-level variables too, but not variables local to a function", async () => {
    const source = lines(
      "package store",
      "var (",
      '\tselectDevice = "SELECT id FROM r10_device"',
      ")",
      "func q() string {",
      '\tfilter := " WHERE id = $1"',
      "\treturn selectDevice + filter",
      "}",
    );
    expect(await candidatesOf(source)).toEqual([
      { text: "SELECT id FROM r10_device", line: 3, dynamic: false },
      { text: " WHERE id = $1", line: 6, dynamic: false },
      { text: "SELECT id FROM r10_device<run time>", line: 7, dynamic: true },
    ]);
  });

  it("finds strings in call arguments, struct fields and var blocks, but not in imports or struct tags", async () => {
    const source = lines(
      "package store",
      'import "github.com/jackc/pgx/v5"',
      "type Device struct {",
      '\tID string `db:"id"`',
      "}",
      "var (",
      '\tdeleteDevice = "DELETE FROM r10_device WHERE id = $1"',
      ")",
      "func run(ctx context.Context, pool *pgxpool.Pool, batch *pgx.Batch) {",
      '\tpool.QueryRow(ctx, "SELECT token FROM r10_device WHERE id = $1", id)',
      '\tbatch.Queue("UPDATE r10_device SET token = $1", token)',
      '\t_ = Job{Query: "SELECT 1"}',
      "}",
    );
    expect((await candidatesOf(source)).map((candidate) => candidate.text)).toEqual([
      "DELETE FROM r10_device WHERE id = $1",
      "SELECT token FROM r10_device WHERE id = $1",
      "UPDATE r10_device SET token = $1",
      "SELECT 1",
    ]);
  });

  it("marks a chain with run-time parts as dynamic and still looks inside those parts", async () => {
    const source = lines(
      "package store",
      "func q(table string) string {",
      '\treturn "SELECT id FROM " + table + " WHERE " + strings.Join(conds, " AND ")',
      "}",
    );
    expect(await candidatesOf(source)).toEqual([
      { text: "SELECT id FROM <run time> WHERE <run time>", line: 3, dynamic: true },
      { text: " AND ", line: 3, dynamic: false },
    ]);
  });

  it("reads the verbs of a fmt.Sprintf format as run-time parts", async () => {
    const source = lines(
      "package store",
      'var q = fmt.Sprintf("SELECT id FROM %s WHERE name LIKE \'%%x\' LIMIT %d", table, n)',
      'var label = fmt.Sprintf("%s rows", "SELECT")',
    );
    expect(await candidatesOf(source)).toEqual([
      { text: "SELECT id FROM <run time> WHERE name LIKE '%x' LIMIT <run time>", line: 2, dynamic: true },
      { text: "<run time> rows", line: 3, dynamic: true },
      { text: "SELECT", line: 3, dynamic: false },
    ]);
  });

  it("does not loop on constants defined in terms of each other", async () => {
    const source = lines("package store", 'const a = b + " x"', 'const b = a + " y"');
    expect((await candidatesOf(source)).map((candidate) => candidate.dynamic)).toEqual([true, true]);
  });
});

describe("SQL in Go files", () => {
  it("maps the lines of a multi-line raw string to file lines", async () => {
    const source = lines(
      "package store",
      "",
      "const activeTokens = `",
      "SELECT d.token, d.platform",
      "FROM r10_device d",
      "WHERE d.user_id = $1`",
      "",
      "const stale = `SELECT 1;",
      "DELETE FROM r10_live_activity_token WHERE expires_at < now()`",
    );
    const analysis = await analyzeCodeFile(source, "store/devices.go");
    expect(analysis?.unparsed).toEqual([]);
    expect(analysis?.uses.map((use) => [use.table, use.access, use.loc])).toEqual([
      ["r10_device", "read", { file: "store/devices.go", line: 4 }],
      ["r10_live_activity_token", "write", { file: "store/devices.go", line: 9 }],
    ]);
    expect(analysis?.uses[0]?.columns).toEqual(expect.arrayContaining(["token", "platform", "user_id"]));
  });

  it("reads pgx calls with $n placeholders and concatenated queries", async () => {
    const source = lines(
      "package store",
      "func save(ctx context.Context, conn *pgx.Conn) error {",
      '\t_, err := conn.Exec(ctx, "INSERT INTO r10_notification (user_id, body) " +',
      '\t\t"VALUES ($1, $2)", userID, body)',
      "\treturn err",
      "}",
    );
    const analysis = await analyzeCodeFile(source, "store/save.go");
    expect(analysis?.unparsed).toEqual([]);
    expect(analysis?.uses).toEqual([
      expect.objectContaining({
        table: "r10_notification",
        access: "write",
        columns: expect.arrayContaining(["user_id", "body"]),
        loc: { file: "store/save.go", line: 3 },
      }),
    ]);
  });

  it("ignores strings that are not SQL", async () => {
    const source = lines(
      "package cart",
      'const buttonLabel = "Delete from cart"',
      'var confirm = map[string]string{"title": "Update cart", "url": "/cart/delete?from=table"}',
      "func clear() error {",
      '\tlog.Printf("Delete from cart failed: %v", err)',
      '\treturn fmt.Errorf("select a device first")',
      '\thttp.Get("https://example.com/select?from=table")',
      "}",
    );
    expect(await analyzeCodeFile(source, "cart/clear.go")).toEqual({ file: "cart/clear.go", uses: [], unparsed: [] });
  });

  it("reports SQL that looks like SQL but does not parse", async () => {
    const source = lines("package store", "", 'const broken = "SELECT id FROM WHERE r10_device"');
    const analysis = await analyzeCodeFile(source, "store/broken.go");
    expect(analysis?.uses).toEqual([]);
    expect(analysis?.unparsed).toEqual([
      expect.objectContaining({ loc: { file: "store/broken.go", line: 3 }, context: "code" }),
    ]);
  });

  it("reports dynamic SQL as not understood, with the uses of its constant parts", async () => {
    const source = lines("package store", "func q(cond string) string {", '\treturn "SELECT token FROM r10_device WHERE " + cond', "}");
    const analysis = await analyzeCodeFile(source, "store/dynamic.go");
    expect(analysis?.uses.map((use) => use.table)).toEqual(["r10_device"]);
    expect(analysis?.unparsed).toEqual([
      expect.objectContaining({
        loc: { file: "store/dynamic.go", line: 3 },
        context: "code",
        reason: expect.stringContaining("dynamic SQL"),
        sql: "SELECT token FROM r10_device WHERE …",
      }),
    ]);
  });

  it("reports a file that is not valid Go, yet reads the SQL it can", async () => {
    const source = lines("package store", "func broken( {", "}", 'const q = "SELECT id FROM r10_device"');
    const analysis = await analyzeCodeFile(source, "store/broken.go");
    expect(analysis?.unparsed[0]).toEqual(
      expect.objectContaining({ loc: { file: "store/broken.go", line: 2 }, reason: expect.stringContaining("Go") }),
    );
    expect(analysis?.uses.map((use) => use.table)).toEqual(["r10_device"]);
  });
});

import { describe, expect, it } from "vitest";
import { analyzeCodeFile } from "../../src/parse/code-sql.js";
import type { SqlCandidate } from "../../src/parse/sql-candidate.js";
import { pythonSqlCandidates } from "../../src/parse/python-sql.js";
import { loadParser, withTree } from "../../src/parse/tree-sitter.js";

async function candidatesOf(source: string): Promise<{ text: string; line: number; dynamic: boolean }[]> {
  const parser = await loadParser("python");
  const candidates = withTree(parser, source, (tree) => pythonSqlCandidates(tree.rootNode));
  return candidates.map((candidate: SqlCandidate) => ({
    text: candidate.pieces.map((piece) => (piece.kind === "text" ? piece.text : "<run time>")).join(""),
    line: candidate.line,
    dynamic: candidate.dynamic,
  }));
}

const lines = (...source: string[]): string => source.join("\n");

describe("Python string candidates", () => {
  it("takes the query of execute, executemany, raw and RawSQL, and nothing else", async () => {
    const source = lines(
      'LABEL = "SELECT is not a query here"',
      "def run(cursor):",
      '    cursor.execute("SELECT id FROM r10_device WHERE id = %s", [1])',
      '    cursor.executemany(sql="INSERT INTO r10_device (id) VALUES (%(id)s)", params=rows)',
      '    Device.objects.raw("SELECT * FROM r10_device")',
      '    Device.objects.annotate(n=RawSQL("SELECT count(*) FROM r10_notification", ()))',
      '    logger.info("SELECT failed")',
    );
    expect((await candidatesOf(source)).map((candidate) => candidate.text)).toEqual([
      "SELECT id FROM r10_device WHERE id = %s",
      "INSERT INTO r10_device (id) VALUES (%(id)s)",
      "SELECT * FROM r10_device",
      "SELECT count(*) FROM r10_notification",
    ]);
  });

  it("joins implicit concatenation and decodes escapes, leaving raw strings alone", async () => {
    const source = lines(
      "cursor.execute(",
      '    "SELECT id "',
      "    'FROM r10_device\\n'",
      '    r"WHERE token ~ \'\\d+\'"',
      ")",
    );
    expect(await candidatesOf(source)).toEqual([
      { text: "SELECT id FROM r10_device\nWHERE token ~ '\\d+'", line: 2, dynamic: false },
    ]);
  });

  it("reads module-level and local constants once, where they are assigned", async () => {
    const source = lines(
      'TOKENS = """',
      "SELECT token",
      'FROM r10_device"""',
      "def first(cursor):",
      "    cursor.execute(TOKENS)",
      "def second(cursor):",
      '    query = "DELETE FROM r10_device"',
      "    cursor.execute(query)",
      "    cursor.execute(TOKENS)",
    );
    expect(await candidatesOf(source)).toEqual([
      { text: "\nSELECT token\nFROM r10_device", line: 1, dynamic: false },
      { text: "DELETE FROM r10_device", line: 7, dynamic: false },
    ]);
  });

  it("reads class attributes handed over as self.NAME or Class.NAME", async () => {
    const source = lines(
      "class DeviceRepository:",
      '    TOKENS = "SELECT token FROM r10_device"',
      '    WHERE_ID = " WHERE id = %s"',
      "    def tokens(self, cursor):",
      "        cursor.execute(self.TOKENS)",
      "        cursor.execute(DeviceRepository.TOKENS + self.WHERE_ID)",
      "        cursor.execute(self.connection.QUERY)",
    );
    expect(await candidatesOf(source)).toEqual([
      { text: "SELECT token FROM r10_device", line: 2, dynamic: false },
      { text: "SELECT token FROM r10_device WHERE id = %s", line: 6, dynamic: false },
    ]);
  });

  it("looks through psycopg's sql.SQL and SQLAlchemy's text wrappers", async () => {
    const source = lines(
      "def run(cursor, connection, table):",
      '    cursor.execute(sql.SQL("SELECT id FROM {} WHERE id = %s").format(sql.Identifier(table)), [1])',
      '    connection.execute(text("SELECT token FROM r10_device WHERE id = :id"), {"id": 1})',
    );
    expect(await candidatesOf(source)).toEqual([
      { text: "SELECT id FROM <run time> WHERE id = %s", line: 2, dynamic: true },
      { text: "SELECT token FROM r10_device WHERE id = :id", line: 3, dynamic: false },
    ]);
  });

  it("keeps f-strings without interpolation static and marks formatted strings dynamic", async () => {
    const source = lines(
      "def run(cursor, table, n):",
      '    cursor.execute(f"SELECT id FROM r10_device WHERE data ? \'{{k}}\'")',
      '    cursor.execute(f"SELECT id FROM {table} WHERE n = {n!r:>3}")',
      '    cursor.execute("SELECT id FROM %s" % table)',
      '    cursor.execute("SELECT id FROM {} LIMIT {{1}}".format(table))',
      '    cursor.execute(BASE + " WHERE id = %s")',
      'BASE = "SELECT id FROM r10_device"',
    );
    expect(await candidatesOf(source)).toEqual([
      { text: "SELECT id FROM r10_device WHERE data ? '{k}'", line: 2, dynamic: false },
      { text: "SELECT id FROM <run time> WHERE n = <run time>", line: 3, dynamic: true },
      { text: "SELECT id FROM %s", line: 4, dynamic: true },
      { text: "SELECT id FROM <run time> LIMIT {1}", line: 5, dynamic: true },
      { text: "SELECT id FROM r10_device WHERE id = %s", line: 6, dynamic: false },
    ]);
  });
});

describe("SQL in Python files", () => {
  it("analyses DB-API queries with %s and %(name)s placeholders", async () => {
    const source = lines(
      "def save(cursor, device):",
      "    cursor.execute(",
      '        "UPDATE r10_device SET token = %(token)s WHERE id = %(id)s",',
      "        device,",
      "    )",
      '    cursor.execute("SELECT platform FROM r10_device WHERE id = %s", [device["id"]])',
    );
    const analysis = await analyzeCodeFile(source, "dao/devices.py");
    expect(analysis?.unparsed).toEqual([]);
    expect(analysis?.uses).toEqual([
      expect.objectContaining({ table: "r10_device", access: "write", loc: { file: "dao/devices.py", line: 3 } }),
      expect.objectContaining({ table: "r10_device", access: "read", loc: { file: "dao/devices.py", line: 6 } }),
    ]);
    expect(analysis?.uses[0]?.columns).toEqual(expect.arrayContaining(["token", "id"]));
    expect(analysis?.uses[1]?.columns).toEqual(expect.arrayContaining(["platform", "id"]));
  });

  it("maps the lines of a triple-quoted query to file lines", async () => {
    const source = lines(
      "STALE = '''",
      "SELECT 1;",
      "DELETE FROM r10_notification",
      "WHERE sent_at < now()'''",
      "cursor.execute(STALE)",
    );
    const analysis = await analyzeCodeFile(source, "dao/cleanup.py");
    expect(analysis?.uses.map((use) => [use.table, use.loc.line])).toEqual([["r10_notification", 3]]);
  });

  it("reports f-strings with interpolation that look like SQL as dynamic SQL", async () => {
    const source = lines("def run(cursor, table):", '    cursor.execute(f"SELECT id FROM {table}")', '    cursor.execute(f"{table}")');
    const analysis = await analyzeCodeFile(source, "dao/dynamic.py");
    expect(analysis?.uses).toEqual([]);
    expect(analysis?.unparsed).toEqual([
      expect.objectContaining({
        loc: { file: "dao/dynamic.py", line: 2 },
        context: "code",
        reason: expect.stringContaining("dynamic SQL"),
        sql: "SELECT id FROM …",
      }),
    ]);
  });

  it("ignores Python that hands prose to execute-like methods", async () => {
    const source = lines('task.execute("Delete from cart when the order ships")', 'job.raw("https://example.com/raw")');
    expect(await analyzeCodeFile(source, "shop/tasks.py")).toEqual({ file: "shop/tasks.py", uses: [], unparsed: [] });
  });
});

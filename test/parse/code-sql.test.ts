import { describe, expect, it } from "vitest";
import { analyzeCodeFile } from "../../src/parse/code-sql.js";

describe("analyzeCodeFile", () => {
  it("handles Go and Python by extension, and nothing else", async () => {
    const go = await analyzeCodeFile('package a\nconst q = "SELECT id FROM r10_device"\n', "svc/a.go");
    const python = await analyzeCodeFile('cursor.execute("SELECT id FROM r10_device")\n', "svc/a.PY");
    expect(go?.uses.map((use) => use.table)).toEqual(["r10_device"]);
    expect(python?.uses.map((use) => use.table)).toEqual(["r10_device"]);
    expect(await analyzeCodeFile("SELECT id FROM r10_device", "migrations/001.sql")).toBeNull();
    expect(await analyzeCodeFile('const q = "SELECT id FROM r10_device"', "web/app.ts")).toBeNull();
    expect(await analyzeCodeFile("package a", "go")).toBeNull();
  });

  it("returns null for binary files", async () => {
    expect(await analyzeCodeFile('package a\x00\nconst q = "SELECT id FROM r10_device"', "svc/blob.go")).toBeNull();
  });

  it("reports the query's own line when escapes or concatenation break the line mapping", async () => {
    const source = ["package a", "", 'const q = "SELECT 1;\\nDELETE FROM r10_device"'].join("\n");
    const analysis = await analyzeCodeFile(source, "svc/a.go");
    expect(analysis?.uses.map((use) => use.loc.line)).toEqual([3]);
  });

  it("gives PostgreSQL's complaint and the SQL for a query that does not parse", async () => {
    const source = ["cursor.execute('''", "SELECT id", "FROM r10_device", "WHERE id = = %s''')"].join("\n");
    const analysis = await analyzeCodeFile(source, "dao/broken.py");
    expect(analysis?.uses).toEqual([]);
    expect(analysis?.unparsed).toEqual([
      {
        loc: { file: "dao/broken.py", line: 2 },
        reason: expect.stringMatching(/syntax error/i),
        context: "code",
        sql: "\nSELECT id\nFROM r10_device\nWHERE id = = %s",
      },
    ]);
  });

  it("leaves messages that begin with a SQL word alone", async () => {
    const source = [
      "package a",
      'var errDelete = errors.New("delete from cart failed")',
      'func f() { log.Printf("select from %v failed: %v", table, err) }',
      'func g() { log.Println("delete from cart " + "failed for " + user.Name()) }',
      'const help = "Update your profile to set a name"',
    ].join("\n");
    expect(await analyzeCodeFile(source, "svc/messages.go")).toEqual({ file: "svc/messages.go", uses: [], unparsed: [] });
  });

  it("counts DDL run by application code as a write of the table it changes", async () => {
    const source = [
      "package a",
      'const migrate = `ALTER TABLE r10_device ADD COLUMN IF NOT EXISTS badge int;',
      "DROP TABLE IF EXISTS r10_live_activity_token;",
      'TRUNCATE r10_notification`',
    ].join("\n");
    const analysis = await analyzeCodeFile(source, "svc/migrate.go");
    expect(analysis?.uses.map((use) => [use.loc.line, use.table, use.access, use.columns, use.allColumns])).toEqual([
      [2, "r10_device", "write", ["badge"], false],
      [3, "r10_live_activity_token", "write", [], true],
      [4, "r10_notification", "write", [], false],
    ]);
  });
});

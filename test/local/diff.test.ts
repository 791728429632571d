import { describe, expect, it } from "vitest";
import { parseDiffLines, parseNameStatus, unquotePath } from "../../src/local/diff.js";

describe("parseNameStatus", () => {
  it("maps git's letters to pull request statuses", () => {
    const output = ["A", "new.sql", "M", "changed.go", "D", "gone.py", "R087", "old.sql", "moved.sql", "C100", "a.go", "b.go", "T", "link", ""].join(
      "\0",
    );
    expect(parseNameStatus(output)).toEqual([
      { path: "new.sql", status: "added" },
      { path: "changed.go", status: "modified" },
      { path: "gone.py", status: "removed" },
      { path: "moved.sql", status: "renamed", previousPath: "old.sql" },
      { path: "b.go", status: "added" },
      { path: "link", status: "modified" },
    ]);
  });
  it("reads nothing from an empty diff", () => {
    expect(parseNameStatus("")).toEqual([]);
  });
});

describe("parseDiffLines", () => {
  it("collects new-side lines per file and ignores content that looks like headers", () => {
    const patch = [
      "diff --git a/m.sql b/m.sql",
      "index 1..2 100644",
      "--- a/m.sql",
      "+++ b/m.sql",
      "@@ -2 +2,2 @@",
      "--- a removed comment",
      "+++ an added line that starts with pluses",
      "+-- a comment",
      "@@ -10,0 +11 @@ context",
      "+ALTER TABLE x ADD COLUMN y int;",
      "@@ -20,2 +21,0 @@",
      "-gone",
      "-gone too",
      "diff --git a/gone.go b/gone.go",
      "deleted file mode 100644",
      "--- a/gone.go",
      "+++ /dev/null",
      "@@ -1 +0,0 @@",
      "-package gone",
      'diff --git "a/we\\tird.sql" "b/we\\tird.sql"',
      "--- /dev/null",
      '+++ "b/we\\tird.sql"',
      "@@ -0,0 +1,3 @@",
      "+a",
      "+b",
      "+c",
      "",
    ].join("\n");
    const lines = parseDiffLines(patch);
    expect([...lines.keys()]).toEqual(["m.sql", "we\tird.sql"]);
    expect([...(lines.get("m.sql") ?? [])]).toEqual([2, 3, 11]);
    expect([...(lines.get("we\tird.sql") ?? [])]).toEqual([1, 2, 3]);
  });
});

describe("unquotePath", () => {
  it("undoes git's C-style quoting, octal bytes included", () => {
    expect(unquotePath("b/plain.sql")).toBe("b/plain.sql");
    expect(unquotePath('"b/say \\"hi\\".sql"')).toBe('b/say "hi".sql');
    expect(unquotePath('"b/caf\\303\\251.sql"')).toBe("b/café.sql");
  });
});

// `shared-schema: ignore <rule-id> <reason>` in a comment of the file's own language (`--` in
// SQL, `#` in Python, `//` in Go, and `--` inside an SQL string) suppresses one finding on the
// statement below it. In code, that statement may span lines (a call whose SQL string starts on
// a later line): the suppression covers it up to the line where its brackets and strings close.
// The rule id is kept raw: validating it is the rules' business.
import type { Suppression } from "../core/findings.js";

export type CommentPrefix = "--" | "#" | "//";

const directive = /^shared-schema:\s*ignore(?:\s+(\S+))?(?:\s+(.*))?$/;

export function findSuppressions(text: string, file: string, commentPrefix: CommentPrefix): Suppression[] {
  const lines = text.split("\n");
  const isComment = (line: string): boolean => line.trimStart().startsWith(commentPrefix);
  const suppressions: Suppression[] = [];
  lines.forEach((line, index) => {
    const trimmed = line.trim();
    if (!trimmed.startsWith(commentPrefix)) return;
    const found = directive.exec(trimmed.slice(commentPrefix.length).trim());
    if (!found) return;
    // Applies to the next line that is code; stacked suppressions share it.
    let target = index + 1;
    while (target < lines.length && ((lines[target] ?? "").trim() === "" || isComment(lines[target] ?? ""))) target += 1;
    if (target >= lines.length) return;
    const through = commentPrefix === "--" ? target : statementEnd(lines, target, commentPrefix);
    suppressions.push({
      loc: { file, line: index + 1 },
      appliesToLine: target + 1,
      ...(through > target ? { appliesThroughLine: through + 1 } : {}),
      rule: found[1] ?? "",
      reason: (found[2] ?? "").trim(),
    });
  });
  return suppressions;
}

/** Longest a code statement is followed for a suppression, in lines. */
const MAX_STATEMENT_LINES = 200;

/**
 * Index of the line where the code statement starting at `start` ends: where every bracket
 * opened since is closed and no string (Go's backquotes, Python's triple quotes) is left open.
 * Braces are not counted: a block opened after the call (`if _, err := db.Exec(...); err != nil {`)
 * is not part of the statement.
 */
function statementEnd(lines: readonly string[], start: number, commentPrefix: CommentPrefix): number {
  let depth = 0;
  let open: string | undefined;
  const last = Math.min(lines.length - 1, start + MAX_STATEMENT_LINES);
  for (let index = start; index <= last; index++) {
    const line = lines[index] ?? "";
    for (let at = 0; at < line.length; at++) {
      const rest = line.slice(at);
      if (open !== undefined) {
        if (open.length === 1 && open !== "`" && line[at] === "\\") at += 1;
        else if (rest.startsWith(open)) {
          at += open.length - 1;
          open = undefined;
        }
        continue;
      }
      const quote = ['"""', "'''", "`", '"', "'"].find((candidate) => rest.startsWith(candidate));
      if (quote) {
        open = quote;
        at += quote.length - 1;
      } else if (rest.startsWith(commentPrefix)) break;
      else if (line[at] === "(" || line[at] === "[") depth += 1;
      else if (line[at] === ")" || line[at] === "]") depth -= 1;
    }
    // A one-line string ends with its line; only backquotes and triple quotes span lines.
    if (open === '"' || open === "'") open = undefined;
    if (depth <= 0 && open === undefined) return index;
  }
  return start;
}

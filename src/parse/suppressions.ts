// `-- shared-schema: ignore <rule-id> <reason>` (or `#` in Python) suppresses one finding on
// the statement below it. The rule id is kept raw: validating it is the rules' business.
import type { Suppression } from "../core/findings.js";

const directive = /^shared-schema:\s*ignore(?:\s+(\S+))?(?:\s+(.*))?$/;

export function findSuppressions(text: string, file: string, commentPrefix: "--" | "#"): Suppression[] {
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
    suppressions.push({
      loc: { file, line: index + 1 },
      appliesToLine: target + 1,
      rule: found[1] ?? "",
      reason: (found[2] ?? "").trim(),
    });
  });
  return suppressions;
}

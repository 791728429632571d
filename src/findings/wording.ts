// The few words every text about findings shares: rule headlines, reports, replies.
import type { Finding } from "../core/findings.js";

/** `table.column`, `table`, or an empty string. */
export function subjectOf(finding: Pick<Finding, "table" | "column">): string {
  if (!finding.table) return finding.column ?? "";
  return finding.column ? `${finding.table}.${finding.column}` : finding.table;
}

export function code(text: string): string {
  return text.includes("`") ? `\`\` ${text} \`\`` : `\`${text}\``;
}

export function whereOf(finding: Finding): string {
  return `${finding.loc.file}:${finding.loc.line}`;
}

export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}

/** "a", "a and b", "a, b and c". */
export function listOf(items: readonly string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

/** What a headline names: `table.column`, the table, else the place, as code. */
export function headlineSubject(finding: Finding): string {
  return code(subjectOf(finding) || whereOf(finding));
}

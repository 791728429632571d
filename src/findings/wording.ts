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

/** Where each rule's page lives: the app's repository (app.yml's `url`). */
const DOCS_BASE = "https://github.com/r10score/shared-schema-guard/blob/main/docs/rules/";

/** `[non-concurrent-index](…/docs/rules/non-concurrent-index.md)`. */
export function ruleDocsLink(rule: string): string {
  return `[${rule}](${DOCS_BASE}${rule}.md)`;
}

/** A GitHub suggestion block: the author applies it with one click. */
export function suggestionBlock(text: string): string {
  const fence = text.includes("```") ? "````" : "```";
  return `${fence}suggestion\n${text}\n${fence}`;
}

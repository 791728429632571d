import { isBlocking } from "../findings/finish.js";
import type { ConsumerLookup } from "../core/consumers.js";
import type { Finding } from "../core/findings.js";
import { accessOf, cell, consumerLink, howToUnblock, statusOf, suppressionLine } from "./format.js";
import { code, ruleDocsLink, subjectOf, whereOf } from "../findings/wording.js";
import { headlineOf } from "./headline.js";
import { STICKY_MARKER, type ReviewReport } from "./types.js";

/** Consumers listed under one finding; the full list is in the consumers table. */
const CONSUMERS_PER_FINDING = 10;

function findingsTable(findings: Finding[]): string[] {
  const rows = findings.map((finding) =>
    [
      statusOf(finding),
      code(finding.rule),
      subjectOf(finding) ? code(subjectOf(finding)) : "",
      code(whereOf(finding)),
      finding.needs.join(", "),
    ]
      .map(cell)
      .join(" | "),
  );
  return ["| Status | Rule | Table | Where | Needs |", "|---|---|---|---|---|", ...rows.map((row) => `| ${row} |`)];
}

function consumerLines(finding: Finding): string[] {
  if (finding.consumers.length === 0) return [];
  const shown = finding.consumers.slice(0, CONSUMERS_PER_FINDING).map((use) => `- ${consumerLink(use)} (${use.service}) ${accessOf(use)}`);
  const rest = finding.consumers.length - shown.length;
  return ["", "**Used by**", "", ...shown, ...(rest > 0 ? [`- … and ${rest} more, listed under *Consumers found*`] : [])];
}

function outcomeLine(finding: Finding): string {
  const suppression = suppressionLine(finding);
  if (finding.suppressed) return `> 🔕 ${suppression ?? "Suppressed"}`;
  const noted = suppression === undefined ? [] : [`🔕 ${suppression}`];
  if (finding.acknowledged) return [...noted, `✅ Acknowledged by ${finding.needs.join(", ")}.`].map((line) => `> ${line}`).join("\n>\n");
  if (isBlocking(finding)) return [...noted, howToUnblock(finding)].map((line) => `> ${line}`).join("\n>\n");
  return noted.map((line) => `> ${line}`).join("");
}

function findingDetails(finding: Finding): string[] {
  const subject = subjectOf(finding);
  const heading = [statusOf(finding), code(finding.rule), ...(subject ? [code(subject)] : []), code(whereOf(finding))].join(" · ");
  const outcome = outcomeLine(finding);
  const recipe = finding.recipe ? ["", "<details><summary>Safe recipe</summary>", "", finding.recipe, "", "</details>"] : [];
  const docs = ["", `Rule: ${ruleDocsLink(finding.rule)}`];
  return ["", `#### ${heading}`, "", finding.message, ...recipe, ...consumerLines(finding), ...(outcome ? ["", outcome] : []), ...docs];
}

function consumersSection(consumers: ConsumerLookup): string[] {
  const lines: string[] = [];
  if (consumers.uses.length > 0) {
    lines.push("", "### Consumers found", "", "| Service | Where | Table | Use |", "|---|---|---|---|");
    for (const use of consumers.uses) {
      lines.push(`| ${[use.service, consumerLink(use), code(subjectOf(use)), use.access].map(cell).join(" | ")} |`);
    }
  }
  if (consumers.failures.length > 0) {
    lines.push("", "### Consumer search incomplete", "");
    for (const failure of consumers.failures) {
      const scope = failure.table ? ` for ${code(failure.table)}` : "";
      lines.push(`- ${failure.service} (${failure.repo})${scope}: ${failure.reason}`);
    }
  }
  return lines;
}

function footer(review: ReviewReport): string {
  const parts = ["shared-schema-guard", `service ${review.service}`];
  if (review.headSha) parts.push(`commit ${review.headSha.slice(0, 7)}`);
  return `<sub>${parts.join(" · ")} · suppress one statement with \`shared-schema: ignore <rule-id> <reason>\` on the line above it · \`/ownership help\` lists the commands</sub>`;
}

/** The summary a reviewer reads: the verdict first, then the findings, their consumers, and notes. */
export function renderSummaryMarkdown(review: ReviewReport): string {
  const lines = [headlineOf(review)];
  if (review.findings.length > 0) {
    lines.push("", ...findingsTable(review.findings), "", "### What to do");
    for (const finding of review.findings) lines.push(...findingDetails(finding));
  }
  lines.push(...consumersSection(review.consumers));
  if (review.notes.length > 0) lines.push("", "### Notes", "", ...review.notes.map((note) => `- ${note}`));
  lines.push("", footer(review));
  return lines.join("\n");
}

/** GitHub rejects comment bodies and check run summaries above 65,535 characters. */
export const GITHUB_TEXT_LIMIT = 65_535;

/** Cuts Markdown at a line boundary to fit `limit`, saying so, so a long report never fails to post. */
export function truncateMarkdown(markdown: string, limit = GITHUB_TEXT_LIMIT): string {
  if (markdown.length <= limit) return markdown;
  const note =
    "\n\n---\n**Truncated**: this report is longer than GitHub accepts, so it stops here. " +
    "Every finding is still annotated on its line in the `shared-schema` check run, and `shared-schema-guard review` prints them all.";
  const room = limit - note.length;
  const cut = markdown.lastIndexOf("\n", room);
  return `${markdown.slice(0, cut > 0 ? cut : room)}${note}`;
}

/** The one comment the app keeps on a pull request, edited in place; the marker finds it again. */
export function renderStickyComment(review: ReviewReport): string {
  return truncateMarkdown(`${STICKY_MARKER}\n${renderSummaryMarkdown(review)}`);
}

import { isBlocking } from "../findings/finish.js";
import type { Finding } from "../core/findings.js";
import { accessOf, consumerLink, howToUnblock, statusOf, suppressionLine } from "./format.js";
import { code, ruleDocsLink, subjectOf, suggestionBlock } from "../findings/wording.js";

const CONSUMERS_INLINE = 5;

/**
 * The text of one review comment on the offending line. With `suggest`, the comment spans the
 * finding's suggestion lines and offers the rewrite as a one-click GitHub suggestion.
 */
export function renderInlineComment(finding: Finding, options: { suggest?: boolean } = {}): string {
  const subject = subjectOf(finding);
  const lines = [`${statusOf(finding)} · **${ruleDocsLink(finding.rule)}**${subject ? ` · ${code(subject)}` : ""}`, "", finding.message];
  if (options.suggest && finding.suggestion) lines.push("", suggestionBlock(finding.suggestion.text));
  if (finding.recipe) lines.push("", "**Safe recipe**", "", finding.recipe);
  if (finding.consumers.length > 0) {
    lines.push("", "**Used by**");
    for (const use of finding.consumers.slice(0, CONSUMERS_INLINE)) lines.push(`- ${consumerLink(use)} (${use.service}) ${accessOf(use)}`);
    const rest = finding.consumers.length - CONSUMERS_INLINE;
    if (rest > 0) lines.push(`- … and ${rest} more in the summary comment`);
  }
  const suppression = suppressionLine(finding);
  if (suppression !== undefined) lines.push("", suppression);
  if (finding.suppressed) return lines.join("\n");
  if (finding.acknowledged) lines.push("", `Acknowledged by ${finding.needs.join(", ")}.`);
  else if (isBlocking(finding)) lines.push("", howToUnblock(finding));
  return lines.join("\n");
}

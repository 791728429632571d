// The first thing a reviewer reads: does it block, and why.
import { isBlocking } from "../findings/finish.js";
import type { Finding } from "../core/findings.js";
import { headlineSubject, listOf, plural } from "../findings/wording.js";
import { ruleById } from "../rules/index.js";
import type { ReviewReport } from "./types.js";

/** Why one blocking finding blocks, in a few words: the rule's own wording, else its id and subject. */
export function reasonOf(finding: Finding): string {
  return ruleById(finding.rule)?.headline?.reason(finding) ?? `${finding.rule} on ${headlineSubject(finding)}`;
}

function countOf(blocking: Finding[]): string {
  const rules = new Set(blocking.map((finding) => finding.rule));
  const [only] = rules;
  const nouns = rules.size === 1 && only ? ruleById(only)?.headline?.blocking : undefined;
  const [singular, pluralForm] = nouns ?? ["blocking finding", "blocking findings"];
  return plural(blocking.length, singular, pluralForm);
}

function passedDetail(findings: Finding[]): string {
  const count = (predicate: (finding: Finding) => boolean) => findings.filter(predicate).length;
  const parts = [
    [count((finding) => finding.acknowledged), "acknowledged", "acknowledged"],
    [count((finding) => finding.suppressed), "suppressed", "suppressed"],
    [count((finding) => finding.severity === "warning" && !finding.suppressed), "warning", "warnings"],
    [count((finding) => finding.severity === "notice" && !finding.suppressed), "notice", "notices"],
  ] as const;
  const shown = parts.filter(([n]) => n > 0).map(([n, singular, pluralForm]) => plural(n, singular, pluralForm));
  return shown.length === 0 ? "" : ` (${listOf(shown)})`;
}

/** One line: **Blocked**, **Passed** or **Not checked**, and why. */
export function headlineOf(review: ReviewReport): string {
  const blockingNow = review.findings.filter(isBlocking);
  if (review.advisory && blockingNow.length > 0) {
    const [first] = blockingNow;
    const more = blockingNow.length > 1 ? ` (and ${blockingNow.length - 1} more)` : "";
    return `**Advisory**: would block, but \`mode: advisory\` fails nothing: ${countOf(blockingNow)} — ${first ? reasonOf(first) : ""}${more}.`;
  }
  if (review.conclusion === "neutral") {
    return `**Not checked**: ${review.notes[0] ?? "no shared-schema configuration applies to this repository."}`;
  }
  const blocking = review.findings.filter(isBlocking);
  if (review.conclusion === "failure" && blocking.length > 0) {
    const [first] = blocking;
    const more = blocking.length > 1 ? ` (and ${blocking.length - 1} more)` : "";
    return `**Blocked**: ${countOf(blocking)} — ${first ? reasonOf(first) : ""}${more}.`;
  }
  if (review.conclusion === "failure") return `**Blocked**: ${review.notes[0] ?? "the review could not complete."}`;
  const off = review.notChecked ?? [];
  if (off.length > 0) {
    const rules = listOf(off.map((rule) => `\`${rule}\``));
    return `**Passed**: nothing blocks in what was checked${passedDetail(review.findings)}; not checked: ${rules}, turned off in the configuration.`;
  }
  if (review.findings.length === 0) return "**Passed**: nothing in this pull request affects another service's tables.";
  return `**Passed**: nothing blocks${passedDetail(review.findings)}.`;
}

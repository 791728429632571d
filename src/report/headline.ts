// The first thing a reviewer reads: does it block, and why.
import { isBlocking } from "../rules/finish.js";
import type { Finding } from "../rules/types.js";
import { code, listOf, plural, subjectOf, whereOf } from "./format.js";
import type { ReviewReport } from "./types.js";

/** Why one blocking finding blocks, in a few words. */
export function reasonOf(finding: Finding): string {
  const subject = code(subjectOf(finding) || whereOf(finding));
  switch (finding.rule) {
    case "breaking-change": {
      if (finding.consumers.length === 0) return `consumers of ${subject} could not all be searched`;
      const services = [...new Set(finding.consumers.map((use) => use.service))].sort();
      const accesses = new Set(finding.consumers.map((use) => use.access));
      const verb = accesses.size > 1 ? "used" : accesses.has("write") ? "written" : "read";
      return `${subject} is ${verb} by ${listOf(services)}`;
    }
    case "foreign-schema-change":
      return `${code(finding.table ?? whereOf(finding))} belongs to ${listOf(finding.needs)}`;
    case "cross-service-foreign-key":
      return `${subject} gets a foreign key to a table of ${listOf(finding.needs)}`;
    case "foreign-write":
      return `${finding.service} writes ${subject}, which ${listOf(finding.needs)} owns`;
    case "table-prefix":
      return `${subject} lacks the table prefix`;
    case "unparsed-sql":
      return `${code(whereOf(finding))} could not be analysed`;
    default:
      return `${finding.rule} on ${subject}`;
  }
}

const blockingNouns: Partial<Record<Finding["rule"], [string, string]>> = {
  "breaking-change": ["change breaks other services", "changes break other services"],
  "foreign-schema-change": ["change to another service's table", "changes to other services' tables"],
  "cross-service-foreign-key": ["foreign key across services", "foreign keys across services"],
  "foreign-write": ["write to a table of another service", "writes to tables of other services"],
  "table-prefix": ["table lacks the prefix", "tables lack the prefix"],
  "unparsed-sql": ["statement could not be analysed", "statements could not be analysed"],
};

function countOf(blocking: Finding[]): string {
  const rules = new Set(blocking.map((finding) => finding.rule));
  const [only] = rules;
  const nouns = rules.size === 1 && only ? blockingNouns[only] : undefined;
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
  if (review.findings.length === 0) return "**Passed**: nothing in this pull request affects another service's tables.";
  return `**Passed**: nothing blocks${passedDetail(review.findings)}.`;
}

import { isBlocking } from "../findings/finish.js";
import type { Finding } from "../core/findings.js";
import { consumerName, suppressionLine } from "./format.js";
import { plural, subjectOf } from "../findings/wording.js";
import { renderSummaryMarkdown, truncateMarkdown } from "./markdown.js";
import type { ReviewReport } from "./types.js";

export interface CheckAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  annotation_level: "failure" | "warning" | "notice";
  title: string;
  message: string;
}

export interface CheckRunOutput {
  title: string;
  summary: string;
  text?: string;
  /** Every annotation; GitHub takes 50 per request, so the poster batches them. */
  annotations: CheckAnnotation[];
}

/** Keeps each annotation well within GitHub's 64 KB message limit. */
const CONSUMERS_PER_ANNOTATION = 20;

function titleOf(review: ReviewReport): string {
  const blocking = review.findings.filter(isBlocking).length;
  if (review.advisory && blocking > 0) return `Advisory: ${plural(blocking, "finding")} would block`;
  if (review.conclusion === "neutral") return "Not checked";
  if (blocking > 0) return `Blocked: ${plural(blocking, "blocking finding")}`;
  if (review.conclusion === "failure") return "Blocked: the review failed";
  if (review.findings.length === 0) return "No findings";
  return `Passed: ${plural(review.findings.length, "finding")}, none blocking`;
}

function levelOf(finding: Finding): CheckAnnotation["annotation_level"] {
  if (finding.suppressed) return "notice";
  if (finding.acknowledged) return "warning";
  return finding.severity === "error" ? "failure" : finding.severity;
}

function annotationOf(finding: Finding): CheckAnnotation {
  const subject = subjectOf(finding);
  const state = finding.suppressed ? " (suppressed)" : finding.acknowledged ? " (acknowledged)" : "";
  const consumers = finding.consumers.slice(0, CONSUMERS_PER_ANNOTATION).map((use) => `- ${consumerName(use)} (${use.service}, ${use.access})`);
  const more = finding.consumers.length - consumers.length;
  if (more > 0) consumers.push(`- … and ${more} more in the summary`);
  const suppression = suppressionLine(finding);
  return {
    path: finding.loc.file,
    // GitHub rejects line 0; a file-level problem goes on the first line.
    start_line: Math.max(1, finding.loc.line),
    end_line: Math.max(1, finding.loc.line),
    annotation_level: levelOf(finding),
    title: `${finding.rule}${subject ? `: ${subject}` : ""}${state}`.slice(0, 255),
    message: [finding.message, ...(consumers.length > 0 ? ["", "Used by:", ...consumers] : []), ...(suppression === undefined ? [] : [suppression])].join("\n"),
  };
}

/** The check run's output: a title, the summary (within GitHub's limit) and one annotation per finding. */
export function renderCheckRunOutput(review: ReviewReport): CheckRunOutput {
  return {
    title: titleOf(review),
    summary: truncateMarkdown(renderSummaryMarkdown(review)),
    annotations: review.findings.map(annotationOf),
  };
}

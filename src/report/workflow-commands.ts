// `--format github`: workflow commands, one annotation per finding, which GitHub Actions shows
// on the lines of the pull request's diff and in the run's summary.
// https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-commands
import type { Finding } from "../core/findings.js";
import { subjectOf } from "../findings/wording.js";
import { consumerName } from "./format.js";
import { headlineOf } from "./headline.js";
import type { ReviewReport } from "./types.js";

/** A command's message: `%`, carriage returns and line feeds are escaped. */
export function escapeData(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

/** A command's property value: the message's escapes, and `:` and `,`, which end a property. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

function commandOf(finding: Finding): "error" | "warning" | "notice" {
  // A suppressed or acknowledged finding is shown, but no longer as the error it was.
  if (finding.suppressed || finding.acknowledged) return "notice";
  return finding.severity;
}

function annotationOf(finding: Finding): string {
  const subject = subjectOf(finding);
  const state = finding.suppressed ? " (suppressed)" : finding.acknowledged ? " (acknowledged)" : "";
  const properties = {
    file: finding.loc.file,
    line: String(Math.max(1, finding.loc.line)),
    title: `${finding.rule}${subject ? `: ${subject}` : ""}${state}`,
  };
  const consumers = finding.consumers.map((use) => `- ${consumerName(use)} (${use.service}, ${use.access})`);
  const message = [finding.message, ...(consumers.length > 0 ? ["", "Used by:", ...consumers] : [])].join("\n");
  const list = Object.entries(properties)
    .map(([key, value]) => `${key}=${escapeProperty(value)}`)
    .join(",");
  return `::${commandOf(finding)} ${list}::${escapeData(message)}`;
}

/** One annotation per finding, then the verdict as a plain line. */
export function renderWorkflowCommands(review: ReviewReport): string {
  return [...review.findings.map(annotationOf), headlineOf(review).replace(/\*\*/g, "")].join("\n") + "\n";
}

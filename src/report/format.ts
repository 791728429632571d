// Small pieces of wording shared by every rendering.
import type { ConsumerUse } from "../core/consumers.js";
import type { Severity } from "../core/config.js";
import type { Finding } from "../core/findings.js";
import { code, listOf } from "../findings/wording.js";

const severityIcons: Record<Severity, string> = { error: "❌", warning: "⚠️", notice: "ℹ️" };

/** "❌ error", "🔕 error, suppressed", "✅ error, acknowledged". */
export function statusOf(finding: Finding): string {
  if (finding.suppressed) return `🔕 ${finding.severity}, suppressed`;
  if (finding.acknowledged) return `✅ ${finding.severity}, acknowledged`;
  return `${severityIcons[finding.severity]} ${finding.severity}`;
}

/** `owner/repo:path:line`, the way consumers are named everywhere. */
export function consumerName(use: ConsumerUse): string {
  return `${use.repo}:${use.path}:${use.line}`;
}

export function consumerLink(use: ConsumerUse): string {
  return use.url ? `[${consumerName(use)}](${use.url})` : code(consumerName(use));
}

/** "reads `kickoff`", "writes", for one consumer use. */
export function accessOf(use: ConsumerUse): string {
  const verb = use.access === "read" ? "reads" : "writes";
  if (use.omits) {
    const how = use.allColumns ? "inserts without a column list, so it may break at run time" : `inserts rows without ${code(use.omits)}`;
    return how;
  }
  if (use.allColumns) return `${verb} every column (\`*\` or no column list): it may break at run time`;
  return use.column ? `${verb} ${code(use.column)}` : `${verb} the table`;
}

/** Markdown table cells cannot hold pipes or line breaks. */
export function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

/** The comment syntax of a suppression in the finding's file: its language's own line comment. */
export function suppressionHint(finding: Finding): string {
  const file = finding.loc.file;
  const marker = file.endsWith(".py") ? "#" : file.endsWith(".go") ? "//" : "--";
  return `${marker} shared-schema: ignore ${finding.rule} <reason>`;
}

/**
 * What became of a suppression comment on the finding: applied, or noted but unable to replace
 * the consent of the services the finding needs. Undefined when none matched.
 */
export function suppressionLine(finding: Finding): string | undefined {
  const reason = finding.suppressionReason;
  if (reason === undefined) return undefined;
  if (finding.suppressed) return `Suppressed: ${reason}`;
  const consent = finding.acknowledged
    ? "their consent has been given"
    : `it still needs ${code(`/ownership ack ${finding.table ?? "<table>"} <reason>`)} from ${listOf(finding.needs)}`;
  return `Suppression noted (${reason}), but a suppression cannot replace the consent of ${listOf(finding.needs)}: ${consent}.`;
}

/** What unblocks a blocking finding, in one sentence. */
export function howToUnblock(finding: Finding): string {
  if (finding.needs.length > 0 && finding.table) {
    return `Needs consent from ${listOf(finding.needs.map((service) => `**${service}**`))}: fix it, or a member of ${finding.needs.length === 1 ? "that service's" : "each service's"} team comments ${code(`/ownership ack ${finding.table} <reason>`)}.`;
  }
  return `Fix it, or suppress it deliberately with ${code(suppressionHint(finding))} on the line above.`;
}

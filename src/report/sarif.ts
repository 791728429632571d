// `--format sarif`: SARIF 2.1.0, the format GitHub code scanning uploads. One result per
// finding; every rule described once, with its default level and a link to its documentation.
import type { Log, ReportingDescriptor, Result } from "sarif";
import type { Severity } from "../core/config.js";
import type { Finding } from "../core/findings.js";
import { subjectOf } from "../findings/wording.js";
import { rules } from "../rules/index.js";
import { consumerName } from "./format.js";
import type { ReviewReport } from "./types.js";

export const PRODUCT_URL = "https://github.com/r10score/shared-schema-guard";

/** A rule's page (its `docs`, a path in the product's repository) on GitHub. */
export function ruleDocsUrl(docs: string): string {
  return `${PRODUCT_URL}/blob/main/${docs}`;
}

const levelOf: Record<Severity, "error" | "warning" | "note"> = { error: "error", warning: "warning", notice: "note" };

function ruleDescriptors(): ReportingDescriptor[] {
  return rules.map((rule) => ({
    id: rule.id,
    name: rule.id,
    shortDescription: { text: rule.description },
    defaultConfiguration: { level: levelOf[rule.defaultSeverity] },
    helpUri: ruleDocsUrl(rule.docs),
  }));
}

function messageOf(finding: Finding): string {
  const consumers = finding.consumers.map((use) => `- ${consumerName(use)} (${use.service}, ${use.access})`);
  const needs = finding.needs.length > 0 ? [`Needs consent from: ${finding.needs.join(", ")}.`] : [];
  return [finding.message, ...(consumers.length > 0 ? ["", "Used by:", ...consumers] : []), ...(needs.length > 0 ? ["", ...needs] : [])].join("\n");
}

function resultOf(finding: Finding, ruleIndex: number): Result {
  const subject = subjectOf(finding);
  const suppressions: Result["suppressions"] = [];
  if (finding.suppressed) suppressions.push({ kind: "inSource", justification: finding.suppressionReason ?? "no reason given" });
  else if (finding.acknowledged) suppressions.push({ kind: "external", status: "accepted", justification: `acknowledged by ${finding.needs.join(", ")}` });
  return {
    ruleId: finding.rule,
    ...(ruleIndex >= 0 ? { ruleIndex } : {}),
    level: levelOf[finding.severity],
    message: { text: messageOf(finding) },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: finding.loc.file },
          // SARIF lines start at 1; a file-level problem goes on the first line.
          region: { startLine: Math.max(1, finding.loc.line) },
        },
      },
    ],
    partialFingerprints: { "sharedSchemaGuard/v1": finding.fingerprint },
    ...(suppressions.length > 0 ? { suppressions } : {}),
    properties: {
      service: finding.service,
      ...(subject ? { subject } : {}),
      needs: finding.needs,
      consumers: finding.consumers.map(consumerName),
    },
  };
}

export function sarifLogOf(review: ReviewReport): Log {
  const descriptors = ruleDescriptors();
  const index = new Map(descriptors.map((rule, position) => [rule.id, position]));
  return {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: { driver: { name: "shared-schema-guard", informationUri: PRODUCT_URL, rules: descriptors } },
        results: review.findings.map((finding) => resultOf(finding, index.get(finding.rule) ?? -1)),
      },
    ],
  };
}

export function renderSarif(review: ReviewReport): string {
  return `${JSON.stringify(sarifLogOf(review), null, 2)}\n`;
}

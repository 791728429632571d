import { createHash } from "node:crypto";
import type { GuardConfig, RuleId, Severity } from "../core/config.js";
import type { Acknowledgement, Finding, RuleFinding, RuleMeta, Suppression } from "../core/findings.js";

export interface FinishContext {
  config: GuardConfig;
  /** Every known rule: its default severity, and the ids a suppression may name. */
  rules: readonly Pick<RuleMeta, "id" | "defaultSeverity">[];
  suppressions: Suppression[];
  acks: Acknowledgement[];
  /** The reviewed service, named on findings about the suppressions themselves; defaults to the first finding's service, else the default owner. */
  service?: string;
}

const severityOrder: Record<Severity, number> = { error: 0, warning: 1, notice: 2 };

/** A suppression naming no rule would otherwise do nothing silently: a typo must never pass unseen. */
function unknownRuleFinding(suppression: Suppression, service: string, ruleIds: readonly RuleId[]): RuleFinding {
  return {
    rule: "unparsed-sql",
    severity: "warning",
    service,
    loc: suppression.loc,
    message:
      `Unknown rule id in suppression: \`${suppression.rule}\`. The comment suppresses nothing. ` +
      `Use one of ${ruleIds.map((id) => `\`${id}\``).join(", ")}, as in \`shared-schema: ignore <rule-id> <reason>\`.`,
    consumers: [],
    needs: [],
    key: `suppression:${suppression.rule}`,
  };
}

/** A suppression must say why: without a reason it suppresses nothing, and says so. */
function reasonlessFinding(suppression: Suppression, service: string): RuleFinding {
  return {
    rule: "unparsed-sql",
    severity: "warning",
    service,
    loc: suppression.loc,
    message:
      `Suppression without a reason: \`shared-schema: ignore ${suppression.rule}\` suppresses nothing until it says why, ` +
      `as in \`shared-schema: ignore ${suppression.rule} <reason>\`, so that reviewers can judge it.`,
    consumers: [],
    needs: [],
    key: `suppression-reason:${suppression.rule}`,
  };
}

/** Suppressions that take effect, by file and rule, for one lookup per finding. */
function suppressionIndex(suppressions: readonly Suppression[], ruleIds: readonly string[]): Map<string, Suppression[]> {
  const index = new Map<string, Suppression[]>();
  for (const suppression of suppressions) {
    if (!ruleIds.includes(suppression.rule) || suppression.reason === "") continue;
    const key = `${suppression.loc.file}\u0000${suppression.rule}`;
    index.set(key, [...(index.get(key) ?? []), suppression]);
  }
  return index;
}

function suppressionOf(finding: RuleFinding, index: ReadonlyMap<string, Suppression[]>): Suppression | undefined {
  const line = finding.loc.line;
  return index
    .get(`${finding.loc.file}\u0000${finding.rule}`)
    ?.find((candidate) => candidate.appliesToLine <= line && line <= (candidate.appliesThroughLine ?? candidate.appliesToLine));
}

/** Code-point order, like the paths' apply order: the same on every machine, whatever its locale. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareRaw(a: RuleFinding, b: RuleFinding): number {
  return compareText(a.loc.file, b.loc.file) || a.loc.line - b.loc.line || compareText(a.rule, b.rule);
}

/** Fingerprints leave out the line and the wording, so they survive edits elsewhere in the file. */
function withFingerprints(findings: readonly RuleFinding[]): [RuleFinding, string][] {
  const occurrences = new Map<string, number>();
  return findings.map((finding) => {
    const identity = [finding.rule, finding.service, finding.table ?? "", finding.column ?? "", finding.loc.file, finding.key ?? ""].join("\u0000");
    // Identical findings in one file are told apart by their order, which edits elsewhere do not change.
    const occurrence = (occurrences.get(identity) ?? 0) + 1;
    occurrences.set(identity, occurrence);
    return [finding, createHash("sha1").update(`${identity}\u0000${occurrence}`).digest("hex").slice(0, 12)];
  });
}

function isAcknowledged(finding: Omit<Finding, "acknowledged">, acks: readonly Acknowledgement[]): boolean {
  const table = finding.table;
  if (finding.severity !== "error" || finding.suppressed || table === undefined || finding.needs.length === 0) return false;
  return finding.needs.every((service) =>
    acks.some((ack) => ack.service === service && ack.table === table && ack.fingerprints.includes(finding.fingerprint)),
  );
}

function compareFinished(a: Finding, b: Finding): number {
  return severityOrder[a.severity] - severityOrder[b.severity] || compareRaw(a, b);
}

/** Applies severity overrides, suppressions, fingerprints and acknowledgements, and sorts for reading. */
export function finishFindings(raw: RuleFinding[], ctx: FinishContext): Finding[] {
  const service = ctx.service ?? raw[0]?.service ?? ctx.config.defaultOwner;
  const ruleIds = ctx.rules.map((rule) => rule.id);
  const defaultSeverity = new Map<RuleId, Severity>(ctx.rules.map((rule) => [rule.id, rule.defaultSeverity]));
  const all = [
    ...raw,
    ...ctx.suppressions
      .filter((suppression) => !ruleIds.includes(suppression.rule))
      .map((suppression) => unknownRuleFinding(suppression, service, ruleIds)),
    ...ctx.suppressions
      .filter((suppression) => ruleIds.includes(suppression.rule) && suppression.reason === "")
      .map((suppression) => reasonlessFinding(suppression, service)),
  ];
  const suppressions = suppressionIndex(ctx.suppressions, ruleIds);
  const kept = all.filter((finding) => ctx.config.rules[finding.rule] !== "off").sort(compareRaw);
  return withFingerprints(kept)
    .map(([finding, fingerprint]): Finding => {
      const { key: _key, ...rest } = finding;
      const override = ctx.config.rules[finding.rule];
      const suppression = suppressionOf(finding, suppressions);
      const finished = {
        ...rest,
        severity: override && override !== "off" ? override : (finding.severity ?? defaultSeverity.get(finding.rule) ?? "error"),
        // The author's suppression never stands in for another service's consent: it is shown, and the finding still needs the ack.
        suppressed: suppression !== undefined && finding.needs.length === 0,
        ...(suppression ? { suppressionReason: suppression.reason } : {}),
        fingerprint,
      };
      return { ...finished, acknowledged: isAcknowledged(finished, ctx.acks) };
    })
    .sort(compareFinished);
}

/** Fails when any error is neither suppressed nor acknowledged; warnings and notices never fail. */
export function conclusionOf(findings: readonly Finding[]): "success" | "failure" {
  return findings.some(isBlocking) ? "failure" : "success";
}

export function isBlocking(finding: Finding): boolean {
  return finding.severity === "error" && !finding.suppressed && !finding.acknowledged;
}

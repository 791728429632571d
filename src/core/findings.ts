// What a review reports: findings, the suppressions and acknowledgements that silence them,
// and what every rule says about itself.
import type { Location } from "./changes.js";
import type { RuleId, Severity } from "./config.js";
import type { ConsumerUse } from "./consumers.js";

export interface Finding {
  rule: RuleId;
  severity: Severity;
  /** Service whose pull request or code the finding is about. */
  service: string;
  table?: string;
  column?: string;
  loc: Location;
  /** One paragraph a reviewer can act on. */
  message: string;
  /** The safe way to make the same change, in order (Markdown: statements or operations in code blocks). */
  recipe?: string;
  /** The offending lines rewritten, offered as a GitHub suggestion where the fix is a change of those lines. */
  suggestion?: Suggestion;
  consumers: ConsumerUse[];
  /** Services whose consent (an `/ownership ack`) this finding needs before it stops blocking. */
  needs: string[];
  suppressed: boolean;
  /** The matching suppression's reason, also when it cannot take effect (the finding needs another service's consent). */
  suppressionReason?: string;
  acknowledged: boolean;
  /** Stable across runs and pushes while the finding means the same thing. */
  fingerprint: string;
}

/** Replaces lines `startLine`…`endLine` of the finding's file with `text`. */
export interface Suggestion {
  startLine: number;
  endLine: number;
  text: string;
}

/** What a rule reports; the pipeline adds severity overrides, suppressions, acks and fingerprints. */
export type RuleFinding = Omit<Finding, "suppressed" | "suppressionReason" | "acknowledged" | "fingerprint" | "severity"> & {
  severity?: Severity;
  /** What tells this finding apart from others of its rule on the same table and file, without line or wording; part of the fingerprint. */
  key?: string;
};

/** What a rule says about itself, the way ESLint rules do. */
export interface RuleMeta {
  id: RuleId;
  description: string;
  defaultSeverity: Severity;
  /** Path of the rule's page in this repository: `docs/rules/<id>.md`. */
  docs: string;
}

/** `-- shared-schema: ignore <rule> <reason>` on the line above a statement. */
export interface Suppression {
  loc: Location;
  /** Line the suppression applies to (the next non-blank line). */
  appliesToLine: number;
  /** Last line of the statement it applies to, when that statement spans lines (code). */
  appliesThroughLine?: number;
  rule: string;
  reason: string;
}

/** Consent of one service to the blocking findings on one table, recorded by `/ownership ack`. */
export interface Acknowledgement {
  service: string;
  table: string;
  /** Fingerprints of the findings present when the ack was given; later findings are not covered. */
  fingerprints: string[];
  by: string;
  reason: string;
}

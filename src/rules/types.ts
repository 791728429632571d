import type { GuardConfig, RuleId, Severity } from "../config/types.js";
import type { CodeSqlAnalysis, Location, ParsedMigration, SchemaState } from "../model/types.js";
import type { ConsumerLookup } from "../consumers/types.js";

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
  consumers: ConsumerLookup["uses"];
  /** Services whose consent (an `/ownership ack`) this finding needs before it stops blocking. */
  needs: string[];
  suppressed: boolean;
  /** The matching suppression's reason, also when it cannot take effect (the finding needs another service's consent). */
  suppressionReason?: string;
  acknowledged: boolean;
  /** Stable across runs and pushes while the finding means the same thing. */
  fingerprint: string;
}

/** `-- shared-schema: ignore <rule> <reason>` (in the file's own comment syntax) on the line above a statement. */
export interface Suppression {
  loc: Location;
  /** Line the suppression applies to (the next non-blank line). */
  appliesToLine: number;
  /** Last line of the statement it applies to, when that statement spans lines (code). */
  appliesThroughLine?: number;
  rule: string;
  reason: string;
}

/** Everything a rule may look at. Rules are pure: no I/O. */
export interface ReviewInput {
  config: GuardConfig;
  /** The service whose pull request is reviewed. */
  service: string;
  /** Migrations the pull request adds or modifies, as the head leaves them, in apply order. */
  changedMigrations: ParsedMigration[];
  /** SQL found in application code files the pull request adds or modifies. */
  changedCode: CodeSqlAnalysis[];
  /** Every service's migrations replayed at the base, and with the pull request applied. */
  baseSchema: SchemaState;
  headSchema: SchemaState;
  /** Uses by other services of what the pull request breaks. */
  consumers: ConsumerLookup;
}

export interface Rule {
  id: RuleId;
  description: string;
  defaultSeverity: Severity;
  check(input: ReviewInput): RuleFinding[];
}

/** What a rule reports; the pipeline adds severity overrides, suppressions, acks and fingerprints. */
export type RuleFinding = Omit<Finding, "suppressed" | "suppressionReason" | "acknowledged" | "fingerprint" | "severity"> & {
  severity?: Severity;
  /** What tells this finding apart from others of its rule on the same table and file, without line or wording; part of the fingerprint. */
  key?: string;
};

/** Consent of one service to the blocking findings on one table, recorded by `/ownership ack`. */
export interface Acknowledgement {
  service: string;
  table: string;
  /** Fingerprints of the findings present when the ack was given; later findings are not covered. */
  fingerprints: string[];
  by: string;
  reason: string;
}

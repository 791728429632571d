import type { CodeSqlAnalysis, ParsedMigration, SchemaState } from "../core/changes.js";
import type { GuardConfig } from "../core/config.js";
import type { ConsumerLookup, ConsumerTarget } from "../core/consumers.js";
import type { Finding, RuleFinding, RuleMeta } from "../core/findings.js";

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
  /** Uses by other services of what the rules' `consumerTargets` asked for. */
  consumers: ConsumerLookup;
}

/** How the headline names a rule's blocking findings. */
export interface RuleHeadline {
  /** "change breaks other services", "changes break other services": when only this rule blocks. */
  blocking: [singular: string, plural: string];
  /** Why one blocking finding blocks, in a few words. */
  reason(finding: Finding): string;
}

/**
 * One rule: its meta, its wording, and the check. A rule that judges other services' uses
 * names what to search for in `consumerTargets`; the pipeline searches once for every rule,
 * and `check` sees the result in `input.consumers`.
 */
export interface Rule extends RuleMeta {
  headline?: RuleHeadline;
  consumerTargets?(input: Omit<ReviewInput, "consumers">): ConsumerTarget[];
  check(input: ReviewInput): RuleFinding[];
}

import type { GuardConfig, ServiceConfig } from "../core/config.js";
import type { ConsumerFinder } from "../core/consumers.js";
import type { ParsedMigration } from "../core/changes.js";
import type { Finding } from "../core/findings.js";
import type { PullRequestChanges, WorkspaceSources } from "../core/sources.js";

/**
 * Parsed migrations keyed by the content they came from (a blob SHA for one SQL file, a digest
 * of every blob SHA for a Django history), so a second pull request on the same base parses
 * nothing again. Implementations must bound their size.
 */
export interface ParseCache {
  get(key: string): ParsedMigration[] | undefined;
  set(key: string, parsed: ParsedMigration[]): void;
}

export interface ReviewRequest {
  config: GuardConfig;
  /** The service whose pull request is reviewed. */
  service: ServiceConfig;
  changes: PullRequestChanges;
  /** Other services' repositories, read at their default branch. */
  workspace: WorkspaceSources;
  consumers: ConsumerFinder;
  /** Consent recorded in the pull request's conversation (`/ownership ack`). */
  acks: import("../core/findings.js").Acknowledgement[];
  cache?: ParseCache;
}

export interface ReviewOutcome {
  /** `neutral` only in `mode: advisory`, when something would have blocked. */
  conclusion: "success" | "failure" | "neutral";
  /** The configuration's `mode: advisory`: blocking findings are reported, nothing fails. */
  advisory?: boolean;
  findings: Finding[];
  /** Tables the pull request touches (for `/ownership`). */
  touchedTables: string[];
  /** Lines for the reader: limits hit, nothing to analyse, ... */
  notes: string[];
  /** Rules the configuration turns off, so not checked. */
  notChecked?: string[];
  consumers: import("../core/consumers.js").ConsumerLookup;
  /** True when the pull request changes no migration and no SQL-bearing code. */
  nothingToAnalyse: boolean;
}

/** The pipeline: gather → parse → model → consumers → rules. Implemented in src/pipeline/review.ts. */
export type ReviewPullRequest = (request: ReviewRequest) => Promise<ReviewOutcome>;

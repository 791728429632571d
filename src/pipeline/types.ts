import type { GuardConfig, ServiceConfig } from "../config/types.js";
import type { ConsumerFinder } from "../consumers/types.js";
import type { ParsedMigration } from "../model/types.js";
import type { Finding } from "../rules/types.js";
import type { PullRequestChanges, WorkspaceSources } from "./sources.js";

/** Parsed migration files keyed by blob SHA, so a second pull request on the same base parses nothing again. */
export interface ParseCache {
  get(sha: string): ParsedMigration | undefined;
  set(sha: string, parsed: ParsedMigration): void;
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
  acks: import("../rules/types.js").Acknowledgement[];
  cache?: ParseCache;
}

export interface ReviewOutcome {
  conclusion: "success" | "failure";
  findings: Finding[];
  /** Tables the pull request touches (for `/ownership`). */
  touchedTables: string[];
  /** Lines for the reader: limits hit, nothing to analyse, ... */
  notes: string[];
  consumers: import("../consumers/types.js").ConsumerLookup;
  /** True when the pull request changes no migration and no SQL-bearing code. */
  nothingToAnalyse: boolean;
}

/** The pipeline: gather → parse → model → consumers → rules. Implemented in src/pipeline/review.ts. */
export type ReviewPullRequest = (request: ReviewRequest) => Promise<ReviewOutcome>;

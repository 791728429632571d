// What a review run needs from the outside world, injectable so tests can substitute fakes.
import type { Octokit } from "../github/read-api.js";
import type { GuardConfig } from "../core/config.js";
import type { ConsumerFinder } from "../core/consumers.js";
import type { PullRequestChanges, WorkspaceSources } from "../core/sources.js";
import type { ParseCache, ReviewPullRequest } from "../pipeline/types.js";
import type { Acknowledgement } from "../core/findings.js";
import type { BlockingConsumers } from "./blocking-consumers.js";
import type { ConfigCache } from "./config-cache.js";

export interface PullRequestCoordinates {
  owner: string;
  repo: string;
  pullNumber: number;
  baseSha: string;
  headSha: string;
}

/** The installation a webhook came from: its client, and its id for per-installation limits. */
export interface Installation {
  octokit: Octokit;
  id: number;
}

/** The readers of one review run; they share what they fetch. */
export interface RunSources {
  changes(pr: PullRequestCoordinates): Promise<PullRequestChanges>;
  /** Other services' repositories at their default branches. */
  workspace: WorkspaceSources;
  consumers: ConsumerFinder;
  /** Consent recorded in the pull request's conversation; the `/ownership ack` command fills this seam. */
  acknowledgements(pr: PullRequestCoordinates): Promise<Acknowledgement[]>;
}

/** How a run reads: `fresh` (a re-run someone asked for) looks at the other repositories again, trusting no cached head or search. */
export interface RunOptions {
  fresh?: boolean;
}

export interface GuardDeps {
  reviewPullRequest: ReviewPullRequest;
  sources(installation: Installation, config: GuardConfig, options?: RunOptions): RunSources;
  clock(): Date;
  parseCache?: ParseCache;
  /** Configurations per installation and repository; without it every run reads the configuration. */
  configs?: ConfigCache;
  /** Open pull requests blocked by other repositories' code, which a push to that code re-runs. */
  blockers?: BlockingConsumers;
  /** Drops what is cached about a repository's default branch, after a push to it. */
  forgetRepository?(installationId: number, repo: string): void;
}

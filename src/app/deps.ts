// What a review run needs from the outside world, injectable so tests can substitute fakes.
import type { ProbotOctokit } from "probot";
import type { GuardConfig } from "../core/config.js";
import type { ConsumerFinder } from "../core/consumers.js";
import type { PullRequestChanges, WorkspaceSources } from "../core/sources.js";
import type { ParseCache, ReviewPullRequest } from "../pipeline/types.js";
import type { Acknowledgement } from "../core/findings.js";

export interface PullRequestCoordinates {
  owner: string;
  repo: string;
  pullNumber: number;
  baseSha: string;
  headSha: string;
}

/** The installation a webhook came from: its client, and its id for per-installation limits. */
export interface Installation {
  octokit: ProbotOctokit;
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

export interface GuardDeps {
  reviewPullRequest: ReviewPullRequest;
  sources(installation: Installation, config: GuardConfig): RunSources;
  clock(): Date;
  parseCache?: ParseCache;
}

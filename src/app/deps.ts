// What a review run needs from the outside world, injectable so tests can substitute fakes.
import type { ProbotOctokit } from "probot";
import type { GuardConfig } from "../config/types.js";
import type { ConsumerFinder } from "../consumers/types.js";
import type { PullRequestChanges, WorkspaceSources } from "../pipeline/sources.js";
import type { ParseCache, ReviewPullRequest } from "../pipeline/types.js";
import type { Acknowledgement } from "../rules/types.js";

export interface PullRequestCoordinates {
  owner: string;
  repo: string;
  pullNumber: number;
  baseSha: string;
  headSha: string;
}

export interface GuardDeps {
  reviewPullRequest: ReviewPullRequest;
  loadPullRequestChanges(octokit: ProbotOctokit, pr: PullRequestCoordinates): Promise<PullRequestChanges>;
  /** Other services' repositories at their default branches, through this installation. */
  workspace(octokit: ProbotOctokit): WorkspaceSources;
  consumers(octokit: ProbotOctokit, config: GuardConfig): ConsumerFinder;
  /** Consent recorded in the pull request's conversation; the `/ownership` command fills this seam. */
  acknowledgements(octokit: ProbotOctokit, pr: PullRequestCoordinates, config: GuardConfig): Promise<Acknowledgement[]>;
  clock(): Date;
  parseCache?: ParseCache;
}

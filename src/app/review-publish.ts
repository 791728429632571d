// One review of one pull request at one head SHA, as both front doors on GitHub run it (the
// app on a webhook, the Action in a workflow): the check for a missing or invalid
// configuration, then the analysis, the review, the sticky comment and the completed check.
import type { GuardConfig, ServiceConfig } from "../core/config.js";
import { serviceByRepo } from "../core/ownership.js";
import { completeCheckRun, postCompletedCheckRun, type CheckOutput, type CheckTarget } from "../github/checks.js";
import { upsertStickyComment } from "../github/comments.js";
import { postReview } from "../github/post-review.js";
import { requestTeamReviews, teamsToAsk } from "../github/team-reviews.js";
import type { Octokit } from "../github/read-api.js";
import { reviewReportOf } from "../pipeline/review-report.js";
import type { ReviewOutcome } from "../pipeline/types.js";
import { renderCheckRunOutput, renderInlineComment, renderStickyComment } from "../report/index.js";
import type { ReviewReport } from "../report/types.js";
import type { ConfigLookup } from "./config.js";
import { invalidConfigOutput, missingConfigOutput } from "./config-checks.js";
import type { GuardDeps, Installation, PullRequestCoordinates, RunOptions } from "./deps.js";
import { couldNotCompleteOutput } from "./failure.js";

export function checkTargetOf(pr: PullRequestCoordinates): CheckTarget {
  return { owner: pr.owner, repo: pr.repo, headSha: pr.headSha };
}

/**
 * The reviewed service, or undefined after posting the check a missing or invalid
 * configuration gets (and nothing for a repository that is no service of the configuration).
 */
export async function serviceOrConfigCheck(
  octokit: Octokit,
  target: CheckTarget,
  lookup: ConfigLookup,
  completedAt: Date,
): Promise<ServiceConfig | undefined> {
  switch (lookup.kind) {
    case "missing":
      await postCompletedCheckRun(octokit, target, { conclusion: "neutral", output: missingConfigOutput(target.owner), completedAt });
      return undefined;
    case "invalid":
      await postCompletedCheckRun(octokit, target, { conclusion: "failure", output: invalidConfigOutput(lookup.problems), completedAt });
      return undefined;
    case "found":
      return serviceByRepo(lookup.config, `${target.owner}/${target.repo}`);
  }
}

export interface ReviewRun {
  deps: GuardDeps;
  installation: Installation;
  pr: PullRequestCoordinates;
  config: GuardConfig;
  service: ServiceConfig;
  /** The `in_progress` check this run completes. */
  checkRunId: number;
  options: RunOptions;
  /** The Action has no `/ownership ack`: consent recorded by the app is the app's to read. */
  readAcknowledgements: boolean;
  /** False once a newer head SHA is under review: then only this SHA's check is posted. */
  isLatest(): boolean;
  /** Told what made the analysis fail, before the check says so. */
  onFailure(error: unknown): void;
}

/** What a run posted: the report, or why it could not complete (the check then says so too). */
export type PublishedReview = { kind: "reviewed"; report: ReviewReport } | { kind: "failed"; error: unknown };

/** Analyses and posts. A failed analysis is no exception: the check concludes `failure` and says why. */
export async function analyseAndPublish(run: ReviewRun): Promise<PublishedReview> {
  try {
    return { kind: "reviewed", report: await analyse(run) };
  } catch (error) {
    run.onFailure(error);
    await completeCheckRun(run.installation.octokit, checkTargetOf(run.pr), run.checkRunId, {
      conclusion: "failure",
      output: couldNotCompleteOutput(error, "reviewing the pull request"),
      completedAt: run.deps.clock(),
    });
    return { kind: "failed", error };
  }
}

async function analyse(run: ReviewRun): Promise<ReviewReport> {
  const { deps, installation, pr, config, service, checkRunId } = run;
  const { octokit } = installation;
  const sources = deps.sources(installation, config, run.options);
  const changes = await sources.changes(pr);
  const outcome = await deps.reviewPullRequest({
    config,
    service,
    changes,
    workspace: sources.workspace,
    consumers: sources.consumers,
    acks: run.readAcknowledgements ? await sources.acknowledgements(pr) : [],
    ...(deps.parseCache ? { cache: deps.parseCache } : {}),
  });
  const report = reportOf(outcome, service, pr);
  // The check first: it is what branch protection waits for; the review and comment follow.
  const output = outcome.nothingToAnalyse ? nothingToAnalyseOutput(outcome) : renderCheckRunOutput(report);
  await completeCheckRun(octokit, checkTargetOf(pr), checkRunId, { conclusion: outcome.conclusion, output, completedAt: deps.clock() });
  if (!run.isLatest()) return report;
  deps.blockers?.record({ installationId: installation.id, owner: pr.owner, repo: pr.repo, pullNumber: pr.pullNumber }, outcome.findings);
  // Should posting fail, the caller turns the completed check into a failure that says so.
  const ref = { owner: pr.owner, repo: pr.repo, number: pr.pullNumber };
  // Advisory mode requests no changes: a changes-requested review would block the merge.
  const reviewed = outcome.advisory ? [] : outcome.findings;
  await postReview(octokit, ref, { headSha: pr.headSha, findings: reviewed, files: changes.files, render: renderInlineComment });
  // Asking for review is a courtesy: a team the repository does not know must not fail the check.
  await requestTeamReviews(octokit, ref, teamsToAsk(config, reviewed)).catch((error: unknown) =>
    run.onFailure(error),
  );
  // Only a pull request with something to say gets a new comment; an existing one is kept current.
  await upsertStickyComment(octokit, ref, renderStickyComment(report), { createIfMissing: outcome.findings.length > 0 });
  return report;
}

function reportOf(outcome: ReviewOutcome, service: ServiceConfig, pr: PullRequestCoordinates): ReviewReport {
  return reviewReportOf(outcome, { service: service.name, repo: `${pr.owner}/${pr.repo}`, headSha: pr.headSha });
}

function nothingToAnalyseOutput(outcome: ReviewOutcome): CheckOutput {
  return {
    title: "No migration or SQL changed",
    summary: ["Nothing in this pull request can change the shared schema.", "", ...outcome.notes].join("\n"),
  };
}

// One review of one pull request at one head SHA: configuration and the `in_progress` check
// while the webhook waits, the analysis and everything it posts in the background.
import type { Context } from "probot";
import { serviceByRepo } from "../core/ownership.js";
import type { GuardConfig, ServiceConfig } from "../core/config.js";
import { completeCheckRun, postCompletedCheckRun, startCheckRun, type CheckOutput, type CheckTarget } from "../github/checks.js";
import { upsertStickyComment } from "../github/comments.js";
import { postReview } from "../github/post-review.js";
import type { ReviewOutcome } from "../pipeline/types.js";
import { renderCheckRunOutput, renderInlineComment, renderStickyComment } from "../report/index.js";
import type { ReviewReport } from "../report/types.js";
import { loadGuardConfig, type ConfigLookup } from "./config.js";
import { invalidConfigOutput, missingConfigOutput } from "./config-checks.js";
import type { PullRequestCoordinates, RunOptions } from "./deps.js";
import { couldNotCompleteOutput, postCouldNotComplete } from "./failure.js";
import { pullRequestKey, type Guard } from "./guard.js";

interface Analysis {
  context: Context;
  guard: Guard;
  pr: PullRequestCoordinates;
  config: GuardConfig;
  service: ServiceConfig;
  checkRunId: number;
  options: RunOptions;
}

/**
 * Never throws: whatever fails becomes a `failure` check on the head SHA (when the
 * repository may be a service) and a log line, so the webhook delivery itself succeeds.
 */
export async function startReview(context: Context, guard: Guard, pr: PullRequestCoordinates, options: RunOptions = {}): Promise<void> {
  const target: CheckTarget = { owner: pr.owner, repo: pr.repo, headSha: pr.headSha };
  const log = context.log.child({ pullRequest: pullRequestKey(pr.owner, pr.repo, pr.pullNumber), headSha: pr.headSha });
  let stage = "reading the configuration";
  try {
    const lookup = await configOf(context, guard, options);
    const service = await serviceOrConfigCheck(context, guard, target, lookup);
    if (!service || lookup.kind !== "found") return;
    stage = "creating the check run";
    const checkRunId = await startCheckRun(context.octokit, target, guard.deps.clock());
    const analysis: Analysis = { context, guard, pr, config: lookup.config, service, checkRunId, options };
    guard.work.enqueue(
      pullRequestKey(pr.owner, pr.repo, pr.pullNumber),
      () => analyseOrFail(analysis),
      (error) => log.error({ err: error }, "review run escaped its error handling"),
    );
  } catch (error) {
    log.error({ err: error }, `review could not start while ${stage}`);
    await postCouldNotComplete(context.octokit, target, error, stage, guard.deps.clock()).catch((postError: unknown) =>
      log.error({ err: postError }, "could not post the failed check"),
    );
  }
}

/** The installation's cached configuration of the repository, read again on a fresh run. */
async function configOf(context: Context, guard: Guard, options: RunOptions): Promise<ConfigLookup> {
  const cache = guard.deps.configs;
  const { owner, repo } = context.repo();
  const installationId = installationIdOf(context);
  const cached = options.fresh ? undefined : cache?.get(installationId, `${owner}/${repo}`);
  if (cached) return cached;
  const lookup = await loadGuardConfig(context);
  cache?.set(installationId, `${owner}/${repo}`, lookup);
  return lookup;
}

/** The reviewed service, or undefined after posting the check a missing or invalid configuration gets. */
async function serviceOrConfigCheck(
  context: Context,
  guard: Guard,
  target: CheckTarget,
  lookup: ConfigLookup,
): Promise<ServiceConfig | undefined> {
  const completedAt = guard.deps.clock();
  switch (lookup.kind) {
    case "missing":
      await postCompletedCheckRun(context.octokit, target, { conclusion: "neutral", output: missingConfigOutput(target.owner), completedAt });
      return undefined;
    case "invalid":
      await postCompletedCheckRun(context.octokit, target, { conclusion: "failure", output: invalidConfigOutput(lookup.problems), completedAt });
      return undefined;
    case "found":
      // A repository that is no service of the configuration is not the app's business.
      return serviceByRepo(lookup.config, `${target.owner}/${target.repo}`);
  }
}

async function analyseOrFail(analysis: Analysis): Promise<void> {
  const { context, guard, pr, checkRunId } = analysis;
  const target: CheckTarget = { owner: pr.owner, repo: pr.repo, headSha: pr.headSha };
  try {
    await analyse(analysis, target);
  } catch (error) {
    context.log.error({ err: error, headSha: pr.headSha }, "review failed");
    await completeCheckRun(context.octokit, target, checkRunId, {
      conclusion: "failure",
      output: couldNotCompleteOutput(error, "reviewing the pull request"),
      completedAt: guard.deps.clock(),
    });
  }
}

async function analyse(analysis: Analysis, target: CheckTarget): Promise<void> {
  const { context, guard, pr, config, service, checkRunId } = analysis;
  const { octokit } = context;
  const deps = guard.deps;
  const installationId = installationIdOf(context);
  const sources = deps.sources({ octokit, id: installationId }, config, analysis.options);
  const changes = await sources.changes(pr);
  const outcome = await deps.reviewPullRequest({
    config,
    service,
    changes,
    workspace: sources.workspace,
    consumers: sources.consumers,
    acks: await sources.acknowledgements(pr),
    ...(deps.parseCache ? { cache: deps.parseCache } : {}),
  });
  const report = reportOf(outcome, service, pr);
  // The check first: it is what branch protection waits for; the review and comment follow.
  const output = outcome.nothingToAnalyse ? nothingToAnalyseOutput(outcome) : renderCheckRunOutput(report);
  await completeCheckRun(octokit, target, checkRunId, { conclusion: outcome.conclusion, output, completedAt: deps.clock() });
  if (!guard.heads.isLatest(pullRequestKey(pr.owner, pr.repo, pr.pullNumber), pr.headSha)) {
    context.log.info({ headSha: pr.headSha }, "a newer head SHA is under review: posting only this SHA's check");
    return;
  }
  deps.blockers?.record({ installationId, owner: pr.owner, repo: pr.repo, pullNumber: pr.pullNumber }, outcome.findings);
  // Should posting fail, the caller turns the completed check into a failure that says so.
  const ref = { owner: pr.owner, repo: pr.repo, number: pr.pullNumber };
  await postReview(octokit, ref, { headSha: pr.headSha, findings: outcome.findings, files: changes.files, render: renderInlineComment });
  // Only a pull request with something to say gets a new comment; an existing one is kept current.
  await upsertStickyComment(octokit, ref, renderStickyComment(report), { createIfMissing: outcome.findings.length > 0 });
}

function installationIdOf(context: Context): number {
  return (context.payload as { installation?: { id: number } }).installation?.id ?? 0;
}

function reportOf(outcome: ReviewOutcome, service: ServiceConfig, pr: PullRequestCoordinates): ReviewReport {
  return {
    service: service.name,
    repo: `${pr.owner}/${pr.repo}`,
    headSha: pr.headSha,
    conclusion: outcome.conclusion,
    findings: outcome.findings,
    consumers: outcome.consumers,
    notes: outcome.notes,
  };
}

function nothingToAnalyseOutput(outcome: ReviewOutcome): CheckOutput {
  return {
    title: "No migration or SQL changed",
    summary: ["Nothing in this pull request can change the shared schema.", "", ...outcome.notes].join("\n"),
  };
}

// One review of one pull request at one head SHA: configuration and the `in_progress` check
// while the webhook waits, the analysis and everything it posts in the background.
import type { Context } from "probot";
import { startCheckRun, type CheckTarget } from "../github/checks.js";
import { loadGuardConfig, type ConfigLookup } from "./config.js";
import type { PullRequestCoordinates, RunOptions } from "./deps.js";
import { postCouldNotComplete } from "./failure.js";
import { pullRequestKey, type Guard } from "./guard.js";
import { analyseAndPublish, checkTargetOf, serviceOrConfigCheck } from "./review-publish.js";

/**
 * Never throws: whatever fails becomes a `failure` check on the head SHA (when the
 * repository may be a service) and a log line, so the webhook delivery itself succeeds.
 */
export async function startReview(context: Context, guard: Guard, pr: PullRequestCoordinates, options: RunOptions = {}): Promise<void> {
  const target: CheckTarget = checkTargetOf(pr);
  const key = pullRequestKey(pr.owner, pr.repo, pr.pullNumber);
  const log = context.log.child({ pullRequest: key, headSha: pr.headSha });
  let stage = "reading the configuration";
  try {
    const lookup = await configOf(context, guard, options);
    // A repository that is no service of the configuration is not the app's business.
    const service = await serviceOrConfigCheck(context.octokit, target, lookup, guard.deps.clock());
    if (!service || lookup.kind !== "found") return;
    stage = "creating the check run";
    const checkRunId = await startCheckRun(context.octokit, target, guard.deps.clock());
    const installation = { octokit: context.octokit, id: installationIdOf(context) };
    const isLatest = (): boolean => {
      const latest = guard.heads.isLatest(key, pr.headSha);
      if (!latest) log.info("a newer head SHA is under review: posting only this SHA's check");
      return latest;
    };
    guard.work.enqueue(
      key,
      async () => {
        await analyseAndPublish({
          deps: guard.deps,
          installation,
          pr,
          config: lookup.config,
          service,
          checkRunId,
          options,
          readAcknowledgements: true,
          isLatest,
          onFailure: (error) => log.error({ err: error }, "review failed"),
        });
      },
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

function installationIdOf(context: Context): number {
  return (context.payload as { installation?: { id: number } }).installation?.id ?? 0;
}

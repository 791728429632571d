// `push` to a participating repository's default branch: what is cached about that branch
// is dropped (its head; the configuration when a configuration file changed), and every
// open pull request whose blocking findings name code the push changed is re-run, reading
// the other repositories afresh: a consumer that fixed its code unblocks the change by itself.
import { Context } from "probot";
import type { BlockedPullRequest } from "./blocking-consumers.js";
import { pullRequestKey, type Guard } from "./guard.js";
import { startReview } from "./review-run.js";

const CONFIG_FILE_NAME = "shared-schema.yml";
/** GitHub lists at most this many commits in a push payload; a longer push may change more files. */
const LISTED_COMMITS = 20;

interface PushedCommit {
  added?: string[];
  removed?: string[];
  modified?: string[];
}

export async function onPush(context: Context<"push">, guard: Guard): Promise<void> {
  const { ref, repository, commits, deleted, installation } = context.payload;
  if (deleted || ref !== `refs/heads/${repository.default_branch}`) return;
  const installationId = installation?.id ?? 0;
  const { deps } = guard;
  deps.forgetRepository?.(installationId, repository.full_name);
  const changed = changedPaths((commits as PushedCommit[] | null | undefined) ?? []);
  if (changed === undefined || [...changed].some((path) => path.endsWith(CONFIG_FILE_NAME))) deps.configs?.forgetInstallation(installationId);
  for (const blocked of deps.blockers?.blockedBy(installationId, repository.full_name, changed) ?? []) {
    await rerun(context, guard, blocked);
  }
}

/** Every path the push's commits touch; undefined when GitHub may not have listed them all. */
function changedPaths(commits: readonly PushedCommit[]): Set<string> | undefined {
  if (commits.length >= LISTED_COMMITS) return undefined;
  return new Set(commits.flatMap((commit) => [...(commit.added ?? []), ...(commit.removed ?? []), ...(commit.modified ?? [])]));
}

/** Reviews the pull request's current head as if it had been pushed, on its own repository's context. */
async function rerun(context: Context<"push">, guard: Guard, blocked: BlockedPullRequest): Promise<void> {
  const { owner, repo, pullNumber } = blocked;
  try {
    const { data } = await context.octokit.rest.pulls.get({ owner, repo, pull_number: pullNumber });
    if (data.state !== "open") return;
    const event = { id: `${context.id}:${owner}/${repo}#${pullNumber}`, name: "pull_request", payload: { repository: data.base.repo, installation: { id: blocked.installationId } } };
    const pullRequestContext = new Context(event as unknown as ConstructorParameters<typeof Context>[0], context.octokit, context.log);
    guard.heads.record(pullRequestKey(owner, repo, pullNumber), data.head.sha);
    await startReview(pullRequestContext, guard, { owner, repo, pullNumber, baseSha: data.base.sha, headSha: data.head.sha }, { fresh: true });
  } catch (error) {
    context.log.error({ err: error, pullRequest: pullRequestKey(owner, repo, pullNumber) }, "could not re-run a pull request a push may unblock");
  }
}

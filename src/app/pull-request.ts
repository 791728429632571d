// `pull_request` opened, synchronize, reopened, ready_for_review: review the new head.
import type { Context } from "probot";
import { pullRequestKey, type Guard } from "./guard.js";
import { startReview } from "./review-run.js";

export const PULL_REQUEST_TRIGGERS = [
  "pull_request.opened",
  "pull_request.synchronize",
  "pull_request.reopened",
  "pull_request.ready_for_review",
] as const;

export async function onPullRequest(context: Context<"pull_request">, guard: Guard): Promise<void> {
  const { owner, repo } = context.repo();
  const pullRequest = context.payload.pull_request;
  // Recorded before any await, so that a slower run for an earlier push sees it is stale.
  guard.heads.record(pullRequestKey(owner, repo, pullRequest.number), pullRequest.head.sha);
  await startReview(context as Context, guard, {
    owner,
    repo,
    pullNumber: pullRequest.number,
    baseSha: pullRequest.base.sha,
    headSha: pullRequest.head.sha,
  });
}

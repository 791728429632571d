// The sticky summary comment: one per pull request, found by its marker, edited in place.
import type { Octokit } from "./read-api.js";
import { STICKY_MARKER } from "../report/types.js";
import type { PullRequestRef } from "./reviews.js";

export { STICKY_MARKER };

export interface StickyComment {
  id: number;
  body: string;
}

/** The app's summary comment, looked for across every page of the conversation. */
export async function findStickyComment(octokit: Octokit, pr: PullRequestRef): Promise<StickyComment | undefined> {
  const comments = await octokit.paginate(octokit.rest.issues.listComments, {
    owner: pr.owner,
    repo: pr.repo,
    issue_number: pr.number,
    per_page: 100,
  });
  const own = comments.find((comment) => comment.user?.type === "Bot" && (comment.body ?? "").includes(STICKY_MARKER));
  return own ? { id: own.id, body: own.body ?? "" } : undefined;
}

export function withStickyMarker(body: string): string {
  return body.includes(STICKY_MARKER) ? body : `${STICKY_MARKER}\n${body}`;
}

/**
 * Edits the existing summary comment, or posts one when `createIfMissing` (a pull request
 * with nothing to report gets no new comment). An unchanged body is not re-sent.
 */
export async function upsertStickyComment(
  octokit: Octokit,
  pr: PullRequestRef,
  body: string,
  options: { createIfMissing: boolean },
): Promise<void> {
  const marked = withStickyMarker(body);
  const existing = await findStickyComment(octokit, pr);
  if (existing) {
    if (existing.body === marked) return;
    await octokit.rest.issues.updateComment({ owner: pr.owner, repo: pr.repo, comment_id: existing.id, body: marked });
    return;
  }
  if (!options.createIfMissing) return;
  await octokit.rest.issues.createComment({ owner: pr.owner, repo: pr.repo, issue_number: pr.number, body: marked });
}

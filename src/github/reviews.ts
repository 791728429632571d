// The app's pull request reviews: found by their hidden marker and the app's bot as author.
import type { Octokit } from "./read-api.js";

const MARKER_PREFIX = "<!-- shared-schema-guard:review fingerprints=";
const MARKER_PATTERN = /<!-- shared-schema-guard:review fingerprints=([^ ]*) -->/;

export interface PullRequestRef {
  owner: string;
  repo: string;
  number: number;
}

export interface OwnReview {
  id: number;
  state: string;
  commitId?: string;
  /** Fingerprints of the blocking findings the review was about. */
  fingerprints: string[];
}

export interface ReviewComment {
  path: string;
  line: number;
  /** First line of a comment spanning several lines (a multi-line suggestion). */
  startLine?: number;
  body: string;
}

/** The hidden line that lets a later run know what this review was about. */
export function reviewMarker(fingerprints: readonly string[]): string {
  return `${MARKER_PREFIX}${[...fingerprints].sort().join(",")} -->`;
}

export function fingerprintsInMarker(body: string): string[] | undefined {
  const match = MARKER_PATTERN.exec(body);
  if (!match) return undefined;
  const list = match[1] ?? "";
  return list === "" ? [] : list.split(",");
}

/** Every review the app left on the pull request, oldest first, across all pages. */
export async function listOwnReviews(octokit: Octokit, pr: PullRequestRef): Promise<OwnReview[]> {
  const reviews = await octokit.paginate(octokit.rest.pulls.listReviews, {
    owner: pr.owner,
    repo: pr.repo,
    pull_number: pr.number,
    per_page: 100,
  });
  const own: OwnReview[] = [];
  for (const review of reviews) {
    const fingerprints = fingerprintsInMarker(review.body ?? "");
    if (fingerprints === undefined || review.user?.type !== "Bot") continue;
    own.push({
      id: review.id,
      state: review.state,
      ...(review.commit_id ? { commitId: review.commit_id } : {}),
      fingerprints,
    });
  }
  return own;
}

export async function requestChanges(
  octokit: Octokit,
  pr: PullRequestRef,
  review: { commitId: string; body: string; comments: ReviewComment[] },
): Promise<void> {
  await octokit.rest.pulls.createReview({
    owner: pr.owner,
    repo: pr.repo,
    pull_number: pr.number,
    commit_id: review.commitId,
    event: "REQUEST_CHANGES",
    body: review.body,
    comments: review.comments.map(({ startLine, ...comment }) => ({
      ...comment,
      side: "RIGHT" as const,
      ...(startLine === undefined ? {} : { start_line: startLine, start_side: "RIGHT" as const }),
    })),
  });
}

export async function dismissReview(octokit: Octokit, pr: PullRequestRef, reviewId: number, message: string): Promise<void> {
  await octokit.rest.pulls.dismissReview({
    owner: pr.owner,
    repo: pr.repo,
    pull_number: pr.number,
    review_id: reviewId,
    message,
    event: "DISMISS",
  });
}

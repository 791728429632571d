// Decides and posts the app's review: one per head SHA when the blocking findings changed,
// inline where the diff allows, the rest folded into the body; dismissed once nothing blocks.
import type { Octokit } from "./read-api.js";
import type { ChangedFile } from "../core/sources.js";
import type { Finding } from "../core/findings.js";
import {
  dismissReview,
  listOwnReviews,
  requestChanges,
  reviewMarker,
  type OwnReview,
  type PullRequestRef,
  type ReviewComment,
} from "./reviews.js";

export type ReviewPlan =
  | { kind: "request-changes"; fingerprints: string[]; inline: Finding[]; folded: Finding[] }
  | { kind: "dismiss"; reviewIds: number[] }
  | { kind: "nothing" };

export const DISMISS_MESSAGE = "shared-schema-guard: nothing blocks this pull request any more.";

/** Errors that are neither suppressed nor acknowledged: the ones that fail the check. */
export function blockingFindings(findings: readonly Finding[]): Finding[] {
  return findings.filter((finding) => finding.severity === "error" && !finding.suppressed && !finding.acknowledged);
}

export function planReview(findings: readonly Finding[], files: readonly ChangedFile[], ownReviews: readonly OwnReview[]): ReviewPlan {
  const blocking = blockingFindings(findings);
  if (blocking.length === 0) {
    const reviewIds = ownReviews.filter((review) => review.state === "CHANGES_REQUESTED").map((review) => review.id);
    return reviewIds.length === 0 ? { kind: "nothing" } : { kind: "dismiss", reviewIds };
  }
  const fingerprints = [...new Set(blocking.map((finding) => finding.fingerprint))].sort();
  const latest = ownReviews.at(-1);
  if (latest?.state === "CHANGES_REQUESTED" && sameSet(latest.fingerprints, fingerprints)) return { kind: "nothing" };
  const diffLinesByPath = new Map(files.map((file) => [file.path, file.diffLines]));
  const inline: Finding[] = [];
  const folded: Finding[] = [];
  for (const finding of blocking) {
    const onDiff = diffLinesByPath.get(finding.loc.file)?.has(finding.loc.line) ?? false;
    (onDiff ? inline : folded).push(finding);
  }
  return { kind: "request-changes", fingerprints, inline, folded };
}

/** Renders one finding for a review; the report module decides the words. `suggest`: the comment spans the suggestion's lines. */
export type FindingRenderer = (finding: Finding, options?: { suggest?: boolean }) => string;

/** A suggestion is offered only where every line it replaces is in the diff, as GitHub requires. */
function suggestable(finding: Finding, diffLines: ReadonlySet<number> | undefined): boolean {
  const suggestion = finding.suggestion;
  if (!suggestion || !diffLines || suggestion.startLine !== finding.loc.line) return false;
  for (let line = suggestion.startLine; line <= suggestion.endLine; line += 1) if (!diffLines.has(line)) return false;
  return true;
}

export function reviewBody(plan: Extract<ReviewPlan, { kind: "request-changes" }>, render: FindingRenderer): string {
  const count = plan.fingerprints.length;
  const lines = [
    `**shared-schema-guard** requests changes: ${count} blocking finding${count === 1 ? "" : "s"}.`,
  ];
  if (plan.folded.length > 0) {
    lines.push("", "Findings on lines outside the diff:");
    for (const finding of plan.folded) lines.push("", `**\`${finding.loc.file}:${finding.loc.line}\`**`, "", render(finding));
  }
  lines.push("", reviewMarker(plan.fingerprints));
  return lines.join("\n");
}

/** Reads the app's earlier reviews, then posts or dismisses as the plan says. */
export async function postReview(
  octokit: Octokit,
  pr: PullRequestRef,
  review: { headSha: string; findings: readonly Finding[]; files: readonly ChangedFile[]; render: FindingRenderer },
): Promise<ReviewPlan> {
  const plan = planReview(review.findings, review.files, await listOwnReviews(octokit, pr));
  if (plan.kind === "request-changes") {
    const diffLines = new Map(review.files.map((file) => [file.path, file.diffLines]));
    const comments: ReviewComment[] = plan.inline.map((finding) => {
      const suggest = suggestable(finding, diffLines.get(finding.loc.file));
      const end = suggest && finding.suggestion ? finding.suggestion.endLine : finding.loc.line;
      return {
        path: finding.loc.file,
        line: end,
        ...(end !== finding.loc.line ? { startLine: finding.loc.line } : {}),
        body: review.render(finding, { suggest }),
      };
    });
    await requestChanges(octokit, pr, { commitId: review.headSha, body: reviewBody(plan, review.render), comments });
  } else if (plan.kind === "dismiss") {
    for (const reviewId of plan.reviewIds) await dismissReview(octokit, pr, reviewId, DISMISS_MESSAGE);
  }
  return plan;
}

function sameSet(left: readonly string[], right: readonly string[]): boolean {
  const set = new Set(left);
  return set.size === new Set(right).size && right.every((item) => set.has(item));
}

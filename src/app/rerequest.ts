// `check_run` / `check_suite` rerequested: review the commit again for each open pull request it heads.
import type { Context } from "probot";
import { CHECK_NAME, postCompletedCheckRun, type CheckOutput } from "../github/checks.js";
import { postCouldNotComplete } from "./failure.js";
import { pullRequestKey, type Guard } from "./guard.js";
import { startReview } from "./review-run.js";

/** What the check payloads and `GET /commits/{sha}/pulls` both say about a pull request. */
interface HeadedPullRequest {
  number: number;
  head: { sha: string };
  base: { sha: string; repo: { id: number } };
}

export async function onCheckRunRerequested(context: Context<"check_run.rerequested">, guard: Guard): Promise<void> {
  const checkRun = context.payload.check_run;
  if (checkRun.name !== CHECK_NAME) return;
  await reviewCommit(context as Context, guard, checkRun.head_sha, checkRun.pull_requests);
}

export async function onCheckSuiteRerequested(context: Context<"check_suite.rerequested">, guard: Guard): Promise<void> {
  const suite = context.payload.check_suite;
  await reviewCommit(context as Context, guard, suite.head_sha, suite.pull_requests);
}

/** Reviews `headSha` again, reading the other repositories afresh, for each open pull request it heads (listed, else asked of GitHub). */
export async function reviewCommit(
  context: Context,
  guard: Guard,
  headSha: string,
  listed: readonly HeadedPullRequest[] | null | undefined,
): Promise<void> {
  const { owner, repo } = context.repo();
  let pullRequests: HeadedPullRequest[];
  try {
    // Pull requests from forks, and those whose head moved on, are missing from the payload.
    pullRequests = listed && listed.length > 0 ? [...listed] : await openPullRequestsOf(context, headSha);
  } catch (error) {
    context.log.error({ err: error, headSha }, "could not list the pull requests of a re-requested commit");
    await postCouldNotComplete(context.octokit, { owner, repo, headSha }, error, "finding the commit's pull requests", guard.deps.clock()).catch(
      (postError: unknown) => context.log.error({ err: postError }, "could not post the failed check"),
    );
    return;
  }
  const repositoryId = (context.payload as { repository?: { id: number } }).repository?.id;
  const own = pullRequests.filter((pullRequest) => repositoryId === undefined || pullRequest.base.repo.id === repositoryId);
  if (own.length === 0) {
    await postCompletedCheckRun(context.octokit, { owner, repo, headSha }, { conclusion: "neutral", output: noPullRequestOutput(headSha), completedAt: guard.deps.clock() });
    return;
  }
  for (const pullRequest of own) {
    guard.heads.record(pullRequestKey(owner, repo, pullRequest.number), pullRequest.head.sha);
    await startReview(context, guard, { owner, repo, pullNumber: pullRequest.number, baseSha: pullRequest.base.sha, headSha }, { fresh: true });
  }
}

function noPullRequestOutput(headSha: string): CheckOutput {
  return {
    title: "No open pull request to review",
    summary: `Commit \`${headSha.slice(0, 7)}\` heads no open pull request of this repository (it was closed, merged or pushed over), so there is nothing to review. Push to an open pull request, or reopen it, to run the check again.`,
  };
}

async function openPullRequestsOf(context: Context, headSha: string): Promise<HeadedPullRequest[]> {
  const { data } = await context.octokit.rest.repos.listPullRequestsAssociatedWithCommit(context.repo({ commit_sha: headSha }));
  return data.filter((pullRequest) => pullRequest.state === "open");
}

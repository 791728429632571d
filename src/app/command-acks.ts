// Acknowledgements as the pull request's conversation holds them: read on every run from the
// app's own confirmation replies, so a restart or a second instance loses nothing.
import type { Octokit } from "../github/read-api.js";
import { acknowledgementsInConversation, mayConfirmAck } from "../commands/ack-record.js";
import type { Acknowledgement } from "../core/findings.js";
import type { PullRequestCoordinates } from "./deps.js";

/** The app's own login (`<slug>[bot]`), asked of GitHub once per process. */
export class AppLogin {
  #login: Promise<string> | undefined;

  get(octokit: Octokit): Promise<string> {
    if (this.#login) return this.#login;
    // `GET /app` is authenticated as the app itself: the installation client signs it with the app's key.
    const pending = octokit.rest.apps.getAuthenticated().then(({ data }) => `${data?.slug ?? ""}[bot]`);
    this.#login = pending;
    // A failed look-up is asked again next time rather than remembered.
    pending.catch(() => {
      if (this.#login === pending) this.#login = undefined;
    });
    return pending;
  }
}

export async function acknowledgementsOfPullRequest(
  octokit: Octokit,
  pr: Pick<PullRequestCoordinates, "owner" | "repo" | "pullNumber">,
  appLogin: AppLogin,
): Promise<Acknowledgement[]> {
  const comments = await octokit.paginate(octokit.rest.issues.listComments, {
    owner: pr.owner,
    repo: pr.repo,
    issue_number: pr.pullNumber,
    per_page: 100,
  });
  const candidates = comments.filter(mayConfirmAck);
  // Who the app is matters only when some bot's comment looks like a confirmation.
  if (candidates.length === 0) return [];
  return acknowledgementsInConversation(candidates, await appLogin.get(octokit));
}

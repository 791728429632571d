// A pull request reviewed on GitHub with a token: what the Action and `review --github-token`
// run. The same readers and the same posting as the app: the `shared-schema` check run, the
// review and the sticky comment, with other services' repositories read through the API.
import { formatConfigProblem } from "../config/problems.js";
import { loadGuardConfigFrom } from "../app/config.js";
import type { PullRequestCoordinates } from "../app/deps.js";
import { productionDeps } from "../app/production-deps.js";
import { analyseAndPublish, checkTargetOf, serviceOrConfigCheck } from "../app/review-publish.js";
import { CONFIG_PATH } from "../config/paths.js";
import { startCheckRun } from "../github/checks.js";
import { splitRepo } from "../github/read-api.js";
import type { ReviewReport } from "../report/types.js";
import type { TokenClient } from "./client.js";

export type GitHubReviewResult =
  | { kind: "reviewed"; report: ReviewReport }
  /** The check concluded `neutral`: nothing to review with. */
  | { kind: "no-configuration"; explanation: string }
  /** The check concluded `failure` with these problems. */
  | { kind: "invalid-configuration"; problems: string[] }
  | { kind: "not-a-service"; explanation: string }
  | { kind: "failed"; error: unknown };

export async function reviewOnGitHub(client: TokenClient, repo: string, pullNumber: number): Promise<GitHubReviewResult> {
  const { owner, name } = splitRepo(repo);
  const { data: pull } = await client.rest.pulls.get({ owner, repo: name, pull_number: pullNumber });
  const pr: PullRequestCoordinates = { owner, repo: name, pullNumber, baseSha: pull.base.sha, headSha: pull.head.sha };
  const deps = productionDeps();
  const lookup = await loadGuardConfigFrom({ octokit: client, owner, repo: name });
  const service = await serviceOrConfigCheck(client, checkTargetOf(pr), lookup, deps.clock());
  if (lookup.kind === "missing") {
    return { kind: "no-configuration", explanation: `no ${CONFIG_PATH} in ${repo} nor in ${owner}/.github: nothing was checked` };
  }
  if (lookup.kind === "invalid") return { kind: "invalid-configuration", problems: lookup.problems.map(formatConfigProblem) };
  if (!service) return { kind: "not-a-service", explanation: `no service of the configuration has the repository ${repo}` };
  const checkRunId = await startCheckRun(client, checkTargetOf(pr), deps.clock());
  return analyseAndPublish({
    deps,
    installation: { octokit: client, id: 0 },
    pr,
    config: lookup.config,
    service,
    checkRunId,
    options: {},
    readAcknowledgements: false,
    // One run per invocation: nothing newer can be under review in this process.
    isLatest: () => true,
    onFailure: () => undefined,
  });
}

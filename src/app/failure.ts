// Turning what went wrong into the words of a `could not complete` check.
import type { Octokit } from "../github/read-api.js";
import { postCompletedCheckRun, type CheckOutput, type CheckTarget } from "../github/checks.js";

interface RequestErrorShape {
  status: number;
  request: { method: string; url: string };
  response?: unknown;
  message?: string;
}

function isRequestError(error: unknown): error is RequestErrorShape {
  const candidate = error as Partial<RequestErrorShape> | null;
  return typeof candidate?.status === "number" && typeof candidate.request?.url === "string";
}

/** One line: which request GitHub refused, or the error's own message. */
export function failureReason(error: unknown): string {
  if (isRequestError(error)) {
    const path = new URL(error.request.url, "https://api.github.com").pathname;
    // Octokit reports a request that got no answer at all (timeout, reset) as a 500 without a response.
    if (error.response === undefined && error.message) return `no answer from GitHub to ${error.request.method} ${path}: ${error.message}`;
    return `GitHub answered ${error.status} to ${error.request.method} ${path}`;
  }
  const message = error instanceof Error ? error.message : String(error);
  return message.split("\n")[0] ?? message;
}

/** A required check must not pass on an error: the app concludes `failure` and says why. */
export function couldNotCompleteOutput(error: unknown, stage: string): CheckOutput {
  const reason = failureReason(error);
  return {
    title: `could not complete: ${reason}`.slice(0, 255),
    summary: [
      `shared-schema-guard could not complete its review while ${stage}: ${reason}.`,
      "",
      "Nothing was judged safe. Re-run this check once the cause is fixed.",
    ].join("\n"),
  };
}

export async function postCouldNotComplete(
  octokit: Octokit,
  target: CheckTarget,
  error: unknown,
  stage: string,
  completedAt: Date,
): Promise<void> {
  await postCompletedCheckRun(octokit, target, { conclusion: "failure", output: couldNotCompleteOutput(error, stage), completedAt });
}

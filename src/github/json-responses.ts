// GitHub answers its REST API in JSON. Octokit hands back the raw text of a JSON response it
// could not parse (a truncated or garbled body), which a reader would then walk as if it were
// data: a string's characters as a list of files. This plugin makes such a response a failure.
import type { ProbotOctokit } from "probot";

type OctokitPlugin = Parameters<typeof ProbotOctokit.plugin>[0];

/** A response that says JSON and is not. */
export class InvalidJsonResponseError extends Error {
  override name = "InvalidJsonResponseError";
}

export const strictJsonResponses: OctokitPlugin = (octokit) => {
  octokit.hook.after("request", (response, options) => {
    const contentType = String((response.headers as Record<string, unknown>)["content-type"] ?? "");
    if (!/^application\/(?:[\w.+-]*\+)?json\b/i.test(contentType)) return;
    if (typeof response.data !== "string") return;
    const path = new URL(response.url || String(options.url), "https://api.github.com").pathname;
    throw new InvalidJsonResponseError(`GitHub answered ${options.method} ${path} with invalid JSON (${String(response.data.length)} bytes)`);
  });
  return {};
};

// Test helpers: a real Probot Octokit against nock, with GitHub's own retry and throttling off.
import { ProbotOctokit } from "probot";
import type { Octokit } from "../../src/github/read-api.js";

export function testOctokit(baseUrl?: string): Octokit {
  return new ProbotOctokit({
    auth: { token: "test" },
    retry: { enabled: false },
    throttle: { enabled: false },
    ...(baseUrl ? { baseUrl } : {}),
  });
}

/** The GraphQL query text of a request body nock hands to a matcher. */
export function queryOf(body: unknown): string {
  return (body as { query: string }).query;
}

/** `b0`, `b1`, ... aliases with the blob SHAs a batch query asks for. */
export function requestedBlobs(body: unknown): Map<string, string> {
  const blobs = new Map<string, string>();
  for (const match of queryOf(body).matchAll(/(b\d+): object\(oid: "([0-9a-f]+)"\)/g)) blobs.set(match[1] as string, match[2] as string);
  return blobs;
}

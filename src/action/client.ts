// The GitHub client of the Action and the command line's GitHub mode: a token (the workflow's
// GITHUB_TOKEN or an App's installation token), retries of failed requests, and GitHub's rate
// limits respected.
import { retry } from "@octokit/plugin-retry";
import { throttling } from "@octokit/plugin-throttling";
import { Octokit } from "@octokit/rest";

const TokenOctokit = Octokit.plugin(retry, throttling);
export type TokenClient = InstanceType<typeof TokenOctokit>;

export const DEFAULT_API_URL = "https://api.github.com";

/** How often one request is retried after GitHub said to wait (primary or secondary rate limit). */
const RATE_LIMIT_RETRIES = 3;

export interface TokenClientOptions {
  token: string;
  /** `https://api.github.com`, or `https://HOST/api/v3` for GitHub Enterprise Server. */
  apiUrl: string;
  /** Warnings for the person running it: rate limits hit, requests retried. */
  warn(message: string): void;
}

export function tokenClient(options: TokenClientOptions): TokenClient {
  const onLimit = (kind: string) => (retryAfter: number, request: { method: string; url: string }, _client: unknown, retryCount: number) => {
    const retrying = retryCount < RATE_LIMIT_RETRIES;
    options.warn(`${kind} rate limit on ${request.method} ${request.url}: ${retrying ? `retrying in ${retryAfter} s` : "giving up"}`);
    return retrying;
  };
  return new TokenOctokit({
    auth: options.token,
    baseUrl: options.apiUrl.replace(/\/+$/, ""),
    userAgent: "shared-schema-guard",
    throttle: { onRateLimit: onLimit("primary"), onSecondaryRateLimit: onLimit("secondary") },
    // A failed request reaches its caller as an error (a 404 is often an answer): the request log stays quiet.
    log: { debug: () => undefined, info: () => undefined, warn: options.warn, error: () => undefined },
  });
}

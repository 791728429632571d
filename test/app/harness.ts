// A Probot instance with the app loaded, fake pipeline and readers, and nock for GitHub.
import { generateKeyPairSync } from "node:crypto";
import { readFileSync } from "node:fs";
import nock from "nock";
import { expect } from "vitest";
import { Probot } from "probot";
import type { GuardDeps, RunSources } from "../../src/app/deps.js";
import { createGuard, type Guard } from "../../src/app/guard.js";
import type { ConsumerLookup } from "../../src/core/consumers.js";
import type { ChangedFile, RepositorySnapshot } from "../../src/core/sources.js";
import type { ReviewOutcome, ReviewRequest } from "../../src/pipeline/types.js";
import type { Finding } from "../../src/core/findings.js";
import { wireGuard } from "../../src/index.js";
import { TestOctokit } from "./helpers.js";

export const API = "https://api.github.com";
export const REPO_PATH = "/repos/r10score/r10-notifications";
export const INSTALLATION_ID = 4242;
export const NOW = new Date("2026-11-29T12:00:00Z");

export const CONFIG_YAML = `prefix: r10_
default_owner: hub
services:
  hub:
    repo: r10score/r10-hub
    migrations:
      - { path: "dao/migrations/*.py", format: django, app_label: dao }
    code: ["**/*.py"]
  notifications:
    repo: r10score/r10-notifications
    migrations:
      - { path: "migrations/*.sql", format: sql }
    code: ["**/*.go"]
tables:
  r10_live_activity_token: { owner: notifications }
`;

const { privateKey } = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  privateKeyEncoding: { type: "pkcs1", format: "pem" },
  publicKeyEncoding: { type: "spki", format: "pem" },
});

export type EventName = "pull_request" | "check_run" | "check_suite";

export function fixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`../fixtures/events/${name}.json`, import.meta.url), "utf8")) as Record<string, unknown>;
}

export function outcome(findings: Finding[], overrides: Partial<ReviewOutcome> = {}): ReviewOutcome {
  const blocks = findings.some((item) => item.severity === "error" && !item.suppressed && !item.acknowledged);
  return {
    conclusion: blocks ? "failure" : "success",
    findings,
    touchedTables: [],
    notes: [],
    consumers: { uses: [], failures: [] },
    nothingToAnalyse: false,
    ...overrides,
  };
}

const emptySnapshot: RepositorySnapshot = {
  repo: "r10score/r10-notifications",
  ref: "main",
  listFiles: () => Promise.resolve([]),
  readFiles: () => Promise.resolve([]),
};
const noConsumers: ConsumerLookup = { uses: [], failures: [] };

export interface FakePipeline {
  deps: GuardDeps;
  /** Requests the pipeline received, in order. */
  requests: ReviewRequest[];
}

/** A pipeline that answers `review(request)`; changed files come from `files`. */
export function fakePipeline(
  review: (request: ReviewRequest) => Promise<ReviewOutcome> | ReviewOutcome,
  files: ChangedFile[] = [],
): FakePipeline {
  const requests: ReviewRequest[] = [];
  const sources: RunSources = {
    changes: (pr) => Promise.resolve({ base: { ...emptySnapshot, ref: pr.baseSha }, head: { ...emptySnapshot, ref: pr.headSha }, files }),
    workspace: { snapshot: () => Promise.resolve(emptySnapshot) },
    consumers: { find: () => Promise.resolve(noConsumers) },
    acknowledgements: () => Promise.resolve([]),
  };
  return {
    requests,
    deps: {
      reviewPullRequest: async (request) => {
        requests.push(request);
        return review(request);
      },
      sources: () => sources,
      clock: () => NOW,
    },
  };
}

export async function startApp(deps: GuardDeps, Octokit: typeof TestOctokit = TestOctokit): Promise<{ probot: Probot; guard: Guard }> {
  const probot = new Probot({ appId: 123456, privateKey, Octokit, logLevel: "fatal" });
  const guard = createGuard(deps);
  await probot.load((app) => wireGuard(app, guard));
  return { probot, guard };
}

let deliveries = 0;

export async function deliver(probot: Probot, name: EventName, payload: Record<string, unknown>, id = `delivery-${++deliveries}`): Promise<void> {
  await probot.receive({ id, name, payload } as Parameters<Probot["receive"]>[0]);
}

/** The installation token, for every test: Probot asks once per installation. */
export function nockToken(): nock.Scope {
  return nock(API)
    .persist()
    .post(`/app/installations/${INSTALLATION_ID}/access_tokens`)
    .optionally()
    .reply(201, { token: "ghs_test", expires_at: "2099-01-01T00:00:00Z", permissions: { checks: "write" } });
}

/** A clean slate for one test: no real network, the token endpoint mocked, an empty log. */
export function freshGitHub(): GitHubLog {
  nock.disableNetConnect();
  nockToken();
  return new GitHubLog();
}

/** After each test: every answer a test set up was asked for. */
export function expectEveryMockUsed(): void {
  const pending = nock.pendingMocks();
  // Cleaned first, so that one test's unused answers never leak into the next.
  nock.cleanAll();
  expect(pending).toEqual([]);
}

const CONFIG_FILE = /\/contents\/\.github(%2F|\/)shared-schema\.yml/;

/** `.github/shared-schema.yml` of the repository; `null` for none (then none in the org's `.github` either). */
export function nockConfig(yaml: string | null, repo = "r10-notifications"): nock.Scope {
  const scope = nock(API);
  const repoFile = (uri: string) => uri.startsWith(`/repos/r10score/${repo}/`) && CONFIG_FILE.test(uri);
  if (yaml !== null) return scope.get(repoFile).reply(200, yaml, { "content-type": "text/plain; charset=utf-8" });
  return scope
    .get(repoFile)
    .reply(404, { message: "Not Found" })
    .get((uri) => uri.startsWith("/repos/r10score/.github/") && CONFIG_FILE.test(uri))
    .reply(404, { message: "Not Found" });
}

export interface Recorded {
  method: string;
  path: string;
  body: Record<string, unknown>;
}

type PathMatcher = string | RegExp | ((uri: string) => boolean);

/** GitHub's API as nock plays it, with every request the app made recorded in order. */
export class GitHubLog {
  readonly requests: Recorded[] = [];

  answer(
    method: "GET" | "POST" | "PATCH" | "PUT",
    path: PathMatcher,
    status: number,
    response: unknown,
    options: { times?: number; query?: Record<string, string>; headers?: Record<string, string> } = {},
  ): this {
    nock(API)
      .intercept(path, method)
      .query(options.query ?? true)
      .times(options.times ?? 1)
      .reply((uri, body) => {
        this.requests.push({ method, path: uri.split("?")[0] ?? uri, body: (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown> });
        return [status, response, options.headers ?? {}];
      });
    return this;
  }

  /** Requests other than reads, as `METHOD path`. */
  writes(): string[] {
    return this.requests.filter((request) => request.method !== "GET").map((request) => `${request.method} ${request.path}`);
  }

  bodiesOf(method: string, path: string | RegExp): Record<string, unknown>[] {
    return this.requests
      .filter((request) => request.method === method && (typeof path === "string" ? request.path === path : path.test(request.path)))
      .map((request) => request.body);
  }
}

import { describe, expect, it } from "vitest";
import type { ServiceConfig } from "../../src/core/config.js";
import type { RepositorySnapshot } from "../../src/core/sources.js";
import { reviewPullRequest } from "../../src/pipeline/review.js";
import { config } from "../rules/builders.js";

const odds: ServiceConfig = { name: "odds", repo: "r10score/r10-odds", migrations: [{ path: "migrations/*.sql", format: "sql" }], code: ["**/*.go"] };

/** A head with these files; listing it (which a history replay does) is recorded. */
function head(files: Record<string, string>, listed: string[]): RepositorySnapshot {
  return {
    repo: odds.repo,
    ref: "head",
    listFiles: async () => {
      listed.push("head");
      return Object.keys(files);
    },
    readFiles: async (paths) => paths.filter((path) => path in files).map((path) => ({ path, text: files[path] ?? "" })),
  };
}

function requestFor(files: Record<string, string>, listed: string[]) {
  const snapshot = head(files, listed);
  return {
    config: { ...config(), services: new Map([["odds", odds]]) },
    service: odds,
    changes: { base: { ...snapshot, ref: "base" }, head: snapshot, files: Object.keys(files).map((path) => ({ path, status: "modified" as const, diffLines: new Set([1]) })) },
    workspace: {
      snapshot: () => {
        listed.push("other services");
        return Promise.reject(new Error("no other service should be read"));
      },
    },
    consumers: { find: () => Promise.reject(new Error("no consumer should be searched")) },
    acks: [],
  };
}

describe("reviewing a pull request", () => {
  it("is a quick success, replaying no history, when the changed code holds no SQL", async () => {
    const listed: string[] = [];
    const outcome = await reviewPullRequest(requestFor({ "internal/feed/poller.go": "package feed\n\nfunc Poll() int { return 1 }\n" }, listed));
    expect(outcome).toMatchObject({ conclusion: "success", nothingToAnalyse: true, findings: [] });
    expect(listed).toEqual([]);
  });

  it("replays the histories when the changed code holds SQL", async () => {
    const listed: string[] = [];
    const go = 'package db\n\nconst q = "SELECT id FROM r10_odd_company"\n';
    const outcome = await reviewPullRequest(requestFor({ "internal/db/companies.go": go }, listed));
    expect(outcome.nothingToAnalyse).toBe(false);
    expect(listed).toContain("head");
  });
});

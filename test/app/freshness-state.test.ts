import { describe, expect, it } from "vitest";
import { BlockingConsumers } from "../../src/app/blocking-consumers.js";
import { ConfigCache } from "../../src/app/config-cache.js";
import type { ConfigLookup } from "../../src/app/config.js";
import { finding } from "./helpers.js";

const pr = { installationId: 1, owner: "r10score", repo: "r10-hub", pullNumber: 7 };
const use = (repo: string, path: string) => ({ service: "odds", repo, path, line: 17, table: "r10_odd_company", access: "read" as const });

describe("blocking consumers", () => {
  it("finds the pull requests that a push to a consumer's blocking code may unblock", () => {
    const blockers = new BlockingConsumers();
    blockers.record(pr, [finding({ consumers: [use("r10score/r10-odds", "internal/db/companies.go")] })]);
    expect(blockers.blockedBy(1, "R10score/R10-odds", new Set(["internal/db/companies.go"]))).toEqual([pr]);
    expect(blockers.blockedBy(1, "r10score/r10-odds", new Set(["README.md"]))).toEqual([]);
    expect(blockers.blockedBy(1, "r10score/r10-odds", undefined)).toEqual([pr]);
    expect(blockers.blockedBy(2, "r10score/r10-odds", undefined)).toEqual([]);
  });

  it("keeps only what blocks, as the latest run found it", () => {
    const blockers = new BlockingConsumers();
    const consumers = [use("r10score/r10-odds", "a.go")];
    blockers.record(pr, [finding({ consumers, severity: "warning" }), finding({ consumers, acknowledged: true }), finding({ consumers, suppressed: true })]);
    expect(blockers.blockedBy(1, "r10score/r10-odds", undefined)).toEqual([]);
    blockers.record(pr, [finding({ consumers })]);
    blockers.record(pr, []);
    expect(blockers.blockedBy(1, "r10score/r10-odds", undefined)).toEqual([]);
  });

  it("stays bounded, forgetting the pull request recorded longest ago", () => {
    const blockers = new BlockingConsumers(1);
    const consumers = [use("r10score/r10-odds", "a.go")];
    blockers.record(pr, [finding({ consumers })]);
    blockers.record({ ...pr, pullNumber: 8 }, [finding({ consumers })]);
    expect(blockers.blockedBy(1, "r10score/r10-odds", undefined)).toEqual([{ ...pr, pullNumber: 8 }]);
  });
});

describe("the configuration cache", () => {
  const missing: ConfigLookup = { kind: "missing" };

  it("serves an installation's repository until the age bound, and never another installation", () => {
    let now = 0;
    const cache = new ConfigCache(() => now, 1_000);
    cache.set(1, "r10score/r10-hub", missing);
    expect(cache.get(1, "R10score/r10-hub")).toBe(missing);
    expect(cache.get(2, "r10score/r10-hub")).toBeUndefined();
    now = 1_000;
    expect(cache.get(1, "r10score/r10-hub")).toBeUndefined();
  });

  it("forgets every repository of an installation at once", () => {
    const cache = new ConfigCache();
    cache.set(1, "r10score/r10-hub", missing);
    cache.set(1, "r10score/r10-odds", missing);
    cache.set(2, "r10score/r10-hub", missing);
    cache.forgetInstallation(1);
    expect([cache.get(1, "r10score/r10-hub"), cache.get(1, "r10score/r10-odds"), cache.get(2, "r10score/r10-hub")]).toEqual([undefined, undefined, missing]);
  });
});

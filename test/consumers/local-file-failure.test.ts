import { describe, expect, it, vi } from "vitest";
import type { ServiceConfig } from "../../src/core/config.js";
import { LocalConsumerFinder } from "../../src/consumers/local.js";
import type { RepositorySnapshot } from "../../src/core/sources.js";

vi.mock("../../src/parse/code-sql.js", () => ({
  analyzeCodeFile: async (text: string, file: string) => {
    if (file === "store/odd.go") throw new Error("unexpected node");
    const line = text.split("\n").findIndex((source) => source.includes("r10_device")) + 1;
    const use = { table: "r10_device", access: "read", columns: ["token"], possibleColumns: [], allColumns: false, loc: { file, line } };
    return { file, uses: [use], unparsed: [] };
  },
}));

const files: Record<string, string> = {
  "store/odd.go": 'const q = "SELECT token FROM r10_device"',
  "store/good.go": 'package store\nconst q = "SELECT token FROM r10_device"',
};

const snapshot: RepositorySnapshot = {
  repo: "r10score/r10-odds",
  ref: "HEAD",
  listFiles: async () => Object.keys(files),
  readFiles: async (paths) => paths.map((path) => ({ path, text: files[path] ?? "" })),
};

const odds: ServiceConfig = { name: "odds", repo: "r10score/r10-odds", migrations: [], code: ["**/*.go"] };

describe("LocalConsumerFinder with a file it cannot analyse", () => {
  it("reports that file as a failure and keeps the uses of the others", async () => {
    const finder = new LocalConsumerFinder(new Map([["odds", odds]]), async () => snapshot);
    const lookup = await finder.find([{ table: "r10_device", column: "token" }], "hub");
    expect(lookup.failures).toEqual([
      { service: "odds", repo: "r10score/r10-odds", reason: "could not analyse store/odd.go: unexpected node" },
    ]);
    expect(lookup.uses.map((use) => `${use.path}:${use.line}`)).toEqual(["store/good.go:2"]);
  });
});

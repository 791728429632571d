import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { checkoutDir, LocalWorkspace } from "../../src/local/workspace.js";
import { TempRepo, tempDir } from "./temp-repo.js";

let temp: ReturnType<typeof tempDir>;

beforeEach(() => {
  temp = tempDir("ssg-workspace-");
  new TempRepo(path.join(temp.dir, "r10-odds")).write({ "odds.go": "package odds\n" }).commit("odds");
  new TempRepo(path.join(temp.dir, ".github")).write({ ".github/shared-schema.yml": "default_owner: hub\n" }).commit("config");
});
afterEach(() => temp.remove());

describe("LocalWorkspace", () => {
  it("finds each repository by the name after the owner", async () => {
    const workspace = new LocalWorkspace(temp.dir);
    const odds = await workspace.snapshot("r10score/r10-odds");
    expect(odds.repo).toBe("r10score/r10-odds");
    expect(await odds.listFiles()).toEqual(["odds.go"]);
    const org = await workspace.snapshot("r10score/.github");
    expect(await org.listFiles()).toEqual([".github/shared-schema.yml"]);
    expect(checkoutDir("/w", "r10score/r10-hub")).toBe(path.join("/w", "r10-hub"));
  });

  it("says which checkout is missing", async () => {
    await expect(new LocalWorkspace(temp.dir).snapshot("r10score/r10-hub")).rejects.toThrow(
      `no checkout at ${path.join(temp.dir, "r10-hub")}`,
    );
  });
});

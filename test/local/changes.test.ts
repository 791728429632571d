import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { localPullRequestChanges } from "../../src/local/changes.js";
import { TempRepo, tempDir } from "./temp-repo.js";

let temp: ReturnType<typeof tempDir>;
let repo: TempRepo;

beforeEach(() => {
  temp = tempDir("ssg-changes-");
  repo = new TempRepo(path.join(temp.dir, "r10-notifications"));
  const moved = "package old\n\n// a file long enough\n// that git sees\n// the rename\n// as a rename\n";
  repo.write({
    "migrations/0001_init.sql": "CREATE TABLE IF NOT EXISTS r10_a (id uuid);\n",
    "store/tokens.go": "package store\n\nconst q = `SELECT token FROM r10_live_activity_token`\n",
    "README.md": "notifications\n",
    "old/name.go": moved,
  });
  repo.commit("base");
  repo.git("checkout", "-q", "-b", "feature");
  repo.write({
    "migrations/0002_add.sql": "-- adds a column\nALTER TABLE r10_a\n  ADD COLUMN IF NOT EXISTS b text;\n",
    "store/tokens.go": "package store\n\nconst q = `SELECT token, device_id FROM r10_live_activity_token`\n",
    "new/name.go": moved,
  }).remove("README.md", "old/name.go");
  repo.commit("feature");
  repo.git("checkout", "-q", "main");
  repo.write({ "other.go": "package main\n" }).commit("main moves on");
});
afterEach(() => temp.remove());

describe("localPullRequestChanges", () => {
  it("lists the files a pull request changes, from the merge base, with new-side diff lines", async () => {
    const changes = await localPullRequestChanges(repo.dir, "r10score/r10-notifications", "main", "feature");
    expect(changes.head.ref).toBe(repo.git("rev-parse", "feature").trim());
    expect(changes.base.ref).toBe(repo.git("rev-parse", "main").trim());
    const byPath = new Map(changes.files.map((file) => [file.path, file]));
    expect([...byPath.keys()].sort()).toEqual(["README.md", "migrations/0002_add.sql", "new/name.go", "store/tokens.go"]);
    expect(byPath.get("README.md")).toEqual({ path: "README.md", status: "removed" });
    expect(byPath.get("migrations/0002_add.sql")).toEqual({
      path: "migrations/0002_add.sql",
      status: "added",
      diffLines: new Set([1, 2, 3]),
    });
    expect(byPath.get("store/tokens.go")).toEqual({ path: "store/tokens.go", status: "modified", diffLines: new Set([3]) });
    expect(byPath.get("new/name.go")).toEqual({ path: "new/name.go", status: "renamed", previousPath: "old/name.go", diffLines: new Set() });
  });

  it("reads both sides of the pull request", async () => {
    const changes = await localPullRequestChanges(repo.dir, "r10score/r10-notifications", "main", "feature");
    expect((await changes.head.readFiles(["store/tokens.go"]))[0]?.text).toContain("device_id");
    expect((await changes.base.readFiles(["store/tokens.go"]))[0]?.text).not.toContain("device_id");
    expect(await changes.base.listFiles()).toContain("other.go");
  });

  it("fails with the ref and folder named when a ref is missing", async () => {
    await expect(localPullRequestChanges(repo.dir, "a/b", "main", "nope")).rejects.toThrow(`ref "nope" not found in `);
  });
});

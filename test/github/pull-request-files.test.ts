import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { diffLinesOf, loadPullRequestChanges } from "../../src/github/pull-request-files.js";
import { createReadCaches } from "../../src/github/read-caches.js";
import { GitHubReader } from "../../src/github/snapshot.js";
import { testOctokit } from "./read-helpers.js";

const API = "https://api.github.com";
const BASE = "a".repeat(40);
const HEAD = "b".repeat(40);
const FILES = "/repos/acme/hub/pulls/7/files";

function listed(count: number, from = 0) {
  return Array.from({ length: count }, (_, index) => ({
    sha: "0".repeat(40),
    filename: `src/file${from + index}.py`,
    status: "modified",
    additions: 1,
    deletions: 0,
    changes: 1,
  }));
}

function pageLink(page: number, last: number): string {
  return `<${API}${FILES}?per_page=100&page=${page}>; rel="next", <${API}${FILES}?per_page=100&page=${last}>; rel="last"`;
}

async function load() {
  const octokit = testOctokit();
  const reader = new GitHubReader(octokit, { caches: createReadCaches() });
  return loadPullRequestChanges(octokit, { owner: "acme", repo: "hub", pullNumber: 7, baseSha: BASE, headSha: HEAD }, reader);
}

beforeEach(() => {
  nock.disableNetConnect();
});

afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

describe("loadPullRequestChanges", () => {
  it("maps statuses, keeps previous names and diff lines, and opens base and head at their SHAs", async () => {
    nock(API)
      .get(FILES)
      .query({ per_page: "100" })
      .reply(200, [
        { filename: "migrations/0002.sql", status: "added", patch: "@@ -0,0 +1,2 @@\n+CREATE TABLE r10_a (id int);\n+CREATE TABLE r10_b (id int);" },
        { filename: "dao/models.py", status: "renamed", previous_filename: "dao/model.py" },
        { filename: "old.sql", status: "removed", patch: "@@ -1 +0,0 @@\n-SELECT 1;" },
        { filename: "copy.go", status: "copied", previous_filename: "orig.go" },
        { filename: "run.sh", status: "changed" },
        { filename: "logo.png", status: "modified" },
      ]);

    const changes = await load();

    expect(changes.files).toEqual([
      { path: "migrations/0002.sql", status: "added", diffLines: new Set([1, 2]) },
      { path: "dao/models.py", status: "renamed", previousPath: "dao/model.py" },
      { path: "old.sql", status: "removed", diffLines: new Set() },
      { path: "copy.go", status: "modified", previousPath: "orig.go" },
      { path: "run.sh", status: "modified" },
      { path: "logo.png", status: "modified" },
    ]);
    expect(changes.truncatedAt).toBeUndefined();
    expect([changes.base.repo, changes.base.ref, changes.head.ref]).toEqual(["acme/hub", BASE, HEAD]);
    expect(nock.isDone()).toBe(true);
  });

  it("follows pagination across pages", async () => {
    nock(API)
      .get(FILES)
      .query({ per_page: "100" })
      .reply(200, listed(100), { link: pageLink(2, 3) })
      .get(FILES)
      .query({ per_page: "100", page: "2" })
      .reply(200, listed(100, 100), { link: pageLink(3, 3) })
      .get(FILES)
      .query({ per_page: "100", page: "3" })
      .reply(200, listed(42, 200));

    const changes = await load();

    expect(changes.files).toHaveLength(242);
    expect(changes.files.at(-1)?.path).toBe("src/file241.py");
    expect(changes.truncatedAt).toBeUndefined();
    expect(nock.isDone()).toBe(true);
  });

  it("marks the list truncated when GitHub stops at 3,000 files", async () => {
    const scope = nock(API);
    for (let page = 1; page <= 30; page += 1) {
      scope
        .get(FILES)
        .query(page === 1 ? { per_page: "100" } : { per_page: "100", page: String(page) })
        .reply(200, listed(100, (page - 1) * 100), page < 30 ? { link: pageLink(page + 1, 30) } : {});
    }

    const changes = await load();

    expect(changes.files).toHaveLength(3000);
    expect(changes.truncatedAt).toBe(3000);
    expect(nock.isDone()).toBe(true);
  });
});

describe("diffLinesOf", () => {
  it("keeps the new-side numbers of added and context lines of every hunk", () => {
    const patch = [
      "@@ -3,4 +3,5 @@ class Migration(migrations.Migration):",
      "     dependencies = []",
      "-    operations = []",
      "+    operations = [",
      "+        migrations.DeleteModel('Device'),",
      "+    ]",
      " ",
      "@@ -20,2 +21,2 @@",
      " a",
      "-b",
      "+c",
      "\\ No newline at end of file",
    ].join("\n");

    expect([...diffLinesOf(patch)]).toEqual([3, 4, 5, 6, 7, 21, 22]);
  });

  it("reads single-line hunks without counts", () => {
    expect([...diffLinesOf("@@ -1 +1 @@\n-old\n+new")]).toEqual([1]);
  });
});

import { createHash } from "node:crypto";
import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { diffLinesOf, loadPullRequestChanges } from "../../src/github/pull-request-files.js";
import type { ServiceConfig } from "../../src/core/config.js";
import { GitHubConsumerFinder } from "../../src/github/code-search.js";
import { CODE_SEARCH_LIMITS, SearchQueue } from "../../src/github/rate-limit.js";
import { createReadCaches, type GitHubReadCaches } from "../../src/github/read-caches.js";
import { GitHubReader } from "../../src/github/snapshot.js";
import type { PullRequestChanges, RepositorySnapshot } from "../../src/core/sources.js";
import { answerGraphql, testOctokit } from "./read-helpers.js";

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

describe("reading pull requests the way the review does", () => {
  const HUB_MIGRATIONS = 570;
  const heads = { "acme/notifications": "1".repeat(40), "acme/odds": "2".repeat(40) };
  const blobSha = (label: string) => createHash("sha1").update(label).digest("hex");
  const blob = (path: string, label = path) => ({ path, mode: "100644", type: "blob", sha: blobSha(label), size: 2_000 });
  const hubHistory = Array.from({ length: HUB_MIGRATIONS }, (_, index) => blob(`dao/migrations/${String(index).padStart(4, "0")}_m.py`));
  const services: ServiceConfig[] = [
    { name: "hub", repo: "acme/hub", migrations: [{ path: "dao/migrations/*.py", format: "django" }], code: ["**/*.py"] },
    { name: "notifications", repo: "acme/notifications", migrations: [{ path: "migrations/*.sql", format: "sql" }], code: ["**/*.go"] },
    { name: "odds", repo: "acme/odds", migrations: [], code: ["**/*.go"] },
  ];

  function nockRepositories() {
    const tree = (entries: object[]) => ({ sha: "f".repeat(40), url: "", truncated: false, tree: entries });
    const scope = nock(API).persist();
    scope.get(`/repos/acme/hub/git/trees/${BASE}`).query({ recursive: "1" }).reply(200, tree(hubHistory));
    for (const [commit, migration] of [[HEAD, "0570_first.py"], ["c".repeat(40), "0570_second.py"]] as const) {
      scope
        .get(`/repos/acme/hub/git/trees/${commit}`)
        .query({ recursive: "1" })
        .reply(200, tree([...hubHistory, blob(`dao/migrations/${migration}`)]));
    }
    scope
      .get(`/repos/acme/notifications/git/trees/${heads["acme/notifications"]}`)
      .query({ recursive: "1" })
      .reply(200, tree([blob("migrations/001.sql"), blob("migrations/002.sql"), blob("store/device.go")]));
    scope.get(`/repos/acme/odds/git/trees/${heads["acme/odds"]}`).query({ recursive: "1" }).reply(200, tree([blob("main.go")]));
    scope.post("/graphql").reply(200, (_uri, body) => answerGraphql(body, heads, () => "# migration\n"));
    scope.get("/search/code").query(true).reply(200, {
      total_count: 1,
      incomplete_results: false,
      items: [{ path: "main.go", sha: blobSha("main.go"), html_url: "", repository: { full_name: "acme/odds" } }],
    });
    for (const [pull, migration] of [[7, "0570_first.py"], [8, "0570_second.py"]] as const) {
      scope.get(`/repos/acme/hub/pulls/${pull}/files`).query(true).reply(200, [
        { filename: `dao/migrations/${migration}`, status: "added", patch: "@@ -0,0 +1 @@\n+# migration" },
      ]);
    }
  }

  async function historyOf(snapshot: RepositorySnapshot, folder: string) {
    return snapshot.readFiles((await snapshot.listFiles()).filter((path) => path.startsWith(folder)));
  }

  /** Requests made for one review: changes, every history, the changed files, the consumer search. */
  async function review(caches: GitHubReadCaches, pullNumber: number, headSha: string) {
    const octokit = testOctokit();
    const requests: string[] = [];
    octokit.hook.before("request", (options) => {
      requests.push(`${options.method} ${options.url}`);
    });
    const reader = new GitHubReader(octokit, { caches });
    const changes: PullRequestChanges = await loadPullRequestChanges(
      octokit,
      { owner: "acme", repo: "hub", pullNumber, baseSha: BASE, headSha },
      reader,
    );
    await Promise.all([
      ...["acme/notifications", "acme/odds"].map(async (repo) => historyOf(await reader.snapshot(repo), "migrations/")),
      historyOf(changes.base, "dao/migrations/"),
      historyOf(changes.head, "dao/migrations/"),
    ]);
    await changes.head.readFiles(changes.files.map((file) => file.path));
    const queue = new SearchQueue({ ...CODE_SEARCH_LIMITS, clock: { now: () => 0, sleep: async () => undefined } });
    const finder = new GitHubConsumerFinder(new Map(services.map((service) => [service.name, service])), { reader, queue });
    await finder.find([{ table: "r10_device", column: "token" }], "hub");
    return requests;
  }

  it("stays within 15 requests and 2 searches for a first pull request, and 8 for a second on the same base", async () => {
    nockRepositories();
    const caches = createReadCaches();

    const first = await review(caches, 7, HEAD);
    const second = await review(caches, 8, "c".repeat(40));

    expect(first.length).toBeLessThanOrEqual(15);
    expect(first.filter((request) => request.includes("/search/code")).length).toBeLessThanOrEqual(2);
    expect(second.length).toBeLessThanOrEqual(8);
    // Only the new head's tree and its one new blob: the base, the other services and the search are cached.
    expect(second.slice(1)).toEqual(["GET /repos/{owner}/{repo}/git/trees/{tree_sha}", "POST /graphql"]);
  });
});

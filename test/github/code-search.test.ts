import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ServiceConfig } from "../../src/core/config.js";
import { GitHubConsumerFinder, planSearchQueries } from "../../src/github/code-search.js";
import { CODE_SEARCH_LIMITS, SearchQueue, type Clock } from "../../src/github/rate-limit.js";
import { createReadCaches, type GitHubReadCaches } from "../../src/github/read-caches.js";
import { GitHubReader } from "../../src/github/snapshot.js";
import { answerGraphql, queryOf, requestedBlobs, testOctokit } from "./read-helpers.js";
import { fakeClock } from "./fake-clock.js";

const API = "https://api.github.com";
const NOTIFICATIONS_HEAD = "1".repeat(40);
const ODDS_HEAD = "2".repeat(40);
const INDEXED_COMMIT = "3".repeat(40);
const STALE_BLOB = "4".repeat(40);
const sha = (n: number) => n.toString(16).padStart(40, "0");

const service = (name: string, code: string[]): ServiceConfig => ({
  name,
  repo: `r10score/r10-${name}`,
  migrations: [],
  code,
});

const services = new Map([
  ["hub", service("hub", ["**/*.py"])],
  ["notifications", service("notifications", ["**/*.go"])],
  ["odds", service("odds", ["**/*.go"])],
]);

const DEVICE_STORE = [
  "package store",
  "",
  "func Tokens(ctx context.Context, db *pgxpool.Pool, user string) (pgx.Rows, error) {",
  '\treturn db.Query(ctx, "SELECT token FROM r10_device WHERE user_id = $1", user)',
  "}",
  "",
].join("\n");

const MENTION_ONLY = ["package odds", "", "// r10_device rows belong to hub; odds never reads them.", "func Noop() {}", ""].join("\n");

const BLOB_TEXTS = new Map([
  [sha(1), DEVICE_STORE],
  [sha(2), MENTION_ONLY],
]);

function finder(options: { caches?: GitHubReadCaches; clock?: Clock; baseUrl?: string } = {}) {
  const octokit = testOctokit(options.baseUrl);
  const clock = options.clock ?? fakeClock();
  const reader = new GitHubReader(octokit, { caches: options.caches ?? createReadCaches(), clock });
  return new GitHubConsumerFinder(services, { reader, queue: new SearchQueue({ ...CODE_SEARCH_LIMITS, clock }) });
}

/** A search result as the index has it: its blob may be older than the default branch's. */
function item(repo: string, path: string) {
  return {
    name: path.split("/").at(-1),
    path,
    sha: STALE_BLOB,
    url: "",
    git_url: "",
    html_url: `https://github.com/${repo}/blob/${INDEXED_COMMIT}/${path}`,
    repository: { full_name: repo },
    score: 1,
  };
}

const SEARCH_ITEMS = [
  item("r10score/r10-notifications", "store/device.go"),
  item("r10score/r10-odds", "odds/noop.go"),
  item("r10score/r10-notifications", "docs/tables.md"),
  item("r10score/r10-odds", "odds/removed_since.go"),
];

function nockHeads(api = API) {
  return nock(api)
    .post("/graphql", (body) => queryOf(body).includes("defaultBranchRef"))
    .reply(200, {
      data: {
        r0: { defaultBranchRef: { name: "main", target: { oid: NOTIFICATIONS_HEAD } } },
        r1: { defaultBranchRef: { name: "main", target: { oid: ODDS_HEAD } } },
      },
    });
}

/** The default branches' trees: the files code search found, as they are now (one of them deleted since). */
function nockTrees(api = API) {
  const blob = (path: string, n: number) => ({ path, mode: "100644", type: "blob", sha: sha(n), size: 200 });
  const tree = (entries: object[]) => ({ sha: "f".repeat(40), url: "", truncated: false, tree: entries });
  return nock(api)
    .get(`/repos/r10score/r10-notifications/git/trees/${NOTIFICATIONS_HEAD}`)
    .query({ recursive: "1" })
    .reply(200, tree([blob("store/device.go", 1), blob("docs/tables.md", 9)]))
    .get(`/repos/r10score/r10-odds/git/trees/${ODDS_HEAD}`)
    .query({ recursive: "1" })
    .reply(200, tree([blob("odds/noop.go", 2)]));
}

/** Answers a multi-repository blob batch from BLOB_TEXTS and records which blobs it was asked for. */
function nockBlobs(asked: string[][], api = API) {
  return nock(api)
    .post("/graphql", (body) => queryOf(body).includes("object(oid"))
    .reply(200, (_uri, body) => {
      asked.push([...requestedBlobs(body).values()]);
      return answerGraphql(body, {}, (blob) => BLOB_TEXTS.get(blob) ?? "");
    });
}

beforeEach(() => {
  nock.disableNetConnect();
});

afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

describe("planSearchQueries", () => {
  it("ORs table names and lists every repository in one query when it fits", () => {
    const plan = planSearchQueries(["r10_device", "r10_notification"], ["r10score/r10-notifications", "r10score/r10-odds"]);

    expect(plan.queries.map((query) => query.q)).toEqual([
      '"r10_device" OR "r10_notification" repo:r10score/r10-notifications repo:r10score/r10-odds',
    ]);
  });

  it("keeps within five operators and 256 characters by splitting tables and repositories", () => {
    const tables = Array.from({ length: 8 }, (_, index) => `r10_table_${index}`);
    const repos = Array.from({ length: 12 }, (_, index) => `r10score/r10-service-with-a-long-name-${index}`);

    const plan = planSearchQueries(tables, repos);

    for (const query of plan.queries) {
      expect(query.q.length).toBeLessThanOrEqual(256);
      expect(query.q.match(/ OR /g)?.length ?? 0).toBeLessThanOrEqual(5);
    }
    for (const table of tables) {
      for (const repo of repos) {
        expect(plan.queries.some((query) => query.tables.includes(table) && query.repos.includes(repo))).toBe(true);
      }
    }
    expect(new Set(plan.queries.map((query) => query.tables.length))).toEqual(new Set([6, 2]));
    expect(plan.unsearchable).toEqual([]);
  });

  it("reports a table name that no query can hold", () => {
    const plan = planSearchQueries(["x".repeat(300), "r10_device"], ["r10score/r10-odds"]);

    expect(plan.unsearchable).toEqual(["x".repeat(300)]);
    expect(plan.queries.map((query) => query.q)).toEqual(['"r10_device" repo:r10score/r10-odds']);
  });
});

describe("GitHubConsumerFinder", () => {
  const targets = [{ table: "r10_device", column: "token" }];
  const QUERY = '"r10_device" repo:r10score/r10-notifications repo:r10score/r10-odds';

  it("searches once, reads the matched code files at the heads in one batch and keeps the uses their SQL confirms", async () => {
    nockHeads();
    nockTrees();
    nock(API).get("/search/code").query({ q: QUERY, per_page: "100", page: "1" }).reply(200, {
      total_count: 4,
      incomplete_results: false,
      items: SEARCH_ITEMS,
    });
    const asked: string[][] = [];
    nockBlobs(asked);

    const lookup = await finder().find(targets, "hub");

    expect(lookup.failures).toEqual([]);
    expect(lookup.uses).toEqual([
      {
        service: "notifications",
        repo: "r10score/r10-notifications",
        path: "store/device.go",
        line: 4,
        table: "r10_device",
        column: "token",
        access: "read",
        url: `https://github.com/r10score/r10-notifications/blob/${NOTIFICATIONS_HEAD}/store/device.go#L4`,
      },
    ]);
    expect(asked).toEqual([[sha(1), sha(2)]]);
    expect(nock.isDone()).toBe(true);
  });

  it("asks GitHub nothing for the same search while the repositories have not moved", async () => {
    const caches = createReadCaches();
    nockHeads();
    nockTrees();
    nock(API).get("/search/code").query(true).once().reply(200, { total_count: 4, incomplete_results: false, items: SEARCH_ITEMS });
    nockBlobs([]);

    const first = await finder({ caches }).find(targets, "hub");
    const second = await finder({ caches }).find(targets, "hub");

    expect(second).toEqual(first);
    expect(nock.isDone()).toBe(true);
  });

  it("waits as a rate-limited search asks and retries it", async () => {
    const clock = fakeClock();
    nockHeads();
    nockTrees();
    nock(API)
      .get("/search/code")
      .query(true)
      .reply(403, { message: "You have exceeded a secondary rate limit." }, { "retry-after": "20" })
      .get("/search/code")
      .query(true)
      .reply(200, { total_count: 1, incomplete_results: false, items: [SEARCH_ITEMS[0]] });
    nockBlobs([]);

    const lookup = await finder({ clock }).find(targets, "hub");

    expect(clock.sleeps).toEqual([20_000]);
    expect(lookup.uses.map((use) => `${use.repo}:${use.path}:${use.line}`)).toEqual(["r10score/r10-notifications:store/device.go:4"]);
    expect(lookup.failures).toEqual([]);
  });

  it("reports incomplete results for every service and table the query covered, keeping the uses it did find", async () => {
    nockHeads();
    nockTrees();
    nock(API).get("/search/code").query(true).reply(200, { total_count: 9, incomplete_results: true, items: [SEARCH_ITEMS[0]] });
    nockBlobs([]);

    const lookup = await finder().find(targets, "hub");

    expect(lookup.uses).toHaveLength(1);
    expect(lookup.failures).toEqual([
      expect.objectContaining({ service: "notifications", table: "r10_device", reason: expect.stringMatching(/incomplete/) }),
      expect.objectContaining({ service: "odds", table: "r10_device", reason: expect.stringMatching(/incomplete/) }),
    ]);
  });

  it("turns a failed search into failures, never into no consumers", async () => {
    nockHeads();
    nock(API).get("/search/code").query(true).reply(422, { message: "Validation Failed" });

    const lookup = await finder().find(targets, "hub");

    expect(lookup.uses).toEqual([]);
    expect(lookup.failures).toEqual([
      { service: "notifications", repo: "r10score/r10-notifications", table: "r10_device", reason: expect.stringMatching(/code search failed: Validation Failed/) },
      { service: "odds", repo: "r10score/r10-odds", table: "r10_device", reason: expect.stringMatching(/code search failed/) },
    ]);
  });

  it("still searches the readable repositories when one cannot be resolved", async () => {
    nock(API)
      .post("/graphql")
      .reply(200, {
        data: { r0: { defaultBranchRef: { name: "main", target: { oid: NOTIFICATIONS_HEAD } } }, r1: null },
        errors: [{ message: "Could not resolve to a Repository with the name 'r10score/r10-odds'.", path: ["r1"] }],
      });
    nock(API)
      .get("/search/code")
      .query({ q: '"r10_device" repo:r10score/r10-notifications', per_page: "100", page: "1" })
      .reply(200, { total_count: 0, incomplete_results: false, items: [] });

    const lookup = await finder().find(targets, "hub");

    expect(lookup.failures).toEqual([
      { service: "odds", repo: "r10score/r10-odds", table: "r10_device", reason: expect.stringMatching(/Could not resolve/) },
    ]);
    expect(nock.isDone()).toBe(true);
  });

  it("links uses on GitHub Enterprise Server to its web host", async () => {
    const ghe = "https://github.example.com/api/v3";
    nock("https://github.example.com")
      .post("/api/graphql", (body) => queryOf(body).includes("defaultBranchRef"))
      .reply(200, {
        data: {
          r0: { defaultBranchRef: { name: "main", target: { oid: NOTIFICATIONS_HEAD } } },
          r1: { defaultBranchRef: { name: "main", target: { oid: ODDS_HEAD } } },
        },
      });
    nock(ghe)
      .get("/search/code")
      .query(true)
      .reply(200, { total_count: 1, incomplete_results: false, items: [SEARCH_ITEMS[0]] });
    nockTrees(ghe);
    nockBlobs([], "https://github.example.com/api");

    const lookup = await finder({ baseUrl: ghe }).find(targets, "hub");

    expect(lookup.uses[0]?.url).toBe(`https://github.example.com/r10score/r10-notifications/blob/${NOTIFICATIONS_HEAD}/store/device.go#L4`);
  });

  it("asks nothing when no other service has code to search", async () => {
    const lonely = new Map([["hub", service("hub", ["**/*.py"])], ["odds", service("odds", [])]]);
    const octokit = testOctokit();
    const reader = new GitHubReader(octokit, { caches: createReadCaches() });
    const lookup = await new GitHubConsumerFinder(lonely, { reader, queue: new SearchQueue({ ...CODE_SEARCH_LIMITS, clock: fakeClock() }) }).find(targets, "hub");

    expect(lookup).toEqual({ uses: [], failures: [] });
  });
});

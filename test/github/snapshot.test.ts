import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BINARY_BLOB_TEXT } from "../../src/github/blob-reader.js";
import { createReadCaches } from "../../src/github/read-caches.js";
import { GitHubReader } from "../../src/github/snapshot.js";
import { requestedBlobs, testOctokit } from "./read-helpers.js";

const API = "https://api.github.com";
const COMMIT = "c".repeat(40);
const sha = (n: number) => n.toString(16).padStart(40, "0");

function reader(options: Partial<ConstructorParameters<typeof GitHubReader>[1]> = {}) {
  return new GitHubReader(testOctokit(), { caches: createReadCaches(), ...options });
}

function blobEntry(path: string, n: number, size = 100) {
  return { path, mode: "100644", type: "blob", sha: sha(n), size };
}

function treeOf(entries: object[], truncated = false, treeSha = "f".repeat(40)) {
  return { sha: treeSha, url: "", truncated, tree: entries };
}

/** Answers blob batch queries with `text of <sha>` for every blob asked. */
function answerBlobs(body: unknown) {
  const objects = Object.fromEntries(
    [...requestedBlobs(body)].map(([alias, blobSha]) => [alias, { text: `text of ${blobSha}`, isBinary: false, isTruncated: false }]),
  );
  return { data: { r0: objects } };
}

beforeEach(() => {
  nock.disableNetConnect();
});

afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

describe("GitHubSnapshot.listFiles", () => {
  it("lists blobs with one recursive tree request, leaving out directories, submodules and symlinks", async () => {
    nock(API)
      .get(`/repos/acme/hub/git/trees/${COMMIT}`)
      .query({ recursive: "1" })
      .reply(
        200,
        treeOf([
          { path: "migrations", mode: "040000", type: "tree", sha: sha(1) },
          blobEntry("migrations/0001.sql", 2),
          { path: "vendor/lib", mode: "160000", type: "commit", sha: sha(3) },
          { path: "current.sql", mode: "120000", type: "blob", sha: sha(4), size: 10 },
          blobEntry("README.md", 5),
        ]),
      );
    const snapshot = reader().snapshotAt("acme/hub", COMMIT);

    expect(await snapshot.listFiles()).toEqual(["migrations/0001.sql", "README.md"]);
    expect(await snapshot.listFiles()).toHaveLength(2);
    expect(nock.isDone()).toBe(true);
  });

  it("walks a truncated tree directory by directory, only where the path hints can match", async () => {
    nock(API)
      .get(`/repos/acme/hub/git/trees/${COMMIT}`)
      .query({ recursive: "1" })
      .reply(200, treeOf([blobEntry("README.md", 1)], true, sha(100)))
      .get(`/repos/acme/hub/git/trees/${sha(100)}`)
      .reply(
        200,
        treeOf([
          blobEntry("README.md", 1),
          { path: "dao", mode: "040000", type: "tree", sha: sha(101) },
          { path: "assets", mode: "040000", type: "tree", sha: sha(102) },
        ]),
      )
      .get(`/repos/acme/hub/git/trees/${sha(101)}`)
      .query({ recursive: "1" })
      .reply(200, treeOf([{ path: "migrations", mode: "040000", type: "tree", sha: sha(103) }, blobEntry("migrations/0001_initial.py", 2)]));
    const snapshot = reader({ pathHintsFor: () => ["dao/migrations/*.py"] }).snapshotAt("acme/hub", COMMIT);

    expect((await snapshot.listFiles()).sort()).toEqual(["README.md", "dao/migrations/0001_initial.py"]);
    expect(nock.isDone()).toBe(true);
  });

  it("fails rather than list part of a tree when the walk would take too many requests", async () => {
    nock(API)
      .get(`/repos/acme/hub/git/trees/${COMMIT}`)
      .query({ recursive: "1" })
      .reply(200, treeOf([], true, sha(100)));
    const snapshot = reader({ maxTreeRequests: 1 }).snapshotAt("acme/hub", COMMIT);

    await expect(snapshot.listFiles()).rejects.toThrow(/too large to list/);
  });
});

describe("GitHubSnapshot.readFiles", () => {
  function nockTree(count: number) {
    const entries = Array.from({ length: count }, (_, index) => blobEntry(`migrations/${String(index).padStart(4, "0")}.sql`, index + 1));
    return nock(API).get(`/repos/acme/hub/git/trees/${COMMIT}`).query({ recursive: "1" }).reply(200, treeOf(entries));
  }

  it("reads many files with one GraphQL query and keeps their blob SHAs", async () => {
    nockTree(120);
    let queries = 0;
    nock(API)
      .post("/graphql", (body) => {
        queries += 1;
        return requestedBlobs(body).size === 120;
      })
      .reply(200, (_uri, body) => answerBlobs(body));
    const snapshot = reader().snapshotAt("acme/hub", COMMIT);

    const files = await snapshot.readFiles(await snapshot.listFiles());

    expect(queries).toBe(1);
    expect(files).toHaveLength(120);
    expect(files[7]).toEqual({ path: "migrations/0007.sql", sha: sha(8), text: `text of ${sha(8)}` });
    expect(nock.isDone()).toBe(true);
  });

  it("splits a batch at the configured number of files", async () => {
    nockTree(5);
    const batchSizes: number[] = [];
    nock(API)
      .post("/graphql", (body) => {
        batchSizes.push(requestedBlobs(body).size);
        return true;
      })
      .times(3)
      .reply(200, (_uri, body) => answerBlobs(body));
    const snapshot = reader({ blobBatch: { maxFiles: 2, maxBytes: 1_000_000 } }).snapshotAt("acme/hub", COMMIT);

    expect(await snapshot.readFiles(await snapshot.listFiles())).toHaveLength(5);
    expect(batchSizes).toEqual([2, 2, 1]);
  });

  it("reads nothing again for a second snapshot of another commit holding the same blobs", async () => {
    const caches = createReadCaches();
    const otherCommit = "d".repeat(40);
    nockTree(3);
    nock(API)
      .get(`/repos/acme/hub/git/trees/${otherCommit}`)
      .query({ recursive: "1" })
      .reply(200, treeOf([blobEntry("migrations/0000.sql", 1), blobEntry("migrations/0001.sql", 2)]))
      .post("/graphql")
      .once()
      .reply(200, (_uri, body) => answerBlobs(body));

    const first = new GitHubReader(testOctokit(), { caches }).snapshotAt("acme/hub", COMMIT);
    await first.readFiles(await first.listFiles());
    const second = new GitHubReader(testOctokit(), { caches }).snapshotAt("acme/hub", otherCommit);
    const files = await second.readFiles(["migrations/0001.sql", "migrations/0000.sql"]);
    const again = await first.readFiles(["migrations/0002.sql"]);

    expect(files.map((file) => file.text)).toEqual([`text of ${sha(2)}`, `text of ${sha(1)}`]);
    expect(again[0]?.text).toBe(`text of ${sha(3)}`);
    expect(nock.isDone()).toBe(true);
  });

  it("does not serve one installation's listing to another", async () => {
    const caches = createReadCaches();
    nockTree(1);
    nockTree(1);
    nock(API).post("/graphql").reply(200, (_uri, body) => answerBlobs(body));

    for (const scope of [1, 1, 2]) {
      const snapshot = new GitHubReader(testOctokit(), { caches, scope }).snapshotAt("acme/hub", COMMIT);
      await snapshot.readFiles(await snapshot.listFiles());
    }

    expect(nock.isDone()).toBe(true);
  });

  it("shares one fetch between the base and head snapshots reading at once", async () => {
    const headCommit = "e".repeat(40);
    nockTree(2);
    nock(API)
      .get(`/repos/acme/hub/git/trees/${headCommit}`)
      .query({ recursive: "1" })
      .reply(200, treeOf([blobEntry("migrations/0000.sql", 1), blobEntry("migrations/0001.sql", 2)]));
    const sizes: number[] = [];
    nock(API)
      .post("/graphql", (body) => {
        sizes.push(requestedBlobs(body).size);
        return true;
      })
      .reply(200, (_uri, body) => answerBlobs(body));
    const github = reader();
    const base = github.snapshotAt("acme/hub", COMMIT);
    const head = github.snapshotAt("acme/hub", headCommit);
    await Promise.all([base.listFiles(), head.listFiles()]);

    const [baseFiles, headFiles] = await Promise.all([
      base.readFiles(["migrations/0000.sql", "migrations/0001.sql"]),
      head.readFiles(["migrations/0000.sql", "migrations/0001.sql"]),
    ]);

    expect(sizes).toEqual([2]);
    expect(headFiles).toEqual(baseFiles);
  });

  it("leaves out paths the commit does not have", async () => {
    nockTree(1);
    nock(API).post("/graphql").reply(200, (_uri, body) => answerBlobs(body));
    const snapshot = reader().snapshotAt("acme/hub", COMMIT);

    const files = await snapshot.readFiles(["migrations/0000.sql", "migrations/9999.sql"]);

    expect(files.map((file) => file.path)).toEqual(["migrations/0000.sql"]);
  });

  it("reads a binary blob as a NUL byte and an oversized one through the REST blob endpoint", async () => {
    nock(API)
      .get(`/repos/acme/hub/git/trees/${COMMIT}`)
      .query({ recursive: "1" })
      .reply(200, treeOf([blobEntry("logo.png", 1), blobEntry("migrations/0001_big.sql", 2, 3_000_000)]))
      .post("/graphql")
      .reply(200, {
        data: {
          r0: {
            b0: { text: null, isBinary: true, isTruncated: false },
            b1: { text: null, isBinary: false, isTruncated: true },
          },
        },
      })
      .get(`/repos/acme/hub/git/blobs/${sha(2)}`)
      .reply(200, { sha: sha(2), size: 3_000_000, encoding: "base64", content: Buffer.from("CREATE TABLE r10_big (id int);\n").toString("base64") });
    const snapshot = reader().snapshotAt("acme/hub", COMMIT);

    const files = await snapshot.readFiles(["logo.png", "migrations/0001_big.sql"]);

    expect(files.map((file) => file.text)).toEqual([BINARY_BLOB_TEXT, "CREATE TABLE r10_big (id int);\n"]);
    expect(nock.isDone()).toBe(true);
  });

  it("decides from the bytes when GitHub cannot tell whether a blob is binary", async () => {
    nockTree(1);
    nock(API)
      .post("/graphql")
      .reply(200, { data: { r0: { b0: { text: null, isBinary: null, isTruncated: false } } } })
      .get(`/repos/acme/hub/git/blobs/${sha(1)}`)
      .reply(200, { sha: sha(1), size: 4, encoding: "base64", content: Buffer.from([0x50, 0x4b, 0x00, 0x03]).toString("base64") });
    const snapshot = reader().snapshotAt("acme/hub", COMMIT);

    expect(await snapshot.readFiles(["migrations/0000.sql"])).toEqual([
      { path: "migrations/0000.sql", sha: sha(1), text: BINARY_BLOB_TEXT },
    ]);
    expect(nock.isDone()).toBe(true);
  });

  it("fails when GitHub does not return a listed blob", async () => {
    nockTree(1);
    nock(API)
      .post("/graphql")
      .reply(200, { data: { r0: { b0: null } }, errors: [{ message: "Could not resolve to a Blob", path: ["r0", "b0"] }] });
    const snapshot = reader().snapshotAt("acme/hub", COMMIT);

    await expect(snapshot.readFiles(["migrations/0000.sql"])).rejects.toThrow(/could not be read/);
  });
});

describe("GitHubReader.snapshot", () => {
  const heads = (repos: Record<string, string>) => ({
    data: Object.fromEntries(
      Object.entries(repos).map(([alias, commit]) => [alias, { defaultBranchRef: { name: "main", target: { oid: commit } } }]),
    ),
  });

  it("resolves the default branches of repositories opened together with one query, then trusts them a while", async () => {
    let now = 0;
    const clock = { now: () => now, sleep: async () => undefined };
    const github = reader({ clock, headMaxAgeMs: 60_000 });
    nock(API)
      .post("/graphql", (body) => /r0: repository\(owner: "acme", name: "odds"\).*r1: repository\(owner: "acme", name: "notifications"\)/.test((body as { query: string }).query))
      .reply(200, heads({ r0: sha(1), r1: sha(2) }));

    const [odds, notifications] = await Promise.all([github.snapshot("acme/odds"), github.snapshot("acme/notifications")]);
    now = 30_000;
    const oddsAgain = await github.snapshot("acme/odds");

    expect([odds.ref, notifications.ref, oddsAgain.ref]).toEqual([sha(1), sha(2), sha(1)]);
    expect(nock.isDone()).toBe(true);

    now = 61_000;
    nock(API).post("/graphql").reply(200, heads({ r0: sha(3) }));
    expect((await github.snapshot("acme/odds")).ref).toBe(sha(3));
  });

  it("says which repository it cannot read", async () => {
    nock(API)
      .post("/graphql")
      .reply(200, { data: { r0: null }, errors: [{ message: "Could not resolve to a Repository with the name 'acme/gone'.", path: ["r0"] }] });

    await expect(reader().snapshot("acme/gone")).rejects.toThrow(/acme\/gone: Could not resolve to a Repository/);
  });

  it("uses a full commit SHA as it is and resolves another ref to its commit", async () => {
    nock(API)
      .get("/repos/acme/odds/commits/release")
      .matchHeader("accept", "application/vnd.github.sha")
      .reply(200, sha(9));
    const github = reader();

    expect((await github.snapshot("acme/odds", sha(4))).ref).toBe(sha(4));
    expect((await github.snapshot("acme/odds", "release")).ref).toBe(sha(9));
    expect(nock.isDone()).toBe(true);
  });
});

import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ServiceConfig } from "../../src/core/config.js";
import { LocalConsumerFinder } from "../../src/consumers/local.js";
import type { RepositorySnapshot } from "../../src/core/sources.js";

/** A checkout on disk, read the way the CLI's snapshots read one. */
function folderSnapshot(repo: string, root: string): RepositorySnapshot {
  return {
    repo,
    ref: "HEAD",
    async listFiles() {
      const entries = await readdir(root, { recursive: true, withFileTypes: true });
      return entries
        .filter((entry) => entry.isFile())
        .map((entry) => join(entry.parentPath, entry.name).slice(root.length + 1).split("\\").join("/"));
    },
    async readFiles(paths) {
      return Promise.all(paths.map(async (path) => ({ path, text: await readFile(join(root, path), "utf8") })));
    },
  };
}

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

let workspace: string;

async function write(path: string, text: string): Promise<void> {
  await mkdir(dirname(join(workspace, path)), { recursive: true });
  await writeFile(join(workspace, path), text);
}

function finderOver(snapshotFor?: (service: ServiceConfig) => Promise<RepositorySnapshot>): LocalConsumerFinder {
  return new LocalConsumerFinder(
    services,
    snapshotFor ?? (async (config) => folderSnapshot(config.repo, join(workspace, config.repo.split("/")[1] ?? ""))),
  );
}

beforeEach(async () => {
  workspace = await mkdtemp(join(tmpdir(), "consumers-"));
  await write(
    "r10-odds/store/company.go",
    [
      "package store",
      "",
      "const companyLogo = `",
      "SELECT c.logo_url",
      "FROM r10_odd_company c",
      "WHERE c.id = $1`",
      "",
      'const companyName = "SELECT name FROM r10_odd_company WHERE id = $1"',
    ].join("\n"),
  );
  await write("r10-odds/store/match.go", 'package store\nconst q = "SELECT id FROM r10_match"\n');
  await write("r10-odds/docs/r10_odd_company.md", "SELECT logo_url FROM r10_odd_company");
  await write(
    "r10-notifications/push/devices.go",
    'package push\n\nfunc load() {\n\tpool.Query(ctx, "SELECT * FROM r10_odd_company")\n}\n',
  );
  await write("r10-hub/dao/raw.py", 'cursor.execute("UPDATE r10_odd_company SET logo_url = %s", [url])\n');
});

afterEach(async () => {
  await rm(workspace, { recursive: true, force: true });
});

describe("LocalConsumerFinder", () => {
  it("finds confirmed uses in the other services' code, sorted by repo, path and line", async () => {
    const lookup = await finderOver().find([{ table: "r10_odd_company" }], "hub");
    expect(lookup.failures).toEqual([]);
    expect(lookup.uses.map((use) => `${use.repo}:${use.path}:${use.line} ${use.access}`)).toEqual([
      "r10score/r10-notifications:push/devices.go:4 read",
      "r10score/r10-odds:store/company.go:4 read",
      "r10score/r10-odds:store/company.go:8 read",
    ]);
  });

  it("matches a column target only where the column, or every column, is used", async () => {
    const lookup = await finderOver().find([{ table: "r10_odd_company", column: "logo_url" }], "notifications");
    expect(lookup.uses).toEqual([
      {
        service: "hub",
        repo: "r10score/r10-hub",
        path: "dao/raw.py",
        line: 1,
        table: "r10_odd_company",
        column: "logo_url",
        access: "write",
      },
      {
        service: "odds",
        repo: "r10score/r10-odds",
        path: "store/company.go",
        line: 4,
        table: "r10_odd_company",
        column: "logo_url",
        access: "read",
      },
    ]);
  });

  it("reports a repository it cannot read as a failure, never as no consumers", async () => {
    const finder = finderOver(async (config) => {
      if (config.name === "notifications") throw new Error("checkout r10-notifications not found");
      return folderSnapshot(config.repo, join(workspace, config.repo.split("/")[1] ?? ""));
    });
    const lookup = await finder.find([{ table: "r10_odd_company" }], "hub");
    expect(lookup.failures).toEqual([
      {
        service: "notifications",
        repo: "r10score/r10-notifications",
        reason: "could not search r10score/r10-notifications: checkout r10-notifications not found",
      },
    ]);
    expect(lookup.uses.map((use) => use.service)).toEqual(["odds", "odds"]);
  });

  it("reports a file it cannot read as a failure and still searches the others", async () => {
    const finder = finderOver(async (config) => {
      const snapshot = folderSnapshot(config.repo, join(workspace, config.repo.split("/")[1] ?? ""));
      return {
        ...snapshot,
        readFiles: async (paths: string[]) => {
          if (config.name === "odds") throw new Error("git cat-file failed");
          return snapshot.readFiles(paths);
        },
      };
    });
    const lookup = await finder.find([{ table: "r10_odd_company" }], "hub");
    expect(lookup.failures).toEqual([
      { service: "odds", repo: "r10score/r10-odds", reason: "could not search r10score/r10-odds: git cat-file failed" },
    ]);
    expect(lookup.uses.map((use) => use.service)).toEqual(["notifications"]);
  });

  it("reports SQL that names the table but could not be understood as an incomplete search", async () => {
    await write(
      "r10-odds/store/dynamic.go",
      'package store\nfunc q(col string) string {\n\treturn "SELECT " + col + " FROM r10_odd_company"\n}\n',
    );
    const lookup = await finderOver().find([{ table: "r10_odd_company", column: "logo_url" }], "hub");
    expect(lookup.failures).toEqual([
      expect.objectContaining({ service: "odds", table: "r10_odd_company", reason: expect.stringContaining("store/dynamic.go:3") }),
    ]);
  });

  it("searches nothing for no targets", async () => {
    expect(await finderOver().find([], "hub")).toEqual({ uses: [], failures: [] });
  });
});

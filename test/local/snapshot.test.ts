import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LocalSnapshot } from "../../src/local/snapshot.js";
import { TempRepo, tempDir } from "./temp-repo.js";

let temp: ReturnType<typeof tempDir>;
let repo: TempRepo;
let first: string;

beforeEach(() => {
  temp = tempDir("ssg-snapshot-");
  repo = new TempRepo(path.join(temp.dir, "r10-odds"));
  repo.write({ "main.go": "package main\n", "db/queries.go": "package db\n// SELECT 1\n", "migrations/0001 init.sql": "CREATE TABLE t ();\n" });
  first = repo.commit("first");
  repo.write({ "main.go": "package main\n\nfunc main() {}\n", "café.go": "package main\n\n// Señal: ⚽ résumé\n" }).remove("db/queries.go");
  repo.commit("second");
});
afterEach(() => temp.remove());

describe("LocalSnapshot", () => {
  it("lists every file at the ref, whatever the working tree holds", async () => {
    writeFileSync(path.join(repo.dir, "untracked.go"), "package main\n");
    const head = await LocalSnapshot.open(repo.dir, "r10score/r10-odds", "HEAD");
    expect((await head.listFiles()).sort()).toEqual(["café.go", "main.go", "migrations/0001 init.sql"]);
    const old = await LocalSnapshot.open(repo.dir, "r10score/r10-odds", "HEAD~1");
    expect(old.ref).toBe(first);
    expect((await old.listFiles()).sort()).toEqual(["db/queries.go", "main.go", "migrations/0001 init.sql"]);
  });

  it("reads many files at once with their blob SHAs and leaves out missing ones", async () => {
    const old = await LocalSnapshot.open(repo.dir, "r10score/r10-odds", first);
    const files = await old.readFiles(["main.go", "absent.go", "migrations/0001 init.sql", "db/queries.go", "main.go"]);
    expect(files.map((file) => [file.path, file.text])).toEqual([
      ["main.go", "package main\n"],
      ["migrations/0001 init.sql", "CREATE TABLE t ();\n"],
      ["db/queries.go", "package db\n// SELECT 1\n"],
    ]);
    expect(files[0]?.sha).toBe(repo.git("rev-parse", `${first}:main.go`).trim());
    const head = await LocalSnapshot.open(repo.dir, "r10score/r10-odds", "main");
    expect((await head.readFiles(["café.go", "main.go"])).map((file) => file.text)).toEqual([
      "package main\n\n// Señal: ⚽ résumé\n",
      "package main\n\nfunc main() {}\n",
    ]);
    expect(await head.readFiles([])).toEqual([]);
  });

  it("names the folder in errors: missing checkout, plain folder, missing ref", async () => {
    await expect(LocalSnapshot.open(path.join(temp.dir, "absent"), "a/absent", "HEAD")).rejects.toThrow(
      `no checkout at ${path.join(temp.dir, "absent")}: the folder does not exist`,
    );
    const plain = path.join(temp.dir, "plain");
    mkdirSync(plain);
    await expect(LocalSnapshot.open(plain, "a/plain", "HEAD")).rejects.toThrow(`${plain} is not a git repository`);
    await expect(LocalSnapshot.open(path.join(repo.dir, "migrations"), "a/b", "HEAD")).rejects.toThrow(
      /migrations is not a git repository \(it is a folder inside the repository at /,
    );
    await expect(LocalSnapshot.open(repo.dir, "a/b", "no-such-branch")).rejects.toThrow(`ref "no-such-branch" not found in `);
    const empty = new TempRepo(path.join(temp.dir, "empty"));
    await expect(LocalSnapshot.open(empty.dir, "a/empty", "HEAD")).rejects.toThrow(`ref "HEAD" not found in `);
  });
});

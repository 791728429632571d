import { describe, expect, it } from "vitest";
import type { ServiceConfig } from "../../src/core/config.js";
import { compareByteOrder, loadServiceHistory } from "../../src/pipeline/history.js";
import { BoundedParseCache } from "../../src/pipeline/parse-cache.js";
import type { RepositorySnapshot, SourceFile } from "../../src/core/sources.js";

function snapshot(files: Record<string, string>): RepositorySnapshot & { reads: number } {
  const result = {
    repo: "r10score/r10-x",
    ref: "main",
    reads: 0,
    listFiles: async () => Object.keys(files),
    readFiles: async (paths: string[]): Promise<SourceFile[]> => {
      result.reads += 1;
      return paths.filter((path) => path in files).map((path) => ({ path, text: files[path]!, sha: `sha-${path}-${files[path]!.length}` }));
    },
  };
  return result;
}

const sqlService: ServiceConfig = {
  name: "notifications",
  repo: "r10score/r10-notifications",
  migrations: [{ path: "migrations/**/*.sql", format: "sql" }],
  code: [],
};

const djangoService: ServiceConfig = {
  name: "hub",
  repo: "r10score/r10-hub",
  migrations: [{ path: "dao/migrations/*.py", format: "django", appLabel: "dao" }],
  code: [],
};

const initial = `from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True
    dependencies = []
    operations = [
        migrations.CreateModel(name="Team", fields=[("id", models.AutoField(primary_key=True, serialize=False))]),
    ]
`;

describe("loading a service's migration history", () => {
  it("applies SQL files in byte order of their paths, not in locale order", async () => {
    const history = await loadServiceHistory(
      sqlService,
      snapshot({
        "migrations/b/0001.sql": "ALTER TABLE r10_a ADD COLUMN IF NOT EXISTS b int;",
        "migrations/B/0001.sql": "CREATE TABLE IF NOT EXISTS r10_a (id int);",
        "migrations/README.md": "not a migration",
      }),
    );
    expect(history.migrations.map((m) => m.file)).toEqual(["migrations/B/0001.sql", "migrations/b/0001.sql"]);
    expect(["é", "z", "Z"].sort(compareByteOrder)).toEqual(["Z", "z", "é"]);
  });

  it("skips Django's package marker and replays the rest", async () => {
    const history = await loadServiceHistory(djangoService, snapshot({ "dao/migrations/__init__.py": "", "dao/migrations/0001_initial.py": initial }));
    expect(history.migrations.map((m) => m.file)).toEqual(["dao/migrations/0001_initial.py"]);
    expect(history.migrations[0]?.statements[0]?.changes[0]).toMatchObject({ kind: "create-table", table: "dao_team" });
  });

  it("reuses a parsed history from the cache, and shares a replay still running", async () => {
    const cache = new BoundedParseCache();
    const files = { "dao/migrations/0001_initial.py": initial };
    const [first, second] = await Promise.all([
      loadServiceHistory(djangoService, snapshot(files), cache),
      loadServiceHistory(djangoService, snapshot(files), cache),
    ]);
    expect(second.migrations[0]).toBe(first.migrations[0]);
    const third = await loadServiceHistory(djangoService, snapshot(files), cache);
    expect(third.migrations[0]).toBe(first.migrations[0]);
  });

  it("reads nothing for a service without migrations", async () => {
    const source = snapshot({ "main.go": "package main" });
    const history = await loadServiceHistory({ ...sqlService, migrations: [] }, source);
    expect(history.migrations).toEqual([]);
    expect(source.reads).toBe(0);
  });
});

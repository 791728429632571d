import { createHash } from "node:crypto";
import picomatch from "picomatch";
import type { MigrationSource, ServiceConfig } from "../core/config.js";
import { replayDjangoHistory } from "../model/django-replay.js";
import type { ParsedMigration } from "../core/changes.js";
import { loadSqlParser, parseSqlMigration } from "../parse/sql.js";
import type { RepositorySnapshot, SourceFile } from "../core/sources.js";
import type { ParseCache } from "./types.js";

/** One service's migrations, in the order its tool applies them. */
export interface ServiceHistory {
  service: string;
  migrations: ParsedMigration[];
}

/** Byte order of UTF-8 paths, the order `ls`, golang-migrate and goose apply files in. */
export function compareByteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

export function matcherFor(globs: readonly string[]): (path: string) => boolean {
  const matchers = globs.map((glob) => picomatch(glob, { dot: true }));
  return (path) => matchers.some((matches) => matches(path));
}

export function isMigrationPath(service: ServiceConfig, path: string): boolean {
  return matcherFor(service.migrations.map((source) => source.path))(path);
}

function contentKey(file: SourceFile): string {
  return file.sha ?? createHash("sha1").update(file.text).digest("hex");
}

function migrationFilesOf(source: MigrationSource, paths: readonly string[]): string[] {
  const matches = picomatch(source.path, { dot: true });
  const selected = paths.filter((path) => matches(path));
  // Django's package marker is not a migration.
  const relevant = source.format === "django" ? selected.filter((path) => !path.endsWith("__init__.py")) : selected;
  return relevant.sort(compareByteOrder);
}

function parseSqlFiles(source: MigrationSource, files: SourceFile[], cache?: ParseCache): ParsedMigration[] {
  const format = source.format === "django" ? "sql" : source.format;
  return files.map((file) => {
    const key = `${format}:${contentKey(file)}:${file.path}`;
    const cached = cache?.get(key)?.[0];
    if (cached) return cached;
    const parsed = parseSqlMigration(file.text, file.path, format);
    cache?.set(key, [parsed]);
    return parsed;
  });
}

async function replayDjangoSources(
  sources: MigrationSource[],
  filesBySource: Map<MigrationSource, SourceFile[]>,
  cache?: ParseCache,
): Promise<ParsedMigration[]> {
  const inputs = sources.flatMap((source) =>
    (filesBySource.get(source) ?? []).map((file) => ({ file: file.path, text: file.text, appLabel: source.appLabel ?? "" })),
  );
  if (inputs.length === 0) return [];
  const authUserModel = sources.find((source) => source.authUserModel)?.authUserModel;
  const defaultAutoField = sources.find((source) => source.defaultAutoField)?.defaultAutoField;
  const digest = createHash("sha1");
  digest.update(`${authUserModel ?? "auth.User"}\0${defaultAutoField ?? "AutoField"}`);
  for (const source of sources) {
    for (const file of filesBySource.get(source) ?? []) digest.update(`\0${source.appLabel}\0${file.path}\0${contentKey(file)}`);
  }
  const key = `django:${digest.digest("hex")}`;
  const cached = cache?.get(key);
  if (cached) return cached;
  // Pull requests reviewed at the same time on the same base replay its history once.
  let replay = replaysInFlight.get(key);
  if (!replay) {
    replay = replayDjangoHistory(inputs, { authUserModel, defaultAutoField }).finally(() => replaysInFlight.delete(key));
    replaysInFlight.set(key, replay);
  }
  const replayed = await replay;
  cache?.set(key, replayed);
  return replayed;
}

const replaysInFlight = new Map<string, Promise<ParsedMigration[]>>();

/**
 * Reads and replays every migration of `service` at the snapshot's ref. SQL entries apply in
 * byte order of their paths, entry after entry; Django entries replay together, ordered by
 * their dependency graph, before the SQL ones only when configured first.
 */
export async function loadServiceHistory(
  service: ServiceConfig,
  snapshot: RepositorySnapshot,
  cache?: ParseCache,
): Promise<ServiceHistory> {
  if (service.migrations.length === 0) return { service: service.name, migrations: [] };
  await loadSqlParser();
  const paths = await snapshot.listFiles();
  const pathsBySource = new Map(service.migrations.map((source) => [source, migrationFilesOf(source, paths)]));
  const wanted = [...new Set([...pathsBySource.values()].flat())];
  const files = new Map((await snapshot.readFiles(wanted)).map((file) => [file.path, file]));
  const filesBySource = new Map(
    [...pathsBySource].map(([source, sourcePaths]) => [
      source,
      sourcePaths.map((path) => files.get(path)).filter((file): file is SourceFile => file !== undefined),
    ]),
  );

  const migrations: ParsedMigration[] = [];
  const djangoSources = service.migrations.filter((source) => source.format === "django");
  let djangoDone = false;
  for (const source of service.migrations) {
    if (source.format === "django") {
      if (!djangoDone) migrations.push(...(await replayDjangoSources(djangoSources, filesBySource, cache)));
      djangoDone = true;
    } else {
      migrations.push(...parseSqlFiles(source, filesBySource.get(source) ?? [], cache));
    }
  }
  return { service: service.name, migrations };
}

// Part 1: parse and replay a generated 600-migration Django history, and the example hub's.
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { packageRoot } from "../../src/local/workspace-builder.js";
import { replayDjangoHistory, replayParsedHistory, type DjangoMigrationSource } from "../../src/model/django-replay.js";
import { parseDjangoMigrationWith } from "../../src/parse/django.js";
import { analyzeSql, loadSqlParser } from "../../src/parse/sql.js";
import { loadParser } from "../../src/parse/tree-sitter.js";
import { generateDjangoHistory } from "../corpus/django-history.js";
import { peakRssMb, rssMb, timeOnce, timeRuns, type Timing } from "../measure.js";

export const DJANGO_TARGET_MS = 300;
const SHAPE = { appLabel: "dao", folder: "dao/migrations", migrations: 600, models: 120, seed: 20_240_601 };

export interface HistoryFigures {
  migrations: number;
  bytes: number;
  schemaChanges: number;
  unparsed: number;
  /** Parse and replay through `replayDjangoHistory`, parsers already loaded. */
  parseAndReplay: Timing;
  /** Tree-sitter parse of every file into operations. */
  parseOnly: Timing;
  /** Replay of the parsed files (dependency graph, project state, DDL). */
  replayOnly: Timing;
}

export interface DjangoBench {
  generated: HistoryFigures & {
    models: number;
    seed: number;
    operations: Record<string, number>;
    /** The first call of the process: loads tree-sitter-python's and libpg-query's WASM too. */
    coldFirstCall: { wallMs: number; cpuMs: number };
    targetMs: number;
  };
  exampleHub: HistoryFigures;
  memory: { rssAfterLoadMb: number; peakRssMb: number };
}

async function figures(files: DjangoMigrationSource[], runs: number, warmups: number): Promise<HistoryFigures> {
  const parser = await loadParser("python");
  const results = await replayDjangoHistory(files);
  const parseAll = () => files.map((file) => parseDjangoMigrationWith(parser, file));
  const parsed = parseAll();
  return {
    migrations: files.length,
    bytes: files.reduce((sum, file) => sum + Buffer.byteLength(file.text), 0),
    schemaChanges: results.reduce((sum, result) => sum + result.statements.reduce((count, statement) => count + statement.changes.length, 0), 0),
    unparsed: results.reduce((sum, result) => sum + result.unparsed.length, 0),
    parseAndReplay: await timeRuns(() => replayDjangoHistory(files), runs, warmups),
    parseOnly: await timeRuns(parseAll, runs, warmups),
    replayOnly: await timeRuns(() => replayParsedHistory(parsed, { authUserModel: "auth.User", analyzeSql }), runs, warmups),
  };
}

async function exampleHubFiles(): Promise<DjangoMigrationSource[]> {
  const folder = path.join(packageRoot(), "fixtures", "workspace", "r10-hub", "dao", "migrations");
  const names = (await readdir(folder)).filter((name) => name.endsWith(".py")).sort();
  return Promise.all(names.map(async (name) => ({ file: `dao/migrations/${name}`, text: await readFile(path.join(folder, name), "utf8"), appLabel: "dao" })));
}

export async function benchDjango(runs: number, warmups: number): Promise<DjangoBench> {
  const history = generateDjangoHistory(SHAPE);
  const files = history.migrations.map((migration) => ({ file: migration.file, text: migration.text, appLabel: SHAPE.appLabel }));
  const cold = await timeOnce(() => replayDjangoHistory(files));
  await Promise.all([loadParser("python"), loadSqlParser()]);
  const rssAfterLoadMb = rssMb();
  const generated = await figures(files, runs, warmups);
  const exampleHub = await figures(await exampleHubFiles(), runs, warmups);
  return {
    generated: {
      ...generated,
      models: SHAPE.models,
      seed: SHAPE.seed,
      operations: history.operations as Record<string, number>,
      coldFirstCall: { wallMs: cold.wallMs, cpuMs: cold.cpuMs },
      targetMs: DJANGO_TARGET_MS,
    },
    exampleHub,
    memory: { rssAfterLoadMb, peakRssMb: peakRssMb() },
  };
}

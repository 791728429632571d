// Compares a database dump (apply_and_dump.py) with what our replay makes of the same migrations.
//
//   node dist/scripts/verify/compare.js --dump taggit.json \
//     --app taggit=/usr/lib/python3/dist-packages/taggit/migrations \
//     --app auth=/usr/lib/python3/dist-packages/django/contrib/auth/migrations \
//     --app contenttypes=/usr/lib/python3/dist-packages/django/contrib/contenttypes/migrations \
//     [--auth-user-model auth.User] [--default-auto-field django.db.models.BigAutoField] [--json result.json]
//
//   node dist/scripts/verify/compare.js --dump hub.json --schema schema.json [--json result.json]
//
// With --app, the migrations are replayed here, the way the app replays a Django service; with
// --schema, the tables come from the output of `shared-schema-guard schema`.
// Exit status: 0 when every column agrees, 1 when some disagree, 2 for a usage error.

import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { replayDjangoHistory } from "../../src/model/django-replay.js";
import { emptySchema, replayMigrations } from "../../src/model/schema.js";
import type { SchemaState } from "../../src/core/changes.js";
import { compareWithDatabase, formatAgreement, type DatabaseDump, type ReplayedTables } from "./agreement.js";

interface DjangoApp {
  label: string;
  folder: string;
}

class UsageError extends Error {}

function parseApp(argument: string): DjangoApp {
  const equals = argument.indexOf("=");
  const label = argument.slice(0, equals);
  const folder = argument.slice(equals + 1);
  if (equals < 1 || !folder) throw new UsageError(`--app wants LABEL=FOLDER, got ${argument}`);
  return { label, folder };
}

/** The modules Django's loader takes from a migrations package: no `_`/`~` prefix, `.py`. */
function isMigrationModule(name: string): boolean {
  return name.endsWith(".py") && !name.startsWith("_") && !name.startsWith("~");
}

async function readMigrations(app: DjangoApp): Promise<{ file: string; text: string; appLabel: string }[]> {
  const names = (await readdir(app.folder)).filter(isMigrationModule).sort();
  return Promise.all(
    names.map(async (name) => ({
      file: join(app.label, "migrations", name),
      text: await readFile(join(app.folder, name), "utf8"),
      appLabel: app.label,
    })),
  );
}

function tablesOf(schema: SchemaState): ReplayedTables {
  const tables: ReplayedTables = {};
  for (const [name, table] of schema.tables) {
    tables[name] = Object.fromEntries([...table.columns].map(([column, def]) => [column, { type: def.type, nullable: def.nullable }]));
  }
  return tables;
}

interface Replay {
  tables: ReplayedTables;
  /** What the replay could not understand, as `file:line: reason`. */
  unparsed: string[];
  /** Migration files read per app label. */
  migrations: Record<string, number>;
}

async function replayApps(apps: DjangoApp[], authUserModel: string | undefined, defaultAutoField: string | undefined): Promise<Replay> {
  const inputs = (await Promise.all(apps.map(readMigrations))).flat();
  const counts: Record<string, number> = {};
  for (const input of inputs) counts[input.appLabel] = (counts[input.appLabel] ?? 0) + 1;
  const migrations = await replayDjangoHistory(inputs, { authUserModel, defaultAutoField });
  const unparsed = migrations.flatMap((migration) =>
    migration.unparsed.map((item) => `${item.loc.file}:${item.loc.line}: ${item.subject ? `${item.subject}: ` : ""}${item.reason}`),
  );
  return { tables: tablesOf(replayMigrations(emptySchema(), migrations, "corpus")), unparsed, migrations: counts };
}

async function readSchemaOutput(file: string): Promise<ReplayedTables> {
  const printed = JSON.parse(await readFile(file, "utf8")) as { tables: Record<string, { columns: ReplayedTables[string] }> };
  return Object.fromEntries(Object.entries(printed.tables).map(([name, table]) => [name, table.columns]));
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      dump: { type: "string" },
      app: { type: "string", multiple: true, default: [] },
      schema: { type: "string" },
      "auth-user-model": { type: "string" },
      "default-auto-field": { type: "string" },
      json: { type: "string" },
    },
  });
  if (!values.dump || (values.app.length === 0) === !values.schema) {
    throw new UsageError("usage: compare --dump FILE (--app LABEL=FOLDER ... | --schema FILE) [--auth-user-model APP.MODEL] [--default-auto-field CLASS] [--json FILE]");
  }
  const apps = values.app.map(parseApp);
  const truth = JSON.parse(await readFile(values.dump, "utf8")) as DatabaseDump;
  const replay: Replay = values.schema
    ? { tables: await readSchemaOutput(values.schema), unparsed: [], migrations: {} }
    : await replayApps(apps, values["auth-user-model"], values["default-auto-field"]);
  const agreement = compareWithDatabase(truth, replay.tables);
  console.log(formatAgreement(agreement, replay.unparsed));
  const report = { ...agreement, unparsed: replay.unparsed, migrations: replay.migrations, labels: truth.labels };
  if (values.json) await writeFile(values.json, `${JSON.stringify(report, null, 2)}\n`);
  const agrees = agreement.underTest.agreeing === agreement.underTest.columns && agreement.missingTables.length === 0;
  return agrees ? 0 : 1;
}

main().then(
  (status) => {
    process.exitCode = status;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = error instanceof UsageError ? 2 : 1;
  },
);

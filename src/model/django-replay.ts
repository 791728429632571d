// Replays a service's Django migrations the way `manage.py migrate` applies them, turning
// each operation into the SchemaChanges PostgreSQL sees, with the real table and column names.
import { parseDjangoMigrationWith, type DjangoMigrationFile } from "../parse/django.js";
import { analyzeSql, loadSqlParser } from "../parse/sql.js";
import { loadParser } from "../parse/tree-sitter.js";
import type { ParsedMigration } from "../core/changes.js";
import { planMigrations } from "./django-graph.js";
import { OperationReplayer, type SqlAnalyzer } from "./django-operations.js";
import { DjangoProjectState } from "./django-state.js";

export interface DjangoMigrationSource {
  file: string;
  text: string;
  appLabel: string;
}

export interface DjangoReplayOptions {
  /** `app_label.Model` that `settings.AUTH_USER_MODEL` names; default `auth.User`. */
  authUserModel?: string;
  /** `settings.DEFAULT_AUTO_FIELD` (`BigAutoField` or `django.db.models.BigAutoField`); default `AutoField`. */
  defaultAutoField?: string;
}

export interface ParsedHistoryOptions {
  authUserModel: string;
  /** PostgreSQL type of `settings.DEFAULT_AUTO_FIELD`; default `integer`. */
  joinTableIdType?: string;
  analyzeSql: SqlAnalyzer;
}

const AUTO_FIELD_TYPES: Record<string, string> = { AutoField: "integer", BigAutoField: "bigint", SmallAutoField: "smallint" };

/** The column type of an auto field class named in settings; custom classes keep Django's default. */
export function autoFieldType(setting: string | undefined): string {
  const name = setting?.slice(setting.lastIndexOf(".") + 1) ?? "AutoField";
  return AUTO_FIELD_TYPES[name] ?? "integer";
}

/** Django's loader skips modules whose names start with `_` or `~` (`__init__.py`). */
function isMigrationModule(file: string): boolean {
  const base = file.slice(file.lastIndexOf("/") + 1);
  return !base.startsWith("_") && !base.startsWith("~");
}

/**
 * Replays every migration of one service (possibly several app labels), ordered by Django's
 * dependency graph across apps, and returns one ParsedMigration per file, in apply order.
 * Squashed migrations: see PlannedMigration.replay. Never throws for bad input.
 */
export async function replayDjangoHistory(files: DjangoMigrationSource[], options: DjangoReplayOptions = {}): Promise<ParsedMigration[]> {
  const parser = await loadParser("python");
  await loadSqlParser();
  const migrations = files.filter((file) => isMigrationModule(file.file)).map((file) => parseDjangoMigrationWith(parser, file));
  return replayParsedHistory(migrations, {
    authUserModel: options.authUserModel ?? "auth.User",
    joinTableIdType: autoFieldType(options.defaultAutoField),
    analyzeSql,
  });
}

/** The pure part of the replay, over migrations already read. */
export function replayParsedHistory(migrations: DjangoMigrationFile[], options: ParsedHistoryOptions): ParsedMigration[] {
  const plan = planMigrations(migrations, options.authUserModel);
  let state = new DjangoProjectState(options.joinTableIdType);
  const results: ParsedMigration[] = [];
  for (const { migration, replay } of plan.order) {
    const result: ParsedMigration = { file: migration.file, format: "django", inTransaction: migration.atomic, statements: [], unparsed: [...migration.unparsed] };
    result.unparsed.push(...plan.problems.filter((problem) => problem.loc.file === migration.file));
    if (replay) {
      const replayer = new OperationReplayer(state, { file: migration.file, appLabel: migration.appLabel, authUserModel: options.authUserModel, analyzeSql: options.analyzeSql, functions: migration.functions }, result);
      for (const operation of migration.operations) {
        try {
          replayer.apply(operation);
        } catch (error) {
          const reason = `the operation could not be replayed: ${error instanceof Error ? error.message : String(error)}`;
          result.unparsed.push({ loc: { file: migration.file, line: operation.line }, reason, context: "migration", subject: operation.callee });
        }
      }
      state = replayer.state;
    }
    results.push(result);
  }
  return results;
}

// Checks that need the whole document: names that must refer to declared services,
// repositories listed once, Django entries that say which app they are.
import type { GuardConfig, MigrationSource, ServiceConfig, TableConfig } from "../core/config.js";
import { normaliseTableName } from "../core/ownership.js";
import { ruleIds } from "../rules/index.js";
import type { ConfigDocument, MigrationEntryDocument } from "./schema.js";
import { SERVICE_NAME } from "./schema.js";
import type { ConfigPath, PathProblem } from "./problems.js";

const TABLE_NAME = /^[a-z_][a-z0-9_$]*$/;
const KNOWN_RULES: ReadonlySet<string> = new Set(ruleIds);

export type SemanticResult = { ok: true; config: GuardConfig } | { ok: false; problems: PathProblem[] };

export function checkSemantics(document: ConfigDocument): SemanticResult {
  const problems: PathProblem[] = [];
  const services = readServices(document, problems);
  const known = [...services.keys()];
  const requireService = (name: string, path: ConfigPath): void => {
    if (!services.has(name)) {
      problems.push({ path, message: `unknown service "${name}" (services: ${known.join(", ")})`, at: "value" });
    }
  };
  requireService(document.default_owner, ["default_owner"]);
  const tables = readTables(document, requireService, problems);
  const rules = readRules(document, problems);
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    config: {
      ...(document.prefix === undefined ? {} : { prefix: document.prefix }),
      ...(document.postgres === undefined ? {} : { postgres: document.postgres }),
      defaultOwner: document.default_owner,
      services,
      tables,
      rules,
    },
  };
}

function readServices(document: ConfigDocument, problems: PathProblem[]): Map<string, ServiceConfig> {
  const services = new Map<string, ServiceConfig>();
  const serviceOfRepo = new Map<string, string>();
  const entries = Object.entries(document.services);
  if (entries.length === 0) {
    problems.push({ path: ["services"], message: "must name at least one service", at: "value" });
  }
  for (const [name, entry] of entries) {
    if (!SERVICE_NAME.test(name)) {
      problems.push({
        path: ["services", name],
        message: `service names are lower-case letters, digits, "-" and "_", starting with a letter (got "${name}")`,
        at: "key",
      });
    }
    const repoKey = entry.repo.toLowerCase();
    const earlier = serviceOfRepo.get(repoKey);
    if (earlier === undefined) serviceOfRepo.set(repoKey, name);
    else {
      problems.push({
        path: ["services", name, "repo"],
        message: `repository ${entry.repo} is already listed for service "${earlier}"`,
        at: "value",
      });
    }
    const migrations = (entry.migrations ?? []).map((migration, index) =>
      readMigration(migration, ["services", name, "migrations", index], problems),
    );
    services.set(name, {
      name,
      repo: entry.repo,
      ...(entry.team === undefined ? {} : { team: entry.team }),
      migrations,
      code: entry.code ?? [],
    });
  }
  return services;
}

function readMigration(entry: MigrationEntryDocument, path: ConfigPath, problems: PathProblem[]): MigrationSource {
  if (entry.format === "django") {
    if (entry.app_label === undefined) {
      problems.push({
        path: [...path, "app_label"],
        message: "is required for format django: the label of the Django app these migrations belong to (e.g. dao)",
        at: "key",
      });
    }
  } else {
    for (const key of ["app_label", "auth_user_model", "default_auto_field"] as const) {
      if (entry[key] !== undefined) {
        problems.push({ path: [...path, key], message: `applies only to format django (this entry is ${entry.format})`, at: "key" });
      }
    }
  }
  return {
    path: entry.path,
    format: entry.format,
    ...(entry.app_label === undefined ? {} : { appLabel: entry.app_label }),
    ...(entry.auth_user_model === undefined ? {} : { authUserModel: entry.auth_user_model }),
    ...(entry.default_auto_field === undefined ? {} : { defaultAutoField: entry.default_auto_field }),
  };
}

function readTables(
  document: ConfigDocument,
  requireService: (name: string, path: ConfigPath) => void,
  problems: PathProblem[],
): Map<string, TableConfig> {
  const tables = new Map<string, TableConfig>();
  const spelling = new Map<string, string>();
  for (const [key, entry] of Object.entries(document.tables ?? {})) {
    const name = normaliseTableName(key);
    if (!TABLE_NAME.test(name)) {
      problems.push({ path: ["tables", key], message: `"${key}" is not a table name`, at: "key" });
      continue;
    }
    const earlier = spelling.get(name);
    if (earlier !== undefined) {
      problems.push({
        path: ["tables", key],
        message: `names the same table as "${earlier}" (table names are not case-sensitive)`,
        at: "key",
      });
      continue;
    }
    spelling.set(name, key);
    requireService(entry.owner, ["tables", key, "owner"]);
    const writers = entry.writers ?? [];
    writers.forEach((writer, index) => requireService(writer, ["tables", key, "writers", index]));
    tables.set(name, { owner: entry.owner, writers: [...new Set([entry.owner, ...writers])] });
  }
  return tables;
}

function readRules(document: ConfigDocument, problems: PathProblem[]): GuardConfig["rules"] {
  const rules: GuardConfig["rules"] = {};
  for (const [id, setting] of Object.entries(document.rules ?? {})) {
    if (KNOWN_RULES.has(id)) rules[id] = setting;
    else {
      problems.push({
        path: ["rules", id],
        message: `unknown rule id "${id}" (rules: ${ruleIds.join(", ")})`,
        at: "key",
      });
    }
  }
  return rules;
}

import type { GuardConfig, ServiceConfig } from "./config.js";

/**
 * The service whose migrations may change `table`: the configured owner, else the
 * service whose migrations created it (when the caller knows), else `default_owner`.
 */
export function ownerOf(config: GuardConfig, table: string, createdBy?: string): string {
  return config.tables.get(normaliseTableName(table))?.owner ?? createdBy ?? config.defaultOwner;
}

/** Services allowed to write rows of `table`; always includes the owner. */
export function writersOf(config: GuardConfig, table: string, createdBy?: string): string[] {
  const configured = config.tables.get(normaliseTableName(table))?.writers ?? [];
  return [...new Set([ownerOf(config, table, createdBy), ...configured])];
}

/** The service whose repository is `repo` (`owner/name`, compared case-insensitively). */
export function serviceByRepo(config: GuardConfig, repo: string): ServiceConfig | undefined {
  const wanted = repo.toLowerCase();
  for (const service of config.services.values()) {
    if (service.repo.toLowerCase() === wanted) return service;
  }
  return undefined;
}

/** Table names as PostgreSQL folds unquoted identifiers, without the default `public.` schema. */
export function normaliseTableName(name: string): string {
  const lower = name.trim().toLowerCase();
  return lower.startsWith("public.") ? lower.slice("public.".length) : lower;
}

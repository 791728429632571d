import type { MigrationFormat } from "./changes.js";

/** A rule's id, as `src/rules/index.ts` registers it. */
export type RuleId = string;
export type Severity = "error" | "warning" | "notice";
export type SeveritySetting = Severity | "off";

export interface MigrationSource {
  /** Glob relative to the repository root (`**` allowed). */
  path: string;
  format: MigrationFormat;
  /** Django only: the app label whose migrations these are. */
  appLabel?: string;
  /** Django only: `app_label.Model` that `settings.AUTH_USER_MODEL` names; default `auth.User`. */
  authUserModel?: string;
  /** Django only: `settings.DEFAULT_AUTO_FIELD`, the key type of automatic join tables; default `AutoField`. */
  defaultAutoField?: string;
}

export interface ServiceConfig {
  name: string;
  /** `owner/name` */
  repo: string;
  /** `org/team-slug` whose members may acknowledge on behalf of this service. */
  team?: string;
  migrations: MigrationSource[];
  code: string[];
}

export interface TableConfig {
  owner: string;
  /** Defaults to `[owner]`. */
  writers: string[];
}

export interface GuardConfig {
  prefix?: string;
  /** The database's PostgreSQL major version, which changes what rewrites a table; absent: a current one (12 or later). */
  postgres?: number;
  defaultOwner: string;
  services: Map<string, ServiceConfig>;
  tables: Map<string, TableConfig>;
  rules: Partial<Record<RuleId, SeveritySetting>>;
}

/** A problem in the configuration file, with where it is. */
export interface ConfigProblem {
  file: string;
  /** Path inside the document, e.g. `services.hub.migrations[0].format`. */
  path: string;
  line?: number;
  column?: number;
  message: string;
}

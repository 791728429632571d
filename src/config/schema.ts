// The shape of `.github/shared-schema.yml` as written by people (snake_case keys).
// Semantic checks that need the whole document (unknown services, repeated repos)
// live in validate.ts; this file only says what each node may look like.
import { z } from "zod";

export const MIGRATION_FORMATS = ["django", "sql", "goose", "dbmate"] as const;
export const SEVERITY_SETTINGS = ["error", "warning", "notice", "off"] as const;

/** Lower-case service names, usable in `/ownership ack` and in finding texts. */
export const SERVICE_NAME = /^[a-z][a-z0-9_-]*$/;
const REPO_NAME = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;
const TEAM_NAME = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;
const PREFIX = /^[a-z_][a-z0-9_]*$/;
const DJANGO_MODEL = /^[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*$/;

const nonEmpty = z.string().min(1, { error: "must not be empty" });

const migrationEntry = z.strictObject({
  path: nonEmpty,
  format: z.enum(MIGRATION_FORMATS),
  app_label: nonEmpty.optional(),
  auth_user_model: z
    .string()
    .regex(DJANGO_MODEL, { error: 'must name a model as "app_label.Model", e.g. "auth.User"' })
    .optional(),
  default_auto_field: z
    .string()
    .regex(/^([A-Za-z_]\w*\.)*(AutoField|BigAutoField|SmallAutoField)$/, {
      error: 'must be AutoField, BigAutoField or SmallAutoField, optionally with its module, e.g. "django.db.models.BigAutoField"',
    })
    .optional(),
});

const service = z.strictObject({
  repo: z.string().regex(REPO_NAME, { error: 'must be "owner/name", e.g. "r10score/r10-hub"' }),
  team: z
    .string()
    .regex(TEAM_NAME, { error: 'must be "org/team-slug", e.g. "r10score/backend"' })
    .optional(),
  migrations: z.array(migrationEntry).nullish(),
  code: z.array(nonEmpty).nullish(),
});

const table = z.strictObject({
  owner: nonEmpty,
  writers: z.array(nonEmpty).nullish(),
});

export const configDocument = z.strictObject({
  /** Probot merges `_extends` before the app sees the file; locally it is only tolerated. */
  _extends: z.string().optional(),
  prefix: z
    .string()
    .regex(PREFIX, { error: "must be lower-case letters, digits and underscores, e.g. r10_" })
    .optional(),
  default_owner: nonEmpty,
  postgres: z
    .number({ error: "must be PostgreSQL's major version, e.g. 15" })
    .int({ error: "must be PostgreSQL's major version, e.g. 15" })
    .min(9, { error: "must be PostgreSQL's major version, e.g. 15" })
    .max(99, { error: "must be PostgreSQL's major version, e.g. 15" })
    .optional(),
  services: z.record(z.string(), service),
  tables: z.record(z.string(), table).nullish(),
  rules: z.record(z.string(), z.enum(SEVERITY_SETTINGS)).nullish(),
});

export type ConfigDocument = z.infer<typeof configDocument>;
export type MigrationEntryDocument = z.infer<typeof migrationEntry>;

/** The keys a mapping at `path` may hold, for "unknown key" messages. `_extends` is not advertised. */
export function allowedKeys(path: readonly (string | number)[]): string[] {
  const shape =
    path.length === 0
      ? configDocument.shape
      : path[0] === "services" && path.length === 2
        ? service.shape
        : path[0] === "services" && path.length === 4
          ? migrationEntry.shape
          : path[0] === "tables" && path.length === 2
            ? table.shape
            : {};
  return Object.keys(shape).filter((key) => key !== "_extends");
}

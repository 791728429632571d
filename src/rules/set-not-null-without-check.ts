// SET NOT NULL scans the whole table under an ACCESS EXCLUSIVE lock to prove no row is NULL.
// Since PostgreSQL 12 a validated `CHECK (col IS NOT NULL)` proves it instead, and the scan
// is skipped; the CHECK is added NOT VALID and validated without blocking anyone.
import type { ParsedMigration, SetNotNull } from "../core/changes.js";
import { defineLockRule, type LockFindingParts } from "./lock-audience.js";
import { PullRequestObjects, postgresVersion, walkMigrations } from "./locking.js";
import { pythonBlock, quoteIdent, sqlBlock, steps } from "./recipes.js";
import type { ReviewInput } from "./types.js";

const key = (table: string, name: string): string => `${table}\u0000${name}`;

/** `<column>_not_null` or `<table>_<column>_not_null`: a helper check named for its column. */
function columnOfHelperName(table: string, constraint: string): string | undefined {
  const stem = constraint.endsWith("_not_null") ? constraint.slice(0, -"_not_null".length) : "";
  if (stem === "") return undefined;
  if (stem.startsWith(`${table}_`) && stem.length > table.length + 1) return stem.slice(table.length + 1);
  return stem === table ? undefined : stem;
}

function recipeFor(change: SetNotNull, migration: ParsedMigration, version: number): string {
  const check = `${change.table}_${change.column}_not_null`;
  const t = quoteIdent(change.table);
  const c = quoteIdent(change.column);
  if (version < 12) {
    return steps(
      `PostgreSQL ${version} scans for SET NOT NULL whatever constraints exist. Keep the column nullable and enforce it with a validated CHECK instead, which never blocks:`,
      sqlBlock(`ALTER TABLE ${t} ADD CONSTRAINT ${check} CHECK (${c} IS NOT NULL) NOT VALID;`, `-- next migration, its own transaction:`, `ALTER TABLE ${t} VALIDATE CONSTRAINT ${check};`),
    );
  }
  if (migration.format === "django") {
    return steps(
      "Add a NOT VALID check (backfill any NULLs first):",
      pythonBlock(
        "from django.contrib.postgres.operations import AddConstraintNotValid",
        "",
        `operations = [AddConstraintNotValid("<model>", models.CheckConstraint(check=models.Q(${change.column}__isnull=False), name="${check}"))]`,
      ),
      "Next migration: validate it, without blocking reads or writes:",
      pythonBlock("from django.contrib.postgres.operations import ValidateConstraint", "", `operations = [ValidateConstraint("<model>", "${check}")]`),
      "Next migration: the AlterField to `null=False` now skips the scan; remove the helper check after it:",
      pythonBlock(`operations = [migrations.AlterField(...), migrations.RemoveConstraint("<model>", "${check}")]`),
    );
  }
  return steps(
    "Add a NOT VALID check (instant; backfill any NULLs before the next step):",
    sqlBlock(`ALTER TABLE ${t} ADD CONSTRAINT ${check} CHECK (${c} IS NOT NULL) NOT VALID;`),
    "Next migration, its own transaction: validate it under a lock that blocks neither reads nor writes:",
    sqlBlock(`ALTER TABLE ${t} VALIDATE CONSTRAINT ${check};`),
    "Then SET NOT NULL uses the validated check and skips the scan; drop the helper after it:",
    sqlBlock(`ALTER TABLE ${t} ALTER COLUMN ${c} SET NOT NULL;`, `ALTER TABLE ${t} DROP CONSTRAINT ${check};`),
  );
}

/** Whether the column is NOT NULL already before the pull request: then SET NOT NULL does nothing. */
function alreadyNotNull(input: Pick<ReviewInput, "baseSchema">, change: SetNotNull, added: ReadonlySet<string>): boolean {
  if (added.has(key(change.table, change.column))) return false;
  const column = input.baseSchema.tables.get(change.table)?.columns.get(change.column);
  return column !== undefined && !column.nullable;
}

export const setNotNullWithoutCheck = defineLockRule(
  {
    id: "set-not-null-without-check",
    description: "SET NOT NULL on an existing column without a validated CHECK (col IS NOT NULL) first.",
    docs: "docs/rules/set-not-null-without-check.md",
  },
  (input) => {
    const version = postgresVersion(input);
    const objects = new PullRequestObjects(input);
    const checks = new Map<string, string>();
    const validated = new Set<string>();
    const outside = new Set<string>();
    const dropped = new Set<string>();
    const added = new Set<string>();
    const candidates: { change: SetNotNull; migration: ParsedMigration; outsideKnown: boolean; loc: LockFindingParts["loc"] }[] = [];
    for (const { statement, migration, locking } of walkMigrations(input)) {
      objects.record(statement.changes);
      for (const validate of locking.validates) {
        const column = checks.get(key(validate.table, validate.constraint));
        if (column !== undefined) validated.add(key(validate.table, column));
        else outside.add(key(validate.table, validate.constraint));
      }
      for (const change of statement.changes) {
        if (change.kind === "add-column") added.add(key(change.table, change.column.name));
        if (change.kind === "add-constraint" && change.constraint.kind === "check" && change.constraint.notNullColumn !== undefined) {
          checks.set(key(change.table, change.constraint.name ?? ""), change.constraint.notNullColumn);
          if (!change.constraint.notValid) validated.add(key(change.table, change.constraint.notNullColumn));
        }
        if (change.kind === "drop-constraint") dropped.add(key(change.table, change.name));
        if (change.kind !== "set-not-null" || objects.isNew(change.table) || alreadyNotNull(input, change, added)) continue;
        if (version >= 12 && validated.has(key(change.table, change.column))) continue;
        const outsideKnown = [...outside].some((entry) => entry.startsWith(`${change.table}\u0000`));
        candidates.push({ change, migration, outsideKnown, loc: statement.loc });
      }
    }
    // A check validated here but added by an earlier pull request: trusted when it is dropped
    // here too (the helper pattern), matched to its column by name, else one per SET NOT NULL.
    const unnamed = new Map<string, number>();
    for (const entry of outside) {
      if (!dropped.has(entry)) continue;
      const [table = "", constraint = ""] = entry.split("\u0000");
      const column = columnOfHelperName(table, constraint);
      if (column !== undefined) validated.add(key(table, column));
      else unnamed.set(table, (unnamed.get(table) ?? 0) + 1);
    }
    const found: LockFindingParts[] = [];
    for (const { change, migration, outsideKnown, loc } of candidates) {
      if (version >= 12 && outsideKnown) {
        if (validated.has(key(change.table, change.column))) continue;
        const spare = unnamed.get(change.table) ?? 0;
        if (spare > 0) {
          unnamed.set(change.table, spare - 1);
          continue;
        }
      }
      const why =
        version >= 12
          ? `no validated \`CHECK (${change.column} IS NOT NULL)\` precedes it, so PostgreSQL scans every row under an ACCESS EXCLUSIVE lock to prove none is NULL`
          : `on PostgreSQL ${version} it scans every row under an ACCESS EXCLUSIVE lock to prove none is NULL, whatever checks exist`;
      found.push({
        rule: "set-not-null-without-check",
        table: change.table,
        column: change.column,
        loc,
        problem: `This makes \`${change.table}.${change.column}\` NOT NULL: ${why}.`,
        blocks: "reads and writes",
        duration: "the scan takes",
        recipe: recipeFor(change, migration, version),
        key: change.column,
      });
    }
    return found;
  },
);

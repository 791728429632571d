// ADD COLUMN with a default. Since PostgreSQL 11 a non-volatile default (a constant, now(),
// CURRENT_TIMESTAMP) is stored once in the catalog: instant. A volatile one (random(),
// gen_random_uuid(), clock_timestamp(), a sequence) needs a value per row: the table is
// rewritten under ACCESS EXCLUSIVE. Before 11, every non-null default rewrites.
import type { AddColumn, ParsedMigration } from "../core/changes.js";
import { defineLockRule, type LockFindingParts } from "./lock-audience.js";
import { PullRequestObjects, postgresVersion, walkMigrations } from "./locking.js";
import { pythonBlock, quoteIdent, sqlBlock, steps } from "./recipes.js";

function why(change: AddColumn, postgres: number): string | undefined {
  const volatility = change.column.defaultVolatility ?? (change.column.hasDefault ? "immutable" : undefined);
  const text = change.column.defaultText ?? "a default";
  if (volatility === undefined) return undefined;
  if (volatility === "volatile") return `its default, ${text}, is VOLATILE: PostgreSQL computes it for every existing row`;
  if (volatility === "unknown") return `its default, ${text}, calls a function the app cannot classify; if it is VOLATILE, PostgreSQL computes it for every existing row`;
  if (postgres < 11) return `on PostgreSQL ${postgres} any default (here ${text}) is written into every existing row`;
  return undefined;
}

function recipeFor(change: AddColumn, migration: ParsedMigration): string {
  const t = quoteIdent(change.table);
  const c = quoteIdent(change.column.name);
  if (migration.format === "django") {
    return steps(
      "Add the field nullable and without a database default: `AddField(..., field=models.X(null=True))` (instant).",
      "Backfill existing rows in batches, outside the schema migration's transaction:",
      pythonBlock("class Migration(migrations.Migration):", "    atomic = False", "    operations = [migrations.RunPython(backfill_in_batches, migrations.RunPython.noop)]"),
      "Then `AlterField` to the final definition (NOT NULL via `set-not-null-without-check`'s recipe).",
    );
  }
  return steps(
    "Add the column without a default, then set the default for new rows only (both instant):",
    sqlBlock(`ALTER TABLE ${t} ADD COLUMN ${c} ${change.column.type};`, `ALTER TABLE ${t} ALTER COLUMN ${c} SET DEFAULT ${change.column.defaultText?.endsWith("()") ? change.column.defaultText : "…"};`),
    "Backfill existing rows in batches, outside the migration, each batch its own transaction:",
    sqlBlock(`UPDATE ${t} SET ${c} = DEFAULT WHERE ${c} IS NULL AND id BETWEEN … AND …;`),
  );
}

export const volatileDefault = defineLockRule(
  {
    id: "volatile-default",
    description: "A column is added to an existing table with a volatile default (or with any default, on PostgreSQL before 11), which rewrites the table.",
    docs: "docs/rules/volatile-default.md",
  },
  (input) => {
    const postgres = postgresVersion(input);
    const objects = new PullRequestObjects(input);
    const found: LockFindingParts[] = [];
    for (const { statement, migration } of walkMigrations(input)) {
      objects.record(statement.changes);
      for (const change of statement.changes) {
        if (change.kind !== "add-column" || objects.isNew(change.table)) continue;
        const reason = why(change, postgres);
        if (reason === undefined) continue;
        found.push({
          rule: "volatile-default",
          table: change.table,
          column: change.column.name,
          loc: statement.loc,
          problem: `This adds \`${change.table}.${change.column.name}\`, and ${reason}, rewriting the whole table under an ACCESS EXCLUSIVE lock.`,
          blocks: "reads and writes",
          duration: "the rewrite takes",
          recipe: recipeFor(change, migration),
          key: change.column.name,
        });
      }
    }
    return found;
  },
);

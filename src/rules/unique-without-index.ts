// ADD UNIQUE / PRIMARY KEY builds its index under an ACCESS EXCLUSIVE lock. Built first with
// CREATE UNIQUE INDEX CONCURRENTLY, the index becomes the constraint instantly (USING INDEX).
import type { ParsedMigration } from "../core/changes.js";
import { defineLockRule, type LockFindingParts } from "./lock-audience.js";
import { PullRequestObjects, walkMigrations } from "./locking.js";
import { outsideTransaction, pythonBlock, quoteIdent, sqlBlock, steps } from "./recipes.js";

function recipeFor(table: string, columns: string[], kind: "UNIQUE" | "PRIMARY KEY", name: string, migration: ParsedMigration): string {
  const index = `${name}_idx`;
  const t = quoteIdent(table);
  const build = `CREATE UNIQUE INDEX CONCURRENTLY ${quoteIdent(index)} ON ${t} (${columns.map(quoteIdent).join(", ") || "…"});`;
  const attach = `ALTER TABLE ${t} ADD CONSTRAINT ${quoteIdent(name)} ${kind} USING INDEX ${quoteIdent(index)};`;
  const notNull = kind === "PRIMARY KEY" ? " The key's columns must be NOT NULL already (see `set-not-null-without-check`), or this step scans the table." : "";
  if (migration.format === "django") {
    return steps(
      "In a migration with `atomic = False`, build the index concurrently, attach it, and tell Django's state:",
      pythonBlock(
        "migrations.SeparateDatabaseAndState(",
        "    database_operations=[",
        `        migrations.RunSQL('${build}', reverse_sql='DROP INDEX CONCURRENTLY IF EXISTS ${quoteIdent(index)};'),`,
        `        migrations.RunSQL('${attach}', reverse_sql='ALTER TABLE ${t} DROP CONSTRAINT ${quoteIdent(name)};'),`,
        "    ],",
        "    state_operations=[...],  # the AddConstraint / AlterField(unique=True) / AlterUniqueTogether",
        ")",
      ),
    );
  }
  return steps(
    `Build the unique index without blocking writes, ${outsideTransaction(migration.format)}:`,
    sqlBlock(build),
    `Then make it the constraint; this only takes a brief lock.${notNull}`,
    sqlBlock(attach),
  );
}

export const uniqueWithoutIndex = defineLockRule(
  {
    id: "unique-without-index",
    description: "A UNIQUE or PRIMARY KEY constraint is added to an existing table without an index built CONCURRENTLY first (USING INDEX).",
    docs: "docs/rules/unique-without-index.md",
  },
  (input) => {
    const objects = new PullRequestObjects(input);
    const found: LockFindingParts[] = [];
    for (const { statement, migration } of walkMigrations(input)) {
      objects.record(statement.changes);
      for (const change of statement.changes) {
        let target: { table: string; columns: string[]; kind: "UNIQUE" | "PRIMARY KEY"; name?: string; column?: string } | undefined;
        if (change.kind === "add-constraint" && (change.constraint.kind === "unique" || change.constraint.kind === "primary-key")) {
          const kind = change.constraint.kind === "unique" ? "UNIQUE" : "PRIMARY KEY";
          target = { table: change.table, columns: change.constraint.columns, kind, ...(change.constraint.name ? { name: change.constraint.name } : {}) };
        } else if (change.kind === "add-column" && (change.column.unique || change.column.primaryKey)) {
          target = { table: change.table, columns: [change.column.name], kind: change.column.primaryKey ? "PRIMARY KEY" : "UNIQUE", column: change.column.name };
        }
        if (!target || objects.isNew(target.table)) continue;
        const table = target.table;
        const name = target.name ?? `${table}_${target.columns.join("_")}_${target.kind === "UNIQUE" ? "key" : "pkey"}`;
        found.push({
          rule: "unique-without-index",
          table,
          ...(target.column ? { column: target.column } : {}),
          loc: statement.loc,
          problem: `This adds a ${target.kind} constraint on \`${change.table}\` (${target.columns.join(", ")}) that builds its index in place: PostgreSQL holds an ACCESS EXCLUSIVE lock while it reads every row and builds the index.`,
          blocks: "reads and writes",
          duration: "the index build takes",
          recipe: recipeFor(table, target.columns, target.kind, name, migration),
          key: `${target.kind}:${name}`,
        });
      }
    }
    return found;
  },
);

// CREATE INDEX and DROP INDEX without CONCURRENTLY on a table that already has rows: the
// build holds a SHARE lock (writes wait), the drop an ACCESS EXCLUSIVE one (everything waits).
import type { CreateIndex, DropIndex, ParsedMigration } from "../core/changes.js";
import { defineLockRule, type LockFindingParts } from "./lock-audience.js";
import { PullRequestObjects, walkMigrations, type WalkedStatement } from "./locking.js";
import { outsideTransaction, pythonBlock, rewriteLines, sqlBlock, steps } from "./recipes.js";

function indexSql(change: CreateIndex): string {
  const name = change.name ? `${change.name} ` : "";
  return `CREATE ${change.unique ? "UNIQUE " : ""}INDEX CONCURRENTLY ${change.ifNotExists ? "IF NOT EXISTS " : ""}${name}ON ${change.table} (${change.columns.join(", ") || "…"});`;
}

function createRecipe(change: CreateIndex, migration: ParsedMigration): string {
  if (migration.format === "django") {
    const name = change.name ?? "<name>";
    return steps(
      "Build the index without blocking writes, in a migration of its own with `atomic = False`:",
      pythonBlock(
        "from django.contrib.postgres.operations import AddIndexConcurrently",
        "",
        "class Migration(migrations.Migration):",
        "    atomic = False",
        "    operations = [",
        `        AddIndexConcurrently("<model>", models.Index(fields=[${change.columns.map((column) => `"${column}"`).join(", ")}], name="${name}")),`,
        "    ]",
      ),
      `For \`db_index=True\` on AddField/AlterField: add the field without \`db_index\`, then in that non-atomic migration use \`SeparateDatabaseAndState(database_operations=[RunSQL('${indexSql(change)}', reverse_sql='DROP INDEX CONCURRENTLY IF EXISTS ${name};')], state_operations=[AlterField(... db_index=True)])\`.`,
    );
  }
  return steps(
    `Build it with \`CONCURRENTLY\`, ${outsideTransaction(migration.format)}:`,
    sqlBlock(indexSql(change)),
    "If the build fails it leaves an INVALID index: `DROP INDEX CONCURRENTLY` it and run the migration again.",
  );
}

function dropRecipe(change: DropIndex, migration: ParsedMigration): string {
  if (migration.format === "django") {
    return steps(
      "Drop it without blocking reads, in a migration with `atomic = False`:",
      pythonBlock("class Migration(migrations.Migration):", "    atomic = False", `    operations = [RemoveIndexConcurrently("<model>", "${change.name}")]`),
    );
  }
  return steps(`Drop it with \`CONCURRENTLY\`, ${outsideTransaction(migration.format)}:`, sqlBlock(`DROP INDEX CONCURRENTLY IF EXISTS ${change.name};`));
}

/** `CREATE INDEX` → `CREATE INDEX CONCURRENTLY` on the statement's own lines, where that alone makes it safe. */
function concurrentlySuggestion(walked: WalkedStatement): LockFindingParts["suggestion"] {
  if (walked.inTransaction || walked.migration.format === "django" || walked.statement.changes.length !== 1) return undefined;
  return rewriteLines(walked.statement, (text) => {
    if (!/^\s*(create|drop)\b/i.test(text) || /\bconcurrently\b/i.test(text)) return undefined;
    return text.replace(/\bindex\b/i, (word) => `${word} ${word === word.toUpperCase() ? "CONCURRENTLY" : "concurrently"}`);
  });
}

export const nonConcurrentIndex = defineLockRule(
  {
    id: "non-concurrent-index",
    description: "An index is created or dropped without CONCURRENTLY on a table that already exists.",
    docs: "docs/rules/non-concurrent-index.md",
  },
  (input) => {
    const objects = new PullRequestObjects(input);
    const found: LockFindingParts[] = [];
    for (const walked of walkMigrations(input)) {
      const { statement, migration } = walked;
      objects.record(statement.changes);
      for (const change of statement.changes) {
        if (change.kind === "create-index" && !change.concurrently && !objects.isNew(change.table)) {
          found.push({
            rule: "non-concurrent-index",
            table: change.table,
            loc: statement.loc,
            problem: `This builds ${change.name ? `index \`${change.name}\`` : "an index"} on \`${change.table}\` without \`CONCURRENTLY\`: PostgreSQL holds a SHARE lock on the table for the whole build, so every INSERT, UPDATE and DELETE waits.`,
            blocks: "writes",
            duration: "the index build takes",
            recipe: createRecipe(change, migration),
            suggestion: concurrentlySuggestion(walked),
            key: `create:${change.name ?? change.columns.join(",")}`,
          });
        }
        if (change.kind === "drop-index" && !change.concurrently) {
          const table = objects.tableOf(change.table ?? change.name);
          if (objects.isNew(table)) continue;
          found.push({
            rule: "non-concurrent-index",
            table,
            loc: statement.loc,
            problem: `This drops index \`${change.name}\` without \`CONCURRENTLY\`: PostgreSQL takes an ACCESS EXCLUSIVE lock on \`${table}\`, so every query of the table waits, and queues behind any long-running one.`,
            blocks: "reads and writes",
            duration: "the lock is held",
            recipe: dropRecipe(change, migration),
            suggestion: concurrentlySuggestion(walked),
            key: `drop:${change.name}`,
          });
        }
      }
    }
    return found;
  },
);

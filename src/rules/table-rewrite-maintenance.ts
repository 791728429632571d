// VACUUM FULL, CLUSTER, REINDEX without CONCURRENTLY and SET TABLESPACE rewrite a table or its
// indexes under locks that stop its traffic for as long as the rewrite takes.
import { defineLockRule, type LockFindingParts } from "./lock-audience.js";
import { PullRequestObjects, postgresVersion, walkMigrations, type WalkedStatement } from "./locking.js";
import { outsideTransaction, rewriteLines, sqlBlock, steps } from "./recipes.js";

const effects: Record<string, string> = {
  "VACUUM FULL": "rewrites the whole table into new files under an ACCESS EXCLUSIVE lock",
  CLUSTER: "rewrites the whole table in index order under an ACCESS EXCLUSIVE lock",
  REINDEX: "rebuilds the indexes while writes wait and reads that would use them wait too",
  "SET TABLESPACE": "copies the whole table to the new tablespace under an ACCESS EXCLUSIVE lock",
};

function recipeFor(command: string, table: string, walked: WalkedStatement, postgres: number): string {
  if (command === "REINDEX" && postgres >= 12) {
    return steps(`Rebuild concurrently (PostgreSQL 12+), ${outsideTransaction(walked.migration.format)}:`, sqlBlock(`REINDEX TABLE CONCURRENTLY ${table};`));
  }
  return steps(
    "Keep whole-table maintenance out of migrations: run it by hand in a maintenance window, or online with pg_repack, which holds its exclusive lock only briefly at the end:",
    sqlBlock(command === "SET TABLESPACE" ? `-- pg_repack --table=${table} --tablespace=<tablespace>` : `-- pg_repack --table=${table}`),
    command === "VACUUM FULL" ? "A plain `VACUUM` (no FULL) reclaims space for reuse without blocking anyone." : "Let the migration change only the schema.",
  );
}

export const tableRewriteMaintenance = defineLockRule(
  {
    id: "table-rewrite-maintenance",
    description: "VACUUM FULL, CLUSTER, REINDEX without CONCURRENTLY or ALTER TABLE … SET TABLESPACE in a migration.",
    docs: "docs/rules/table-rewrite-maintenance.md",
  },
  (input) => {
    const postgres = postgresVersion(input);
    const objects = new PullRequestObjects(input);
    const found: LockFindingParts[] = [];
    for (const walked of walkMigrations(input)) {
      objects.record(walked.statement.changes);
      for (const { table: relation, command } of walked.locking.maintenance) {
        const table = objects.tableOf(relation);
        if (objects.isNew(table)) continue;
        const suggestion =
          command === "REINDEX" && postgres >= 12 && !walked.inTransaction
            ? rewriteLines(walked.statement, (text) => (/^\s*reindex\s+(table|index)\s+(?!concurrently)/i.test(text) ? text.replace(/^(\s*reindex\s+(table|index))/i, "$1 CONCURRENTLY") : undefined))
            : undefined;
        found.push({
          rule: "table-rewrite-maintenance",
          table,
          loc: walked.statement.loc,
          problem: `\`${command}\` on \`${table}\` ${effects[command] ?? "rewrites the table"}.`,
          blocks: command === "REINDEX" ? "writes and reads" : "reads and writes",
          duration: "the rewrite takes",
          recipe: recipeFor(command, table, walked, postgres),
          suggestion,
          key: command,
        });
      }
    }
    return found;
  },
);

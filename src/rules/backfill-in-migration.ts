// UPDATE or DELETE without WHERE in a migration touches every row in one transaction: row
// locks on the whole table, a burst of dead rows, and, in the transaction of a schema
// change, that change's ACCESS EXCLUSIVE lock held for the whole backfill.
import { defineLockRule, type LockFindingParts } from "./lock-audience.js";
import { PullRequestObjects, walkMigrations } from "./locking.js";
import { pythonBlock, quoteIdent, sqlBlock, steps } from "./recipes.js";

export const backfillInMigration = defineLockRule(
  {
    id: "backfill-in-migration",
    description: "A table-wide UPDATE or DELETE (no WHERE) of an existing table in a migration, worst in the same transaction as its DDL.",
    docs: "docs/rules/backfill-in-migration.md",
  },
  (input) => {
    const objects = new PullRequestObjects(input);
    const found: LockFindingParts[] = [];
    const exclusive = new Map<string, number>();
    for (const walked of walkMigrations(input)) {
      const { statement, locking, migration } = walked;
      objects.record(statement.changes);
      for (const { table, command } of locking.tableWideWrites) {
        if (objects.isNew(table)) continue;
        const underDdl = walked.inTransaction && exclusive.get(table) === walked.transaction;
        const t = quoteIdent(table);
        found.push({
          rule: "backfill-in-migration",
          table,
          loc: statement.loc,
          problem:
            `This ${command} has no WHERE: it ${command === "UPDATE" ? "rewrites" : "deletes"} every row of \`${table}\` in one transaction, locking each row until it commits` +
            (underDdl ? `, and it runs in the same transaction as this migration's schema change of \`${table}\`, whose ACCESS EXCLUSIVE lock is held until the backfill ends.` : "."),
          blocks: underDdl ? "reads and writes" : "writes",
          duration: "the backfill takes",
          recipe:
            migration.format === "django"
              ? steps(
                  "Move the data change to a migration of its own with `atomic = False`, done in batches that each commit:",
                  pythonBlock("class Migration(migrations.Migration):", "    atomic = False", "    operations = [migrations.RunPython(backfill_in_batches, migrations.RunPython.noop)]"),
                )
              : steps(
                  "Keep the schema change in the migration; run the data change separately, in batches that each commit:",
                  sqlBlock(`${command === "UPDATE" ? `UPDATE ${t} SET … WHERE id IN (SELECT id FROM ${t} WHERE <not yet done> LIMIT 1000)` : `DELETE FROM ${t} WHERE id IN (SELECT id FROM ${t} LIMIT 1000)`};  -- repeat until no row changes`),
                ),
          key: command,
        });
      }
      for (const lock of locking.locks) if (lock.mode === "ACCESS EXCLUSIVE") exclusive.set(objects.tableOf(lock.relation), walked.transaction);
    }
    return found;
  },
);

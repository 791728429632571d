// CREATE/DROP INDEX CONCURRENTLY, REINDEX CONCURRENTLY, DETACH PARTITION CONCURRENTLY and
// VACUUM refuse to run inside a transaction block: the migration fails at that statement.
import type { MigrationFormat } from "../core/changes.js";
import type { RuleFinding } from "../core/findings.js";
import { headlineSubject } from "../findings/wording.js";
import { PullRequestObjects, walkMigrations, type WalkedStatement } from "./locking.js";
import { outsideTransaction, pythonBlock, sqlBlock, steps } from "./recipes.js";
import type { Rule } from "./types.js";

function whyInTransaction(walked: WalkedStatement): string {
  if (!walked.migration.inTransaction) return "this file's own `BEGIN` opens a transaction block before it";
  const runners: Record<MigrationFormat, string> = {
    django: "Django runs this migration in one transaction (it has no `atomic = False`)",
    goose: "goose runs this migration in one transaction (it has no `-- +goose NO TRANSACTION`)",
    dbmate: "dbmate runs this migration in one transaction (its up section is not marked `transaction:false`)",
    sql: "this file runs in one transaction",
  };
  return runners[walked.migration.format];
}

function recipeFor(format: MigrationFormat, command: string): string {
  if (format === "django") {
    return steps(
      "Move the operation to a migration of its own and make that migration non-atomic:",
      pythonBlock("class Migration(migrations.Migration):", "    atomic = False", "    dependencies = [...]", `    operations = [...]  # only the ${command} operation`),
    );
  }
  if (format === "goose") return steps("Put the statement in a migration of its own that starts with:", sqlBlock("-- +goose NO TRANSACTION", "-- +goose Up"));
  if (format === "dbmate") return steps("Put the statement in a migration of its own whose up section is marked:", sqlBlock("-- migrate:up transaction:false"));
  return steps(`Take the statement out of the \`BEGIN … COMMIT\` block and run it ${outsideTransaction(format)}.`);
}

export const concurrentlyInTransaction: Rule = {
  id: "concurrently-in-transaction",
  description: "CONCURRENTLY (or VACUUM) inside a transaction block, where PostgreSQL refuses to run it.",
  defaultSeverity: "error",
  docs: "docs/rules/concurrently-in-transaction.md",
  headline: {
    blocking: ["statement fails inside its transaction", "statements fail inside their transactions"],
    reason: (finding) => `${headlineSubject(finding)} cannot be changed inside a transaction block`,
  },
  check(input) {
    const objects = new PullRequestObjects(input);
    const findings: RuleFinding[] = [];
    for (const walked of walkMigrations(input)) {
      objects.record(walked.statement.changes);
      const command = walked.locking.outsideTransactionOnly;
      if (!command || !walked.inTransaction) continue;
      const relation = walked.locking.locks[0]?.relation;
      findings.push({
        rule: "concurrently-in-transaction",
        service: input.service,
        ...(relation === undefined ? {} : { table: objects.tableOf(relation) }),
        loc: walked.statement.loc,
        message:
          `\`${command}\` cannot run inside a transaction block, and ${whyInTransaction(walked)}: ` +
          `PostgreSQL stops the migration here with "cannot run inside a transaction block", and nothing after it applies.`,
        recipe: recipeFor(walked.migration.format, command),
        consumers: [],
        needs: [],
        key: command,
      });
    }
    return findings;
  },
};

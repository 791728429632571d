// A statement that must wait for a lock that blocks writes, with no lock_timeout set: while
// it waits behind one long query, every query after it waits too. lock_timeout makes it give
// up (and the migration fail) instead; statement_timeout bounds how long it may hold the lock.
import { defineLockRule, type LockFindingParts } from "./lock-audience.js";
import { PullRequestObjects, blocksWrites, walkMigrations, type WalkedStatement } from "./locking.js";
import { pythonBlock, rewriteLines, sqlBlock, steps } from "./recipes.js";

const SETTINGS = { lock_timeout: "SET lock_timeout = '5s';", statement_timeout: "SET statement_timeout = '30s';" } as const;

function missingSettings(walked: WalkedStatement): (keyof typeof SETTINGS)[] {
  return (Object.keys(SETTINGS) as (keyof typeof SETTINGS)[]).filter((name) => !walked.settings.get(name)?.enabled);
}

function recipeFor(walked: WalkedStatement, missing: (keyof typeof SETTINGS)[]): string {
  const statements = missing.map((name) => SETTINGS[name]);
  if (walked.migration.format === "django") {
    return steps(
      "Make the migration's first operation set the timeouts for its connection:",
      pythonBlock(`migrations.RunSQL("${statements.join(" ")}", migrations.RunSQL.noop),`),
      'Or set them once for every migration run, on the connection `migrate` uses: `DATABASES["default"]["OPTIONS"] = {"options": "-c lock_timeout=5s -c statement_timeout=30s"}`.',
      "If the migration then fails on the timeout, nothing waited behind it: retry it later.",
    );
  }
  return steps("Set the timeouts at the top of the migration, before its first statement:", sqlBlock(...statements), "If the migration then fails on the timeout, nothing waited behind it: retry it later.");
}

export const missingLockTimeout = defineLockRule(
  {
    id: "missing-lock-timeout",
    description: "A statement that takes a lock blocking writes (ACCESS EXCLUSIVE, SHARE …) on an existing table without lock_timeout and statement_timeout set before it.",
    docs: "docs/rules/missing-lock-timeout.md",
  },
  (input) => {
    const objects = new PullRequestObjects(input);
    const found: LockFindingParts[] = [];
    const reported = new Set<string>();
    for (const walked of walkMigrations(input)) {
      objects.record(walked.statement.changes);
      if (reported.has(walked.migration.file)) continue;
      const missing = missingSettings(walked);
      if (missing.length === 0) continue;
      const lock = walked.locking.locks.find((candidate) => blocksWrites(candidate.mode) && !objects.isNew(objects.tableOf(candidate.relation)));
      if (!lock) continue;
      reported.add(walked.migration.file);
      const table = objects.tableOf(lock.relation);
      const blocks = lock.mode === "ACCESS EXCLUSIVE" ? "reads and writes" : "writes";
      found.push({
        rule: "missing-lock-timeout",
        table,
        loc: walked.statement.loc,
        problem:
          `This statement takes a ${lock.mode} lock on \`${table}\` with no ${missing.join(" and no ")} set before it in this migration: ` +
          `if any transaction holds the table (a long query, an idle session), the statement waits, and every query of \`${table}\` queues behind it.`,
        blocks,
        duration: "it waits for its lock",
        recipe: recipeFor(walked, missing),
        suggestion: walked.migration.format === "django" ? undefined : rewriteLines(walked.statement, (text) => `${missing.map((name) => SETTINGS[name]).join("\n")}\n${text}`),
        key: missing.join(","),
      });
    }
    return found;
  },
  // The app cannot see timeouts set on the connection or the role, so this one only warns.
  { shared: "warning", alone: "notice" },
);

import type { MigrationFormat } from "../core/changes.js";
import { statementsOf } from "./changes.js";
import type { RuleFinding } from "../core/findings.js";
import type { Rule } from "./types.js";

// Django records applied migrations in `django_migrations`; raw SQL files have nothing like it.
const rawFormats = new Set<MigrationFormat>(["sql", "goose", "dbmate"]);

export const nonIdempotentMigration: Rule = {
  id: "non-idempotent-migration",
  description: "A raw SQL migration statement fails or duplicates rows when run again.",
  defaultSeverity: "warning",
  docs: "docs/rules/non-idempotent-migration.md",
  check(input) {
    const findings: RuleFinding[] = [];
    for (const { migration, statement } of statementsOf(input)) {
      if (!rawFormats.has(migration.format) || !statement.idempotencyProblem) continue;
      const table = statement.changes[0]?.table ?? statement.uses[0]?.table;
      findings.push({
        rule: "non-idempotent-migration",
        service: input.service,
        table,
        loc: statement.loc,
        message:
          `This statement is not safe to run twice: ${statement.idempotencyProblem}. ` +
          `Raw SQL migrations are applied by hand or by a deploy script that records nothing, so a re-run after a partial failure stops ` +
          `with an error or duplicates rows. Guard it with \`IF NOT EXISTS\` / \`IF EXISTS\`, or \`ON CONFLICT DO NOTHING\` for inserts.`,
        consumers: [],
        needs: [],
        key: statement.idempotencyProblem,
      });
    }
    return findings;
  },
};

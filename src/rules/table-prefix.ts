import { headlineSubject } from "../findings/wording.js";
import { statementsOf } from "./changes.js";
import type { RuleFinding } from "../core/findings.js";
import type { Rule } from "./types.js";

/** The name without a schema qualifier: the prefix applies to the table's own name. */
function bareName(table: string): string {
  return table.slice(table.lastIndexOf(".") + 1);
}

export const tablePrefix: Rule = {
  id: "table-prefix",
  description: "A table a migration creates or renames lacks the configured prefix.",
  defaultSeverity: "error",
  docs: "docs/rules/table-prefix.md",
  headline: {
    blocking: ["table lacks the prefix", "tables lack the prefix"],
    reason: (finding) => `${headlineSubject(finding)} lacks the table prefix`,
  },
  check(input) {
    const prefix = input.config.prefix;
    if (!prefix) return [];
    const findings: RuleFinding[] = [];
    for (const { statement } of statementsOf(input)) {
      for (const change of statement.changes) {
        const named =
          change.kind === "create-table" ? change.table : change.kind === "rename-table" ? change.newName : undefined;
        if (named === undefined || bareName(named).startsWith(prefix)) continue;
        const verb = change.kind === "create-table" ? "creates" : "renames a table to";
        findings.push({
          rule: "table-prefix",
          service: input.service,
          table: named,
          loc: statement.loc,
          message:
            `This migration ${verb} \`${named}\`, which lacks the \`${prefix}\` prefix every table in the shared database carries. ` +
            `The prefix keeps the shared tables apart from whatever else lives in the database and makes every use of them findable by search, ` +
            `which is how other services' consumers are found. Name the table \`${prefix}${bareName(named)}\` ` +
            `(for a Django model, set \`Meta.db_table\`).`,
          consumers: [],
          needs: [],
          key: change.kind,
        });
      }
    }
    return findings;
  },
};

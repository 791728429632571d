import { headlineSubject } from "../findings/wording.js";
import { statementsOf } from "./changes.js";
import type { RuleFinding } from "../core/findings.js";
import type { Rule } from "./types.js";
import { rewriteLines } from "./recipes.js";

/** The statement with the table's name (as written, once) prefixed. */
function prefixed(text: string, name: string, prefix: string): string | undefined {
  const pattern = new RegExp(`(^|[\\s."])(${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")})(?=[\\s"(;]|$)`, "g");
  const matches = text.match(pattern);
  return matches?.length === 1 ? text.replace(pattern, `$1${prefix}$2`) : undefined;
}

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
    for (const { statement, migration } of statementsOf(input)) {
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
          recipe:
            migration.format === "django"
              ? `Set \`db_table = "${prefix}${bareName(named)}"\` in the model's \`Meta\` (and \`options={"db_table": "${prefix}${bareName(named)}"}\` in the CreateModel).`
              : `Create the table as \`${prefix}${bareName(named)}\`, and use that name in the code that reads and writes it.`,
          ...(() => {
            const suggestion = migration.format === "django" ? undefined : rewriteLines(statement, (text) => prefixed(text, bareName(named), prefix));
            return suggestion ? { suggestion } : {};
          })(),
          consumers: [],
          needs: [],
          key: change.kind,
        });
      }
    }
    return findings;
  },
};

import { possessive, statementsOf } from "./changes.js";
import type { RuleFinding } from "../core/findings.js";
import type { Rule } from "./types.js";

export const undeclaredTable: Rule = {
  id: "undeclared-table",
  description: "A new table that the configuration does not name; it belongs to the service that created it.",
  defaultSeverity: "notice",
  docs: "docs/rules/undeclared-table.md",
  check(input) {
    const findings: RuleFinding[] = [];
    const seen = new Set<string>();
    for (const { statement } of statementsOf(input)) {
      for (const change of statement.changes) {
        const table =
          change.kind === "create-table" ? change.table : change.kind === "rename-table" ? change.newName : undefined;
        if (table === undefined || seen.has(table)) continue;
        if (input.config.tables.has(table) || input.baseSchema.tables.has(table)) continue;
        seen.add(table);
        findings.push({
          rule: "undeclared-table",
          service: input.service,
          table,
          loc: statement.loc,
          message:
            `\`${table}\` is a new table that shared-schema.yml does not name, so it belongs to ${input.service}, the service creating it: ` +
            `only ${possessive(input.service)} migrations may change it and only ${input.service} may write it. ` +
            `If other services are meant to write it, or it belongs to another service, declare it under \`tables:\` with its \`owner\` and \`writers\`.`,
          consumers: [],
          needs: [],
          key: table,
        });
      }
    }
    return findings;
  },
};

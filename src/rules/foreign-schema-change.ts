import type { SchemaChange } from "../core/changes.js";
import { columnOfChange } from "../core/change-columns.js";
import { describeChange, possessive, statementsOf, tableOfChange } from "./changes.js";
import { code, listOf, whereOf } from "../findings/wording.js";
import { objectFindings } from "./object-ownership.js";
import { ownerInReview } from "./ownership.js";
import { steps } from "./recipes.js";
import type { RuleFinding } from "../core/findings.js";
import type { Rule } from "./types.js";

export const foreignSchemaChange: Rule = {
  id: "foreign-schema-change",
  description:
    "A migration of one service changes a table (its columns, indexes, constraints, triggers, rules, policies, grants or owner) or another object " +
    "(schema, type, sequence, view, function) owned by another, or makes a database-wide change without the consent of every service there.",
  defaultSeverity: "error",
  docs: "docs/rules/foreign-schema-change.md",
  headline: {
    blocking: ["change to another service's table", "changes to other services' tables"],
    reason: (finding) => `${code(finding.table ?? whereOf(finding))} belongs to ${listOf(finding.needs)}`,
  },
  check(input) {
    const findings: RuleFinding[] = [];
    for (const { statement } of statementsOf(input)) {
      // One finding per table a statement touches, listing everything it does there.
      const byTable = new Map<string, SchemaChange[]>();
      for (const change of statement.changes) {
        // TRUNCATE writes rows rather than schema: foreign-write judges it.
        if (change.kind === "truncate") continue;
        const table = tableOfChange(change, input.baseSchema);
        if (table === undefined) continue;
        byTable.set(table, [...(byTable.get(table) ?? []), change]);
      }
      for (const [table, changes] of byTable) {
        const owner = ownerInReview(input, table);
        if (owner === input.service) continue;
        const columns = [...new Set(changes.map(columnOfChange))];
        const column = columns.length === 1 ? columns[0] : undefined;
        const actions = [...new Set(changes.map(describeChange))];
        findings.push({
          rule: "foreign-schema-change",
          service: input.service,
          table,
          column,
          loc: statement.loc,
          message:
            `This migration of ${input.service} ${listOf(actions)} on \`${table}\`, which belongs to ${owner}: ` +
            `only ${possessive(owner)} migrations may change its schema. ${possessive(owner)} migration history does not know about this change, ` +
            `so its next migration of the table can conflict with it or undo it, and ${possessive(owner)} code may not expect it. ` +
            `Move the change to ${possessive(owner)} repository, or get ${possessive(owner)} consent with \`/ownership ack ${table} <reason>\`.`,
          recipe: steps(
            `Move the change to ${possessive(owner)} repository as a migration of ${owner}, and remove it from this one.`,
            `If ${input.service} needs it (a column, an index for its queries), open that pull request in ${possessive(owner)} repository, or ask ${owner} to.`,
            `If the table should belong to ${input.service}, change its \`owner\` in shared-schema.yml first, with ${possessive(owner)} consent.`,
          ),
          consumers: [],
          needs: [owner],
          key: [...new Set(changes.map((change) => `${change.kind}:${columnOfChange(change) ?? ""}`))].sort().join(","),
        });
      }
    }
    return [...findings, ...objectFindings(input)];
  },
};

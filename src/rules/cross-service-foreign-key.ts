import { headlineSubject, listOf } from "../findings/wording.js";
import type { ForeignKeyTarget, SchemaChange } from "../core/changes.js";
import { possessive, statementsOf } from "./changes.js";
import { ownerInReview } from "./ownership.js";
import type { RuleFinding } from "../core/findings.js";
import type { Rule } from "./types.js";
import { pythonBlock, rewriteLines, sqlBlock, steps } from "./recipes.js";

/** The statement without its inline `REFERENCES t (c) [ON DELETE …]`, the only change the fix needs. */
function withoutReferences(text: string): string | undefined {
  const pattern = /\s+references\s+[\w."]+(\s*\([^)]*\))?(\s+on\s+(delete|update)\s+(cascade|restrict|no\s+action|set\s+null|set\s+default))*/gi;
  const matches = text.match(pattern);
  return matches?.length === 1 ? text.replace(pattern, "") : undefined;
}

interface ForeignKey {
  columns: string[];
  references: ForeignKeyTarget;
}

/** Foreign keys a change declares on its table. */
function foreignKeysOf(change: SchemaChange): ForeignKey[] {
  switch (change.kind) {
    case "create-table":
      return [
        ...change.columns.flatMap((column) =>
          column.references ? [{ columns: [column.name], references: column.references }] : [],
        ),
        ...change.constraints.flatMap((constraint) => (constraint.kind === "foreign-key" ? [constraint] : [])),
      ];
    case "add-column":
      return change.column.references ? [{ columns: [change.column.name], references: change.column.references }] : [];
    case "add-constraint":
      return change.constraint.kind === "foreign-key" ? [change.constraint] : [];
    default:
      return [];
  }
}

export const crossServiceForeignKey: Rule = {
  id: "cross-service-foreign-key",
  description: "A foreign key joins tables owned by different services.",
  defaultSeverity: "error",
  docs: "docs/rules/cross-service-foreign-key.md",
  headline: {
    blocking: ["foreign key across services", "foreign keys across services"],
    reason: (finding) => `${headlineSubject(finding)} gets a foreign key to a table of ${listOf(finding.needs)}`,
  },
  check(input) {
    const findings: RuleFinding[] = [];
    for (const { statement, migration } of statementsOf(input)) {
      for (const change of statement.changes) {
        if (change.kind === "drop-index") continue;
        for (const fk of foreignKeysOf(change)) {
          const referencing = ownerInReview(input, change.table);
          const referenced = ownerInReview(input, fk.references.table);
          if (referencing === referenced) continue;
          const target = fk.references.table;
          findings.push({
            rule: "cross-service-foreign-key",
            service: input.service,
            table: change.table,
            column: fk.columns.length === 1 ? fk.columns[0] : undefined,
            loc: statement.loc,
            message:
              `\`${change.table}\` (${fk.columns.join(", ")}), owned by ${referencing}, gets a foreign key to \`${target}\`, owned by ${referenced}. ` +
              `A foreign key across services couples their deploys: ${referenced} can no longer drop, rename, truncate or ` +
              `delete rows of \`${target}\` without failing on, or cascading into, ${possessive(referencing)} data. ` +
              `Store the referenced id as a plain column (services refer to each other's rows by opaque id) and drop the REFERENCES clause or ForeignKey.`,
            recipe:
              migration.format === "django"
                ? steps(
                    `Keep the id without the constraint: \`models.ForeignKey(..., db_constraint=False)\`, or a plain \`models.UUIDField()\` holding ${possessive(referenced)} id.`,
                    `Check the id exists in the application (or through ${possessive(referenced)} API or events) where it matters.`,
                    pythonBlock(`migrations.AddField("<model>", "<field>", models.UUIDField(null=True, db_index=False)),`),
                  )
                : steps(
                    `Declare the column without REFERENCES; it holds ${possessive(referenced)} id as an opaque value:`,
                    sqlBlock(`-- ${fk.columns.join(", ")} refers to ${target} by id, with no foreign key`),
                    `Where a row must go when ${referenced} deletes its row, react to ${possessive(referenced)} deletion events instead of ON DELETE.`,
                  ),
            ...(() => {
              const suggestion = migration.format === "django" || fk.columns.length !== 1 ? undefined : rewriteLines(statement, withoutReferences);
              return suggestion ? { suggestion } : {};
            })(),
            consumers: [],
            needs: [...new Set([referenced, referencing])].filter((service) => service !== input.service),
            key: `${fk.columns.join(",")}->${target}`,
          });
        }
      }
    }
    return findings;
  },
};

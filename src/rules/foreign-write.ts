import type { Location } from "../core/changes.js";
import { possessive, statementsOf } from "./changes.js";
import { steps } from "./recipes.js";
import { headlineSubject, listOf } from "../findings/wording.js";
import { ownerInReview, writersInReview } from "./ownership.js";
import type { RuleFinding } from "../core/findings.js";
import type { ReviewInput, Rule } from "./types.js";

interface Write {
  table: string;
  loc: Location;
  origin: "code" | "migration";
}

/** Row writes of the reviewed service: DML in its changed code and migrations, and TRUNCATE. */
function writesOf(input: ReviewInput): Write[] {
  const writes = new Map<string, Write>();
  const add = (write: Write) => writes.set(`${write.table}@${write.loc.file}:${write.loc.line}`, write);
  for (const code of input.changedCode) {
    for (const use of code.uses) if (use.access === "write") add({ table: use.table, loc: use.loc, origin: "code" });
  }
  for (const { statement } of statementsOf(input)) {
    for (const use of statement.uses) {
      if (use.access === "write") add({ table: use.table, loc: use.loc, origin: "migration" });
    }
    for (const change of statement.changes) {
      if (change.kind === "truncate") add({ table: change.table, loc: statement.loc, origin: "migration" });
    }
  }
  return [...writes.values()];
}

export const foreignWrite: Rule = {
  id: "foreign-write",
  description: "SQL of a service writes rows of a table whose writers exclude that service.",
  defaultSeverity: "error",
  docs: "docs/rules/foreign-write.md",
  headline: {
    blocking: ["write to a table of another service", "writes to tables of other services"],
    reason: (finding) => `${finding.service} writes ${headlineSubject(finding)}, which ${listOf(finding.needs)} owns`,
  },
  check(input) {
    const findings: RuleFinding[] = [];
    for (const write of writesOf(input)) {
      const writers = writersInReview(input, write.table);
      if (writers.includes(input.service)) continue;
      const owner = ownerInReview(input, write.table);
      const where = write.origin === "code" ? "This SQL" : "This migration";
      findings.push({
        rule: "foreign-write",
        service: input.service,
        table: write.table,
        loc: write.loc,
        message:
          `${where} of ${input.service} writes rows of \`${write.table}\`, but only ${listOf(writers)} may write that table (owner: ${owner}). ` +
          `A single writer keeps the table's invariants in one place; rows written behind ${possessive(owner)} back can break its assumptions, caches and triggers. ` +
          `Ask ${owner} for an API or event that makes the change, or have ${owner} add ${input.service} to the table's \`writers\` ` +
          `in shared-schema.yml (or consent to this one with \`/ownership ack ${write.table} <reason>\`).`,
        recipe: steps(
          `Preferred: ${owner} exposes the change (an API call or an event ${owner} consumes), and ${input.service} uses that instead of writing \`${write.table}\`.`,
          `Or, if ${input.service} should be a writer: ${owner} adds it to \`tables.${write.table}.writers\` in shared-schema.yml, in a pull request of its own.`,
        ),
        consumers: [],
        needs: [owner],
        key: write.origin,
      });
    }
    return findings;
  },
};

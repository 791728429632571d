import { code, whereOf } from "../findings/wording.js";
import type { UnparsedSql } from "../core/changes.js";
import { statementsOf } from "./changes.js";
import type { RuleFinding } from "../core/findings.js";
import type { Rule } from "./types.js";

function finding(unparsed: UnparsedSql, service: string, inMigration: boolean): RuleFinding {
  const what = unparsed.subject ? `\`${unparsed.subject}\`` : inMigration ? "This migration statement" : "This SQL";
  const consequence = inMigration
    ? "The app cannot tell which tables it changes, so it cannot check ownership or find consumers of what it breaks; it blocks rather than pass what it did not read."
    : "The app cannot tell which tables and columns it reads or writes, so it cannot check it against the shared schema or its writers.";
  return {
    rule: "unparsed-sql",
    severity: inMigration ? "error" : "warning",
    service,
    loc: unparsed.loc,
    message:
      `${what} could not be analysed: ${unparsed.reason}. ${consequence} ` +
      `Rewrite it in a form the app understands (plain SQL, standard Django operations), or, once a reviewer has checked it by hand, ` +
      `suppress this finding with a \`shared-schema: ignore unparsed-sql <reason>\` comment on the line above.`,
    consumers: [],
    needs: [],
    key: unparsed.subject ?? unparsed.reason,
  };
}

export const unparsedSql: Rule = {
  id: "unparsed-sql",
  description: "A migration, statement or SQL string the app could not parse, or a migration operation it does not know.",
  defaultSeverity: "error",
  docs: "docs/rules/unparsed-sql.md",
  headline: {
    blocking: ["statement could not be analysed", "statements could not be analysed"],
    reason: (finding) => `${code(whereOf(finding))} could not be analysed`,
  },
  check(input) {
    const findings: RuleFinding[] = [];
    for (const migration of input.changedMigrations) {
      for (const unparsed of migration.unparsed) findings.push(finding(unparsed, input.service, true));
    }
    for (const { statement } of statementsOf(input)) {
      if (!statement.dataMigration) continue;
      findings.push({
        rule: "unparsed-sql",
        severity: "warning",
        service: input.service,
        loc: statement.loc,
        message:
          "This is a data migration (`RunPython`): Python code the app does not analyse. If it writes tables other services own or read, " +
          "they are neither checked for ownership nor searched for consumers; a reviewer should check by hand which tables it touches.",
        consumers: [],
        needs: [],
        key: "data-migration",
      });
    }
    for (const code of input.changedCode) {
      for (const unparsed of code.unparsed) findings.push(finding(unparsed, input.service, false));
    }
    return findings;
  },
};

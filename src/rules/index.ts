import { breakingChange } from "./breaking-change.js";
import { crossServiceForeignKey } from "./cross-service-foreign-key.js";
import { foreignSchemaChange } from "./foreign-schema-change.js";
import { foreignWrite } from "./foreign-write.js";
import { nonIdempotentMigration } from "./non-idempotent-migration.js";
import { tablePrefix } from "./table-prefix.js";
import { undeclaredTable } from "./undeclared-table.js";
import { unknownReference } from "./unknown-reference.js";
import { unparsedSql } from "./unparsed-sql.js";
import type { ReviewInput, Rule, RuleFinding } from "./types.js";

/** Every rule, in the order of SPEC's Findings table. */
export const rules: readonly Rule[] = [
  foreignSchemaChange,
  crossServiceForeignKey,
  tablePrefix,
  breakingChange,
  foreignWrite,
  unknownReference,
  nonIdempotentMigration,
  undeclaredTable,
  unparsedSql,
];

/** Runs every rule over one review. Severity overrides, suppressions and acks are `finishFindings`' job. */
export function runRules(input: ReviewInput): RuleFinding[] {
  return rules.flatMap((rule) => rule.check(input));
}

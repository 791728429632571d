// The one list of rules. A rule's id, severity, wording and searches live in its own file;
// the configuration, the pipeline and the reports all learn the rules from here.
import { breakingChange } from "./breaking-change.js";
import { crossServiceForeignKey } from "./cross-service-foreign-key.js";
import { foreignSchemaChange } from "./foreign-schema-change.js";
import { foreignWrite } from "./foreign-write.js";
import { nonIdempotentMigration } from "./non-idempotent-migration.js";
import { tablePrefix } from "./table-prefix.js";
import { undeclaredTable } from "./undeclared-table.js";
import { unknownReference } from "./unknown-reference.js";
import { unparsedSql } from "./unparsed-sql.js";
import { backfillInMigration } from "./backfill-in-migration.js";
import { concurrentlyInTransaction } from "./concurrently-in-transaction.js";
import { constraintWithoutNotValid } from "./constraint-without-not-valid.js";
import { missingLockTimeout } from "./missing-lock-timeout.js";
import { nonConcurrentIndex } from "./non-concurrent-index.js";
import { rewritingTypeChange } from "./rewriting-type-change.js";
import { setNotNullWithoutCheck } from "./set-not-null-without-check.js";
import { tableRewriteMaintenance } from "./table-rewrite-maintenance.js";
import { uniqueWithoutIndex } from "./unique-without-index.js";
import { volatileDefault } from "./volatile-default.js";
import type { ConsumerTarget } from "../core/consumers.js";
import type { RuleFinding } from "../core/findings.js";
import type { ReviewInput, Rule } from "./types.js";

/** Every rule: SPEC's Findings table, then the lock-safety rules. */
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
  nonConcurrentIndex,
  concurrentlyInTransaction,
  constraintWithoutNotValid,
  setNotNullWithoutCheck,
  uniqueWithoutIndex,
  rewritingTypeChange,
  volatileDefault,
  missingLockTimeout,
  tableRewriteMaintenance,
  backfillInMigration,
];

/** The ids the configuration's `rules:` section and suppression comments may name. */
export const ruleIds: readonly string[] = rules.map((rule) => rule.id);

export function ruleById(id: string): Rule | undefined {
  return rules.find((rule) => rule.id === id);
}

/** What every rule wants searched in other services, each table or column once, in rule order. */
export function consumerTargetsOf(input: Omit<ReviewInput, "consumers">): ConsumerTarget[] {
  const targets = new Map<string, ConsumerTarget>();
  for (const rule of rules) {
    for (const target of rule.consumerTargets?.(input) ?? []) {
      targets.set(target.column === undefined ? target.table : `${target.table}.${target.column}`, target);
    }
  }
  return [...targets.values()];
}

/** Runs every rule over one review. Severity overrides, suppressions and acks are `finishFindings`' job. */
export function runRules(input: ReviewInput): RuleFinding[] {
  return rules.flatMap((rule) => rule.check(input));
}

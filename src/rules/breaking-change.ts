import type { ConsumerLookup, ConsumerTarget, ConsumerUse } from "../core/consumers.js";
import { objectKey, type ObjectChange } from "../core/objects.js";
import type { Location, SchemaChange, TableDetail } from "../core/changes.js";
import { statementsOf, subjectOf } from "./changes.js";
import { headlineSubject, listOf } from "../findings/wording.js";
import type { RuleFinding } from "../core/findings.js";
import { writersInReview } from "./ownership.js";
import type { ReviewInput, Rule } from "./types.js";
import { steps } from "./recipes.js";

type BreakingInput = Pick<ReviewInput, "changedMigrations" | "baseSchema" | "headSchema">;

/** A change that breaks whoever uses its table (no `column`) or one of its columns. */
export interface BreakingChange {
  table: string;
  column?: string;
  loc: Location;
  /** Which uses break, when not every use of the table (or column) does. */
  only?: ConsumerTarget["only"];
  /** "drops table `r10_match`", for the message. */
  what: string;
  /** What happens to the uses once it runs: "their queries that name it fail". */
  consequence: string;
  /** Tells the findings of one table apart: the kind of change. */
  key: string;
  /** The table change it comes from, for its safe recipe (absent for views and other objects). */
  change?: SchemaChange;
}

function sameType(a: string, b: string): boolean {
  const normal = (type: string) => type.toLowerCase().replace(/\s+/g, " ").trim();
  return normal(a) === normal(b);
}

/** What the pull request itself brings in, so changes to it break nobody. */
class PullRequestState {
  private readonly tables = new Set<string>();
  private readonly columns = new Set<string>();
  private readonly defaults = new Map<string, boolean>();
  private readonly nullable = new Map<string, boolean>();

  constructor(private readonly base: BreakingInput["baseSchema"]) {}

  isNew(table: string, column?: string): boolean {
    return this.tables.has(table) || (column !== undefined && this.columns.has(`${table}.${column}`));
  }

  /** Whether the column has a default just before the change: the pull request's own changes first, then the base. */
  hasDefault(table: string, column: string): boolean {
    return this.defaults.get(`${table}.${column}`) ?? this.base.tables.get(table)?.columns.get(column)?.hasDefault ?? false;
  }

  isNullable(table: string, column: string): boolean {
    return this.nullable.get(`${table}.${column}`) ?? this.base.tables.get(table)?.columns.get(column)?.nullable ?? true;
  }

  record(change: SchemaChange): void {
    switch (change.kind) {
      case "create-table":
        if (!this.base.tables.has(change.table)) this.tables.add(change.table);
        for (const column of change.columns) {
          this.defaults.set(`${change.table}.${column.name}`, column.hasDefault);
          this.nullable.set(`${change.table}.${column.name}`, column.nullable);
        }
        return;
      case "rename-table":
        this.tables.add(change.newName);
        return;
      case "add-column":
        if (!this.base.tables.get(change.table)?.columns.has(change.column.name)) {
          this.columns.add(`${change.table}.${change.column.name}`);
        }
        this.defaults.set(`${change.table}.${change.column.name}`, change.column.hasDefault);
        this.nullable.set(`${change.table}.${change.column.name}`, change.column.nullable);
        return;
      case "rename-column":
        this.columns.add(`${change.table}.${change.newName}`);
        return;
      case "set-default":
      case "drop-default":
        this.defaults.set(`${change.table}.${change.column}`, change.kind === "set-default");
        return;
      case "set-not-null":
      case "drop-not-null":
        this.nullable.set(`${change.table}.${change.column}`, change.kind === "drop-not-null");
        return;
      default:
        return;
    }
  }
}

const omittingInserts = "their INSERTs (and COPYs) that leave it out fail";

type Broken = Omit<BreakingChange, "loc">;

function notNullTarget(table: string, column: string, what: string): Broken {
  return { table, column, only: "inserts-omitting", what, consequence: omittingInserts, key: "not-null" };
}

function breakingTarget(change: SchemaChange, statementChanges: readonly SchemaChange[], input: BreakingInput, state: PullRequestState): Broken | undefined {
  const via = change.via ? ` (through \`${change.via}\`)` : "";
  switch (change.kind) {
    case "drop-table":
      return { table: change.table, what: `drops table \`${change.table}\`${via}`, consequence: "their queries that name it fail", key: change.kind };
    case "rename-table":
      return { table: change.table, what: `renames table \`${change.table}\` to \`${change.newName}\`${via}`, consequence: "their queries that use the old name fail", key: change.kind };
    case "drop-column":
      return { table: change.table, column: change.column, what: `drops column \`${change.column}\` of \`${change.table}\`${via}`, consequence: "their queries that name it fail", key: change.kind };
    case "rename-column":
      return {
        table: change.table,
        column: change.column,
        what: `renames column \`${change.column}\` of \`${change.table}\` to \`${change.newName}\``,
        consequence: "their queries that use the old name fail",
        key: change.kind,
      };
    case "alter-column-type": {
      // Django's AlterField restates the type even when only a help text changed.
      const before = input.baseSchema.tables.get(change.table)?.columns.get(change.column);
      if (before && sameType(before.type, change.newType)) return undefined;
      return {
        table: change.table,
        column: change.column,
        what: `changes the type of \`${change.table}.${change.column}\` to \`${change.newType}\``,
        consequence: "their queries may fail or read values they do not expect",
        key: change.kind,
      };
    }
    case "set-not-null": {
      if (!state.isNullable(change.table, change.column)) return undefined;
      const defaultInStatement = statementChanges.some(
        (other) => other.kind === "set-default" && other.table === change.table && other.column === change.column,
      );
      if (defaultInStatement || state.hasDefault(change.table, change.column)) return undefined;
      return notNullTarget(change.table, change.column, `makes \`${change.table}.${change.column}\` NOT NULL without a default`);
    }
    case "drop-default": {
      // SET DEFAULT → SET NOT NULL → DROP DEFAULT: the column ends NOT NULL with nothing to fill it.
      if (state.isNullable(change.table, change.column) || !state.hasDefault(change.table, change.column)) return undefined;
      return notNullTarget(change.table, change.column, `drops the default of \`${change.table}.${change.column}\`, which is NOT NULL${via}`);
    }
    case "add-column": {
      const column = change.column;
      if (column.nullable || column.hasDefault || !input.baseSchema.tables.has(change.table)) return undefined;
      return notNullTarget(change.table, column.name, `adds \`${change.table}.${column.name}\` NOT NULL without a default`);
    }
    case "table-detail":
      return detailTarget(change);
    default:
      return undefined;
  }
}

function detailTarget(change: TableDetail): Broken | undefined {
  const what = `${change.description} on \`${change.table}\``;
  switch (change.breaks) {
    case "uses":
      return { table: change.table, what, consequence: "their queries may lose access to it or see other rows", key: change.description };
    case "writes":
      return { table: change.table, only: "writes", what, consequence: "their writes may no longer do what they expect", key: change.description };
    case "column-writes":
      return change.column === undefined
        ? undefined
        : { table: change.table, column: change.column, only: "writes", what, consequence: "their INSERTs and UPDATEs that give it a value fail", key: change.description };
    default:
      return undefined;
  }
}

/** Views and materialized views are read like tables: dropping or renaming one breaks its readers. */
function objectTarget(change: Exclude<ObjectChange, { action: "create" | "database-wide" }>): Broken | undefined {
  if (change.kind !== "view" && change.kind !== "materialized-view") return undefined;
  const label = change.kind === "view" ? "view" : "materialized view";
  const via = change.via ? ` (through \`${change.via}\`)` : "";
  if (change.action === "drop") return { table: change.name, what: `drops ${label} \`${change.name}\`${via}`, consequence: "their queries that name it fail", key: "drop-view" };
  if (change.action === "rename") {
    return { table: change.name, what: `renames ${label} \`${change.name}\` to \`${change.newName}\``, consequence: "their queries that use the old name fail", key: "rename-view" };
  }
  if (change.breaksUsers) return { table: change.name, what: `${change.description} of ${label} \`${change.name}\``, consequence: "their queries may fail", key: "alter-view" };
  return undefined;
}

/** Changes of the pull request that break other users of what exists before it, in apply order. */
export function breakingChangesOf(input: BreakingInput): BreakingChange[] {
  const state = new PullRequestState(input.baseSchema);
  const found: BreakingChange[] = [];
  for (const { statement } of statementsOf(input)) {
    for (const change of statement.changes) {
      const target = breakingTarget(change, statement.changes, input, state);
      // A column the pull request adds is new, but other services' INSERTs into an existing table still leave it out.
      const isNew = target && state.isNew(target.table, target.only === "inserts-omitting" ? undefined : target.column);
      if (target && !isNew) found.push({ ...target, change, loc: statement.loc });
      state.record(change);
    }
    for (const change of statement.objects ?? []) {
      // A view the pull request itself created breaks nobody.
      if (change.action === "create" || change.action === "database-wide") continue;
      if (!input.baseSchema.objects.has(objectKey(change.kind, change.name))) continue;
      const target = objectTarget(change);
      if (target) found.push({ ...target, loc: statement.loc });
    }
  }
  return found;
}

/** What other services are searched for: every table and column the pull request breaks, and which of their uses count. */
function breakingTargets(input: BreakingInput): ConsumerTarget[] {
  const targets = new Map<string, ConsumerTarget>();
  for (const { table, column, only } of breakingChangesOf(input)) {
    const target: ConsumerTarget = { table, ...(column === undefined ? {} : { column }), ...(only ? { only } : {}) };
    targets.set([table, column ?? "", only ?? ""].join("\0"), target);
  }
  return [...targets.values()];
}

/** The uses that break: for a NOT NULL, the inserts that leave the column out; for a write rule, the writes. */
function breaks(use: ConsumerUse, broken: BreakingChange): boolean {
  if (use.table !== broken.table) return false;
  if (broken.only === "inserts-omitting") return use.omits === broken.column;
  if (use.omits !== undefined) return false;
  if (broken.only === "writes" && use.access !== "write") return false;
  return broken.column === undefined || use.column === undefined || use.column === broken.column;
}

function consumersOf(lookup: ConsumerLookup, service: string, broken: BreakingChange): ConsumerLookup {
  return {
    uses: lookup.uses.filter((use) => use.service !== service && breaks(use, broken)),
    failures: lookup.failures.filter(
      (failure) => failure.service !== service && (failure.table === undefined || failure.table === broken.table),
    ),
  };
}

function usageOf(uses: ConsumerLookup["uses"], service: string): string {
  const own = uses.filter((use) => use.service === service);
  const access = [...new Set(own.map((use) => (use.access === "read" ? "reads" : "writes")))];
  return `${service} (${own.length} ${own.length === 1 ? "use" : "uses"}, ${listOf(access)})`;
}

function messageOf(broken: BreakingChange, found: ConsumerLookup, needs: string[], writers: string[]): string {
  const what = `This migration ${broken.what}`;
  const consequence = broken.consequence;
  const ack = `\`/ownership ack ${broken.table} <reason>\``;
  const parts: string[] = [];
  if (found.uses.length > 0) {
    const services = [...new Set(found.uses.map((use) => use.service))].sort();
    parts.push(
      `${what}, which other services still use: ${listOf(services.map((service) => usageOf(found.uses, service)))}. ` +
        `Once it runs, ${consequence}. Change the consumers listed below first and deploy them, then this migration; ` +
        `or, if they are ready for it, get consent from ${listOf(needs)} with ${ack}.`,
    );
  }
  if (found.failures.length > 0) {
    const failures = found.failures.map(
      (failure) => `${failure.service} (${failure.repo}${failure.table ? "" : ", whole search"}): ${failure.reason}`,
    );
    parts.push(
      `${found.uses.length > 0 ? "Also, the" : `${what}, and the`} search for its consumers failed or was incomplete in ${failures.join("; ")}. ` +
        `Without that search nobody can tell whether those services still use ${subjectOf(broken.table, broken.column)}, so this blocks ` +
        `until a re-run succeeds (\`/ownership recheck\`) or ${listOf(needs)} consent${needs.length === 1 ? "s" : ""} with ${ack}.`,
    );
  }
  if (writers.length > 0 && found.uses.length === 0) {
    parts.push(
      `${what}. ${listOf(writers)} ${writers.length === 1 ? "is a declared writer" : "are declared writers"} of \`${broken.table}\`: once it runs, ${consequence}. ` +
        `Give the column a default first, or get consent from ${listOf(needs)} with ${ack}.`,
    );
  }
  if (parts.length === 0) {
    parts.push(
      `${what}. No other service's code uses ${subjectOf(broken.table, broken.column)} (every other service was searched), ` +
        `so nothing is known to break; but if anything outside the configured repositories (scripts, reports, older deployments) still uses it, ${consequence}.`,
    );
  }
  return parts.join(" ");
}

/** Expand → migrate consumers → contract, for each kind of breaking change. */
export function recipeOf(change: SchemaChange, consumers: readonly string[]): string {
  const who = consumers.length > 0 ? listOf([...consumers]) : "none found in the configured repositories";
  switch (change.kind) {
    case "rename-column":
      return steps(
        `Expand: add \`${change.newName}\` beside \`${change.column}\` and keep both filled (the application writes both, or a trigger copies one to the other); backfill it in batches.`,
        `Migrate the consumers (${who}) to read and write \`${change.newName}\`; deploy them.`,
        `Contract: drop \`${change.column}\` in a later pull request, once no consumer is found.`,
      );
    case "rename-table":
      return steps(
        `Expand: rename the table and leave a view under the old name for the readers: \`CREATE VIEW ${change.table} AS SELECT * FROM ${change.newName};\` (simple views are writable too).`,
        `Migrate the consumers (${who}) to \`${change.newName}\`; deploy them.`,
        `Contract: \`DROP VIEW ${change.table}\` in a later pull request.`,
      );
    case "drop-column":
    case "drop-table":
      return steps(
        `Migrate the consumers first (${who}) off ${change.kind === "drop-table" ? `\`${change.table}\`` : `\`${change.column}\``}; deploy them (for a Django field, remove it from the model first with \`SeparateDatabaseAndState\`, so the ORM stops selecting it).`,
        "Contract: drop it in a later pull request, once no consumer is found.",
      );
    case "alter-column-type":
      return steps(
        `Expand: add a new column of type \`${change.newType}\`, written alongside \`${change.column}\`; backfill it in batches.`,
        `Migrate the consumers (${who}) to the new column; deploy them.`,
        `Contract: drop the old column and rename the new one into its place, in a later pull request.`,
      );
    case "set-not-null":
      return steps(
        `Migrate the consumers (${who}): every INSERT and UPDATE sets \`${change.column}\`; deploy them.`,
        `Give the column a default (\`ALTER TABLE ${change.table} ALTER COLUMN ${change.column} SET DEFAULT …\`), backfill NULLs in batches.`,
        "Then make it NOT NULL the non-blocking way (see `set-not-null-without-check`).",
      );
    default:
      return steps(`Migrate the consumers (${who}) first, deploy them, then make this change.`);
  }
}

/** A NOT NULL without a default breaks the declared writers too, whether or not their inserts were found. */
function declaredWriters(input: ReviewInput, broken: BreakingChange): string[] {
  if (broken.only !== "inserts-omitting") return [];
  return writersInReview(input, broken.table).filter((writer) => writer !== input.service);
}

export const breakingChange: Rule = {
  id: "breaking-change",
  description:
    "Drop or rename of a table, view or column (directly or by CASCADE), column type change, NOT NULL without a default, " +
    "or a rule, policy, revoked privilege or identity that changes what other services' queries may do.",
  defaultSeverity: "error",
  docs: "docs/rules/breaking-change.md",
  headline: {
    blocking: ["change breaks other services", "changes break other services"],
    reason(finding) {
      const subject = headlineSubject(finding);
      if (finding.consumers.length === 0) return `${subject} concerns ${listOf(finding.needs)}, whose uses could not all be searched or who write it`;
      const services = [...new Set(finding.consumers.map((use) => use.service))].sort();
      const accesses = new Set(finding.consumers.map((use) => use.access));
      const verb = accesses.size > 1 ? "used" : accesses.has("write") ? "written" : "read";
      return `${subject} is ${verb} by ${listOf(services)}`;
    },
  },
  consumerTargets: breakingTargets,
  check(input) {
    return breakingChangesOf(input).map((broken): RuleFinding => {
      const found = consumersOf(input.consumers, input.service, broken);
      const writers = declaredWriters(input, broken);
      const needs = [
        ...new Set([...found.uses.map((use) => use.service), ...found.failures.map((failure) => failure.service), ...writers]),
      ].sort();
      const blocks = needs.length > 0;
      return {
        rule: "breaking-change",
        severity: blocks ? "error" : "warning",
        service: input.service,
        table: broken.table,
        column: broken.column,
        loc: broken.loc,
        message: messageOf(broken, found, needs, writers),
        ...(broken.change ? { recipe: recipeOf(broken.change, needs) } : {}),
        consumers: found.uses,
        needs,
        key: broken.key,
      };
    });
  },
};

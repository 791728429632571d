import type { ConsumerLookup, ConsumerTarget } from "../core/consumers.js";
import type { Location, SchemaChange } from "../core/changes.js";
import { describeChange, statementsOf, subjectOf } from "./changes.js";
import { headlineSubject, listOf } from "../findings/wording.js";
import type { RuleFinding } from "../core/findings.js";
import type { ReviewInput, Rule } from "./types.js";

type BreakingInput = Pick<ReviewInput, "changedMigrations" | "baseSchema" | "headSchema">;

/** A change that breaks whoever uses its table (no `column`) or one of its columns. */
export interface BreakingChange {
  change: SchemaChange;
  table: string;
  column?: string;
  loc: Location;
}

const consequences: Partial<Record<SchemaChange["kind"], string>> = {
  "drop-table": "their queries that name it fail",
  "rename-table": "their queries that use the old name fail",
  "drop-column": "their queries that name it fail",
  "rename-column": "their queries that use the old name fail",
  "alter-column-type": "their queries may fail or read values they do not expect",
  "set-not-null": "their INSERTs and UPDATEs that leave it NULL fail",
};

function sameType(a: string, b: string): boolean {
  const normal = (type: string) => type.toLowerCase().replace(/\s+/g, " ").trim();
  return normal(a) === normal(b);
}

/** What the pull request itself brings in, so changes to it break nobody. */
class PullRequestState {
  private readonly tables = new Set<string>();
  private readonly columns = new Set<string>();
  private readonly defaults = new Map<string, boolean>();

  constructor(private readonly base: BreakingInput["baseSchema"]) {}

  isNew(table: string, column?: string): boolean {
    return this.tables.has(table) || (column !== undefined && this.columns.has(`${table}.${column}`));
  }

  /** Whether the column has a default just before the change: the pull request's own changes first, then the base. */
  hasDefault(table: string, column: string): boolean {
    return this.defaults.get(`${table}.${column}`) ?? this.base.tables.get(table)?.columns.get(column)?.hasDefault ?? false;
  }

  record(change: SchemaChange): void {
    switch (change.kind) {
      case "create-table":
        if (!this.base.tables.has(change.table)) this.tables.add(change.table);
        for (const column of change.columns) this.defaults.set(`${change.table}.${column.name}`, column.hasDefault);
        return;
      case "rename-table":
        this.tables.add(change.newName);
        return;
      case "add-column":
        if (!this.base.tables.get(change.table)?.columns.has(change.column.name)) {
          this.columns.add(`${change.table}.${change.column.name}`);
        }
        this.defaults.set(`${change.table}.${change.column.name}`, change.column.hasDefault);
        return;
      case "rename-column":
        this.columns.add(`${change.table}.${change.newName}`);
        return;
      case "set-default":
      case "drop-default":
        this.defaults.set(`${change.table}.${change.column}`, change.kind === "set-default");
        return;
      default:
        return;
    }
  }
}

function breakingTarget(
  change: SchemaChange,
  statementChanges: readonly SchemaChange[],
  input: BreakingInput,
  state: PullRequestState,
): ConsumerTarget | undefined {
  switch (change.kind) {
    case "drop-table":
    case "rename-table":
      return { table: change.table };
    case "drop-column":
    case "rename-column":
      return { table: change.table, column: change.column };
    case "alter-column-type": {
      // Django's AlterField restates the type even when only a help text changed.
      const before = input.baseSchema.tables.get(change.table)?.columns.get(change.column);
      return before && sameType(before.type, change.newType) ? undefined : { table: change.table, column: change.column };
    }
    case "set-not-null": {
      const before = input.baseSchema.tables.get(change.table)?.columns.get(change.column);
      if (before && !before.nullable) return undefined;
      const defaultInStatement = statementChanges.some(
        (other) => other.kind === "set-default" && other.table === change.table && other.column === change.column,
      );
      if (defaultInStatement || state.hasDefault(change.table, change.column)) return undefined;
      return { table: change.table, column: change.column };
    }
    default:
      return undefined;
  }
}

/** Changes of the pull request that break other users of what exists before it, in apply order. */
export function breakingChangesOf(input: BreakingInput): BreakingChange[] {
  const state = new PullRequestState(input.baseSchema);
  const found: BreakingChange[] = [];
  for (const { statement } of statementsOf(input)) {
    for (const change of statement.changes) {
      const target = breakingTarget(change, statement.changes, input, state);
      if (target && !state.isNew(target.table, target.column)) found.push({ change, ...target, loc: statement.loc });
      state.record(change);
    }
  }
  return found;
}

/** What other services are searched for: every table and column the pull request breaks. */
function breakingTargets(input: BreakingInput): ConsumerTarget[] {
  return breakingChangesOf(input).map(({ table, column }) => (column === undefined ? { table } : { table, column }));
}

function consumersOf(lookup: ConsumerLookup, service: string, broken: BreakingChange): ConsumerLookup {
  return {
    uses: lookup.uses.filter(
      (use) =>
        use.service !== service &&
        use.table === broken.table &&
        (broken.column === undefined || use.column === undefined || use.column === broken.column),
    ),
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

/** "drops table `r10_match`", "renames column `kickoff` of `r10_match` to `kicks_off_at`". */
function whatOf(change: SchemaChange): string {
  switch (change.kind) {
    case "drop-table":
      return `drops table \`${change.table}\``;
    case "rename-table":
      return `renames table \`${change.table}\` to \`${change.newName}\``;
    case "rename-column":
      return `renames column \`${change.column}\` of \`${change.table}\` to \`${change.newName}\``;
    case "alter-column-type":
      return `changes the type of \`${change.table}.${change.column}\` to \`${change.newType}\``;
    case "set-not-null":
      return `makes \`${change.table}.${change.column}\` NOT NULL without a default`;
    default:
      return `${describeChange(change)} of \`${change.table}\``;
  }
}

function messageOf(broken: BreakingChange, found: ConsumerLookup, needs: string[]): string {
  const what = `This migration ${whatOf(broken.change)}`;
  const consequence = consequences[broken.change.kind] ?? "their queries may fail";
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
  if (parts.length === 0) {
    parts.push(
      `${what}. No other service's code uses ${subjectOf(broken.table, broken.column)} (every other service was searched), ` +
        `so nothing is known to break; but if anything outside the configured repositories (scripts, reports, older deployments) still uses it, ${consequence}.`,
    );
  }
  return parts.join(" ");
}

export const breakingChange: Rule = {
  id: "breaking-change",
  description: "Drop or rename of a table or column, column type change, or NOT NULL without a default.",
  defaultSeverity: "error",
  docs: "docs/rules/breaking-change.md",
  headline: {
    blocking: ["change breaks other services", "changes break other services"],
    reason(finding) {
      const subject = headlineSubject(finding);
      if (finding.consumers.length === 0) return `consumers of ${subject} could not all be searched`;
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
      const needs = [
        ...new Set([...found.uses.map((use) => use.service), ...found.failures.map((failure) => failure.service)]),
      ].sort();
      const blocks = found.uses.length > 0 || found.failures.length > 0;
      return {
        rule: "breaking-change",
        severity: blocks ? "error" : "warning",
        service: input.service,
        table: broken.table,
        column: broken.column,
        loc: broken.loc,
        message: messageOf(broken, found, needs),
        consumers: found.uses,
        needs,
        key: broken.change.kind,
      };
    });
  },
};

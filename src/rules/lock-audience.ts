// Who waits while a migration holds a lock: what only this app knows. A table other services
// write (declared writers), read or write (consumers found), or own makes a lock finding an
// error naming them; a table only its owner touches, a warning.
import type { ConsumerTarget } from "../core/consumers.js";
import { headlineSubject, listOf } from "../findings/wording.js";
import { ownerInReview, writersInReview } from "./ownership.js";
import type { Severity } from "../core/config.js";
import type { RuleFinding } from "../core/findings.js";
import type { ReviewInput, Rule } from "./types.js";

export interface LockAudience {
  /** Other services that use the table, each with how. */
  services: { service: string; how: "owns" | "writes" | "reads" }[];
  /** Other services whose code could not be searched for the table. */
  unsearched: string[];
}

export function audienceOf(input: Omit<ReviewInput, "consumers"> & Partial<Pick<ReviewInput, "consumers">>, table: string): LockAudience {
  const how = new Map<string, "owns" | "writes" | "reads">();
  const owner = ownerInReview(input, table);
  if (owner !== input.service) how.set(owner, "owns");
  for (const writer of writersInReview(input, table)) if (writer !== input.service && !how.has(writer)) how.set(writer, "writes");
  for (const use of input.consumers?.uses ?? []) {
    if (use.table !== table || use.service === input.service) continue;
    const known = how.get(use.service);
    if (known === undefined || (known === "reads" && use.access === "write")) how.set(use.service, use.access === "write" ? "writes" : "reads");
  }
  const unsearched = (input.consumers?.failures ?? [])
    .filter((failure) => failure.service !== input.service && (failure.table === undefined || failure.table === table))
    .map((failure) => failure.service);
  const services = [...how].map(([service, use]) => ({ service, how: use })).sort((a, b) => (a.service < b.service ? -1 : 1));
  return { services, unsearched: [...new Set(unsearched)].filter((service) => !how.has(service)).sort() };
}

/** Tables whose audience only a consumer search can tell: nothing configured names another service. */
export function lockTargets(input: Omit<ReviewInput, "consumers">, tables: Iterable<string>): ConsumerTarget[] {
  return [...new Set(tables)].filter((table) => audienceOf(input, table).services.length === 0).map((table) => ({ table }));
}

const verbs = { owns: "owned by", writes: "written by", reads: "read by" } as const;

/** "`r10_device` is written by notifications and read by odds". */
function whoUses(table: string, audience: LockAudience): string {
  const groups = (["owns", "writes", "reads"] as const)
    .map((how) => ({ how, names: audience.services.filter((entry) => entry.how === how).map((entry) => entry.service) }))
    .filter((group) => group.names.length > 0)
    .map((group) => `${verbs[group.how]} ${listOf(group.names)}`);
  return `\`${table}\` is ${listOf(groups)}`;
}

export interface LockFindingParts {
  rule: RuleFinding["rule"];
  table: string;
  column?: string;
  loc: RuleFinding["loc"];
  /** What the statement does and why it is unsafe, in a sentence or two. */
  problem: string;
  /** "writes", "reads and writes": what the lock blocks. */
  blocks: string;
  /** "the rewrite takes", "the index build takes". */
  duration: string;
  /** The safe recipe; given the other services that use the table, for steps that name them. */
  recipe: string | ((services: string[]) => string);
  suggestion?: RuleFinding["suggestion"];
  key: string;
}

/** Severity on a table other services use, and on one only the reviewed service uses. */
export interface LockSeverities {
  shared: Severity;
  alone: Severity;
}

const BLOCKING: LockSeverities = { shared: "error", alone: "warning" };

/** A lock finding with the severity, wording and consent its table's audience calls for. */
export function lockFinding(input: ReviewInput, parts: LockFindingParts, severities: LockSeverities = BLOCKING): RuleFinding {
  const audience = audienceOf(input, parts.table);
  const others = audience.services.map((entry) => entry.service);
  const needs = [...new Set([...others, ...audience.unsearched])].sort();
  const sentences = [parts.problem];
  if (others.length > 0) {
    const pronoun = others.length === 1 ? "its" : "their";
    sentences.push(`${whoUses(parts.table, audience)}: this statement blocks ${pronoun} ${parts.blocks} for as long as ${parts.duration}.`);
  }
  if (audience.unsearched.length > 0) {
    sentences.push(`The search for \`${parts.table}\` in ${listOf(audience.unsearched)} failed, so whether they wait too is unknown; this blocks until a re-run succeeds (\`/ownership recheck\`).`);
  }
  if (needs.length === 0) sentences.push(`Only ${input.service} uses \`${parts.table}\`, so only its own ${parts.blocks} wait.`);
  return {
    rule: parts.rule,
    severity: needs.length > 0 ? severities.shared : severities.alone,
    service: input.service,
    table: parts.table,
    ...(parts.column === undefined ? {} : { column: parts.column }),
    loc: parts.loc,
    message: sentences.join(" "),
    recipe: typeof parts.recipe === "string" ? parts.recipe : parts.recipe(others),
    ...(parts.suggestion ? { suggestion: parts.suggestion } : {}),
    consumers: (input.consumers.uses ?? []).filter((use) => use.table === parts.table && use.service !== input.service),
    needs,
    key: parts.key,
  };
}

/** A lock rule: `detect` finds the unsafe statements; severity, wording and searches are shared. */
export function defineLockRule(
  meta: Pick<Rule, "id" | "description" | "docs">,
  detect: (input: Omit<ReviewInput, "consumers">) => LockFindingParts[],
  severities: LockSeverities = BLOCKING,
): Rule {
  return {
    ...meta,
    defaultSeverity: severities.shared,
    headline: {
      blocking: ["statement locks a table other services use", "statements lock tables other services use"],
      reason: (finding) => `${headlineSubject(finding)} is used by ${listOf(finding.needs)}`,
    },
    consumerTargets: (input) => lockTargets(input, detect(input).map((parts) => parts.table)),
    check: (input) => detect(input).map((parts) => lockFinding(input, parts, severities)),
  };
}

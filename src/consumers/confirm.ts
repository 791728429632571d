// Turns the SQL found in another service's file into confirmed consumer uses: only uses
// whose parsed tables (and columns) meet a target count.
import type { CodeSqlAnalysis, TableUse } from "../core/changes.js";
import type { ConsumerLookup, ConsumerTarget, ConsumerUse } from "../core/consumers.js";

export interface ConsumerPlace {
  service: string;
  /** `owner/name` */
  repo: string;
  urlFor?: (path: string, line: number) => string;
}

/** Uses in `analysis` of any target: a column target needs the column (or every column) used. */
export function confirmUses(analysis: CodeSqlAnalysis, targets: ConsumerTarget[], where: ConsumerPlace): ConsumerUse[] {
  const confirmed = new Map<string, ConsumerUse>();
  for (const use of analysis.uses) {
    for (const target of targets) {
      if (!touches(use, target)) continue;
      const consumer = consumerUse(analysis.file, use, target, where);
      confirmed.set(keyOf(consumer), consumer);
    }
  }
  return [...confirmed.values()];
}

/**
 * SQL in the file that could not be understood but names a target table: the file may use
 * it, so the search for that table is incomplete rather than empty. Not when the uses
 * confirmed on that line already answer every target of the table.
 */
export function unconfirmedMentions(
  analysis: CodeSqlAnalysis,
  targets: ConsumerTarget[],
  where: ConsumerPlace,
): ConsumerLookup["failures"] {
  const failures = new Map<string, ConsumerLookup["failures"][number]>();
  for (const unparsed of analysis.unparsed) {
    const text = unparsed.sql?.toLowerCase();
    if (text === undefined) continue;
    const line = unparsed.loc.line;
    for (const target of targets) {
      const table = normalise(target.table);
      if (!mentions(text, table) || confirmedOnLine(analysis, target, line)) continue;
      failures.set(`${line}\0${table}`, {
        service: where.service,
        repo: where.repo,
        table,
        reason: `${analysis.file}:${line} may use ${table}, but its SQL could not be understood (${unparsed.reason})`,
      });
    }
  }
  return [...failures.values()];
}

function confirmedOnLine(analysis: CodeSqlAnalysis, target: ConsumerTarget, line: number): boolean {
  return analysis.uses.some((use) => use.loc.line === line && touches(use, target));
}

function touches(use: TableUse, target: ConsumerTarget): boolean {
  if (normalise(use.table) !== normalise(target.table)) return false;
  if (target.only === "inserts-omitting") return omits(use, target.column);
  if (target.only === "writes" && use.access !== "write") return false;
  if (target.column === undefined) return true;
  return use.allColumns || namesColumn(use, target.column);
}

/** A statement uses a column only where it names it. */
function namesColumn(use: TableUse, column: string | undefined): boolean {
  const wanted = column?.toLowerCase();
  return wanted !== undefined && [...use.columns, ...use.possibleColumns].some((used) => used.toLowerCase() === wanted);
}

/** An INSERT (or COPY FROM) that gives `column` no value: without a column list it gives every column one by position. */
function omits(use: TableUse, column: string | undefined): boolean {
  if (!use.insert || column === undefined) return false;
  const wanted = column.toLowerCase();
  return use.insert.columns === "all" || !use.insert.columns.some((given) => given.toLowerCase() === wanted);
}

function consumerUse(path: string, use: TableUse, target: ConsumerTarget, where: ConsumerPlace): ConsumerUse {
  const consumer: ConsumerUse = {
    service: where.service,
    repo: where.repo,
    path,
    line: use.loc.line,
    table: normalise(target.table),
    access: use.access,
  };
  if (target.only === "inserts-omitting" && target.column !== undefined) {
    consumer.omits = target.column;
    if (use.insert?.columns === "all") consumer.allColumns = true;
  } else if (namesColumn(use, target.column)) {
    consumer.column = target.column;
  } else if (target.column !== undefined && use.allColumns) {
    consumer.allColumns = true;
  }
  const url = where.urlFor?.(path, use.loc.line);
  if (url !== undefined) consumer.url = url;
  return consumer;
}

function keyOf(use: ConsumerUse): string {
  return [use.path, use.line, use.table, use.column ?? "", use.access, use.omits ?? ""].join("\0");
}

/** Table names compare as PostgreSQL folds them, without the default schema. */
function normalise(table: string): string {
  return table.toLowerCase().replace(/^public\./, "");
}

/** Whole-word match: `r10_device` must not match inside `r10_device_token`. */
function mentions(text: string, table: string): boolean {
  const bare = table.includes(".") ? table.slice(table.lastIndexOf(".") + 1) : table;
  return new RegExp(`(^|[^a-z0-9_$])"?${escapeRegExp(bare)}"?($|[^a-z0-9_$])`).test(text);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

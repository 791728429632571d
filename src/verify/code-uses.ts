// The startup check a service without migrations lacks: does every table and column its code
// uses exist in the live database? Its queries would fail where one does not.
import type { CodeSqlAnalysis, Location, TableUse, UnparsedSql } from "../core/changes.js";
import { code } from "../findings/wording.js";
import type { LiveSchema, LiveTable } from "./catalog.js";

/** Columns every PostgreSQL table has without declaring them. */
const SYSTEM_COLUMNS = new Set(["ctid", "xmin", "xmax", "cmin", "cmax", "tableoid", "oid"]);

export interface MissingUse {
  table: string;
  column?: string;
  loc: Location;
  message: string;
}

export interface ServiceCodeCheck {
  service: string;
  repo: string;
  /** Table uses read from the service's code. */
  usesChecked: number;
  missing: MissingUse[];
  /** SQL in the code that could not be read: what it uses was not checked. */
  unparsed: UnparsedSql[];
  /** Tables of other schemas, which this check does not read. */
  otherSchemas: string[];
}

function isCatalog(table: string): boolean {
  return table.startsWith("pg_") || table.startsWith("pg_catalog.") || table.startsWith("information_schema.");
}

function checkStatement(uses: readonly TableUse[], live: LiveSchema, report: (missing: MissingUse) => void): void {
  const tables: (LiveTable | undefined)[] = uses.map((use) => live.tables.get(use.table));
  uses.forEach((use, index) => {
    const table = tables[index];
    if (!table) {
      report({ table: use.table, loc: use.loc, message: `The code uses table ${code(use.table)}, which the database does not have.` });
      return;
    }
    for (const column of use.columns) {
      if (table.columns.has(column) || SYSTEM_COLUMNS.has(column)) continue;
      report({
        table: use.table,
        column,
        loc: use.loc,
        message: `The code uses column ${code(`${use.table}.${column}`)}, which the database does not have.`,
      });
    }
  });
  // An unqualified column may belong to any table in scope: it is missing only when none of them has it.
  if (tables.some((table) => table === undefined)) return;
  for (const use of uses) {
    for (const column of use.possibleColumns) {
      if (SYSTEM_COLUMNS.has(column) || tables.some((table) => table?.columns.has(column))) continue;
      const names = [...new Set(uses.map((candidate) => code(candidate.table)))].join(", ");
      report({ table: use.table, column, loc: use.loc, message: `The code uses column ${code(column)}, which none of ${names} has in the database.` });
    }
  }
}

/** Checks one service's code against the live schema; uses on one line are one statement's. */
export function checkServiceCode(service: string, repo: string, analyses: readonly CodeSqlAnalysis[], live: LiveSchema): ServiceCodeCheck {
  const check: ServiceCodeCheck = { service, repo, usesChecked: 0, missing: [], unparsed: [], otherSchemas: [] };
  const seen = new Set<string>();
  const report = (missing: MissingUse) => {
    const key = `${missing.loc.file}:${missing.loc.line}:${missing.table}.${missing.column ?? ""}`;
    if (seen.has(key)) return;
    seen.add(key);
    check.missing.push(missing);
  };
  for (const analysis of analyses) {
    check.unparsed.push(...analysis.unparsed);
    const byStatement = new Map<number, TableUse[]>();
    for (const use of analysis.uses) {
      if (isCatalog(use.table)) continue;
      if (use.table.includes(".")) {
        if (!check.otherSchemas.includes(use.table)) check.otherSchemas.push(use.table);
        continue;
      }
      check.usesChecked += 1;
      byStatement.set(use.loc.line, [...(byStatement.get(use.loc.line) ?? []), use]);
    }
    for (const uses of byStatement.values()) checkStatement(uses, live, report);
  }
  return check;
}

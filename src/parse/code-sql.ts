// SQL inside application code: find the strings that may be SQL (per language), then let
// the SQL parser decide what they are and which tables and columns they touch.
import type { Node } from "web-tree-sitter";
import type { CodeSqlAnalysis, MigrationStatement, TableUse, UnparsedSql } from "../core/changes.js";
import { analyzeCodeSql, analyzeSql, loadSqlParser, type SqlOrigin } from "./sql.js";
import { replacePlaceholders } from "./sql-code-text.js";
import { goSqlCandidates } from "./go-sql.js";
import { pythonSqlCandidates } from "./python-sql.js";
import { loadParser, withTree, type GrammarName } from "./tree-sitter.js";
import type { SqlCandidate } from "./sql-candidate.js";
import { columnsOfChange } from "../core/change-columns.js";

const LANGUAGES: Record<string, { grammar: GrammarName; name: string; candidates: (root: Node) => SqlCandidate[] }> = {
  ".go": { grammar: "go", name: "Go", candidates: goSqlCandidates },
  ".py": { grammar: "python", name: "Python", candidates: pythonSqlCandidates },
};

/** A run-time value stands as a parameter: it parses wherever a value may stand, and nowhere else. */
const HOLE_AS_PARAMETER = " $99 ";
const HOLE_AS_SHOWN = "…";

/** SQL in a Go or Python file; null for other languages and binary files. */
export async function analyzeCodeFile(text: string, file: string): Promise<CodeSqlAnalysis | null> {
  const language = LANGUAGES[extensionOf(file)];
  if (!language || text.includes("\0")) return null;
  const parser = await loadParser(language.grammar);
  await loadSqlParser();
  const { candidates, syntaxErrorLine } = withTree(parser, text, (tree) => ({
    candidates: language.candidates(tree.rootNode),
    syntaxErrorLine: firstSyntaxErrorLine(tree.rootNode),
  }));
  const analysis: CodeSqlAnalysis = { file, uses: [], unparsed: [] };
  if (syntaxErrorLine !== undefined) {
    analysis.unparsed.push({
      loc: { file, line: syntaxErrorLine },
      reason: `the file does not parse as ${language.name} here; SQL strings in it may have been missed`,
      context: "code",
    });
  }
  for (const candidate of candidates) addCandidate(analysis, candidate);
  analysis.uses.sort((a, b) => a.loc.line - b.loc.line);
  analysis.unparsed.sort((a, b) => a.loc.line - b.loc.line);
  return analysis;
}

function addCandidate(analysis: CodeSqlAnalysis, candidate: SqlCandidate): void {
  const sql = render(candidate, HOLE_AS_PARAMETER);
  const lineBreaks = sql.split("\n").length - 1;
  const origin = { file: analysis.file, line: candidate.line, context: "code" as const, fixedLine: lineBreaks !== candidate.lineSpan };
  const result = analyzeCodeSql(sql, origin);
  const shown = render(candidate, HOLE_AS_SHOWN);
  if (!result) {
    if (!startsLikeSql(sql)) return;
    if (candidate.dynamic) analysis.unparsed.push(dynamicSql(analysis.file, candidate.line, shown, true));
    else analysis.unparsed.push(...parseErrors(sql, origin).map((unparsed) => ({ ...unparsed, sql: shown })));
    return;
  }
  analysis.uses.push(...result.statements.flatMap((statement) => [...statement.uses, ...schemaChangeUses(statement)]));
  if (candidate.dynamic) {
    analysis.unparsed.push(dynamicSql(analysis.file, candidate.line, shown, result.unparsed.length > 0));
  } else {
    analysis.unparsed.push(...result.unparsed.map((unparsed) => ({ ...unparsed, sql: unparsed.sql ?? shown })));
  }
}

/**
 * DDL run by application code changes a table as surely as a write does: it counts as one,
 * so writer rules and consumer search see it.
 */
function schemaChangeUses(statement: MigrationStatement): TableUse[] {
  return statement.changes.flatMap((change): TableUse[] => {
    if (change.table === undefined) return [];
    const table = change.table;
    const written = statement.uses.some((use) => use.table === table && use.access === "write");
    if (written) return [];
    const columns = columnsOfChange(change);
    return [{ table, access: "write", columns, possibleColumns: [], allColumns: columns.length === 0, loc: change.loc }];
  });
}

/** Verbs and the word that must follow them for a string to be meant as SQL. */
const SQL_SHAPES = [
  /^select\b[\s\S]*\bfrom\b/,
  /^insert\s+into\b/,
  /^update\s+\S+\s+set\b/,
  /^delete\s+from\b/,
  /^with\s+(recursive\s+)?\S+\s+(\([^)]*\)\s*)?as\b/,
  /^(create|alter|drop)\s+(\w+\s+)*?(table|index|view|sequence|type|function|trigger|schema|extension)\b/,
  /^truncate\b/,
];
/** printf verbs that only messages carry (`%s` is also a DB-API placeholder). */
const MESSAGE_VERBS = /%[-+# 0]*[vwqT]/;

/**
 * Written as SQL, though the SQL parser could not make sense of it: a SQL verb in SQL's
 * capitalisation (not a sentence's "Delete from cart") followed by its clause keyword.
 */
function startsLikeSql(sql: string): boolean {
  const start = sql.replace(/^(\s|\(|--[^\n]*\n|\/\*[\s\S]*?\*\/)+/, "");
  const verb = /^\w+/.exec(start)?.[0] ?? "";
  if (/^[A-Z][a-z]+$/.test(verb) || MESSAGE_VERBS.test(sql)) return false;
  const lower = start.toLowerCase();
  return SQL_SHAPES.some((shape) => shape.test(lower));
}

/** PostgreSQL's own complaint about each statement, with its line; none when either reading of `?` parses. */
function parseErrors(sql: string, origin: SqlOrigin): UnparsedSql[] {
  const readings = [true, false].map((questionMarks) => analyzeSql(replacePlaceholders(sql, { questionMarks }), origin).unparsed);
  return readings.reduce((fewest, reading) => (reading.length < fewest.length ? reading : fewest));
}

function dynamicSql(file: string, line: number, sql: string, constantPartsFail: boolean): UnparsedSql {
  const checked = constantPartsFail
    ? "its constant parts do not parse on their own, so the tables and columns it touches are unknown"
    : "only its constant parts were checked";
  return { loc: { file, line }, reason: `dynamic SQL built at run time: ${checked}`, context: "code", sql };
}

function render(candidate: SqlCandidate, hole: string): string {
  return candidate.pieces.map((piece) => (piece.kind === "text" ? piece.text : hole)).join("");
}

function extensionOf(file: string): string {
  const dot = file.lastIndexOf(".");
  return dot > file.lastIndexOf("/") ? file.slice(dot).toLowerCase() : "";
}

function firstSyntaxErrorLine(root: Node): number | undefined {
  if (!root.hasError) return undefined;
  let node = root;
  for (;;) {
    const broken = node.children.find((child) => child.isError || child.isMissing || child.hasError);
    if (!broken) return node.startPosition.row + 1;
    node = broken;
  }
}

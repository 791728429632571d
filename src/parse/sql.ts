// Raw SQL → changes and uses, with PostgreSQL's own parser (libpg-query). A file is parsed
// once; only when it does not parse is it split into statements, so the good ones still
// count and each bad one is reported at its own line.
import type { Node, RawStmt } from "libpg-query";
import type { Location, MigrationStatement, ParsedMigration, UnparsedSql } from "../core/changes.js";
import { looksLikeProse, replacePlaceholders } from "./sql-code-text.js";
import { schemaChanges } from "./sql-ddl.js";
import { idempotencyProblem } from "./sql-idempotency.js";
import { statementLocking } from "./sql-locks.js";
import { hasUpMarker, runsInTransaction, upSection } from "./migration-sections.js";
import { errorMessage, plpgsqlBody } from "./sql-plpgsql.js";
import { tableName } from "./sql-names.js";
import { SqlSource } from "./sql-source.js";
import { handlingOf } from "./sql-statement-kinds.js";
import { UseCollector } from "./sql-uses.js";
import { pg } from "./pg-parser.js";

export { loadSqlParser } from "./pg-parser.js";

export interface SqlOrigin {
  file: string;
  /** Line of the first character of `sql` in the file. */
  line: number;
  context: "migration" | "code";
  /** True: every statement reports `line` (Django RunSQL: the line of the Python call). */
  fixedLine?: boolean;
}

export interface AnalyzedStatement extends MigrationStatement {
  /** The statement's SQL, from its first token, without the closing semicolon. */
  text: string;
  /** libpg-query's node name: `CreateStmt`, `SelectStmt`, `AlterTableStmt`, `DoStmt`, ... */
  statementKind: string;
}

export interface SqlAnalysis {
  statements: AnalyzedStatement[];
  unparsed: UnparsedSql[];
}

interface Context {
  source: SqlSource;
  origin: SqlOrigin;
  analysis: SqlAnalysis;
  /** `PREPARE name AS …` seen so far: EXECUTE runs them. */
  prepared: Map<string, Node>;
}

export function analyzeSql(sql: string, origin: SqlOrigin): SqlAnalysis {
  const analysis: SqlAnalysis = { statements: [], unparsed: [] };
  if (sql.includes("\0")) {
    analysis.unparsed.push({ loc: { file: origin.file, line: origin.line }, reason: "binary file", context: origin.context });
    return analysis;
  }
  // libpg-query rejects the empty string itself; an empty file is simply no statements.
  if (sql === "") return analysis;
  const context: Context = { source: new SqlSource(sql, origin.line), origin, analysis, prepared: new Map() };
  let statements: RawStmt[];
  try {
    statements = pg().parseSync(sql).stmts ?? [];
  } catch {
    recoverStatements(context);
    return analysis;
  }
  for (const statement of statements) rawStatement(statement, 0, context.source.byteLength, context);
  return analysis;
}

/** The whole text does not parse: split it on top-level semicolons and parse each piece. */
function recoverStatements(context: Context): void {
  const { source, origin } = context;
  let pieces: [number, number][];
  try {
    pieces = statementPieces(source);
  } catch (error) {
    const reason = `SQL does not parse: ${errorMessage(error)}`;
    context.analysis.unparsed.push({ loc: { file: origin.file, line: origin.line }, reason, context: origin.context, sql: source.text });
    return;
  }
  for (const [start, end] of pieces) {
    const first = source.skipTrivia(start, end);
    if (first >= end) continue;
    const pieceText = source.slice(start, end);
    let statements: RawStmt[];
    try {
      statements = pg().parseSync(pieceText).stmts ?? [];
    } catch (error) {
      const sql = source.slice(first, end).trim();
      context.analysis.unparsed.push({ loc: location(first, context), reason: errorMessage(error), context: origin.context, sql });
      continue;
    }
    for (const statement of statements) rawStatement(statement, start, end, context);
  }
}

function statementPieces(source: SqlSource): [number, number][] {
  const pieces: [number, number][] = [];
  let depth = 0;
  let start = 0;
  for (const token of pg().scanSync(source.text).tokens) {
    if (token.text === "(") depth += 1;
    else if (token.text === ")") depth = Math.max(0, depth - 1);
    else if (token.text === ";" && depth === 0) {
      pieces.push([start, token.end]);
      start = token.end;
    }
  }
  pieces.push([start, source.byteLength]);
  return pieces;
}

function location(offset: number, context: Context): Location {
  const line = context.origin.fixedLine ? context.origin.line : context.source.lineAt(offset);
  return { file: context.origin.file, line };
}

/** `base`: byte offset of the parsed text in the file; `limit`: where that text ends. */
function rawStatement(raw: RawStmt, base: number, limit: number, context: Context): void {
  if (!raw.stmt) return;
  const start = base + (raw.stmt_location ?? 0);
  const end = raw.stmt_len ? start + raw.stmt_len : limit;
  const first = context.source.skipTrivia(start, end);
  const text = context.source.slice(first, end).trimEnd();
  const before = context.analysis.statements.length;
  analyzeStatement(raw.stmt, text, location(first, context), context, { guarded: false });
  const own = context.origin.fixedLine ? undefined : context.source.ownLines(first, first + Buffer.byteLength(text));
  const statement = context.analysis.statements[before];
  if (own && statement) statement.ownLines = own;
}

interface StatementOptions {
  /** Re-runs are the author's concern (PL/pgSQL guards, function bodies). */
  guarded: boolean;
  variables?: ReadonlySet<string>;
  /** A function body: it runs when called, so it takes no lock when the migration runs. */
  inFunction?: boolean;
}

function analyzeStatement(node: Node, text: string, loc: Location, context: Context, options: StatementOptions): void {
  const { origin, analysis } = context;
  const kind = Object.keys(node)[0] ?? "unknown";
  if ("PrepareStmt" in node) {
    // Preparing runs nothing; EXECUTE runs the prepared statement where it stands.
    if (node.PrepareStmt.query) context.prepared.set(node.PrepareStmt.name ?? "", node.PrepareStmt.query);
    return;
  }
  if ("ExecuteStmt" in node) {
    const prepared = context.prepared.get(node.ExecuteStmt.name ?? "");
    if (prepared) analyzeStatement(prepared, text, loc, context, options);
    else analysis.unparsed.push({ loc, reason: `EXECUTE runs \`${node.ExecuteStmt.name ?? ""}\`, prepared outside this SQL`, context: origin.context, sql: text });
    return;
  }
  const ddl = schemaChanges(node, loc);
  const uses = new UseCollector(options.variables);
  collectUses(node, uses);
  const statement: AnalyzedStatement = {
    loc,
    changes: ddl.changes,
    uses: uses.result(loc).filter((use) => !isSystemCatalog(use.table)),
    text,
    statementKind: kind,
  };
  if (ddl.objects.length > 0) statement.objects = ddl.objects;
  const problem = origin.context === "migration" && !options.guarded ? idempotencyProblem(node) : undefined;
  if (problem) statement.idempotencyProblem = problem;
  if (origin.context === "migration" && !options.inFunction) statement.locking = statementLocking(node);
  analysis.statements.push(statement);
  const notUnderstood = [...ddl.notUnderstood, ...unhandled(node, kind, statement, origin.context)];
  for (const reason of notUnderstood) analysis.unparsed.push({ loc, reason, context: origin.context, sql: text });
  embeddedCode(node, text, loc, context);
}

/** Why a statement's kind leaves its effect unknown: nothing of any kind is skipped in silence. */
function unhandled(node: Node, kind: string, statement: AnalyzedStatement, context: SqlOrigin["context"]): string[] {
  const handling = handlingOf(kind);
  if (handling === undefined || handling === "nested") return [`\`${kind}\` statements are not analysed`];
  if (handling === "schema" && statement.changes.length === 0 && !statement.objects) {
    return [`what this \`${kind}\` statement changes is not known`];
  }
  if (context === "migration" && "CallStmt" in node) return ["CALL runs a procedure whose statements are not analysed here"];
  if ("VariableSetStmt" in node && node.VariableSetStmt.name === "search_path" && !searchesPublicOnly(node.VariableSetStmt.args)) {
    return ["SET search_path: names are resolved in `public`, as the app assumes; other schemas on the path are not followed"];
  }
  return [];
}

function searchesPublicOnly(args: Node[] | undefined): boolean {
  const names = (args ?? []).map((arg) => ("A_Const" in arg ? (arg.A_Const.sval?.sval ?? "") : ""));
  return names.every((name) => name === "public" || name === "$user" || name === "pg_catalog");
}

const queryKinds = new Set(["SelectStmt", "InsertStmt", "UpdateStmt", "DeleteStmt", "MergeStmt"]);

function collectUses(node: Node, uses: UseCollector): void {
  const kind = Object.keys(node)[0] ?? "";
  if (queryKinds.has(kind)) uses.statement(node);
  else if ("ViewStmt" in node && node.ViewStmt.query) uses.statement(node.ViewStmt.query);
  else if ("CreateTableAsStmt" in node && node.CreateTableAsStmt.query) uses.statement(node.CreateTableAsStmt.query);
  else if ("DeclareCursorStmt" in node && node.DeclareCursorStmt.query) uses.statement(node.DeclareCursorStmt.query);
  else if ("ExplainStmt" in node && node.ExplainStmt.query) uses.statement(node.ExplainStmt.query);
  else if ("CallStmt" in node && node.CallStmt.funccall) uses.expression({ FuncCall: node.CallStmt.funccall });
  else if ("TruncateStmt" in node) {
    for (const relation of node.TruncateStmt.relations ?? []) {
      if ("RangeVar" in relation) uses.tableUse(tableName(relation.RangeVar), "write");
    }
  } else if ("CopyStmt" in node) copyUses(node.CopyStmt, uses);
}

function copyUses(copy: Extract<Node, { CopyStmt: unknown }>["CopyStmt"], uses: UseCollector): void {
  if (copy.query) {
    uses.statement(copy.query);
    return;
  }
  const use = uses.tableUse(tableName(copy.relation), copy.is_from ? "write" : "read");
  const columns = (copy.attlist ?? []).flatMap((item) => ("String" in item ? [item.String.sval ?? ""] : []));
  for (const column of columns) use.columns.add(column);
  if (columns.length === 0) use.allColumns = true;
  if (copy.is_from) uses.inserts(use, columns);
}

/** pg_catalog and information_schema belong to PostgreSQL, not to any service. */
function isSystemCatalog(table: string): boolean {
  return table.startsWith("pg_") || table.startsWith("pg_catalog.") || table.startsWith("information_schema.");
}

/** DO blocks and function bodies: the statements they run are analysed at the outer statement's line. */
function embeddedCode(node: Node, text: string, loc: Location, context: Context): void {
  if ("DoStmt" in node) {
    const language = definition(node.DoStmt.args, "language") ?? "plpgsql";
    bodyCode(language, text, definition(node.DoStmt.args, "as"), loc, context, false);
  } else if ("CreateFunctionStmt" in node) {
    const fn = node.CreateFunctionStmt;
    if (fn.sql_body) {
      for (const statement of queryNodes(fn.sql_body)) analyzeStatement(statement, text, loc, context, { guarded: true, inFunction: true });
      return;
    }
    const language = definition(fn.options, "language") ?? "sql";
    bodyCode(language, text, definition(fn.options, "as"), loc, context, true);
  }
}

function bodyCode(declaredLanguage: string, statementText: string, body: string | undefined, loc: Location, context: Context, isFunction: boolean): void {
  const { origin, analysis } = context;
  const language = declaredLanguage.toLowerCase();
  if (language === "plpgsql") {
    plpgsqlCode(statementText, loc, context, isFunction);
  } else if (language === "sql" && body !== undefined) {
    // A function body runs when called, not when the migration runs: re-runs are not its concern.
    const inner = analyzeSql(body, { ...origin, line: loc.line, fixedLine: true });
    analysis.statements.push(...inner.statements.map(asFunctionBody));
    analysis.unparsed.push(...inner.unparsed);
  } else if (language !== "c" && language !== "internal") {
    analysis.unparsed.push({ loc, reason: `a body in LANGUAGE ${language} is not analysed`, context: origin.context, sql: statementText });
  }
}

function asFunctionBody(statement: AnalyzedStatement): AnalyzedStatement {
  const copy = { ...statement };
  delete copy.idempotencyProblem;
  delete copy.locking;
  return copy;
}

function plpgsqlCode(statementText: string, loc: Location, context: Context, isFunction: boolean): void {
  const { origin, analysis } = context;
  const body = plpgsqlBody(statementText);
  for (const reason of body.notUnderstood) analysis.unparsed.push({ loc, reason, context: origin.context, sql: statementText });
  for (const embedded of body.embedded) {
    let statements: RawStmt[];
    try {
      statements = pg().parseSync(embedded.sql).stmts ?? [];
    } catch (error) {
      const reason = `statement in a PL/pgSQL body does not parse: ${errorMessage(error)}`;
      analysis.unparsed.push({ loc, reason, context: origin.context, sql: embedded.sql });
      continue;
    }
    const options = { guarded: isFunction || embedded.guarded, variables: body.variables, inFunction: isFunction };
    for (const raw of statements) {
      if (!raw.stmt) continue;
      if (embedded.kind === "expression") expressionReads(raw.stmt, embedded.sql, loc, context, options);
      else analyzeStatement(raw.stmt, embedded.sql.trim(), loc, context, options);
    }
  }
}

/** A PL/pgSQL condition or assignment counts only when it reads a table. */
function expressionReads(node: Node, sql: string, loc: Location, context: Context, options: StatementOptions): void {
  const uses = new UseCollector(options.variables);
  uses.statement(node);
  const found = uses.result(loc).filter((use) => !isSystemCatalog(use.table));
  if (found.length === 0) return;
  context.analysis.statements.push({ loc, changes: [], uses: found, text: sql, statementKind: "SelectStmt" });
}

function definition(options: Node[] | undefined, name: string): string | undefined {
  for (const option of options ?? []) {
    if (!("DefElem" in option) || option.DefElem.defname !== name) continue;
    const arg = option.DefElem.arg;
    if (arg && "String" in arg) return arg.String.sval;
    if (arg && "List" in arg) {
      const first = arg.List.items?.[0];
      return first && "String" in first ? first.String.sval : undefined;
    }
  }
  return undefined;
}

/** Statements of a `BEGIN ATOMIC … END` body, already parsed by PostgreSQL. */
function queryNodes(value: unknown): Node[] {
  if (Array.isArray(value)) return value.flatMap(queryNodes);
  if (typeof value !== "object" || value === null) return [];
  const node = value as Record<string, unknown>;
  const kind = Object.keys(node)[0] ?? "";
  if (queryKinds.has(kind)) return [node as Node];
  return Object.values(node).flatMap(queryNodes);
}

/**
 * SQL strings found in application code: placeholders ($1, ?, %s, %(name)s, @name, :name) are
 * replaced before parsing. Null when the text is not SQL: it does not parse as a whole, names
 * no table, or is prose that parses (see `looksLikeProse`).
 */
export function analyzeCodeSql(sql: string, origin: SqlOrigin): SqlAnalysis | null {
  if (sql.includes("\0") || sql.trim() === "") return null;
  const candidates = [replacePlaceholders(sql, { questionMarks: true }), replacePlaceholders(sql, { questionMarks: false })];
  const text = candidates.find(parsesCleanly);
  if (text === undefined || looksLikeProse(pg().scanSync(text).tokens)) return null;
  const analysis = analyzeSql(text, origin);
  const namesTable = analysis.statements.some((statement) => statement.uses.length > 0 || statement.changes.length > 0);
  return namesTable ? analysis : null;
}

function parsesCleanly(sql: string): boolean {
  try {
    return (pg().parseSync(sql).stmts ?? []).length > 0;
  } catch {
    return false;
  }
}

export function parseSqlMigration(text: string, file: string, format: "sql" | "goose" | "dbmate"): ParsedMigration {
  const { statements, unparsed } = analyzeSql(upSection(text, format), { file, line: 1, context: "migration" });
  if (!hasUpMarker(text, format)) {
    const marker = format === "goose" ? "-- +goose Up" : "-- migrate:up";
    unparsed.push({ loc: { file, line: 1 }, reason: `no \`${marker}\` section: nothing in this ${format} migration applies`, context: "migration" });
  }
  return { file, format, inTransaction: runsInTransaction(text, format), statements, unparsed };
}

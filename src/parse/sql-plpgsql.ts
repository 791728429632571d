// The SQL a PL/pgSQL body (DO block or function) executes, found with PostgreSQL's own
// PL/pgSQL parser. Statements come back as SQL text for the caller to analyse like any
// other; what cannot be known statically (EXECUTE of a computed string) comes back as a reason.
import { pg } from "./pg-parser.js";

export interface EmbeddedSql {
  sql: string;
  /** A whole statement, or an expression (condition, assignment) that may read tables. */
  kind: "statement" | "expression";
  /** Inside IF/CASE or a block with an EXCEPTION handler: the author guards re-runs. */
  guarded: boolean;
}

export interface PlpgsqlBody {
  embedded: EmbeddedSql[];
  /** Declared variables and parameters: names that are not columns. */
  variables: Set<string>;
  notUnderstood: string[];
}

type Json = Record<string, unknown>;

/** `statementText` is one DO or CREATE FUNCTION statement in PL/pgSQL. */
export function plpgsqlBody(statementText: string): PlpgsqlBody {
  const body: PlpgsqlBody = { embedded: [], variables: new Set(), notUnderstood: [] };
  let result: { plpgsql_funcs?: Json[] };
  try {
    result = pg().parsePlPgSQLSync(statementText) as { plpgsql_funcs?: Json[] };
  } catch (error) {
    body.notUnderstood.push(`PL/pgSQL body does not parse: ${errorMessage(error)}`);
    return body;
  }
  for (const wrapper of result.plpgsql_funcs ?? []) {
    const fn = wrapper.PLpgSQL_function as Json | undefined;
    for (const datum of (fn?.datums as Json[] | undefined) ?? []) collectVariable(datum, body.variables);
    walk(fn, false, body);
  }
  return body;
}

function collectVariable(datum: Json, variables: Set<string>): void {
  for (const value of Object.values(datum)) {
    const refname = (value as Json | undefined)?.refname;
    if (typeof refname === "string" && !refname.startsWith("(")) variables.add(refname);
  }
}

const dynamicQueryKeys: Record<string, string> = {
  PLpgSQL_stmt_dynexecute: "query",
  PLpgSQL_stmt_dynfors: "query",
  PLpgSQL_stmt_return_query: "dynquery",
  PLpgSQL_stmt_open: "dynquery",
};
const staticQueryKeys: Record<string, string> = {
  PLpgSQL_stmt_execsql: "sqlstmt",
  PLpgSQL_stmt_perform: "expr",
  PLpgSQL_stmt_fors: "query",
  PLpgSQL_stmt_return_query: "query",
  PLpgSQL_stmt_open: "query",
};

function walk(value: unknown, guarded: boolean, body: PlpgsqlBody): void {
  if (Array.isArray(value)) {
    for (const item of value) walk(item, guarded, body);
    return;
  }
  if (typeof value !== "object" || value === null) return;
  for (const [key, child] of Object.entries(value as Json)) {
    if (key === "PLpgSQL_expr") {
      expression(child as Json, guarded, body);
    } else if (key in staticQueryKeys || key in dynamicQueryKeys) {
      statement(key, child as Json, guarded, body);
    } else {
      walk(child, guarded || guards(key, child as Json), body);
    }
  }
}

function guards(key: string, node: Json): boolean {
  return key === "PLpgSQL_stmt_if" || key === "PLpgSQL_stmt_case" || (key === "PLpgSQL_stmt_block" && node.exceptions !== undefined);
}

function statement(key: string, node: Json, guarded: boolean, body: PlpgsqlBody): void {
  const staticKey = staticQueryKeys[key];
  const dynamicKey = dynamicQueryKeys[key];
  const handled = new Set([staticKey, dynamicKey]);
  const staticQuery = staticKey ? queryText(node[staticKey]) : undefined;
  const dynamicQuery = dynamicKey ? queryText(node[dynamicKey]) : undefined;
  if (staticQuery !== undefined) body.embedded.push({ sql: staticQuery, kind: "statement", guarded });
  if (dynamicQuery !== undefined) dynamicStatement(dynamicQuery, guarded, body);
  for (const [childKey, child] of Object.entries(node)) {
    if (!handled.has(childKey)) walk(child, guarded, body);
  }
}

function queryText(value: unknown): string | undefined {
  const query = ((value as Json | undefined)?.PLpgSQL_expr as Json | undefined)?.query;
  return typeof query === "string" ? query : undefined;
}

/** EXECUTE 'literal' is as good as a static statement; anything computed is not knowable. */
function dynamicStatement(expressionText: string, guarded: boolean, body: PlpgsqlBody): void {
  const literal = stringLiteral(expressionText);
  if (literal === undefined) {
    body.notUnderstood.push(`EXECUTE of a computed string cannot be analysed: ${abbreviate(expressionText)}`);
  } else {
    body.embedded.push({ sql: literal, kind: "statement", guarded });
  }
}

function stringLiteral(expressionText: string): string | undefined {
  try {
    const statement = pg().parseSync(`SELECT ${expressionText}`).stmts?.[0]?.stmt as Json | undefined;
    const targets = (statement?.SelectStmt as Json | undefined)?.targetList as Json[] | undefined;
    const only = targets?.length === 1 ? ((targets[0]?.ResTarget as Json | undefined)?.val as Json | undefined) : undefined;
    const sval = ((only?.A_Const as Json | undefined)?.sval as Json | undefined)?.sval;
    return typeof sval === "string" ? sval : undefined;
  } catch {
    return undefined;
  }
}

function expression(node: Json, guarded: boolean, body: PlpgsqlBody): void {
  const query = node.query;
  if (typeof query !== "string") return;
  // Parse modes: 0 a whole statement (cursor queries), 2 an expression, 3-5 `target := expression`.
  if (node.parseMode === 0 || node.parseMode === undefined) {
    body.embedded.push({ sql: query, kind: "statement", guarded });
    return;
  }
  const text = node.parseMode === 2 ? query : query.replace(/^[^:=]*(:=|=)/, "");
  body.embedded.push({ sql: `SELECT ${text}`, kind: "expression", guarded });
}

function abbreviate(text: string): string {
  const oneLine = text.replace(/\s+/g, " ").trim();
  return oneLine.length > 80 ? `${oneLine.slice(0, 77)}...` : oneLine;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

// How a column default is computed. Since PostgreSQL 11, ADD COLUMN with a non-volatile
// default stores the value once in the catalog; a volatile one (a value per row) rewrites
// the table under an ACCESS EXCLUSIVE lock. `now()` is STABLE (one value per transaction).
import type { Node } from "libpg-query";
import type { Volatility } from "../core/changes.js";

/** pg_proc.provolatile = 'v' among the functions a default plausibly calls. */
const VOLATILE = new Set([
  "clock_timestamp",
  "timeofday",
  "random",
  "random_normal",
  "setseed",
  "gen_random_uuid",
  "uuidv4",
  "uuidv7",
  "uuid_generate_v1",
  "uuid_generate_v1mc",
  "uuid_generate_v4",
  "gen_random_bytes",
  "gen_salt",
  "nextval",
  "currval",
  "lastval",
  "setval",
  "txid_current",
  "pg_current_xact_id",
]);

/** STABLE: one value for the whole statement, stored once. */
const STABLE = new Set([
  "now",
  "transaction_timestamp",
  "statement_timestamp",
  "current_setting",
  "current_database",
  "current_schema",
  "to_char",
  "to_timestamp",
  "age",
]);

/** IMMUTABLE functions seen in defaults. */
const IMMUTABLE = new Set([
  "lower",
  "upper",
  "concat",
  "coalesce",
  "jsonb_build_object",
  "json_build_object",
  "jsonb_build_array",
  "json_build_array",
  "array_fill",
  "make_interval",
  "make_date",
  "abs",
  "round",
  "md5",
  "uuid_nil",
]);

const order: Volatility[] = ["immutable", "stable", "unknown", "volatile"];

function worst(values: Volatility[]): Volatility {
  return values.reduce<Volatility>((a, b) => (order.indexOf(b) > order.indexOf(a) ? b : a), "immutable");
}

function functionName(names: Node[] | undefined): string {
  const parts = (names ?? []).flatMap((name) => ("String" in name ? [name.String.sval ?? ""] : []));
  return parts[parts.length - 1] ?? "";
}

function functionVolatility(name: string, args: Node[] | undefined): Volatility {
  const own = VOLATILE.has(name) ? "volatile" : STABLE.has(name) ? "stable" : IMMUTABLE.has(name) ? "immutable" : "unknown";
  // `now(123)` is not PostgreSQL's now(): an overload the app cannot know.
  if (name === "now" && (args?.length ?? 0) > 0) return "unknown";
  return worst([own, ...(args ?? []).map(volatilityOf)]);
}

/** The volatility of a default expression, the worst of its parts. */
export function volatilityOf(node: Node | undefined): Volatility {
  if (!node) return "immutable";
  if ("A_Const" in node) return "immutable";
  if ("SQLValueFunction" in node) return "stable";
  if ("TypeCast" in node) return volatilityOf(node.TypeCast.arg);
  if ("FuncCall" in node) return functionVolatility(functionName(node.FuncCall.funcname), node.FuncCall.args);
  if ("A_Expr" in node) return worst([volatilityOf(node.A_Expr.lexpr), volatilityOf(node.A_Expr.rexpr)]);
  if ("A_ArrayExpr" in node) return worst((node.A_ArrayExpr.elements ?? []).map(volatilityOf));
  if ("BoolExpr" in node) return worst((node.BoolExpr.args ?? []).map(volatilityOf));
  if ("CoalesceExpr" in node) return worst((node.CoalesceExpr.args ?? []).map(volatilityOf));
  if ("List" in node) return worst((node.List.items ?? []).map(volatilityOf));
  return "unknown";
}

/** A short spelling of a default for messages: `gen_random_uuid()`, `CURRENT_TIMESTAMP`, `a constant`, `an expression`. */
export function describeDefault(node: Node | undefined): string {
  if (node && "FuncCall" in node) return `${functionName(node.FuncCall.funcname)}()`;
  if (node && "SQLValueFunction" in node) return (node.SQLValueFunction.op ?? "").replace(/^SVFOP_/, "");
  if (node && "TypeCast" in node) return describeDefault(node.TypeCast.arg);
  if (node && "A_Const" in node) return "a constant";
  return "an expression";
}

/** `DEFAULT NULL` is no default at all. */
export function isNullConstant(node: Node | undefined): boolean {
  return node !== undefined && "A_Const" in node && node.A_Const.isnull === true;
}

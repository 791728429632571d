// Names and types as PostgreSQL spells them. The parser has already lower-cased unquoted
// identifiers and kept quoted ones, so names are taken as they come.
import type { Node, RangeVar, TypeName } from "libpg-query";

/** `public.x` → `x`; other schemas stay as `schema.x`. */
export function qualifiedName(schema: string | undefined, name: string): string {
  return schema && schema !== "public" ? `${schema}.${name}` : name;
}

export function tableName(relation: RangeVar | undefined): string {
  return qualifiedName(relation?.schemaname, relation?.relname ?? "");
}

/** The `sval`s of a list of String nodes (identifiers, qualified names, column lists). */
export function stringList(nodes: Node[] | undefined): string[] {
  const names: string[] = [];
  for (const node of nodes ?? []) {
    if ("String" in node) names.push(node.String.sval ?? "");
  }
  return names;
}

/** A dotted name list (`schema.object` or `object`) with `public.` stripped. */
export function objectName(nodes: Node[] | undefined): string {
  const names = stringList(nodes);
  const name = names[names.length - 1] ?? "";
  return qualifiedName(names.length > 1 ? names[names.length - 2] : undefined, name);
}

const canonicalTypes: Record<string, string> = {
  int2: "smallint",
  smallint: "smallint",
  int4: "integer",
  int: "integer",
  integer: "integer",
  int8: "bigint",
  bigint: "bigint",
  serial: "integer",
  serial4: "integer",
  bigserial: "bigint",
  serial8: "bigint",
  smallserial: "smallint",
  serial2: "smallint",
  float4: "real",
  real: "real",
  float8: "double precision",
  bool: "boolean",
  boolean: "boolean",
  varchar: "character varying",
  bpchar: "character",
  varbit: "bit varying",
  decimal: "numeric",
  timestamptz: "timestamp with time zone",
  timestamp: "timestamp without time zone",
  timetz: "time with time zone",
  time: "time without time zone",
};

const serialTypes = new Set(["serial", "serial4", "bigserial", "serial8", "smallserial", "serial2"]);

/** `serial` and friends: an integer column with a sequence default, never null. */
export function isSerialType(typeName: TypeName | undefined): boolean {
  const names = stringList(typeName?.names);
  return names.length === 1 && serialTypes.has(names[0] ?? "");
}

function typeModifiers(typeName: TypeName): number[] | undefined {
  const modifiers: number[] = [];
  for (const node of typeName.typmods ?? []) {
    if (!("A_Const" in node)) return undefined;
    const value = node.A_Const.ival;
    if (!value) return undefined;
    modifiers.push(value.ival ?? 0);
  }
  return modifiers;
}

/** PostgreSQL's canonical spelling of a column type, as `format_type` prints it. */
export function canonicalType(typeName: TypeName | undefined): string {
  if (!typeName) return "unknown";
  const names = stringList(typeName.names);
  const builtin = names.length === 1 || (names.length === 2 && names[0] === "pg_catalog");
  const last = names[names.length - 1] ?? "unknown";
  const base = builtin ? (canonicalTypes[last] ?? last) : objectName(typeName.names);
  const modifiers = typeModifiers(typeName);
  let spelled = base;
  if (modifiers && modifiers.length > 0 && last !== "interval") {
    const list = `(${modifiers.join(",")})`;
    spelled = base.startsWith("time") ? base.replace(/^(timestamp|time)/, `$1${list}`) : `${base}${list}`;
  }
  if (typeName.pct_type) spelled = `${names.join(".")}%TYPE`;
  return spelled + "[]".repeat(typeName.arrayBounds?.length ?? 0);
}

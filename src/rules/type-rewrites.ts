// Which ALTER COLUMN … TYPE changes leave the table alone. PostgreSQL skips the rewrite when
// the old values are valid, bit for bit, in the new type: binary-coercible casts and
// relaxed type modifiers (ALTER TABLE's notes; the 9.2 and 12 release notes). Anything the
// app cannot prove safe counts as a rewrite.

interface ParsedType {
  base: string;
  modifiers: number[] | undefined;
  array: boolean;
}

function parseType(type: string): ParsedType {
  const array = type.endsWith("[]");
  const bare = type.replace(/(\[\])+$/, "").trim();
  const match = /^(.*?)\(([\d,\s]+)\)(.*)$/.exec(bare);
  if (!match) return { base: bare, modifiers: undefined, array };
  const base = `${match[1] ?? ""}${match[3] ?? ""}`.replace(/\s+/g, " ").trim();
  return { base, modifiers: (match[2] ?? "").split(",").map((part) => Number(part.trim())), array };
}

const textLike = new Set(["character varying", "text"]);

/** A limit that is gone or not lower: `varchar(10)` → `varchar(20)`, `varchar(10)` → `varchar`. */
function relaxed(from: number | undefined, to: number | undefined): boolean {
  return to === undefined || (from !== undefined && to >= from);
}

export interface RewriteContext {
  postgres: number;
  /** The session's TimeZone is UTC (`SET timezone = 'UTC'` earlier in the migration). */
  utcSession: boolean;
}

/** Why the change rewrites the table, or undefined when PostgreSQL leaves it as it is. */
export function rewriteReason(fromType: string, toType: string, context: RewriteContext): string | undefined {
  if (fromType === toType) return undefined;
  const from = parseType(fromType);
  const to = parseType(toType);
  if (from.array || to.array) return "array values are converted element by element";
  const fromLimit = from.modifiers?.[0];
  const toLimit = to.modifiers?.[0];
  if (textLike.has(from.base) && textLike.has(to.base)) {
    if (to.base === "text" || relaxed(fromLimit, toLimit)) return undefined;
    return "a shorter or new length limit makes PostgreSQL check and rewrite every value";
  }
  if (from.base === to.base && (from.base === "bit varying" || from.base.startsWith("timestamp") || from.base.startsWith("time ") || from.base === "interval")) {
    return relaxed(fromLimit, toLimit) ? undefined : "a lower precision rounds every value";
  }
  if (from.base === "numeric" && to.base === "numeric") {
    if (to.modifiers === undefined) return undefined;
    if (from.modifiers === undefined) return "a limit on an unconstrained numeric checks every value";
    const [fromPrecision = 0, fromScale = 0] = from.modifiers;
    const [toPrecision = 0, toScale = 0] = to.modifiers;
    return toScale === fromScale && toPrecision >= fromPrecision ? undefined : "a scale change or lower precision rewrites every value";
  }
  if (from.base === "cidr" && to.base === "inet") return undefined;
  if (from.base === "xml" && to.base === "text") return undefined;
  if (from.base.startsWith("timestamp") && to.base.startsWith("timestamp") && relaxed(fromLimit, toLimit)) {
    if (context.postgres >= 12 && context.utcSession) return undefined;
    return context.postgres >= 12
      ? "between timestamp and timestamptz PostgreSQL skips the rewrite only when the session's TimeZone is UTC, which this migration does not set first"
      : `PostgreSQL ${context.postgres} rewrites every value between timestamp and timestamptz`;
  }
  return `\`${fromType}\` → \`${toType}\` converts every value`;
}

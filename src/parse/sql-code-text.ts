// SQL strings in application code: driver placeholders become PostgreSQL parameters so the
// real parser accepts them, and prose that happens to parse ("Delete from cart") is told apart.
import type { ScanToken } from "libpg-query";

export interface PlaceholderOptions {
  /** `?` is also PostgreSQL's jsonb key-exists operator; try both readings. */
  questionMarks: boolean;
}

const identifierStart = /[A-Za-z_]/;
const identifierPart = /[A-Za-z0-9_$]/;

/**
 * Replaces `?`, `%s`, `%(name)s`, `@name` and `:name` placeholders with `$n` outside string
 * literals, quoted identifiers and comments; `%%` becomes `%`. Never adds or removes a line.
 */
export function replacePlaceholders(sql: string, options: PlaceholderOptions): string {
  let out = "";
  let parameter = 0;
  let at = 0;
  const next = (): string => `$${++parameter}`;
  while (at < sql.length) {
    const quoted = quotedLength(sql, at);
    if (quoted > 0) {
      out += sql.slice(at, at + quoted);
      at += quoted;
      continue;
    }
    const char = sql[at] ?? "";
    const following = sql[at + 1] ?? "";
    const previous = sql[at - 1] ?? "";
    if (char === "%" && following === "%") {
      out += "%";
      at += 2;
    } else if (char === "%" && (following === "s" || following === "b" || following === "t") && !identifierPart.test(sql[at + 2] ?? "")) {
      out += next();
      at += 2;
    } else if (char === "%" && following === "(") {
      const close = sql.indexOf(")s", at);
      const name = close === -1 ? "" : sql.slice(at + 2, close);
      if (/^\w+$/.test(name)) {
        out += next();
        at = close + 2;
      } else {
        out += char;
        at += 1;
      }
    } else if (char === "?" && options.questionMarks && following !== "|" && following !== "&") {
      out += next();
      at += 1;
    } else if ((char === "@" || char === ":") && identifierStart.test(following) && !/[\w:@<]/.test(previous)) {
      let end = at + 1;
      while (end < sql.length && identifierPart.test(sql[end] ?? "")) end += 1;
      out += next();
      at = end;
    } else {
      out += char;
      at += 1;
    }
  }
  return out;
}

/** Length of a string literal, quoted identifier, dollar-quoted string or comment at `at`; 0 if none. */
function quotedLength(sql: string, at: number): number {
  const char = sql[at];
  const following = sql[at + 1];
  if (char === "'" || char === '"') {
    const backslashes = char === "'" && (sql[at - 1] === "E" || sql[at - 1] === "e");
    let end = at + 1;
    while (end < sql.length) {
      if (backslashes && sql[end] === "\\") end += 2;
      else if (sql[end] === char && sql[end + 1] === char) end += 2;
      else if (sql[end] === char) return end + 1 - at;
      else end += 1;
    }
    return sql.length - at;
  }
  if (char === "-" && following === "-") {
    const end = sql.indexOf("\n", at);
    return (end === -1 ? sql.length : end) - at;
  }
  if (char === "/" && following === "*") {
    const end = sql.indexOf("*/", at + 2);
    return (end === -1 ? sql.length : end + 2) - at;
  }
  if (char === "$") {
    const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(at, at + 64));
    if (!tag) return 0;
    const end = sql.indexOf(tag[0], at + tag[0].length);
    return (end === -1 ? sql.length : end + tag[0].length) - at;
  }
  return 0;
}

/**
 * Prose that parses: nothing but words, the first one capitalised as in a sentence
 * ("Delete from cart", "Truncate logs"). SQL written by hand is upper- or lower-case and
 * almost always carries an operator, a literal, a parameter or punctuation.
 */
export function looksLikeProse(tokens: ScanToken[]): boolean {
  const words = tokens.filter((token) => token.tokenName !== "SQL_COMMENT" && token.tokenName !== "C_COMMENT");
  const onlyWords = words.every((token) => token.tokenName === "IDENT" || token.keywordKind !== 0);
  return onlyWords && /^[A-Z][a-z]+$/.test(words[0]?.text ?? "");
}

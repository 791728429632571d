// The building blocks of safe recipes: code blocks, how each migration format runs a
// statement outside a transaction, and suggestions that rewrite the offending lines.
import type { MigrationFormat, MigrationStatement } from "../core/changes.js";
import type { Suggestion } from "../core/findings.js";

export function sqlBlock(...lines: string[]): string {
  return ["```sql", ...lines, "```"].join("\n");
}

export function pythonBlock(...lines: string[]): string {
  return ["```python", ...lines, "```"].join("\n");
}

/** Where a statement that must not run in a transaction block goes, per format. */
export function outsideTransaction(format: MigrationFormat): string {
  switch (format) {
    case "django":
      return "in a migration with `atomic = False` (Django runs every other migration in one transaction)";
    case "goose":
      return "in a migration whose first line is `-- +goose NO TRANSACTION` (goose wraps every other migration in one transaction)";
    case "dbmate":
      return "in a migration marked `-- migrate:up transaction:false` (dbmate wraps every other migration in one transaction)";
    case "sql":
      return "in a file of its own, outside any `BEGIN … COMMIT` (golang-migrate sends a file as one query, which PostgreSQL runs as one transaction)";
  }
}

/** "1. …\n2. …": the steps of a recipe, in order; a code block belongs to the step before it. */
export function steps(...items: string[]): string {
  const lines: string[] = [];
  let number = 0;
  for (const item of items) {
    if (item.startsWith("```") && number > 0) {
      lines.push("", ...item.split("\n").map((line) => `   ${line}`));
      continue;
    }
    number += 1;
    lines.push(`${number}. ${item}`);
  }
  return lines.join("\n");
}

/** The statement's own lines with `rewrite` applied, when it stands alone on them and the rewrite changes something. */
export function rewriteLines(statement: MigrationStatement, rewrite: (text: string) => string | undefined): Suggestion | undefined {
  const own = statement.ownLines;
  if (!own) return undefined;
  const text = rewrite(own.text);
  if (text === undefined || text === own.text) return undefined;
  return { startLine: statement.loc.line, endLine: own.lastLine, text };
}

/** Inserts `words` before the statement's closing semicolon. */
export function beforeSemicolon(text: string, words: string): string | undefined {
  const at = text.lastIndexOf(";");
  if (at === -1 || text.includes("--")) return undefined;
  return `${text.slice(0, at).trimEnd()} ${words}${text.slice(at)}`;
}

/** `"name"` as SQL spells an identifier that needs quoting, else the bare name. */
export function quoteIdent(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

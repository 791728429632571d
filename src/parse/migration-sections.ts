// goose and dbmate keep the up and the down migration in one file. Only the up part is a
// change; the down part must never be read as one. Lines are blanked, not removed, so line
// numbers stay those of the file.

export type SqlMigrationFormat = "sql" | "goose" | "dbmate";

const markers: Record<Exclude<SqlMigrationFormat, "sql">, RegExp> = {
  goose: /^\s*--\s*\+goose\s+(up|down)\b/i,
  dbmate: /^\s*--\s*migrate:(up|down)\b/i,
};

/** The text with everything outside the up section(s) replaced by blank lines. */
export function upSection(text: string, format: SqlMigrationFormat): string {
  if (format === "sql") return text;
  const marker = markers[format];
  let inUp = false;
  return text
    .split("\n")
    .map((line) => {
      const found = marker.exec(line);
      if (found) {
        inUp = (found[1] ?? "").toLowerCase() === "up";
        return "";
      }
      return inUp ? line : "";
    })
    .join("\n");
}

/** Whether the file marks an up section at all; without one, nothing in it applies. */
export function hasUpMarker(text: string, format: SqlMigrationFormat): boolean {
  if (format === "sql") return true;
  return text.split("\n").some((line) => (markers[format].exec(line)?.[1] ?? "").toLowerCase() === "up");
}

/**
 * Whether the runner wraps the up section in one transaction: goose and dbmate do unless told
 * not to (`-- +goose NO TRANSACTION`, `-- migrate:up transaction:false`); plain files are sent
 * as they are (psql, golang-migrate), so only their own BEGIN … COMMIT opens a transaction.
 */
export function runsInTransaction(text: string, format: SqlMigrationFormat): boolean {
  if (format === "goose") return !/^\s*--\s*\+goose\s+no\s+transaction\b/im.test(text);
  if (format === "dbmate") return !/^\s*--\s*migrate:up\b.*\btransaction:\s*false\b/im.test(text);
  return false;
}

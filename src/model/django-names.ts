// The identifiers Django generates on PostgreSQL (63-byte names), computed exactly as
// django/db/backends/utils.py and django/db/backends/base/schema.py do, so that a later
// `DROP INDEX` or `RemoveConstraint` can be matched with what an earlier migration created.
import { createHash } from "node:crypto";

const MAX_NAME_LENGTH = 63;

function namesDigest(parts: readonly string[], length: number): string {
  const hash = createHash("md5");
  for (const part of parts) hash.update(part);
  return hash.digest("hex").slice(0, length);
}

/** `truncate_name`: long names keep a prefix and gain a 4-character hash. */
export function truncateName(name: string, length = MAX_NAME_LENGTH): string {
  if (name.length <= length) return name;
  return name.slice(0, length - 4) + namesDigest([name], 4);
}

/** `BaseDatabaseSchemaEditor._create_index_name`. */
export function djangoIndexName(table: string, columns: readonly string[], suffix = ""): string {
  let hashSuffix = namesDigest([table, ...columns], 8) + suffix;
  const joined = columns.join("_");
  const full = `${table}_${joined}_${hashSuffix}`;
  if (full.length <= MAX_NAME_LENGTH) return full;
  if (hashSuffix.length > MAX_NAME_LENGTH / 3) hashSuffix = hashSuffix.slice(0, Math.floor(MAX_NAME_LENGTH / 3));
  const otherLength = Math.floor((MAX_NAME_LENGTH - hashSuffix.length) / 2) - 1;
  const name = `${table.slice(0, otherLength)}_${joined.slice(0, otherLength)}_${hashSuffix}`;
  return /^[_0-9]/.test(name) ? `D${name.slice(0, -1)}` : name;
}

/** PostgreSQL's own name for an inline `UNIQUE` (`key`) or `CHECK` (`check`) column constraint. */
export function postgresConstraintName(table: string, column: string, label: "key" | "check"): string {
  const available = MAX_NAME_LENGTH - label.length - 2;
  let tableChars = table.length;
  let columnChars = column.length;
  while (tableChars + columnChars > available) {
    if (tableChars > columnChars) tableChars--;
    else columnChars--;
  }
  return `${table.slice(0, tableChars)}_${column.slice(0, columnChars)}_${label}`;
}

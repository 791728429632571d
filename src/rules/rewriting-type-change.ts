// ALTER COLUMN … TYPE that rewrites the table (and rebuilds its indexes) under ACCESS
// EXCLUSIVE. Widening a varchar, relaxing a numeric, varchar ↔ text and the like stay quiet.
import type { AlterColumnType, SchemaChange } from "../core/changes.js";
import { listOf } from "../findings/wording.js";
import { defineLockRule, type LockFindingParts } from "./lock-audience.js";
import { PullRequestObjects, postgresVersion, walkMigrations } from "./locking.js";
import { quoteIdent, sqlBlock, steps } from "./recipes.js";
import { rewriteReason } from "./type-rewrites.js";
import type { ReviewInput } from "./types.js";

/** Column types as the pull request leaves them so far, over the base schema's. */
class ColumnTypes {
  private readonly types = new Map<string, string>();
  constructor(private readonly input: Pick<ReviewInput, "baseSchema">) {}

  record(change: SchemaChange): void {
    if (change.kind === "add-column") this.types.set(`${change.table}.${change.column.name}`, change.column.type);
    if (change.kind === "alter-column-type") this.types.set(`${change.table}.${change.column}`, change.newType);
  }

  before(change: AlterColumnType): string | undefined {
    const type = this.types.get(`${change.table}.${change.column}`) ?? this.input.baseSchema.tables.get(change.table)?.columns.get(change.column)?.type;
    return type === "unknown" ? undefined : type;
  }
}

function recipeFor(change: AlterColumnType, services: string[]): string {
  const t = quoteIdent(change.table);
  const next = `${change.column}_new`;
  const consumers = services.length > 0 ? ` (${listOf(services)})` : "";
  return steps(
    "Expand: add a new column of the new type; the application writes both from now on (or a trigger copies the old one).",
    sqlBlock(`ALTER TABLE ${t} ADD COLUMN ${quoteIdent(next)} ${change.newType};`),
    `Backfill existing rows in batches, outside the migration, e.g. \`UPDATE ${t} SET ${quoteIdent(next)} = ${quoteIdent(change.column)}::${change.newType} WHERE id BETWEEN … AND …;\`.`,
    `Migrate the consumers${consumers} to the new column and deploy them.`,
    "Contract: swap the names in one short transaction, then drop the old column once nothing reads it:",
    sqlBlock(
      `ALTER TABLE ${t} RENAME COLUMN ${quoteIdent(change.column)} TO ${quoteIdent(`${change.column}_old`)};`,
      `ALTER TABLE ${t} RENAME COLUMN ${quoteIdent(next)} TO ${quoteIdent(change.column)};`,
      `-- later: ALTER TABLE ${t} DROP COLUMN ${quoteIdent(`${change.column}_old`)};`,
    ),
  );
}

export const rewritingTypeChange = defineLockRule(
  {
    id: "rewriting-type-change",
    description: "A column type change that rewrites the table (the ones PostgreSQL does in place stay quiet).",
    docs: "docs/rules/rewriting-type-change.md",
  },
  (input) => {
    const postgres = postgresVersion(input);
    const objects = new PullRequestObjects(input);
    const types = new ColumnTypes(input);
    const found: LockFindingParts[] = [];
    for (const { statement, settings } of walkMigrations(input)) {
      objects.record(statement.changes);
      for (const change of statement.changes) {
        if (change.kind === "alter-column-type" && !objects.isNew(change.table)) {
          const before = types.before(change);
          const utcSession = ["utc", "etc/utc", "z", "zulu", "gmt", "+00", "00:00"].includes(settings.get("timezone")?.value.toLowerCase() ?? "");
          const reason = change.using
            ? "its USING expression computes every value anew"
            : before === undefined
              ? "the app does not know the column's current type, so it cannot tell that PostgreSQL keeps the data as it is"
              : rewriteReason(before, change.newType, { postgres, utcSession });
          if (reason !== undefined) {
            const from = before === undefined ? "" : ` from \`${before}\``;
            found.push({
              rule: "rewriting-type-change",
              table: change.table,
              column: change.column,
              loc: statement.loc,
              problem: `This changes \`${change.table}.${change.column}\`${from} to \`${change.newType}\`, and ${reason}: PostgreSQL rewrites the whole table and rebuilds its indexes under an ACCESS EXCLUSIVE lock.`,
              blocks: "reads and writes",
              duration: "the rewrite takes",
              recipe: (services) => recipeFor(change, services),
              key: `${change.column}:${change.newType}`,
            });
          }
        }
        types.record(change);
      }
    }
    return found;
  },
);

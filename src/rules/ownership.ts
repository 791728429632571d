import { ownerOf as configuredOwnerOf, writersOf as configuredWritersOf } from "../core/ownership.js";
import type { GuardConfig } from "../core/config.js";
import type { SchemaState } from "../core/changes.js";
import type { ReviewInput } from "./types.js";
import { statementsOf } from "./changes.js";

/** The table's configured owner, else the service whose migrations created it, else the default owner. */
export function ownerOf(config: GuardConfig, table: string, schema?: SchemaState): string {
  return configuredOwnerOf(config, table, schema?.tables.get(table)?.createdBy);
}

/** Services allowed to write the table's rows: the configured writers and always the owner. */
export function writersOf(config: GuardConfig, table: string, schema?: SchemaState): string[] {
  return configuredWritersOf(config, table, schema?.tables.get(table)?.createdBy);
}

function withOwner(owner: string, writers: readonly string[] = []): string[] {
  return [...new Set([owner, ...writers])];
}

/** Tables the reviewed pull request brings into existence (created, or renamed to). */
export function tablesCreatedInReview(input: Pick<ReviewInput, "changedMigrations">): Set<string> {
  const created = new Set<string>();
  for (const { statement } of statementsOf(input)) {
    for (const change of statement.changes) {
      if (change.kind === "create-table") created.add(change.table);
      if (change.kind === "rename-table") created.add(change.newName);
    }
  }
  return created;
}

type OwnershipInput = Pick<ReviewInput, "config" | "service" | "changedMigrations" | "baseSchema" | "headSchema">;

/**
 * Owner as a review sees it: the configuration first; then whoever created the table before
 * the pull request; a table the pull request itself brings in belongs to the reviewed service.
 */
export function ownerInReview(input: OwnershipInput, table: string): string {
  if (input.baseSchema.tables.has(table)) return ownerOf(input.config, table, input.baseSchema);
  if (!input.config.tables.has(table) && tablesCreatedInReview(input).has(table)) return input.service;
  return ownerOf(input.config, table, input.headSchema);
}

export function writersInReview(input: OwnershipInput, table: string): string[] {
  return withOwner(ownerInReview(input, table), input.config.tables.get(table)?.writers);
}

// Walking and describing the changes of the reviewed pull request's migrations.
import type { MigrationStatement, ParsedMigration, SchemaChange, SchemaState, TableConstraint } from "../core/changes.js";
import type { ReviewInput } from "./types.js";

export interface ReviewedStatement {
  migration: ParsedMigration;
  statement: MigrationStatement;
}

/** Every statement of the changed migrations, in apply order. */
export function statementsOf(input: Pick<ReviewInput, "changedMigrations">): ReviewedStatement[] {
  return input.changedMigrations.flatMap((migration) =>
    migration.statements.map((statement) => ({ migration, statement })),
  );
}

/** The table a change applies to; a bare DROP INDEX is resolved through the index names of the base schema. */
export function tableOfChange(change: SchemaChange, schema: SchemaState): string | undefined {
  if (change.kind !== "drop-index") return change.table;
  if (change.table) return change.table;
  for (const table of schema.tables.values()) if (table.indexes.has(change.name)) return table.name;
  return undefined;
}

function describeConstraint(constraint: TableConstraint): string {
  const name = constraint.name ? ` \`${constraint.name}\`` : "";
  if (constraint.kind === "foreign-key") return `adds foreign key${name} to \`${constraint.references.table}\``;
  if (constraint.kind === "other") return `adds ${constraint.description} constraint${name}`;
  return `adds ${constraint.kind} constraint${name}`;
}

/** What a change does, as a verb phrase: "drops column `kickoff`", "drops view `v` (through `DROP TABLE t CASCADE`)". */
export function describeChange(change: SchemaChange): string {
  return change.via ? `${describeOwnChange(change)} (through \`${change.via}\`)` : describeOwnChange(change);
}

function describeOwnChange(change: SchemaChange): string {
  switch (change.kind) {
    case "create-table":
      return "creates the table";
    case "drop-table":
      return "drops the table";
    case "rename-table":
      return `renames the table to \`${change.newName}\``;
    case "add-column":
      return `adds column \`${change.column.name}\``;
    case "drop-column":
      return `drops column \`${change.column}\``;
    case "rename-column":
      return `renames column \`${change.column}\` to \`${change.newName}\``;
    case "alter-column-type":
      return `changes the type of \`${change.column}\` to \`${change.newType}\``;
    case "set-not-null":
      return `makes \`${change.column}\` NOT NULL`;
    case "drop-not-null":
      return `makes \`${change.column}\` nullable`;
    case "set-default":
      return `sets the default of \`${change.column}\``;
    case "drop-default":
      return `drops the default of \`${change.column}\``;
    case "add-constraint":
      return describeConstraint(change.constraint);
    case "drop-constraint":
      return `drops constraint \`${change.name}\``;
    case "create-index":
      return change.name ? `creates index \`${change.name}\`` : `creates an index on (${change.columns.join(", ")})`;
    case "drop-index":
      return `drops index \`${change.name}\``;
    case "truncate":
      return "truncates the table";
    case "table-detail":
      return change.description;
  }
}

/** `table` or `table.column`, as code. */
export function subjectOf(table: string, column?: string): string {
  return column ? `\`${table}.${column}\`` : `\`${table}\``;
}

/** "hub's", "notifications'". */
export function possessive(service: string): string {
  return service.endsWith("s") ? `${service}'` : `${service}'s`;
}

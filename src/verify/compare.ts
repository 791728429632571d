// The expected schema against the live one: what no migration created, what a migration
// should have created but the database lacks, and columns typed or null-able differently.
import { ownerOf } from "../core/ownership.js";
import type { GuardConfig, MigrationSource } from "../core/config.js";
import type { Location, MigrationFormat } from "../core/changes.js";
import { code } from "../findings/wording.js";
import type { LiveSchema } from "./catalog.js";
import type { ColumnOrigin, ExpectedSchema, TableOrigin } from "./expected.js";

export type DifferenceKind =
  | "missing-table"
  | "missing-column"
  | "unexpected-table"
  | "unexpected-column"
  | "type-differs"
  | "nullability-differs";

export interface Difference {
  kind: DifferenceKind;
  table: string;
  column?: string;
  /** The table's owner: the service whose migrations created it, or the configuration's. */
  service: string;
  /** The migration statement that should have produced what the database lacks or has otherwise. */
  migration?: Location;
  /** The migrations' side and the database's side, for type and nullability differences. */
  expected?: string;
  actual?: string;
  /** A missing table or column whose rename did not happen: the old name the database still has. */
  stillNamed?: string;
  message: string;
}

/** Tables each migration tool (or Django's own apps) creates outside the configured migrations. */
const FRAMEWORK_TABLES: Record<MigrationFormat, RegExp> = {
  django: /^(auth_|django_)/,
  sql: /^schema_migrations$/,
  goose: /^goose_db_version$/,
  dbmate: /^schema_migrations$/,
};

/** Django's contrib apps, `django_migrations`, and the migration tools' bookkeeping, for the formats in use. */
export function isFrameworkTable(table: string, sources: readonly MigrationSource[]): boolean {
  return sources.some((source) => FRAMEWORK_TABLES[source.format].test(table));
}

function nullability(nullable: boolean): string {
  return nullable ? "NULL" : "NOT NULL";
}

function at(loc: Location): string {
  return `${loc.file}:${loc.line}`;
}

function missingTable(table: string, origin: TableOrigin, live: LiveSchema): Difference {
  const base = { kind: "missing-table" as const, table, service: origin.service };
  if (origin.renamedIn && origin.previousName && live.tables.has(origin.previousName)) {
    return {
      ...base,
      migration: origin.renamedIn,
      stillNamed: origin.previousName,
      message:
        `The database has ${code(origin.previousName)} but not ${code(table)}: was ${code(origin.renamedIn.file)} applied? ` +
        `It renames the table (${at(origin.renamedIn)}).`,
    };
  }
  return {
    ...base,
    migration: origin.createdIn,
    message: `The database has no table ${code(table)}: was ${code(origin.createdIn.file)} applied? It creates the table (${at(origin.createdIn)}).`,
  };
}

function missingColumnMessage(table: string, column: string, origin: ColumnOrigin | undefined, stillOld: boolean): string {
  const subject = code(`${table}.${column}`);
  if (!origin) return `The database has no column ${subject}.`;
  const applied = `was ${code(origin.namedIn.file)} applied?`;
  const what = origin.previousName ? `It renames ${code(origin.previousName)} to ${code(column)}` : "It creates the column";
  const lead = stillOld && origin.previousName
    ? `The database has ${code(`${table}.${origin.previousName}`)} but not ${subject}`
    : `The database has no column ${subject}`;
  return `${lead}: ${applied} ${what} (${at(origin.namedIn)}).`;
}

function compareTable(table: string, origin: TableOrigin | undefined, expected: ExpectedSchema, live: LiveSchema, config: GuardConfig): Difference[] {
  const want = expected.schema.tables.get(table);
  const have = live.tables.get(table);
  if (!want || !have) return [];
  const service = origin?.service ?? ownerOf(config, table);
  const differences: Difference[] = [];
  const renamedAway = new Set<string>();
  for (const [column, definition] of want.columns) {
    const columnOrigin = origin?.columns.get(column);
    const actual = have.columns.get(column);
    const subject = code(`${table}.${column}`);
    if (!actual) {
      const oldName = columnOrigin?.previousName;
      const stillOld = oldName !== undefined && have.columns.has(oldName) && !want.columns.has(oldName);
      if (stillOld) renamedAway.add(oldName);
      differences.push({
        kind: "missing-column",
        table,
        column,
        service,
        ...(columnOrigin ? { migration: columnOrigin.namedIn } : {}),
        ...(stillOld ? { stillNamed: `${table}.${oldName}` } : {}),
        message: missingColumnMessage(table, column, columnOrigin, stillOld),
      });
      continue;
    }
    if (definition.type !== "unknown" && definition.type !== actual.type) {
      differences.push({
        kind: "type-differs",
        table,
        column,
        service,
        ...(columnOrigin ? { migration: columnOrigin.typeFrom } : {}),
        expected: definition.type,
        actual: actual.type,
        message:
          `${subject} is ${code(actual.type)} in the database, but the migrations make it ${code(definition.type)}` +
          `${columnOrigin ? ` (${at(columnOrigin.typeFrom)})` : ""}.`,
      });
    }
    if (definition.nullable !== actual.nullable) {
      differences.push({
        kind: "nullability-differs",
        table,
        column,
        service,
        ...(columnOrigin ? { migration: columnOrigin.nullabilityFrom } : {}),
        expected: nullability(definition.nullable),
        actual: nullability(actual.nullable),
        message:
          `${subject} is ${nullability(actual.nullable)} in the database, but the migrations make it ${nullability(definition.nullable)}` +
          `${columnOrigin ? ` (${at(columnOrigin.nullabilityFrom)})` : ""}.`,
      });
    }
  }
  for (const [column, actual] of have.columns) {
    if (want.columns.has(column) || renamedAway.has(column)) continue;
    differences.push({
      kind: "unexpected-column",
      table,
      column,
      service,
      actual: `${actual.type} ${nullability(actual.nullable)}`,
      message:
        `The database has column ${code(`${table}.${column}`)} (${actual.type}), which no migration creates: ` +
        `added by hand, or by a migration missing from ${service}'s repository.`,
    });
  }
  return differences;
}

export interface SchemaComparison {
  differences: Difference[];
  /** Tables in the database that the formats' own tools create (Django's apps, migration bookkeeping): not compared. */
  frameworkTables: string[];
  /** Columns whose type the replay could not know: only their nullability was compared. */
  untypedColumns: string[];
}

export function compareSchemas(config: GuardConfig, expected: ExpectedSchema, live: LiveSchema): SchemaComparison {
  const sources = [...config.services.values()].flatMap((service) => service.migrations);
  const differences: Difference[] = [];
  const renamedTablesPresent = new Set<string>();
  for (const table of [...expected.schema.tables.keys()].sort()) {
    const origin = expected.origins.get(table);
    if (live.tables.has(table)) {
      differences.push(...compareTable(table, origin, expected, live, config));
      continue;
    }
    if (origin) {
      const difference = missingTable(table, origin, live);
      if (difference.stillNamed) renamedTablesPresent.add(difference.stillNamed);
      differences.push(difference);
    }
  }
  const frameworkTables: string[] = [];
  for (const [table, have] of [...live.tables].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (expected.schema.tables.has(table) || renamedTablesPresent.has(table)) continue;
    if (isFrameworkTable(table, sources)) {
      frameworkTables.push(table);
      continue;
    }
    differences.push({
      kind: "unexpected-table",
      table,
      service: ownerOf(config, table),
      actual: `${have.columns.size} columns`,
      message:
        `The database has table ${code(table)}, which no migration of any service creates: ` +
        "created by hand (a raw SQL file applied outside the migrations?), or by a service whose migrations the configuration does not list.",
    });
  }
  const untypedColumns = [...expected.schema.tables].flatMap(([table, schema]) =>
    [...schema.columns].filter(([, column]) => column.type === "unknown").map(([column]) => `${table}.${column}`),
  );
  // In the order the migrations apply, so the first migration that did not run comes first.
  const order = (difference: Difference) => expected.applyOrder.get(difference.migration?.file ?? "") ?? Number.MAX_SAFE_INTEGER;
  differences.sort((a, b) => order(a) - order(b));
  return { differences, frameworkTables, untypedColumns };
}

import type { SchemaState, TableUse } from "../core/changes.js";
import { objectKey, schemaOfName, sequenceColumns } from "../core/objects.js";
import { findRelation, sequenceTable } from "../model/resolve.js";
import type { RuleFinding } from "../core/findings.js";
import type { Rule } from "./types.js";

// Columns every PostgreSQL table has without declaring them.
const systemColumns = new Set(["ctid", "xmin", "xmax", "cmin", "cmax", "tableoid", "oid"]);

// Tables that exist without any configured migration creating them: Django's contrib apps
// and the migration tools' own bookkeeping.
const frameworkTables = /^(auth_|django_)|^(goose_db_version|schema_migrations)$/;

/** PostgreSQL's catalogs and framework tables are never in the replayed schema, yet exist. */
function existsOutsideHistories(table: string): boolean {
  return (
    table.startsWith("pg_") ||
    table.startsWith("pg_catalog.") ||
    table.startsWith("information_schema.") ||
    frameworkTables.test(table)
  );
}

function finding(use: TableUse, service: string, message: string, column?: string, table?: string): RuleFinding {
  return {
    rule: "unknown-reference",
    service,
    table,
    column,
    loc: use.loc,
    message,
    consumers: [],
    needs: [],
    key: column ?? "table",
  };
}

const advice =
  "A typo, a table or column that another service's pull request is still adding, or one created outside every configured migration history: " +
  "in each case this query fails against the shared database, or will once the schema moves on. " +
  "Check the name against `shared-schema-guard schema`, or make sure the migration that adds it is merged first.";

/**
 * What a query can read under `name`: a table, a view or materialized view (with its columns when
 * they are known), a sequence. `unknowable` for a name in a schema no history creates, where
 * nothing can be said; undefined when no history creates it.
 */
type Relation = { columns?: ReadonlySet<string> } | "unknowable";

function relationOf(schema: SchemaState, name: string): Relation | undefined {
  const table = schema.tables.get(name);
  if (table) return { columns: new Set(table.columns.keys()) };
  const relation = findRelation(schema, name);
  if (relation?.kind === "object") return relation.object.columns ? { columns: new Set(relation.object.columns) } : {};
  // `serial` and identity columns own a sequence no statement names.
  if (sequenceTable(schema, name) !== undefined) return { columns: new Set(sequenceColumns) };
  const namespace = schemaOfName(name);
  if (namespace !== "public" && !schema.objects.has(objectKey("schema", namespace))) return "unknowable";
  return undefined;
}

function checkStatement(uses: TableUse[], schema: SchemaState, service: string): RuleFinding[] {
  const findings = new Map<string, RuleFinding>();
  const report = (id: string, make: () => RuleFinding) => {
    if (!findings.has(id)) findings.set(id, make());
  };
  const relations = uses.map((use) => (existsOutsideHistories(use.table) ? "unknowable" : relationOf(schema, use.table)));
  uses.forEach((use, index) => {
    const relation = relations[index];
    if (relation === "unknowable") return;
    if (!relation) {
      const message = `This SQL uses table \`${use.table}\`, which no migration of any service creates. ${advice}`;
      report(use.table, () => finding(use, service, message, undefined, use.table));
      return;
    }
    for (const column of use.columns) {
      if (!relation.columns || relation.columns.has(column) || systemColumns.has(column)) continue;
      const message = `This SQL uses column \`${use.table}.${column}\`, which the shared schema does not have. ${advice}`;
      report(`${use.table}.${column}`, () => finding(use, service, message, column, use.table));
    }
  });
  // An unqualified column may belong to any table in scope: it is unknown only when every table is known and none has it,
  // and no function or subquery whose columns are unknown is in scope.
  const candidates = relations.map((relation) => (relation === "unknowable" ? undefined : relation?.columns));
  if (candidates.some((columns) => columns === undefined) || uses.some((use) => use.openScope)) return [...findings.values()];
  for (const use of uses) {
    for (const column of use.possibleColumns) {
      if (systemColumns.has(column) || candidates.some((columns) => columns?.has(column))) continue;
      const names = [...new Set(uses.map((candidate) => `\`${candidate.table}\``))].join(", ");
      const message = `This SQL uses column \`${column}\`, which none of the tables it queries (${names}) has. ${advice}`;
      report(`?.${column}`, () => finding(use, service, message, column));
    }
  }
  return [...findings.values()];
}

export const unknownReference: Rule = {
  id: "unknown-reference",
  description:
    "SQL in changed code names a table, view, sequence or column the shared schema does not have; where the schema cannot know (a schema no history creates, a function's undeclared result), it says nothing.",
  defaultSeverity: "warning",
  docs: "docs/rules/unknown-reference.md",
  check(input) {
    const findings: RuleFinding[] = [];
    for (const code of input.changedCode) {
      // Uses at the same line come from the same SQL statement: they share their unqualified columns.
      const byStatement = new Map<number, TableUse[]>();
      for (const use of code.uses) byStatement.set(use.loc.line, [...(byStatement.get(use.loc.line) ?? []), use]);
      for (const uses of byStatement.values()) findings.push(...checkStatement(uses, input.headSchema, input.service));
    }
    return findings;
  },
};

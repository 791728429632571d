// `verify`'s output: Markdown for people, JSON for scripts.
import type { Location } from "../core/changes.js";
import { code, listOf, plural } from "../findings/wording.js";
import { cell } from "../report/format.js";
import type { Difference } from "./compare.js";
import type { VerifyReport } from "./verify.js";

function headline(report: VerifyReport): string {
  const where = `${code(report.database)} (schema ${code(report.schemaName)})`;
  const failing = report.services.filter((check) => check.missing.length > 0);
  const parts: string[] = [];
  const count = report.comparison.differences.length;
  if (count > 0) parts.push(`differs from the migrations in ${plural(count, "place")}`);
  for (const check of failing) parts.push(`${check.service}'s code has ${plural(check.missing.length, "use")} of what it lacks`);
  if (parts.length > 0) return `**Drift**: ${where} ${listOf(parts)}.`;
  const checked = report.services.map((check) => check.service);
  const codeChecked = checked.length > 0 ? `; everything the code of ${listOf(checked)} uses exists` : "";
  return `**No drift**: ${where} has every table and column the migrations create, as they type them, and nothing else${codeChecked}.`;
}

function subject(difference: Difference): string {
  return difference.column ? `column ${code(`${difference.table}.${difference.column}`)}` : `table ${code(difference.table)}`;
}

function missingSection(differences: readonly Difference[]): string[] {
  const missing = differences.filter((difference) => difference.kind === "missing-table" || difference.kind === "missing-column");
  if (missing.length === 0) return [];
  const byFile = new Map<string, Difference[]>();
  for (const difference of missing) {
    const file = difference.migration?.file ?? "";
    byFile.set(file, [...(byFile.get(file) ?? []), difference]);
  }
  const lines = ["### Migrations whose effect is missing", ""];
  for (const [file, unordered] of byFile) {
    const items = [...unordered].sort((a, b) => (a.migration?.line ?? 0) - (b.migration?.line ?? 0));
    const lacks = listOf(items.map((item) => `${subject(item)}${item.migration ? ` (line ${item.migration.line})` : ""}`));
    const service = items[0]?.service ?? "";
    const stillNamed = items.flatMap((item) => (item.stillNamed ? [code(item.stillNamed)] : []));
    const still = stillNamed.length > 0 ? ` and still has ${listOf(stillNamed)}` : "";
    lines.push(file ? `- **was ${code(file)} applied?** (${service}) The database lacks ${lacks}${still}.` : `- (${service}) The database lacks ${lacks}.`);
  }
  return [...lines, ""];
}

function unexpectedSection(differences: readonly Difference[]): string[] {
  const unexpected = differences.filter((difference) => difference.kind === "unexpected-table" || difference.kind === "unexpected-column");
  if (unexpected.length === 0) return [];
  return [
    "### Tables and columns no migration created",
    "",
    "| table | column | in the database | owner |",
    "|---|---|---|---|",
    ...unexpected.map((difference) => `| ${code(difference.table)} | ${difference.column ? code(difference.column) : "(the whole table)"} | ${cell(difference.actual ?? "")} | ${difference.service} |`),
    "",
  ];
}

function where(loc: Location | undefined): string {
  return loc ? code(`${loc.file}:${loc.line}`) : "";
}

function typeSection(differences: readonly Difference[]): string[] {
  const typed = differences.filter((difference) => difference.kind === "type-differs" || difference.kind === "nullability-differs");
  if (typed.length === 0) return [];
  return [
    "### Type and nullability differences",
    "",
    "| column | the migrations say | the database has | set by |",
    "|---|---|---|---|",
    ...typed.map((difference) => `| ${code(`${difference.table}.${difference.column ?? ""}`)} | ${code(difference.expected ?? "")} | ${code(difference.actual ?? "")} | ${where(difference.migration)} |`),
    "",
  ];
}

function servicesSection(report: VerifyReport): string[] {
  if (report.services.length === 0) return [];
  const rows = report.services.map((check) => {
    const result = check.missing.length > 0 ? "❌ would fail" : "✅ passes";
    const missing = check.missing.length === 0 ? "nothing" : check.missing.map((item) => `${code(item.column ? `${item.table}.${item.column}` : item.table)} at ${where(item.loc)}`).join("<br>");
    return `| ${check.service} | ${result} | ${check.usesChecked} | ${missing} |`;
  });
  return [
    "### Services without migrations: does what their code uses exist?",
    "",
    "| service | startup check | table uses checked | missing from the database |",
    "|---|---|---|---|",
    ...rows,
    "",
  ];
}

function notes(report: VerifyReport): string[] {
  const lines: string[] = [];
  const { frameworkTables, untypedColumns } = report.comparison;
  if (frameworkTables.length > 0) {
    lines.push(`- Not compared: ${plural(frameworkTables.length, "table")} that Django's own apps or the migration tools create (${frameworkTables.map(code).join(", ")}).`);
  }
  if (untypedColumns.length > 0) {
    lines.push(`- Only nullability compared for ${plural(untypedColumns.length, "column")} whose type the migrations leave unknown: ${untypedColumns.map(code).join(", ")}.`);
  }
  if (report.unparsedMigrations.length > 0) {
    const places = report.unparsedMigrations.map((unparsed) => where(unparsed.loc)).join(", ");
    lines.push(`- ${plural(report.unparsedMigrations.length, "migration statement")} could not be read, so what they do is not expected: ${places}.`);
  }
  for (const check of report.services) {
    if (check.unparsed.length > 0) lines.push(`- ${check.service}: ${plural(check.unparsed.length, "SQL string")} in the code could not be read, so what it uses was not checked.`);
    if (check.otherSchemas.length > 0) lines.push(`- ${check.service}: tables of other schemas were not checked (${check.otherSchemas.map(code).join(", ")}).`);
  }
  return lines.length > 0 ? ["", ...lines] : [];
}

export function renderVerifyMarkdown(report: VerifyReport): string {
  const { differences } = report.comparison;
  const body = [
    headline(report),
    "",
    ...missingSection(differences),
    ...unexpectedSection(differences),
    ...typeSection(differences),
    ...servicesSection(report),
  ];
  while (body.at(-1) === "") body.pop();
  return `${[...body, ...notes(report)].join("\n")}\n`;
}

export function verifyJsonOf(report: VerifyReport) {
  const place = (loc: Location | undefined) => (loc ? { file: loc.file, line: loc.line } : null);
  return {
    conclusion: report.conclusion,
    database: report.database,
    schema: report.schemaName,
    differences: report.comparison.differences.map((difference) => ({
      kind: difference.kind,
      table: difference.table,
      column: difference.column ?? null,
      service: difference.service,
      migration: place(difference.migration),
      expected: difference.expected ?? null,
      actual: difference.actual ?? null,
      message: difference.message,
    })),
    services: report.services.map((check) => ({
      service: check.service,
      repo: check.repo,
      passes: check.missing.length === 0,
      usesChecked: check.usesChecked,
      missing: check.missing.map((item) => ({ table: item.table, column: item.column ?? null, ...place(item.loc), message: item.message })),
      unparsed: check.unparsed.map((item) => ({ file: item.loc.file, line: item.loc.line, reason: item.reason })),
    })),
    notCompared: { frameworkTables: report.comparison.frameworkTables, untypedColumns: report.comparison.untypedColumns },
    unparsedMigrations: report.unparsedMigrations.map((item) => ({ file: item.loc.file, line: item.loc.line, reason: item.reason })),
  };
}

export function renderVerifyJson(report: VerifyReport): string {
  return `${JSON.stringify(verifyJsonOf(report), null, 2)}\n`;
}

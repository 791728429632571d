// `/ownership` and `/ownership <table>`: who owns, writes and reads the tables, as a table
// and as a Mermaid diagram (GitHub renders ```mermaid blocks in comments).
import { ownerOf, writersOf } from "../core/ownership.js";
import type { GuardConfig } from "../core/config.js";
import type { ConsumerUse } from "../core/consumers.js";
import { accessOf, cell, consumerLink } from "../report/format.js";
import { code } from "../findings/wording.js";
import { tableKey } from "./parse.js";

export interface TableOwnership {
  table: string;
  owner: string;
  writers: string[];
  /** Uses found in other services' repositories, in file order. */
  consumers: ConsumerUse[];
}

export function ownershipOf(config: GuardConfig, tables: readonly string[], uses: readonly ConsumerUse[]): TableOwnership[] {
  const keys = [...new Set(tables.map(tableKey))].sort();
  return keys.map((table) => ({
    table,
    owner: ownerOf(config, table),
    writers: writersOf(config, table),
    consumers: uses
      .filter((use) => tableKey(use.table) === table)
      .sort((a, b) => compareText(`${a.repo}\u0000${a.path}`, `${b.repo}\u0000${b.path}`) || a.line - b.line),
  }));
}

/** Code-point order: the same on every machine, whatever its locale. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

type Relation = "owns" | "writes" | "reads";

/** Each service's strongest relation to each table: owning implies writing, writing implies reading. */
function relations(tables: readonly TableOwnership[]): { service: string; table: string; relation: Relation }[] {
  const edges: { service: string; table: string; relation: Relation }[] = [];
  for (const table of tables) {
    const seen = new Set<string>();
    const add = (service: string, relation: Relation) => {
      if (seen.has(service)) return;
      seen.add(service);
      edges.push({ service, table: table.table, relation });
    };
    add(table.owner, "owns");
    for (const writer of table.writers) add(writer, "writes");
    for (const use of table.consumers.filter((candidate) => candidate.access === "write")) add(use.service, "writes");
    for (const use of table.consumers) add(use.service, "reads");
  }
  return edges;
}

const ARROWS: Record<Relation, string> = { owns: "==>", writes: "-->", reads: "-.->" };

/** Mermaid labels are quoted; a quote inside one is written as an entity. */
function label(text: string): string {
  return `"${text.replace(/"/g, "#quot;")}"`;
}

export function ownershipDiagram(tables: readonly TableOwnership[]): string {
  const edges = relations(tables);
  const services = [...new Set(edges.map((edge) => edge.service))].sort();
  const serviceId = new Map(services.map((service, index) => [service, `s${index}`]));
  const tableId = new Map(tables.map((table, index) => [table.table, `t${index}`]));
  const lines = ["```mermaid", "flowchart LR"];
  for (const service of services) lines.push(`  ${serviceId.get(service)}[${label(service)}]`);
  for (const table of tables) lines.push(`  ${tableId.get(table.table)}[(${label(table.table)})]`);
  for (const edge of edges) {
    lines.push(`  ${serviceId.get(edge.service)} ${ARROWS[edge.relation]}|${edge.relation}| ${tableId.get(edge.table)}`);
  }
  lines.push("```");
  return lines.join("\n");
}

function consumersCell(table: TableOwnership): string {
  if (table.consumers.length === 0) return "none found";
  return table.consumers.map((use) => `${use.service}: ${consumerLink(use)} (${accessOf(use)})`).join("<br>");
}

/** `/ownership`: every table the pull request touches. */
export function renderOverview(tables: readonly TableOwnership[], headSha: string): string {
  if (tables.length === 0) return `This pull request touches no table at \`${headSha.slice(0, 7)}\`.`;
  const lines = [
    `**Tables this pull request touches** at \`${headSha.slice(0, 7)}\`:`,
    "",
    "| table | owner | writers | consumers found |",
    "|---|---|---|---|",
    ...tables.map((table) => `| ${code(table.table)} | ${table.owner} | ${table.writers.join(", ")} | ${cell(consumersCell(table))} |`),
    "",
    ownershipDiagram(tables),
    "",
    "Consumers are uses, in other services' default branches, of what this pull request changes. `/ownership <table>` lists every use of one table.",
  ];
  return lines.join("\n");
}

/** `/ownership <table>`: one table, with every use found in the other services. */
export function renderTableOwnership(table: TableOwnership, configured: boolean): string {
  const lines = [
    `**${code(table.table)}**`,
    "",
    `- owner: ${table.owner}${configured ? "" : " (not named in the configuration: the default owner)"}`,
    `- writers: ${table.writers.join(", ")}`,
    "",
  ];
  if (table.consumers.length === 0) {
    lines.push("No other service was found using it.");
  } else {
    lines.push("| service | use | where |", "|---|---|---|");
    for (const use of table.consumers) lines.push(`| ${use.service} | ${cell(accessOf(use))} | ${consumerLink(use)} |`);
  }
  lines.push("", ownershipDiagram([table]));
  return lines.join("\n");
}

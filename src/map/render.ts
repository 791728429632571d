// The organisation map as Markdown (a Mermaid picture and a table, for the CLI and for
// `/ownership map`) and as JSON.
import { ownershipDiagram } from "../commands/ownership.js";
import { code, plural } from "../findings/wording.js";
import { cell } from "../report/format.js";
import type { ConsumerUse } from "../core/consumers.js";
import type { ForeignUse, OrganisationMap, ServiceReadiness } from "./split-readiness.js";

function usesCell(uses: readonly ForeignUse[]): string {
  if (uses.length === 0) return "none";
  return uses.map((use) => `${use.service} → ${code(use.table)}`).join("<br>");
}

function readinessRow(service: ServiceReadiness): string {
  const owns = service.owns.length === 0 ? "none" : service.owns.map(code).join("<br>");
  const keys = service.foreignKeys.length === 0 ? "none" : service.foreignKeys.map((key) => `${code(key.table)} → ${code(key.references)}`).join("<br>");
  const dependsOn = service.usesOf.length === 0 ? "none" : service.usesOf.map((use) => `${code(use.table)} (${use.owner})`).join("<br>");
  const ready = service.blockers.length === 0 ? "✅ ready" : `🚧 ${plural(service.blockers.length, "step")} left`;
  return `| ${service.service} | ${owns} | ${usesCell(service.writtenByOthers)} | ${usesCell(service.readByOthers)} | ${keys} | ${dependsOn} | ${ready} |`;
}

export function renderMapMarkdown(map: OrganisationMap): string {
  const ready = map.services.filter((service) => service.blockers.length === 0);
  const lines = [
    `**Split readiness**: ${ready.length} of ${plural(map.services.length, "service")} could move to ${ready.length === 1 ? "its" : "their"} own database today${ready.length > 0 ? ` (${ready.map((service) => service.service).join(", ")})` : ""}.`,
    "",
    ownershipDiagram(map.tables),
    "",
    "| service | owns | written by others (single writer) | read by others (replicate reads) | foreign keys across services | uses of others' tables | readiness |",
    "|---|---|---|---|---|---|---|",
    ...map.services.map(readinessRow),
    "",
    "**What stands between each service and its own database**",
    "",
  ];
  for (const service of map.services) {
    if (service.blockers.length === 0) {
      lines.push(`- ${service.service}: nothing; its tables are its own.`);
      continue;
    }
    lines.push(`- ${service.service}:`, ...service.blockers.map((blocker) => `  - ${cell(blocker)}`));
  }
  if (map.searchFailures.length > 0) {
    lines.push("", `⚠️ ${plural(map.searchFailures.length, "consumer search")} failed, so readers and writers may be missing:`);
    lines.push(...map.searchFailures.map((failure) => `- ${failure.repo}: ${cell(failure.reason)}`));
  }
  return `${lines.join("\n")}\n`;
}

function useJson(use: ConsumerUse) {
  return { repo: use.repo, path: use.path, line: use.line, column: use.column ?? null, access: use.access };
}

function foreignUseJson(use: ForeignUse) {
  return { table: use.table, owner: use.owner, service: use.service, declaredWriter: use.declaredWriter, writes: use.writes.map(useJson), reads: use.reads.map(useJson) };
}

export function mapJsonOf(map: OrganisationMap) {
  return {
    services: map.services.map((service) => ({
      service: service.service,
      repo: service.repo,
      owns: service.owns,
      writtenByOthers: service.writtenByOthers.map(foreignUseJson),
      readByOthers: service.readByOthers.map(foreignUseJson),
      foreignKeys: service.foreignKeys,
      usesOf: service.usesOf.map(foreignUseJson),
      ready: service.blockers.length === 0,
      blockers: service.blockers,
    })),
    tables: map.tables.map((table) => ({ table: table.table, owner: table.owner, writers: table.writers, consumers: table.consumers.map((use) => ({ service: use.service, ...useJson(use) })) })),
    foreignKeys: map.foreignKeys,
    searchFailures: map.searchFailures,
  };
}

export function renderMapJson(map: OrganisationMap): string {
  return `${JSON.stringify(mapJsonOf(map), null, 2)}\n`;
}

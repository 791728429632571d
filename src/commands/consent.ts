// Whose consent the blocking findings on one table need, and what an ack may record.
import type { ServiceConfig } from "../core/config.js";
import type { Finding } from "../core/findings.js";
import type { AckRecord } from "./ack-record.js";
import { tableKey } from "./parse.js";

/**
 * Fingerprints of the findings on `table` that block unless consented to, by service whose
 * consent each needs. Findings are those of a run without acks, so a finding another service
 * already consented to still counts for the services that have not.
 */
export function consentNeeded(findings: readonly Finding[], table: string): Map<string, string[]> {
  const needed = new Map<string, string[]>();
  for (const finding of findings) {
    if (finding.severity !== "error" || finding.suppressed || finding.table === undefined) continue;
    if (tableKey(finding.table) !== tableKey(table)) continue;
    for (const service of finding.needs) {
      const fingerprints = needed.get(service) ?? [];
      if (!fingerprints.includes(finding.fingerprint)) fingerprints.push(finding.fingerprint);
      needed.set(service, fingerprints);
    }
  }
  return needed;
}

/** Who may consent for a service: its team's members, or a repository admin. */
export type ConsentAuthority = { kind: "admin" } | { kind: "teams"; services: readonly string[] };

export function ackRecordFor(
  needed: ReadonlyMap<string, string[]>,
  authority: ConsentAuthority,
  ack: { table: string; headSha: string; by: string; reason: string },
): AckRecord | undefined {
  const services = Object.fromEntries(
    [...needed].filter(([service]) => authority.kind === "admin" || authority.services.includes(service)).map(([service, fingerprints]) => [service, [...fingerprints].sort()]),
  );
  return Object.keys(services).length === 0 ? undefined : { table: tableKey(ack.table), headSha: ack.headSha, by: ack.by, reason: ack.reason, services };
}

/** The teams that could consent for the services named, as `@org/team`, or why none can. */
export function teamsOf(services: Iterable<string>, config: ReadonlyMap<string, ServiceConfig>): { service: string; team?: string }[] {
  return [...services].sort().map((service) => {
    const team = config.get(service)?.team;
    return team ? { service, team } : { service };
  });
}

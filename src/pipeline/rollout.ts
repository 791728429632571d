// Switching the guard on over an existing history without noise: `baseline` hides findings
// in migrations that were already there, `mode: advisory` reports without failing.
import type { GuardConfig, ServiceConfig } from "../core/config.js";
import type { Finding } from "../core/findings.js";
import { isMigrationPath } from "./history.js";
import type { WorkspaceSources } from "../core/sources.js";

export type Baseline = { kind: "none" } | { kind: "found"; ref: string; migrations: Set<string> } | { kind: "unreadable"; ref: string; reason: string };

/** The migration files of `service` present at the configured baseline ref of its repository. */
export async function readBaseline(config: GuardConfig, service: ServiceConfig, workspace: WorkspaceSources): Promise<Baseline> {
  const ref = config.baseline;
  if (ref === undefined) return { kind: "none" };
  try {
    const snapshot = await workspace.snapshot(service.repo, ref);
    const migrations = (await snapshot.listFiles()).filter((path) => isMigrationPath(service, path));
    return { kind: "found", ref, migrations: new Set(migrations) };
  } catch (error) {
    return { kind: "unreadable", ref, reason: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * Drops findings placed in baseline migrations, with a note saying how many. An unreadable
 * baseline hides nothing: it says so, and every finding stays.
 */
export function applyBaseline(findings: Finding[], baseline: Baseline, notes: string[]): Finding[] {
  if (baseline.kind === "none") return findings;
  if (baseline.kind === "unreadable") {
    notes.push(`The baseline \`${baseline.ref}\` could not be read (${baseline.reason}): every finding is reported.`);
    return findings;
  }
  const kept = findings.filter((finding) => !baseline.migrations.has(finding.loc.file));
  const hidden = findings.length - kept.length;
  if (hidden > 0) {
    notes.push(`${hidden} finding${hidden === 1 ? " is" : "s are"} not reported: in migrations already present at the baseline \`${baseline.ref}\`.`);
  }
  return kept;
}

/** `mode: advisory` turns what would fail into `neutral`: reported, never failing. */
export function conclusionInMode(config: GuardConfig, conclusion: "success" | "failure"): "success" | "failure" | "neutral" {
  return config.mode === "advisory" && conclusion === "failure" ? "neutral" : conclusion;
}

// Gathers the organisation map: every service's migrations replayed into the shared schema,
// and every use of each service's tables by the others (consumer search: local checkouts in
// the CLI, GitHub code search in the app).
import type { GuardConfig, ServiceConfig } from "../core/config.js";
import type { ConsumerFinder, ConsumerLookup } from "../core/consumers.js";
import { replaySharedSchema } from "../pipeline/review.js";
import type { RepositorySnapshot } from "../core/sources.js";
import { organisationMap, type OrganisationMap } from "./split-readiness.js";
import { ownerOf } from "../core/ownership.js";

export async function mapOrganisation(
  config: GuardConfig,
  snapshotOf: (service: ServiceConfig) => Promise<RepositorySnapshot>,
  consumers: ConsumerFinder,
): Promise<OrganisationMap> {
  const schema = await replaySharedSchema(config, snapshotOf);
  const byOwner = new Map<string, string[]>();
  for (const table of new Set([...schema.tables.keys(), ...config.tables.keys()])) {
    const owner = ownerOf(config, table, schema.tables.get(table)?.createdBy);
    byOwner.set(owner, [...(byOwner.get(owner) ?? []), table]);
  }
  const lookups = await Promise.all(
    [...byOwner].map(([owner, tables]) => consumers.find(tables.sort().map((table) => ({ table })), owner)),
  );
  const lookup: ConsumerLookup = { uses: lookups.flatMap((found) => found.uses), failures: lookups.flatMap((found) => found.failures) };
  return organisationMap(config, schema, lookup);
}

// `verify`: the replayed shared schema against a live database, and, for each service without
// migrations, its code's tables and columns against the same database.
import type { GuardConfig, ServiceConfig } from "../core/config.js";
import type { CodeSqlAnalysis, UnparsedSql } from "../core/changes.js";
import { analyzeCodeFile } from "../parse/code-sql.js";
import { loadServiceHistory, matcherFor } from "../pipeline/history.js";
import type { RepositorySnapshot } from "../core/sources.js";
import type { LiveSchema } from "./catalog.js";
import { checkServiceCode, type ServiceCodeCheck } from "./code-uses.js";
import { compareSchemas, type SchemaComparison } from "./compare.js";
import { expectedSchema } from "./expected.js";

export interface VerifyReport {
  database: string;
  schemaName: string;
  conclusion: "success" | "failure";
  comparison: SchemaComparison;
  /** One per service without migrations. */
  services: ServiceCodeCheck[];
  /** Migration statements the replay could not read. */
  unparsedMigrations: UnparsedSql[];
}

/** Files read per call, so a large repository is never held in memory at once. */
const READ_BATCH = 200;

async function analyseAllCode(service: ServiceConfig, snapshot: RepositorySnapshot): Promise<CodeSqlAnalysis[]> {
  const isCode = matcherFor(service.code);
  const paths = (await snapshot.listFiles()).filter(isCode);
  const analyses: CodeSqlAnalysis[] = [];
  for (let start = 0; start < paths.length; start += READ_BATCH) {
    for (const file of await snapshot.readFiles(paths.slice(start, start + READ_BATCH))) {
      const analysis = await analyzeCodeFile(file.text, file.path);
      if (analysis) analyses.push(analysis);
    }
  }
  return analyses;
}

export async function verifyDatabase(
  config: GuardConfig,
  snapshotOf: (service: ServiceConfig) => Promise<RepositorySnapshot>,
  live: LiveSchema,
): Promise<VerifyReport> {
  const services = [...config.services.values()];
  const histories = await Promise.all(
    services.filter((service) => service.migrations.length > 0).map(async (service) => loadServiceHistory(service, await snapshotOf(service))),
  );
  const expected = expectedSchema(histories);
  const comparison = compareSchemas(config, expected, live);
  const codeChecks = await Promise.all(
    services
      .filter((service) => service.migrations.length === 0)
      .map(async (service) => checkServiceCode(service.name, service.repo, await analyseAllCode(service, await snapshotOf(service)), live)),
  );
  const failed = comparison.differences.length > 0 || codeChecks.some((check) => check.missing.length > 0);
  return {
    database: live.database,
    schemaName: live.schemaName,
    conclusion: failed ? "failure" : "success",
    comparison,
    services: codeChecks,
    unparsedMigrations: expected.unparsed,
  };
}

import type { GuardConfig, ServiceConfig } from "../core/config.js";
import type { ConsumerLookup } from "../core/consumers.js";
import type { CodeSqlAnalysis, ParsedMigration, SchemaState } from "../core/changes.js";
import { resolveMigrations } from "../model/schema.js";
import { analyzeCodeFile } from "../parse/code-sql.js";
import { findSuppressions, type CommentPrefix } from "../parse/suppressions.js";
import { conclusionOf, finishFindings } from "../findings/finish.js";
import { consumerTargetsOf, rules, runRules } from "../rules/index.js";
import type { Suppression } from "../core/findings.js";
import type { ReviewInput } from "../rules/types.js";
import { loadServiceHistory, matcherFor, type ServiceHistory } from "./history.js";
import { applyBaseline, conclusionInMode, readBaseline } from "./rollout.js";
import { buildSharedSchema } from "./shared-schema.js";
import type { ChangedFile, RepositorySnapshot, SourceFile } from "../core/sources.js";
import type { ReviewOutcome, ReviewPullRequest, ReviewRequest } from "./types.js";

const NO_CONSUMERS: ConsumerLookup = { uses: [], failures: [] };

/** Comment markers a suppression may use, by file extension: the language's own, and SQL's inside a Go string. */
function commentPrefixesFor(path: string): CommentPrefix[] {
  if (path.endsWith(".py")) return ["#"];
  if (path.endsWith(".go")) return ["//", "--"];
  return ["--"];
}

function suppressionsIn(files: readonly SourceFile[]): Suppression[] {
  return files.flatMap((file) => commentPrefixesFor(file.path).flatMap((prefix) => findSuppressions(file.text, file.path, prefix)));
}

/** Histories of every service but the reviewed one, at their default branches. */
async function otherHistories(request: ReviewRequest): Promise<ServiceHistory[]> {
  // A service without migrations adds nothing to the schema: its repository is only read for consumers.
  const others = [...request.config.services.values()].filter(
    (service) => service.name !== request.service.name && service.migrations.length > 0,
  );
  return Promise.all(
    others.map(async (service) => loadServiceHistory(service, await request.workspace.snapshot(service.repo), request.cache)),
  );
}

/** Shared schema with the reviewed service's history replaced by `own`, services kept in configuration order. */
function schemaWith(config: GuardConfig, others: readonly ServiceHistory[], own: ServiceHistory): SchemaState {
  const byService = new Map([...others, own].map((history) => [history.service, history]));
  const ordered = [...config.services.keys()].map((name) => byService.get(name)).filter((h): h is ServiceHistory => !!h);
  return buildSharedSchema(ordered);
}

function changedPaths(files: readonly ChangedFile[]): Set<string> {
  return new Set(files.filter((file) => file.status !== "removed").map((file) => file.path));
}

async function analyseChangedCode(service: ServiceConfig, head: RepositorySnapshot, paths: string[]): Promise<{
  analyses: CodeSqlAnalysis[];
  sources: SourceFile[];
}> {
  const isCode = matcherFor(service.code);
  const codePaths = paths.filter(isCode);
  const sources = await head.readFiles(codePaths);
  const analyses: CodeSqlAnalysis[] = [];
  for (const file of sources) {
    const analysis = await analyzeCodeFile(file.text, file.path);
    if (analysis) analyses.push(analysis);
  }
  return { analyses, sources };
}

function touchedTables(migrations: readonly ParsedMigration[], code: readonly CodeSqlAnalysis[]): string[] {
  const tables = new Set<string>();
  for (const migration of migrations) {
    for (const statement of migration.statements) {
      for (const change of statement.changes) if (change.table) tables.add(change.table);
      for (const use of statement.uses) tables.add(use.table);
    }
  }
  for (const analysis of code) for (const use of analysis.uses) tables.add(use.table);
  return [...tables].sort();
}

function nothingToAnalyse(notes: string[]): ReviewOutcome {
  return {
    conclusion: "success",
    findings: [],
    touchedTables: [],
    notes,
    consumers: NO_CONSUMERS,
    nothingToAnalyse: true,
  };
}

/** Files a `migrations` or `code` glob is meant to find. */
const ANALYSABLE = /\.(sql|py|go)$/;

/** A glob that matches no file makes the service seem to have no migrations (or code): say so, naming it. */
async function unmatchedGlobNotes(service: ServiceConfig, head: RepositorySnapshot): Promise<string[]> {
  const files = await head.listFiles();
  const globs = [
    ...service.migrations.map((source, index) => [`services.${service.name}.migrations[${index}].path`, source.path] as const),
    ...service.code.map((glob, index) => [`services.${service.name}.code[${index}]`, glob] as const),
  ];
  return globs
    .filter(([, glob]) => !files.some(matcherFor([glob])))
    .map(
      ([place, glob]) =>
        `⚠️ Warning: ${place} in shared-schema.yml, \`${glob}\`, matches no file of ${head.repo} at this commit, so ${service.name} seems to have no ${place.includes(".code[") ? "code" : "migrations"} there: check the glob.`,
    );
}

/** The whole analysis of one pull request: gather → parse → model → consumers → rules. */
export const reviewPullRequest: ReviewPullRequest = async (request) => {
  const { config, service, changes } = request;
  const notes: string[] = [];
  if (changes.truncatedAt !== undefined) {
    notes.push(
      `GitHub lists at most ${changes.truncatedAt} files of a pull request; files past that limit were not analysed.`,
    );
  }
  const paths = [...changedPaths(changes.files)];
  const isMigration = matcherFor(service.migrations.map((source) => source.path));
  const isCode = matcherFor(service.code);
  const removedMigrations = changes.files.filter((file) => file.status === "removed" && isMigration(file.path));
  for (const file of removedMigrations) {
    notes.push(`\`${file.path}\` is deleted: a migration that already ran stays applied in the database.`);
  }
  const migrationRenames = changes.files.flatMap((file) =>
    file.status === "renamed" && file.previousPath !== undefined && isMigration(file.previousPath) ? [{ previousPath: file.previousPath, path: file.path }] : [],
  );
  const migrationPaths = new Set(paths.filter(isMigration));
  // A deleted or renamed migration is a change to the history: it is reviewed, never "nothing to analyse".
  if (migrationPaths.size === 0 && removedMigrations.length === 0 && migrationRenames.length === 0 && !paths.some(isCode)) {
    // A file that looks like a migration or code but matches no glob may be a glob that matches nothing.
    if (paths.some((path) => ANALYSABLE.test(path))) notes.push(...(await unmatchedGlobNotes(service, changes.head)));
    return nothingToAnalyse([...notes, "This pull request changes no migration and no code that could hold SQL."]);
  }
  // Changed code is read first: when none of it holds SQL and the history is untouched, no history needs replaying.
  const code = await analyseChangedCode(service, changes.head, paths.filter((path) => !migrationPaths.has(path)));
  const historyUntouched = migrationPaths.size === 0 && removedMigrations.length === 0 && migrationRenames.length === 0;
  if (historyUntouched && code.analyses.every((analysis) => analysis.uses.length === 0 && analysis.unparsed.length === 0)) {
    return nothingToAnalyse([...notes, "This pull request changes no migration, and the code it changes holds no SQL."]);
  }
  notes.push(...(await unmatchedGlobNotes(service, changes.head)));

  const [others, baseHistory, headHistory] = await Promise.all([
    otherHistories(request),
    loadServiceHistory(service, changes.base, request.cache),
    loadServiceHistory(service, changes.head, request.cache),
  ]);
  const baseSchema = schemaWith(config, others, baseHistory);
  const headSchema = schemaWith(config, others, headHistory);
  // Names resolve against the schema as the pull request's earlier statements leave it: CASCADE and renames of views or tables.
  const changedMigrations = resolveMigrations(
    headHistory.migrations.filter((migration) => migrationPaths.has(migration.file)),
    baseSchema,
    service.name,
  );
  const migrationSources = await changes.head.readFiles([...migrationPaths]);

  const input: Omit<ReviewInput, "consumers"> = {
    config,
    service: service.name,
    changedMigrations,
    changedCode: code.analyses,
    baseSchema,
    headSchema,
    migrationRenames,
  };
  // Every rule's searches at once: one search per table or column, whichever rules need it.
  const targets = consumerTargetsOf(input);
  const consumers = targets.length > 0 ? await request.consumers.find(targets, service.name) : NO_CONSUMERS;
  const finished = finishFindings(runRules({ ...input, consumers }), {
    config,
    rules,
    service: service.name,
    suppressions: suppressionsIn([...migrationSources, ...code.sources]),
    acks: request.acks,
  });
  const findings = applyBaseline(finished, await readBaseline(config, service, request.workspace), notes);
  return {
    conclusion: conclusionInMode(config, conclusionOf(findings)),
    ...(config.mode === "advisory" ? { advisory: true } : {}),
    findings,
    touchedTables: touchedTables(changedMigrations, code.analyses),
    notes,
    notChecked: rules.map((rule) => rule.id).filter((id) => config.rules[id] === "off"),
    consumers,
    nothingToAnalyse: false,
  };
};

/** Every service's history at the given snapshots, replayed into the shared schema (for `schema`). */
export async function replaySharedSchema(
  config: GuardConfig,
  snapshotOf: (service: ServiceConfig) => Promise<RepositorySnapshot>,
): Promise<SchemaState> {
  const histories = await Promise.all(
    [...config.services.values()].map(async (service) => loadServiceHistory(service, await snapshotOf(service))),
  );
  return buildSharedSchema(histories);
}

// Consumer search over local checkouts of the other services: the CLI's stand-in for
// GitHub code search. Like code search, it only opens files that name a target table,
// then confirms each use by parsing the SQL.
import picomatch from "picomatch";
import type { ServiceConfig } from "../core/config.js";
import type { CodeSqlAnalysis } from "../core/changes.js";
import { analyzeCodeFile } from "../parse/code-sql.js";
import type { RepositorySnapshot, SourceFile } from "../core/sources.js";
import { confirmUses, unconfirmedMentions, type ConsumerPlace } from "./confirm.js";
import type { ConsumerFinder, ConsumerLookup, ConsumerTarget } from "../core/consumers.js";

/** Files read per call, so a large repository is never held in memory at once. */
const READ_BATCH = 200;

export class LocalConsumerFinder implements ConsumerFinder {
  /** Analyses by path and blob: the same file is parsed once however many searches read it. */
  private readonly analyses = new Map<string, Promise<CodeSqlAnalysis | null>>();

  constructor(
    private readonly services: ReadonlyMap<string, ServiceConfig>,
    private readonly snapshotFor: (service: ServiceConfig) => Promise<RepositorySnapshot>,
  ) {}

  async find(targets: ConsumerTarget[], excludeService: string): Promise<ConsumerLookup> {
    const lookup: ConsumerLookup = { uses: [], failures: [] };
    if (targets.length === 0) return lookup;
    const others = [...this.services.values()].filter((service) => service.name !== excludeService);
    const results = await Promise.all(others.map((service) => this.search(service, targets)));
    for (const result of results) {
      lookup.uses.push(...result.uses);
      lookup.failures.push(...result.failures);
    }
    lookup.uses.sort(
      (a, b) => compare(a.repo, b.repo) || compare(a.path, b.path) || a.line - b.line || compare(a.table, b.table),
    );
    return lookup;
  }

  private async search(service: ServiceConfig, targets: ConsumerTarget[]): Promise<ConsumerLookup> {
    const lookup: ConsumerLookup = { uses: [], failures: [] };
    const where = { service: service.name, repo: service.repo };
    try {
      const snapshot = await this.snapshotFor(service);
      const isCode = picomatch(service.code);
      const paths = (await snapshot.listFiles()).filter((path) => isCode(path));
      const tableNames = [...new Set(targets.map((target) => bareName(target.table)))];
      for (let start = 0; start < paths.length; start += READ_BATCH) {
        const files = await snapshot.readFiles(paths.slice(start, start + READ_BATCH));
        for (const file of files.filter((candidate) => namesAny(candidate.text, tableNames))) {
          await this.searchFile(file, targets, where, lookup);
        }
      }
    } catch (error) {
      lookup.failures.push({ ...where, reason: `could not search ${service.repo}: ${messageOf(error)}` });
    }
    return lookup;
  }

  /** A file that cannot be analysed leaves the search incomplete, not the other files unread. */
  private async searchFile(file: SourceFile, targets: ConsumerTarget[], where: ConsumerPlace, lookup: ConsumerLookup): Promise<void> {
    try {
      const analysis = await this.analyse(file);
      if (!analysis) return;
      lookup.uses.push(...confirmUses(analysis, targets, where));
      lookup.failures.push(...unconfirmedMentions(analysis, targets, where));
    } catch (error) {
      lookup.failures.push({ ...where, reason: `could not analyse ${file.path}: ${messageOf(error)}` });
    }
  }

  private analyse(file: SourceFile): Promise<CodeSqlAnalysis | null> {
    if (file.sha === undefined) return analyzeCodeFile(file.text, file.path);
    const key = `${file.path}\0${file.sha}`;
    let analysis = this.analyses.get(key);
    if (!analysis) {
      analysis = analyzeCodeFile(file.text, file.path);
      this.analyses.set(key, analysis);
    }
    return analysis;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function bareName(table: string): string {
  return table.slice(table.lastIndexOf(".") + 1).toLowerCase();
}

/** The cheap pre-filter code search also applies: the file's text contains a table name. */
function namesAny(text: string, tableNames: string[]): boolean {
  const lower = text.toLowerCase();
  return tableNames.some((name) => lower.includes(name));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

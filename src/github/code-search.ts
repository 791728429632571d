// Consumer search through GitHub code search: a few queries name the target tables and
// the other services' repositories; every file found is then read at the default branch's
// head (in one batch) and each use confirmed by parsing its SQL. A search that fails or comes back
// incomplete is a failure the rules report, never "no consumers".
import picomatch from "picomatch";
import type { ServiceConfig } from "../core/config.js";
import { confirmUses, unconfirmedMentions } from "../consumers/confirm.js";
import type { ConsumerFinder, ConsumerLookup, ConsumerTarget, ConsumerUse } from "../core/consumers.js";
import { analyzeCodeFile } from "../parse/code-sql.js";
import type { SearchQueue } from "./rate-limit.js";
import { lineUrl, messageOf } from "./read-api.js";
import type { SearchMatch, SearchResult, TreeBlob } from "./read-caches.js";
import type { GitHubReader } from "./snapshot.js";

export interface SearchQueryLimits {
  maxChars: number;
  /** AND / OR / NOT keywords in one query. */
  maxOperators: number;
}

/** GitHub's documented bounds for a code search query. */
export const CODE_SEARCH_QUERY_LIMITS: SearchQueryLimits = { maxChars: 256, maxOperators: 5 };

/** Code search returns at most 1,000 results: ten pages of 100. */
const MAX_PAGES = 10;
const PER_PAGE = 100;

export interface SearchQuery {
  q: string;
  tables: string[];
  repos: string[];
}

export interface QueryPlan {
  queries: SearchQuery[];
  /** Table names too long to fit in any query. */
  unsearchable: string[];
}

/**
 * Queries covering every table in every repository: table names OR-ed (as many as the
 * operator limit allows), then `repo:` qualifiers, which GitHub ORs implicitly, packed
 * up to the length limit.
 */
export function planSearchQueries(
  tables: readonly string[],
  repos: readonly string[],
  limits: SearchQueryLimits = CODE_SEARCH_QUERY_LIMITS,
): QueryPlan {
  const plan: QueryPlan = { queries: [], unsearchable: [] };
  if (repos.length === 0) return plan;
  const longestRepo = Math.max(...repos.map((repo) => ` repo:${repo}`.length));
  const fitsWithOneRepo = (group: string[]) => termsOf(group).length + longestRepo <= limits.maxChars;
  const groups: string[][] = [];
  let group: string[] = [];
  for (const table of tables) {
    if (!fitsWithOneRepo([table])) {
      plan.unsearchable.push(table);
      continue;
    }
    const grown = [...group, table];
    if (grown.length - 1 > limits.maxOperators || !fitsWithOneRepo(grown)) {
      groups.push(group);
      group = [table];
    } else {
      group = grown;
    }
  }
  if (group.length > 0) groups.push(group);
  for (const tableGroup of groups) {
    const terms = termsOf(tableGroup);
    let packed: string[] = [];
    for (const repo of repos) {
      const grown = [...packed, repo];
      if (packed.length > 0 && queryOf(terms, grown).length > limits.maxChars) {
        plan.queries.push({ q: queryOf(terms, packed), tables: tableGroup, repos: packed });
        packed = [repo];
      } else {
        packed = grown;
      }
    }
    plan.queries.push({ q: queryOf(terms, packed), tables: tableGroup, repos: packed });
  }
  return plan;
}

function termsOf(tables: readonly string[]): string {
  return tables.map((table) => `"${table}"`).join(" OR ");
}

function queryOf(terms: string, repos: readonly string[]): string {
  return [terms, ...repos.map((repo) => `repo:${repo}`)].join(" ");
}

export interface GitHubConsumerFinderOptions {
  reader: GitHubReader;
  /** The installation's code search queue. */
  queue: SearchQueue;
  queryLimits?: SearchQueryLimits;
}

interface SearchedService {
  service: ServiceConfig;
  /** Default-branch head commit: the files are read there, and its searches cached by it. */
  commit: string;
}

export class GitHubConsumerFinder implements ConsumerFinder {
  constructor(
    private readonly services: ReadonlyMap<string, ServiceConfig>,
    private readonly options: GitHubConsumerFinderOptions,
  ) {}

  async find(targets: ConsumerTarget[], excludeService: string): Promise<ConsumerLookup> {
    const lookup: ConsumerLookup = { uses: [], failures: [] };
    const others = [...this.services.values()].filter(
      (service) => service.name !== excludeService && service.code.length > 0,
    );
    if (targets.length === 0 || others.length === 0) return lookup;
    const tables = [...new Set(targets.map((target) => bareName(target.table)))];
    const searched = await this.resolveHeads(others, tables, lookup);
    const plan = planSearchQueries(
      tables,
      searched.map(({ service }) => service.repo),
      this.options.queryLimits,
    );
    for (const table of plan.unsearchable) {
      for (const { service } of searched) {
        lookup.failures.push(failure(service, table, "the table name is too long for a code search query"));
      }
    }
    const matches: SearchMatch[] = [];
    for (const query of plan.queries) {
      const result = await this.search(query, searched, lookup);
      if (result) matches.push(...result.matches);
    }
    await this.confirm(matches, targets, searched, lookup);
    lookup.uses.sort(byPlace);
    return lookup;
  }

  private async resolveHeads(
    services: ServiceConfig[],
    tables: string[],
    lookup: ConsumerLookup,
  ): Promise<SearchedService[]> {
    const resolved = await Promise.all(
      services.map(async (service) => {
        try {
          return { service, commit: (await this.options.reader.defaultBranchHead(service.repo)).commit };
        } catch (error) {
          for (const table of tables) lookup.failures.push(failure(service, table, messageOf(error)));
          return undefined;
        }
      }),
    );
    return resolved.filter((entry): entry is SearchedService => entry !== undefined);
  }

  /** One query, all its pages, from the cache when its repositories have not moved since. */
  private async search(
    query: SearchQuery,
    searched: SearchedService[],
    lookup: ConsumerLookup,
  ): Promise<SearchResult | undefined> {
    const commits = query.repos.map((repo) => searched.find(({ service }) => service.repo === repo)?.commit ?? "");
    const key = this.options.reader.cacheKey(`${query.q}\n${commits.join(",")}`);
    const cache = this.options.reader.caches.searches;
    let result = this.options.reader.fresh ? undefined : cache.get(key);
    if (!result) {
      try {
        result = await this.fetchAllPages(query.q);
      } catch (error) {
        this.recordFailure(query, searched, lookup, `code search failed: ${messageOf(error)}`);
        return undefined;
      }
      // An incomplete answer may be complete next time: only whole answers are kept.
      if (result.incomplete === undefined) cache.set(key, result);
    }
    if (result.incomplete !== undefined) this.recordFailure(query, searched, lookup, result.incomplete);
    return result;
  }

  private async fetchAllPages(q: string): Promise<SearchResult> {
    const { octokit } = this.options.reader;
    const matches: SearchMatch[] = [];
    for (let page = 1; page <= MAX_PAGES; page += 1) {
      const { queue } = this.options;
      const { data, headers } = await queue.run(() => octokit.request("GET /search/code", { q, per_page: PER_PAGE, page }));
      queue.noteQuota(headers);
      for (const item of data.items) {
        matches.push({ repo: item.repository.full_name, path: item.path });
      }
      if (data.incomplete_results) {
        return { matches, incomplete: "GitHub's code search timed out and returned incomplete results" };
      }
      if (data.items.length < PER_PAGE || matches.length >= data.total_count) return { matches };
    }
    return { matches, incomplete: `code search found more files than the ${MAX_PAGES * PER_PAGE} it returns` };
  }

  private recordFailure(query: SearchQuery, searched: SearchedService[], lookup: ConsumerLookup, reason: string): void {
    for (const repo of query.repos) {
      const entry = searched.find(({ service }) => service.repo === repo);
      if (!entry) continue;
      for (const table of query.tables) lookup.failures.push(failure(entry.service, table, reason));
    }
  }

  /**
   * Reads the matched files of the services' code as their default branch has them now (the
   * search index may lag behind), all in one batch, and keeps the uses their SQL confirms.
   */
  private async confirm(
    matches: SearchMatch[],
    targets: ConsumerTarget[],
    searched: SearchedService[],
    lookup: ConsumerLookup,
  ): Promise<void> {
    const files = await this.filesAtHead(matches, searched, lookup);
    if (files.length === 0) return;
    let texts: Map<string, string>;
    try {
      texts = await this.options.reader.blobs.read(files.map(({ entry, blob }) => ({ repo: entry.service.repo, ...blob })));
    } catch (error) {
      const reason = `could not read the files code search found: ${messageOf(error)}`;
      for (const { service } of new Set(files.map((file) => file.entry))) {
        lookup.failures.push({ service: service.name, repo: service.repo, reason });
      }
      return;
    }
    const { htmlBase } = this.options.reader;
    for (const { entry, path, blob } of files) {
      const analysis = await analyzeCodeFile(texts.get(blob.sha) ?? "", path);
      if (!analysis) continue;
      const { name: service, repo } = entry.service;
      const urlFor = (file: string, line: number) => lineUrl(htmlBase, repo, entry.commit, file, line);
      lookup.uses.push(...confirmUses(analysis, targets, { service, repo, urlFor }));
      lookup.failures.push(...unconfirmedMentions(analysis, targets, { service, repo, urlFor }));
    }
  }

  /** The matched paths that are code of their service and still exist at its head, with their blobs there. */
  private async filesAtHead(
    matches: SearchMatch[],
    searched: SearchedService[],
    lookup: ConsumerLookup,
  ): Promise<{ entry: SearchedService; path: string; blob: TreeBlob }[]> {
    const byRepo = new Map(searched.map((entry) => [entry.service.repo.toLowerCase(), entry]));
    const pathsByService = new Map<SearchedService, Set<string>>();
    for (const match of matches) {
      const entry = byRepo.get(match.repo.toLowerCase());
      if (!entry || !picomatch.isMatch(match.path, entry.service.code)) continue;
      pathsByService.set(entry, (pathsByService.get(entry) ?? new Set()).add(match.path));
    }
    const perService = await Promise.all(
      [...pathsByService].map(async ([entry, paths]) => {
        try {
          const tree = await this.options.reader.treeAt(entry.service.repo, entry.commit);
          return [...paths].flatMap((path) => {
            const blob = tree.get(path);
            return blob ? [{ entry, path, blob }] : [];
          });
        } catch (error) {
          const reason = `could not list ${entry.service.repo} to read the files code search found: ${messageOf(error)}`;
          lookup.failures.push({ service: entry.service.name, repo: entry.service.repo, reason });
          return [];
        }
      }),
    );
    return perService.flat();
  }
}

function failure(service: ServiceConfig, table: string, reason: string): ConsumerLookup["failures"][number] {
  return { service: service.name, repo: service.repo, table, reason };
}

function bareName(table: string): string {
  return table.slice(table.lastIndexOf(".") + 1).toLowerCase();
}

function byPlace(a: ConsumerUse, b: ConsumerUse): number {
  return compare(a.repo, b.repo) || compare(a.path, b.path) || a.line - b.line || compare(a.table, b.table);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

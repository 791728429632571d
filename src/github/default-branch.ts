// Resolves repositories' default-branch head commits. Lookups started together (the
// pipeline opens every other service's snapshot at once) share one GraphQL query, and a
// head stays fresh for a short while so back-to-back reviews do not ask again.
import type { Clock } from "./rate-limit.js";
import { messageOf, partialGraphqlData, repositoryField, type GraphqlErrorEntry, type Octokit } from "./read-api.js";
import type { DefaultBranchHead, GitHubReadCaches } from "./read-caches.js";

/** How long a resolved head is trusted; code search's own index lags more than this. */
export const DEFAULT_HEAD_MAX_AGE_MS = 60_000;

interface RepositoryHead {
  defaultBranchRef: { name: string; target: { oid: string } | null } | null;
}

type HeadsResponse = Record<string, RepositoryHead | null>;

interface Waiting {
  repo: string;
  resolve: (head: DefaultBranchHead) => void;
  reject: (error: Error) => void;
}

export class DefaultBranchResolver {
  private batch: Waiting[] = [];
  private readonly inFlight = new Map<string, Promise<DefaultBranchHead>>();

  constructor(
    private readonly octokit: Octokit,
    private readonly caches: Pick<GitHubReadCaches, "heads">,
    private readonly clock: Pick<Clock, "now">,
    private readonly maxAgeMs = DEFAULT_HEAD_MAX_AGE_MS,
    private readonly cacheKey: (repo: string) => string = (repo) => repo,
  ) {}

  resolve(repo: string): Promise<DefaultBranchHead> {
    const cached = this.caches.heads.get(this.cacheKey(repo));
    if (cached && this.clock.now() - cached.resolvedAt < this.maxAgeMs) return Promise.resolve(cached);
    const running = this.inFlight.get(repo);
    if (running) return running;
    const promise = new Promise<DefaultBranchHead>((resolve, reject) => {
      if (this.batch.length === 0) queueMicrotask(() => void this.flush());
      this.batch.push({ repo, resolve, reject });
    });
    const forget = () => this.inFlight.delete(repo);
    void promise.then(forget, forget);
    this.inFlight.set(repo, promise);
    return promise;
  }

  private async flush(): Promise<void> {
    const waiting = this.batch;
    this.batch = [];
    let response: HeadsResponse;
    let errors: GraphqlErrorEntry[] = [];
    try {
      response = await this.octokit.graphql<HeadsResponse>(headsQuery(waiting.map((entry) => entry.repo)));
    } catch (error) {
      const partial = partialGraphqlData<HeadsResponse>(error);
      if (!partial) {
        for (const entry of waiting) entry.reject(unresolved(entry.repo, messageOf(error)));
        return;
      }
      response = partial.data;
      errors = partial.errors;
    }
    const resolvedAt = this.clock.now();
    waiting.forEach((entry, index) => {
      const alias = `r${index}`;
      const ref = response[alias]?.defaultBranchRef;
      if (!ref?.target) {
        const reason = errors.find((error) => error.path?.[0] === alias)?.message ?? "it has no default branch";
        entry.reject(unresolved(entry.repo, reason));
        return;
      }
      const head = { branch: ref.name, commit: ref.target.oid, resolvedAt };
      this.caches.heads.set(this.cacheKey(entry.repo), head);
      entry.resolve(head);
    });
  }
}

function headsQuery(repos: string[]): string {
  const parts = repos.map((repo, index) => repositoryField(`r${index}`, repo, "defaultBranchRef { name target { oid } }"));
  return `query { ${parts.join(" ")} }`;
}

function unresolved(repo: string, reason: string): Error {
  return new Error(`cannot resolve the default branch of ${repo}: ${reason}`);
}

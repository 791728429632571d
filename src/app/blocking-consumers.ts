// Which open pull requests are blocked by code in which other repositories: a push to one of
// those repositories' default branches that changes that code re-runs them (the consumer
// fixed its code, so the change it blocked may pass now). Kept in memory: after a restart a
// pull request is known again from its next run.
import type { Finding } from "../core/findings.js";

export interface BlockedPullRequest {
  installationId: number;
  owner: string;
  repo: string;
  pullNumber: number;
}

interface Entry {
  pullRequest: BlockedPullRequest;
  /** Consumer paths by lower-case `owner/name`. */
  consumers: Map<string, Set<string>>;
}

export class BlockingConsumers {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly capacity = 10_000) {}

  /** What the latest run of a pull request found; replaces what an earlier run found. */
  record(pullRequest: BlockedPullRequest, findings: readonly Finding[]): void {
    const key = keyOf(pullRequest);
    this.entries.delete(key);
    const consumers = new Map<string, Set<string>>();
    for (const finding of findings) {
      if (finding.severity !== "error" || finding.suppressed || finding.acknowledged) continue;
      for (const use of finding.consumers) {
        const repo = use.repo.toLowerCase();
        consumers.set(repo, (consumers.get(repo) ?? new Set()).add(use.path));
      }
    }
    if (consumers.size === 0) return;
    this.entries.set(key, { pullRequest, consumers });
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }

  /**
   * The pull requests of the installation that code of `repo` blocks, when `changedPaths`
   * touches that code; `undefined` paths (a push too large to list) touch all of it.
   */
  blockedBy(installationId: number, repo: string, changedPaths: ReadonlySet<string> | undefined): BlockedPullRequest[] {
    const wanted = repo.toLowerCase();
    const blocked: BlockedPullRequest[] = [];
    for (const { pullRequest, consumers } of this.entries.values()) {
      if (pullRequest.installationId !== installationId) continue;
      const paths = consumers.get(wanted);
      if (!paths) continue;
      if (changedPaths === undefined || [...paths].some((path) => changedPaths.has(path))) blocked.push(pullRequest);
    }
    return blocked;
  }
}

function keyOf(pullRequest: BlockedPullRequest): string {
  return `${pullRequest.installationId}:${pullRequest.owner}/${pullRequest.repo}#${pullRequest.pullNumber}`.toLowerCase();
}

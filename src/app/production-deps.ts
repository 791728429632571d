// The dependencies the app runs with: GitHub's API through the installation's client.
import type { GuardConfig } from "../core/config.js";
import { GitHubConsumerFinder } from "../github/code-search.js";
import { loadPullRequestChanges } from "../github/pull-request-files.js";
import { SearchQueues } from "../github/rate-limit.js";
import { createReadCaches } from "../github/read-caches.js";
import { GitHubReader, headKey } from "../github/snapshot.js";
import { BoundedParseCache } from "../pipeline/parse-cache.js";
import { reviewPullRequest } from "../pipeline/review.js";
import { acknowledgementsOfPullRequest, AppLogin } from "./command-acks.js";
import { BlockingConsumers } from "./blocking-consumers.js";
import { ConfigCache } from "./config-cache.js";
import type { GuardDeps, Installation, RunOptions, RunSources } from "./deps.js";

/** Globs of what the pipeline reads in a service's repository, so a truncated tree is walked only there. */
function pathHints(config: GuardConfig): (repo: string) => string[] | undefined {
  return (repo) => {
    const service = [...config.services.values()].find((candidate) => candidate.repo.toLowerCase() === repo.toLowerCase());
    return service ? [...service.migrations.map((source) => source.path), ...service.code] : undefined;
  };
}

export function productionDeps(): GuardDeps {
  const searchQueues = new SearchQueues();
  const appLogin = new AppLogin();
  // The app's caches: what one review fetched, the next one on the same base need not fetch again.
  const caches = createReadCaches();
  return {
    reviewPullRequest,
    sources(installation: Installation, config: GuardConfig, options: RunOptions = {}): RunSources {
      // Cached listings and searches are scoped to the installation that was allowed to read them.
      const reader = new GitHubReader(installation.octokit, { caches, pathHintsFor: pathHints(config), scope: installation.id, fresh: options.fresh ?? false });
      return {
        changes: (pr) => loadPullRequestChanges(installation.octokit, pr, reader),
        workspace: reader,
        consumers: new GitHubConsumerFinder(config.services, { reader, queue: searchQueues.forInstallation(installation.id) }),
        acknowledgements: (pr) => acknowledgementsOfPullRequest(installation.octokit, pr, appLogin),
      };
    },
    clock: () => new Date(),
    parseCache: new BoundedParseCache(),
    configs: new ConfigCache(),
    blockers: new BlockingConsumers(),
    forgetRepository: (installationId, repo) => caches.heads.delete(headKey(installationId, repo)),
  };
}

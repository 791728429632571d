// The app's state for the life of the process: injected dependencies, deliveries seen,
// background runs and the newest head SHA of each pull request.
import { BackgroundWork } from "./background.js";
import { RecentDeliveries } from "./deliveries.js";
import type { GuardDeps } from "./deps.js";
import { LatestHeads } from "./latest-heads.js";

export interface Guard {
  readonly deps: GuardDeps;
  readonly deliveries: RecentDeliveries;
  readonly work: BackgroundWork;
  readonly heads: LatestHeads;
  /** Resolves once every background run has finished (tests, graceful shutdown). */
  idle(): Promise<void>;
}

export function createGuard(deps: GuardDeps): Guard {
  const work = new BackgroundWork();
  return {
    deps,
    deliveries: new RecentDeliveries(),
    work,
    heads: new LatestHeads(),
    idle: () => work.idle(),
  };
}

export function pullRequestKey(owner: string, repo: string, number: number): string {
  return `${owner}/${repo}#${number}`.toLowerCase();
}

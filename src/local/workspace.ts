import path from "node:path";
import type { RepositorySnapshot, WorkspaceSources } from "../core/sources.js";
import { LocalSnapshot } from "./snapshot.js";

/** The folder of `repo`'s checkout in a workspace: `DIR/<name>` for `owner/name`. */
export function checkoutDir(workspaceDir: string, repo: string): string {
  return path.join(workspaceDir, repo.slice(repo.lastIndexOf("/") + 1));
}

/**
 * A folder with one git checkout per repository, each named like its repository
 * (`DIR/r10-hub`, and the organisation's `DIR/.github`). Repositories are read as
 * checked out (`HEAD`), the way GitHub's code search reads default branches.
 */
export class LocalWorkspace implements WorkspaceSources {
  constructor(readonly dir: string) {}

  snapshot(repo: string, ref = "HEAD"): Promise<RepositorySnapshot> {
    return LocalSnapshot.open(checkoutDir(this.dir, repo), repo, ref);
  }
}

// The I/O boundary of the pipeline. GitHub's API (src/github) and local git checkouts
// (src/local) both implement these; everything past them is pure.

export interface SourceFile {
  path: string;
  text: string;
  /** Git blob SHA when the source knows it: parsed results are cached by it. */
  sha?: string;
}

/** One repository at one commit. */
export interface RepositorySnapshot {
  /** `owner/name` */
  repo: string;
  /** The commit (or ref) this snapshot reads. */
  ref: string;
  /** Every file path at the ref, repository-relative, `/`-separated. */
  listFiles(): Promise<string[]>;
  /** Reads the given paths; a path that does not exist at the ref is absent from the result. */
  readFiles(paths: string[]): Promise<SourceFile[]>;
}

export type ChangedFileStatus = "added" | "modified" | "removed" | "renamed";

export interface ChangedFile {
  path: string;
  status: ChangedFileStatus;
  previousPath?: string;
  /** New-side line numbers that the diff shows; review comments can only be placed on these. */
  diffLines?: Set<number>;
}

export interface PullRequestChanges {
  base: RepositorySnapshot;
  head: RepositorySnapshot;
  files: ChangedFile[];
  /** Set when the source could not list every changed file (GitHub stops at 3,000). */
  truncatedAt?: number;
}

/** Reads other services' repositories as their default branch has them. */
export interface WorkspaceSources {
  /** The service's repository at its default branch (or `ref` when given). */
  snapshot(repo: string, ref?: string): Promise<RepositorySnapshot>;
}

// What the GitHub readers keep between pull requests, for the life of the process.
import { BlobCache, BoundedCache, DEFAULT_BLOB_CACHE_CHARS } from "./blob-cache.js";

/** A blob as a tree lists it. */
export interface TreeBlob {
  sha: string;
  size?: number;
}

/** Every file of a repository at one commit, by path. */
export type RepositoryTree = Map<string, TreeBlob>;

/** The head commit of a repository's default branch, and when it was looked up. */
export interface DefaultBranchHead {
  branch: string;
  commit: string;
  resolvedAt: number;
}

/** One file a code search matched. */
export interface SearchMatch {
  repo: string;
  path: string;
}

export interface SearchResult {
  matches: SearchMatch[];
  /** Why the result may miss files (incomplete results, result cap), when it may. */
  incomplete?: string;
}

export interface GitHubReadCaches {
  blobs: BlobCache;
  /** Keyed by `owner/name@commit`; a commit's tree never changes. */
  trees: BoundedCache<string, RepositoryTree>;
  /** Keyed by `owner/name`. */
  heads: BoundedCache<string, DefaultBranchHead>;
  /** Keyed by the query and the default-branch commits of the repositories it searches. */
  searches: BoundedCache<string, SearchResult>;
  /**
   * Fetches under way, by the keys of `trees` and `blobs`: reviews running at once (a burst
   * of pull requests on one base) wait for the same fetch instead of each making their own.
   */
  treeFetches: Map<string, Promise<RepositoryTree>>;
  blobFetches: Map<string, Promise<string>>;
}

export interface ReadCacheLimits {
  blobChars: number;
  /** Total files over all cached trees. */
  treeEntries: number;
  repositories: number;
  searches: number;
}

export const DEFAULT_READ_CACHE_LIMITS: ReadCacheLimits = {
  blobChars: DEFAULT_BLOB_CACHE_CHARS,
  treeEntries: 500_000,
  repositories: 1_000,
  searches: 1_000,
};

export function createReadCaches(limits: ReadCacheLimits = DEFAULT_READ_CACHE_LIMITS): GitHubReadCaches {
  return {
    blobs: new BlobCache(limits.blobChars),
    trees: new BoundedCache(limits.treeEntries, (tree) => Math.max(1, tree.size)),
    heads: new BoundedCache(limits.repositories),
    searches: new BoundedCache(limits.searches),
    treeFetches: new Map(),
    blobFetches: new Map(),
  };
}

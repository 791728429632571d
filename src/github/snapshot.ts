// Repositories read through GitHub's API: one recursive tree request per commit lists
// every file with its blob SHA, and blob texts come through the shared blob reader.
import picomatch from "picomatch";
import type { RepositorySnapshot, SourceFile, WorkspaceSources } from "../core/sources.js";
import { BlobReader, DEFAULT_BLOB_BATCH, type BlobBatchLimits, type BlobRef } from "./blob-reader.js";
import { DEFAULT_HEAD_MAX_AGE_MS, DefaultBranchResolver } from "./default-branch.js";
import { systemClock, type Clock } from "./rate-limit.js";
import { FULL_SHA, htmlBaseOf, splitRepo, type Octokit } from "./read-api.js";
import { type DefaultBranchHead, type GitHubReadCaches, type RepositoryTree } from "./read-caches.js";

export interface GitHubReaderOptions {
  /** What the readers of one app share: listings, heads, searches, blob texts and fetches under way. */
  caches: GitHubReadCaches;
  clock?: Clock;
  headMaxAgeMs?: number;
  blobBatch?: BlobBatchLimits;
  /** Globs of the paths the pipeline reads in a repository: a truncated tree is walked only where they can match. */
  pathHintsFor?: (repo: string) => readonly string[] | undefined;
  /** Bound on the directory requests of one truncated tree walk. */
  maxTreeRequests?: number;
  /**
   * Asked for on a re-run: default-branch heads are looked up again rather than taken from
   * the cache or from a lookup already under way, and code searches are made again.
   */
  fresh?: boolean;
  /**
   * The installation the reader acts for. Listings, heads and searches cached under one
   * installation are not served to another, which may not be allowed to read them.
   */
  scope?: string | number;
}

/** A cache key as a reader acting for `scope` (an installation) files it. */
export function scopedCacheKey(scope: string | number | undefined, key: string): string {
  return scope === undefined ? key : `${scope}\u0000${key}`;
}

/** Key of a cached default-branch head; repository names are case-insensitive on GitHub. */
export function headKey(scope: string | number | undefined, repo: string): string {
  return scopedCacheKey(scope, repo.toLowerCase());
}

/** Reads repositories of one installation; implements the pipeline's view of the other services. */
export class GitHubReader implements WorkspaceSources {
  readonly caches: GitHubReadCaches;
  readonly blobs: BlobReader;
  readonly heads: DefaultBranchResolver;
  readonly htmlBase: string;
  readonly fresh: boolean;
  /** A fresh reader's heads, looked up once and then kept, so one run reads each repository at one commit. */
  private readonly freshHeads = new Map<string, Promise<DefaultBranchHead>>();

  constructor(
    readonly octokit: Octokit,
    private readonly options: GitHubReaderOptions,
  ) {
    this.caches = options.caches;
    this.blobs = new BlobReader(octokit, this.caches.blobs, options.blobBatch ?? DEFAULT_BLOB_BATCH, this.caches.blobFetches);
    this.fresh = options.fresh ?? false;
    const maxAge = this.fresh ? 0 : (options.headMaxAgeMs ?? DEFAULT_HEAD_MAX_AGE_MS);
    const clock = options.clock ?? systemClock;
    this.heads = new DefaultBranchResolver(octokit, this.caches, clock, maxAge, (repo) => headKey(options.scope, repo));
    this.htmlBase = htmlBaseOf(octokit);
  }

  async snapshot(repo: string, ref?: string): Promise<RepositorySnapshot> {
    if (ref === undefined) return this.snapshotAt(repo, (await this.defaultBranchHead(repo)).commit);
    if (FULL_SHA.test(ref)) return this.snapshotAt(repo, ref);
    return this.snapshotAt(repo, await this.commitOf(repo, ref));
  }

  defaultBranchHead(repo: string): Promise<DefaultBranchHead> {
    if (!this.fresh) return this.heads.resolve(repo);
    let head = this.freshHeads.get(repo);
    if (!head) {
      head = this.heads.resolve(repo);
      this.freshHeads.set(repo, head);
    }
    return head;
  }

  /** Key of a cached listing, head or search: blob texts need no scope, as reading one takes its SHA from a scoped listing. */
  cacheKey(key: string): string {
    return scopedCacheKey(this.options.scope, key);
  }

  /** A snapshot at a known commit SHA; nothing is requested until it is read. */
  snapshotAt(repo: string, commit: string): GitHubSnapshot {
    return new GitHubSnapshot(this, repo, commit);
  }

  /** Every file at the commit; one request, then cached for the life of the process (a commit's tree never changes). */
  treeAt(repo: string, commit: string): Promise<RepositoryTree> {
    const key = this.cacheKey(`${repo}@${commit}`);
    const cached = this.caches.trees.get(key);
    if (cached) return Promise.resolve(cached);
    const fetches = this.caches.treeFetches;
    let running = fetches.get(key);
    if (!running) {
      running = this.fetchTree(repo, commit).then((tree) => {
        this.caches.trees.set(key, tree);
        return tree;
      });
      const forget = () => fetches.delete(key);
      void running.then(forget, forget);
      fetches.set(key, running);
    }
    return running;
  }

  private async commitOf(repo: string, ref: string): Promise<string> {
    const { owner, name } = splitRepo(repo);
    const { data } = await this.octokit.request("GET /repos/{owner}/{repo}/commits/{ref}", {
      owner,
      repo: name,
      ref,
      headers: { accept: "application/vnd.github.sha" },
    });
    return String(data).trim();
  }

  private async fetchTree(repo: string, commit: string): Promise<RepositoryTree> {
    const hints = this.options.pathHintsFor?.(repo);
    return new TreeWalk(this.octokit, repo, hints, this.options.maxTreeRequests ?? 200).list(commit);
  }
}

export class GitHubSnapshot implements RepositorySnapshot {
  constructor(
    private readonly reader: GitHubReader,
    readonly repo: string,
    readonly ref: string,
  ) {}

  async listFiles(): Promise<string[]> {
    return [...(await this.tree()).keys()];
  }

  tree(): Promise<RepositoryTree> {
    return this.reader.treeAt(this.repo, this.ref);
  }

  async readFiles(paths: string[]): Promise<SourceFile[]> {
    const tree = await this.tree();
    const present = [...new Set(paths)].flatMap((path) => {
      const blob = tree.get(path);
      return blob ? [{ path, ...blob }] : [];
    });
    const refs: BlobRef[] = present.map((file) => ({ repo: this.repo, sha: file.sha, size: file.size }));
    const texts = await this.reader.blobs.read(refs);
    return present.map((file) => ({ path: file.path, sha: file.sha, text: texts.get(file.sha) ?? "" }));
  }
}

interface TreeListing {
  sha: string;
  truncated: boolean;
  tree: { path?: string; mode?: string; type?: string; sha?: string; size?: number }[];
}

const SYMLINK_MODE = "120000";

/** Lists a tree: recursively in one request, or, past GitHub's limit for that, directory by directory. */
class TreeWalk {
  private readonly files: RepositoryTree = new Map();
  private requests = 0;
  private readonly hints: { base: string; isGlob: boolean }[] | undefined;

  constructor(
    private readonly octokit: Octokit,
    private readonly repo: string,
    hints: readonly string[] | undefined,
    private readonly maxRequests: number,
  ) {
    this.hints = hints?.map((glob) => picomatch.scan(glob));
  }

  async list(commit: string): Promise<RepositoryTree> {
    const root = await this.fetch(commit, true);
    this.add(root, "");
    if (root.truncated) await this.walkDirectory(root.sha, "");
    return this.files;
  }

  private async walkDirectory(treeSha: string, prefix: string): Promise<void> {
    const listing = await this.fetch(treeSha, false);
    this.add(listing, prefix);
    for (const entry of listing.tree) {
      if (entry.type !== "tree" || !entry.path || !entry.sha) continue;
      const directory = prefix + entry.path;
      if (!this.mayHold(directory)) continue;
      const whole = await this.fetch(entry.sha, true);
      this.add(whole, `${directory}/`);
      if (whole.truncated) await this.walkDirectory(entry.sha, `${directory}/`);
    }
  }

  /** Whether a path hint could match something under `directory`. */
  private mayHold(directory: string): boolean {
    if (!this.hints) return true;
    return this.hints.some(({ base, isGlob }) => {
      if (base === "" || base === directory || base.startsWith(`${directory}/`)) return true;
      return isGlob && directory.startsWith(`${base}/`);
    });
  }

  private add(listing: TreeListing, prefix: string): void {
    for (const entry of listing.tree) {
      if (entry.type !== "blob" || entry.mode === SYMLINK_MODE || !entry.path || !entry.sha) continue;
      this.files.set(prefix + entry.path, { sha: entry.sha, size: entry.size });
    }
  }

  private async fetch(treeSha: string, recursive: boolean): Promise<TreeListing> {
    this.requests += 1;
    if (this.requests > this.maxRequests) {
      throw new Error(`the tree of ${this.repo} is too large to list within ${this.maxRequests} requests`);
    }
    const { owner, name } = splitRepo(this.repo);
    const { data } = await this.octokit.request("GET /repos/{owner}/{repo}/git/trees/{tree_sha}", {
      owner,
      repo: name,
      tree_sha: treeSha,
      ...(recursive ? { recursive: "1" } : {}),
    });
    return data;
  }
}

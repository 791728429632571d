// Repositories read through GitHub's API: one recursive tree request per commit lists
// every file with its blob SHA, and blob texts come through the shared blob reader.
import picomatch from "picomatch";
import type { RepositorySnapshot, SourceFile, WorkspaceSources } from "../core/sources.js";
import { BlobReader, DEFAULT_BLOB_BATCH, type BlobBatchLimits, type BlobRef } from "./blob-reader.js";
import { DEFAULT_HEAD_MAX_AGE_MS, DefaultBranchResolver } from "./default-branch.js";
import { systemClock, type Clock } from "./rate-limit.js";
import { FULL_SHA, htmlBaseOf, splitRepo, type Octokit } from "./read-api.js";
import { createReadCaches, type DefaultBranchHead, type GitHubReadCaches, type RepositoryTree } from "./read-caches.js";

export interface GitHubReaderOptions {
  /** Defaults to the caches shared by every reader of the process. */
  caches?: GitHubReadCaches;
  clock?: Clock;
  headMaxAgeMs?: number;
  blobBatch?: BlobBatchLimits;
  /** Globs of the paths the pipeline reads in a repository: a truncated tree is walked only where they can match. */
  pathHintsFor?: (repo: string) => readonly string[] | undefined;
  /** Bound on the directory requests of one truncated tree walk. */
  maxTreeRequests?: number;
  /**
   * The installation the reader acts for. Listings, heads and searches cached under one
   * installation are not served to another, which may not be allowed to read them.
   */
  scope?: string | number;
}

let processCaches: GitHubReadCaches | undefined;

/** The caches every reader of the process shares unless given its own. */
export function sharedReadCaches(): GitHubReadCaches {
  processCaches ??= createReadCaches();
  return processCaches;
}

/** Reads repositories of one installation; implements the pipeline's view of the other services. */
export class GitHubReader implements WorkspaceSources {
  readonly caches: GitHubReadCaches;
  readonly blobs: BlobReader;
  readonly heads: DefaultBranchResolver;
  readonly htmlBase: string;
  private readonly trees = new Map<string, Promise<RepositoryTree>>();

  constructor(
    readonly octokit: Octokit,
    private readonly options: GitHubReaderOptions = {},
  ) {
    this.caches = options.caches ?? sharedReadCaches();
    this.blobs = new BlobReader(octokit, this.caches.blobs, options.blobBatch ?? DEFAULT_BLOB_BATCH);
    const maxAge = options.headMaxAgeMs ?? DEFAULT_HEAD_MAX_AGE_MS;
    const clock = options.clock ?? systemClock;
    this.heads = new DefaultBranchResolver(octokit, this.caches, clock, maxAge, (repo) => this.cacheKey(repo));
    this.htmlBase = htmlBaseOf(octokit);
  }

  async snapshot(repo: string, ref?: string): Promise<RepositorySnapshot> {
    if (ref === undefined) return this.snapshotAt(repo, (await this.defaultBranchHead(repo)).commit);
    if (FULL_SHA.test(ref)) return this.snapshotAt(repo, ref);
    return this.snapshotAt(repo, await this.commitOf(repo, ref));
  }

  defaultBranchHead(repo: string): Promise<DefaultBranchHead> {
    return this.heads.resolve(repo);
  }

  /** Key of a cached listing, head or search: blob texts need no scope, as reading one takes its SHA from a scoped listing. */
  cacheKey(key: string): string {
    return this.options.scope === undefined ? key : `${this.options.scope}\u0000${key}`;
  }

  /** A snapshot at a known commit SHA; nothing is requested until it is read. */
  snapshotAt(repo: string, commit: string): GitHubSnapshot {
    return new GitHubSnapshot(this, repo, commit);
  }

  /** Every file at the commit; one request, then cached for the life of the process. */
  treeAt(repo: string, commit: string): Promise<RepositoryTree> {
    const key = this.cacheKey(`${repo}@${commit}`);
    const cached = this.caches.trees.get(key);
    if (cached) return Promise.resolve(cached);
    let running = this.trees.get(key);
    if (!running) {
      running = this.fetchTree(repo, commit).then((tree) => {
        this.caches.trees.set(key, tree);
        return tree;
      });
      const forget = () => this.trees.delete(key);
      void running.then(forget, forget);
      this.trees.set(key, running);
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

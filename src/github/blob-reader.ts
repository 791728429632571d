// Reads blob texts by SHA: from the cache, else many at once in one GraphQL query, with a
// REST fallback for blobs GraphQL will not return whole. Concurrent readers of the same
// blob (the base and head snapshots of one pull request) share one fetch.
import type { BlobCache } from "./blob-cache.js";
import { graphqlString, partialGraphqlData, repositoryField, splitRepo, type Octokit } from "./read-api.js";

export interface BlobRef {
  /** `owner/name` of a repository that holds the blob. */
  repo: string;
  sha: string;
  /** Size in bytes when known (from a tree listing), to keep each query's response moderate. */
  size?: number;
}

export interface BlobBatchLimits {
  maxFiles: number;
  maxBytes: number;
}

/** A 570-migration Django history takes three queries; each stays far from GraphQL's timeouts. */
export const DEFAULT_BLOB_BATCH: BlobBatchLimits = { maxFiles: 250, maxBytes: 4 * 1024 * 1024 };

/** Binary blobs read as a lone NUL byte, which every parser reports as a binary file instead of guessing at it. */
export const BINARY_BLOB_TEXT = "\u0000";

const UNKNOWN_SIZE_ESTIMATE = 16 * 1024;

interface GraphqlBlob {
  text: string | null;
  isBinary: boolean | null;
  isTruncated: boolean;
}

type BatchResponse = Record<string, Record<string, GraphqlBlob | null> | null>;

export class BlobReader {
  constructor(
    private readonly octokit: Octokit,
    private readonly cache: BlobCache,
    private readonly limits: BlobBatchLimits = DEFAULT_BLOB_BATCH,
    /** Fetches under way by blob SHA; shared with other readers of the same cache. */
    private readonly inFlight = new Map<string, Promise<string>>(),
  ) {}

  /** Texts by blob SHA. Rejects when a blob cannot be read: an I/O failure, not an empty file. */
  async read(refs: readonly BlobRef[]): Promise<Map<string, string>> {
    const texts = new Map<string, string>();
    const pending = new Map<string, Promise<string>>();
    const missing = new Map<string, BlobRef>();
    for (const ref of refs) {
      if (texts.has(ref.sha) || pending.has(ref.sha) || missing.has(ref.sha)) continue;
      const cached = this.cache.get(ref.sha);
      if (cached !== undefined) texts.set(ref.sha, cached);
      else if (this.inFlight.has(ref.sha)) pending.set(ref.sha, this.inFlight.get(ref.sha) as Promise<string>);
      else missing.set(ref.sha, ref);
    }
    for (const [sha, promise] of this.fetchInBatches([...missing.values()])) pending.set(sha, promise);
    for (const [sha, promise] of pending) texts.set(sha, await promise);
    return texts;
  }

  /** One promise per blob; batches run one after another so a large history does not burst requests. */
  private fetchInBatches(refs: BlobRef[]): Map<string, Promise<string>> {
    const promises = new Map<string, Promise<string>>();
    let previous: Promise<unknown> = Promise.resolve();
    for (const batch of this.batches(refs)) {
      const fetched = previous.then(() => this.fetchBatch(batch));
      previous = fetched.catch(() => undefined);
      for (const ref of batch) {
        const promise = fetched.then((texts) => texts.get(ref.sha) as string);
        const forget = () => this.inFlight.delete(ref.sha);
        // Also marks a failure as handled: the readers that await the blob see it.
        void promise.then(forget, forget);
        this.inFlight.set(ref.sha, promise);
        promises.set(ref.sha, promise);
      }
    }
    return promises;
  }

  private batches(refs: BlobRef[]): BlobRef[][] {
    const batches: BlobRef[][] = [];
    let current: BlobRef[] = [];
    let bytes = 0;
    for (const ref of refs) {
      const size = ref.size ?? UNKNOWN_SIZE_ESTIMATE;
      if (current.length > 0 && (current.length >= this.limits.maxFiles || bytes + size > this.limits.maxBytes)) {
        batches.push(current);
        current = [];
        bytes = 0;
      }
      current.push(ref);
      bytes += size;
    }
    if (current.length > 0) batches.push(current);
    return batches;
  }

  private async fetchBatch(batch: BlobRef[]): Promise<Map<string, string>> {
    const repos = [...new Set(batch.map((ref) => ref.repo))];
    const query = blobQuery(repos, batch);
    const response = await this.queryAllowingGaps(query);
    const texts = new Map<string, string>();
    for (const [index, ref] of batch.entries()) {
      const blob = response[`r${repos.indexOf(ref.repo)}`]?.[`b${index}`];
      if (!blob) throw new Error(`blob ${ref.sha} of ${ref.repo} could not be read`);
      const text = await this.textOf(ref, blob);
      this.cache.set(ref.sha, text);
      texts.set(ref.sha, text);
    }
    return texts;
  }

  private async queryAllowingGaps(query: string): Promise<BatchResponse> {
    try {
      return await this.octokit.graphql<BatchResponse>(query);
    } catch (error) {
      // Missing blobs come back as nulls beside errors; the caller reports them one by one.
      const partial = partialGraphqlData<BatchResponse>(error);
      if (!partial) throw error;
      return partial.data;
    }
  }

  private async textOf(ref: BlobRef, blob: GraphqlBlob): Promise<string> {
    if (blob.isBinary === true) return BINARY_BLOB_TEXT;
    if (blob.text !== null && !blob.isTruncated) return blob.text;
    return this.fetchWhole(ref);
  }

  /** GraphQL leaves out large blobs; the REST blob endpoint returns them whole, base64-encoded. */
  private async fetchWhole(ref: BlobRef): Promise<string> {
    const { owner, name } = splitRepo(ref.repo);
    const { data } = await this.octokit.request("GET /repos/{owner}/{repo}/git/blobs/{file_sha}", {
      owner,
      repo: name,
      file_sha: ref.sha,
    });
    const bytes = Buffer.from(data.content, data.encoding === "base64" ? "base64" : "utf8");
    if (bytes.includes(0)) return BINARY_BLOB_TEXT;
    return bytes.toString("utf8");
  }
}

function blobQuery(repos: string[], batch: BlobRef[]): string {
  const fields = "... on Blob { text isBinary isTruncated }";
  const parts = repos.map((repo, repoIndex) => {
    const objects = batch
      .map((ref, index) => (ref.repo === repo ? `b${index}: object(oid: ${graphqlString(ref.sha)}) { ${fields} }` : ""))
      .filter((line) => line !== "");
    return repositoryField(`r${repoIndex}`, repo, objects.join(" "));
  });
  return `query { ${parts.join(" ")} }`;
}

// Least-recently-used caches bounded by a total weight, so a long-running app keeps
// what the next pull request on the same base needs and nothing grows without end.

export class BoundedCache<K, V> {
  private readonly entries = new Map<K, { value: V; weight: number }>();
  private total = 0;

  constructor(
    private readonly maxWeight: number,
    private readonly weigh: (value: V) => number = () => 1,
  ) {}

  get(key: K): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    // Re-inserting moves the entry to the young end of the map's insertion order.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  set(key: K, value: V): void {
    const weight = this.weigh(value);
    this.delete(key);
    if (weight > this.maxWeight) return;
    this.entries.set(key, { value, weight });
    this.total += weight;
    for (const [oldest, entry] of this.entries) {
      if (this.total <= this.maxWeight) break;
      this.entries.delete(oldest);
      this.total -= entry.weight;
    }
  }

  delete(key: K): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.total -= entry.weight;
  }

  get size(): number {
    return this.entries.size;
  }

  get weight(): number {
    return this.total;
  }
}

export const DEFAULT_BLOB_CACHE_CHARS = 64 * 1024 * 1024;

/** Blob texts by git blob SHA: content-addressed, so an entry is valid in every repository and at every commit. */
export class BlobCache extends BoundedCache<string, string> {
  constructor(maxChars = DEFAULT_BLOB_CACHE_CHARS) {
    super(maxChars, (text) => text.length);
  }
}

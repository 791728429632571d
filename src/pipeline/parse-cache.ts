import type { ParsedMigration } from "../core/changes.js";
import type { ParseCache } from "./types.js";

/** Least-recently-used cache of parsed migrations, bounded by entry count. */
export class BoundedParseCache implements ParseCache {
  private readonly entries = new Map<string, ParsedMigration[]>();

  constructor(private readonly maxEntries = 5_000) {}

  get(key: string): ParsedMigration[] | undefined {
    const value = this.entries.get(key);
    if (value) {
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }

  set(key: string, parsed: ParsedMigration[]): void {
    this.entries.delete(key);
    this.entries.set(key, parsed);
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}

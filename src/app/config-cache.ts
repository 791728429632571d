// Configurations read per installation and repository, so that a burst of pull requests
// reads `.github/shared-schema.yml` once. A push that changes a configuration file drops the
// installation's entries; the age bound covers a push whose webhook never came.
import type { ConfigLookup } from "./config.js";

export const DEFAULT_CONFIG_MAX_AGE_MS = 10 * 60_000;

interface Entry {
  lookup: ConfigLookup;
  readAt: number;
}

export class ConfigCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly maxAgeMs = DEFAULT_CONFIG_MAX_AGE_MS,
    private readonly capacity = 1_000,
  ) {}

  get(installationId: number, repo: string): ConfigLookup | undefined {
    const key = keyOf(installationId, repo);
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (this.now() - entry.readAt < this.maxAgeMs) return entry.lookup;
    this.entries.delete(key);
    return undefined;
  }

  set(installationId: number, repo: string, lookup: ConfigLookup): void {
    const key = keyOf(installationId, repo);
    this.entries.delete(key);
    this.entries.set(key, { lookup, readAt: this.now() });
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }

  /** Every repository's entry of the installation: a configuration may extend another repository's. */
  forgetInstallation(installationId: number): void {
    const prefix = `${installationId}\u0000`;
    for (const key of [...this.entries.keys()]) if (key.startsWith(prefix)) this.entries.delete(key);
  }
}

function keyOf(installationId: number, repo: string): string {
  return `${installationId}\u0000${repo.toLowerCase()}`;
}

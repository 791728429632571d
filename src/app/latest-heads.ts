// The newest head SHA each pull request was asked about: a run for an older one must not
// post its review or comment over the newer run's.

export class LatestHeads {
  readonly #heads = new Map<string, string>();

  constructor(private readonly capacity = 10_000) {}

  record(pullRequest: string, headSha: string): void {
    this.#heads.delete(pullRequest);
    this.#heads.set(pullRequest, headSha);
    if (this.#heads.size > this.capacity) {
      const oldest = this.#heads.keys().next().value;
      if (oldest !== undefined) this.#heads.delete(oldest);
    }
  }

  /** True unless a newer head SHA was recorded for the pull request. */
  isLatest(pullRequest: string, headSha: string): boolean {
    const latest = this.#heads.get(pullRequest);
    return latest === undefined || latest === headSha;
  }
}

// Work that outlives the webhook delivery: serialised per pull request, awaitable by tests.

export class BackgroundWork {
  readonly #pending = new Set<Promise<void>>();
  readonly #tails = new Map<string, Promise<void>>();

  /**
   * Runs `task` after every task queued earlier under the same key (one pull request's runs
   * never overlap). `task` must handle its own errors; anything that escapes goes to `onEscape`.
   */
  enqueue(key: string, task: () => Promise<void>, onEscape: (error: unknown) => void): void {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const run = previous.then(task).catch(onEscape);
    this.#tails.set(key, run);
    this.#pending.add(run);
    void run.finally(() => {
      this.#pending.delete(run);
      if (this.#tails.get(key) === run) this.#tails.delete(key);
    });
  }

  /** Resolves once nothing is queued or running, including work queued meanwhile. */
  async idle(): Promise<void> {
    while (this.#pending.size > 0) await Promise.all(this.#pending);
  }
}

// GitHub redelivers a webhook with the same delivery id; the second copy must change nothing.

export class RecentDeliveries {
  readonly #seen = new Set<string>();

  constructor(private readonly capacity = 1000) {}

  /** True the first time an id is seen; remembers the last `capacity` ids. */
  firstSeen(deliveryId: string): boolean {
    if (this.#seen.has(deliveryId)) return false;
    this.#seen.add(deliveryId);
    if (this.#seen.size > this.capacity) {
      const oldest = this.#seen.values().next().value;
      if (oldest !== undefined) this.#seen.delete(oldest);
    }
    return true;
  }
}

// GitHub's documented secondary limits for content-creating requests: no more than 80 a
// minute and 500 an hour, made one at a time. Each installation's writes go through one
// pacer that keeps within both windows; reads never wait here.
import type { Clock } from "./rate-limit.js";

export interface WriteLimits {
  perMinute: number;
  perHour: number;
}

/** https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api#about-secondary-rate-limits */
export const GITHUB_WRITE_LIMITS: WriteLimits = { perMinute: 80, perHour: 500 };

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

export class WritePacer {
  /** Start times of the writes of the last hour, oldest first. */
  private readonly starts: number[] = [];
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly clock: Clock,
    private readonly limits: WriteLimits = GITHUB_WRITE_LIMITS,
  ) {}

  /** Runs `write` after the writes queued before it, once both windows have room. */
  run<T>(write: () => Promise<T>): Promise<T> {
    const turn = this.tail.then(async () => {
      await this.waitForRoom();
      this.starts.push(this.clock.now());
      return write();
    });
    this.tail = turn.catch(() => undefined);
    return turn;
  }

  private async waitForRoom(): Promise<void> {
    for (;;) {
      const now = this.clock.now();
      while ((this.starts[0] ?? Infinity) <= now - HOUR_MS) this.starts.shift();
      const wait = Math.max(this.waitFor(this.limits.perMinute, MINUTE_MS, now), this.waitFor(this.limits.perHour, HOUR_MS, now));
      if (wait <= 0) return;
      await this.clock.sleep(wait);
    }
  }

  /** How long until fewer than `allowed` writes started within the last `windowMs`. */
  private waitFor(allowed: number, windowMs: number, now: number): number {
    const oldestCounted = this.starts[this.starts.length - allowed];
    return oldestCounted === undefined ? 0 : oldestCounted + windowMs - now;
  }
}

/** One pacer per installation, for the life of the process. */
export class WritePacers {
  private readonly pacers = new Map<string, WritePacer>();

  constructor(
    private readonly clock: Clock,
    private readonly limits: WriteLimits = GITHUB_WRITE_LIMITS,
  ) {}

  forInstallation(id: string): WritePacer {
    let pacer = this.pacers.get(id);
    if (!pacer) {
      pacer = new WritePacer(this.clock, this.limits);
      this.pacers.set(id, pacer);
    }
    return pacer;
  }
}

const AUTH_REQUEST = /^\/app\/installations\/[^/]+\/access_tokens$|^\/applications\/[^/]+\/token(\/scoped)?$/;
const GRAPHQL_MUTATION = /^\s*mutation\b/;

/**
 * Whether a request creates content: any REST method but GET and HEAD (token requests
 * aside), and GraphQL mutations. GraphQL queries only read.
 */
export function isContentCreating(request: { method: string; url: string; query?: unknown }): boolean {
  const { method, url, query } = request;
  const pathname = new URL(url, "http://github.invalid").pathname.replace(/^\/api\/v3(?=\/)/, "");
  if (pathname === "/graphql") return typeof query === "string" && GRAPHQL_MUTATION.test(query);
  if (method === "GET" || method === "HEAD") return false;
  return !AUTH_REQUEST.test(pathname);
}

// GitHub's code search allows 10 requests a minute per installation, and answers bursts
// with a secondary rate limit (403/429 with `retry-after` or `x-ratelimit-reset`). Searches
// of one installation go through one queue that keeps within the window and backs off as told.
import { httpFailureOf, messageOf } from "./read-api.js";

/** Time, injectable so tests never wait. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export interface SearchQueueOptions {
  /** Requests allowed per window. */
  perWindow: number;
  windowMs: number;
  /** Retries of one request after a rate-limit answer. */
  maxRetries: number;
  /** Longer waits than this fail the request instead of holding the review. */
  maxWaitMs: number;
  clock: Clock;
}

export const CODE_SEARCH_LIMITS: Omit<SearchQueueOptions, "clock"> = {
  perWindow: 10,
  windowMs: 60_000,
  maxRetries: 3,
  maxWaitMs: 120_000,
};

/** A request refused for rate limits even after the allowed retries. */
export class RateLimitedError extends Error {
  override name = "RateLimitedError";
}

/** The wait a rate-limit answer asks for, or undefined when the failure is not about rate limits. */
export function rateLimitWait(error: unknown, now: number): number | undefined {
  const failure = httpFailureOf(error);
  if (!failure || (failure.status !== 403 && failure.status !== 429)) return undefined;
  const retryAfter = Number(failure.headers["retry-after"]);
  if (Number.isFinite(retryAfter) && retryAfter >= 0) return retryAfter * 1000;
  const reset = Number(failure.headers["x-ratelimit-reset"]);
  const exhausted = String(failure.headers["x-ratelimit-remaining"]) === "0";
  if (exhausted && Number.isFinite(reset)) return Math.max(0, reset * 1000 - now);
  // GitHub's advice for a secondary limit without headers: wait at least a minute.
  if (failure.status === 429 || /rate limit/i.test(failure.message)) return 60_000;
  return undefined;
}

export class SearchQueue {
  private readonly starts: number[] = [];
  private blockedUntil = 0;
  private tail: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: SearchQueueOptions) {}

  /** Runs `request` after the ones queued before it, spaced and retried as the limits require. */
  run<T>(request: () => Promise<T>): Promise<T> {
    const result = this.tail.then(() => this.attempt(request, 0));
    this.tail = result.catch(() => undefined);
    return result;
  }

  private async attempt<T>(request: () => Promise<T>, retry: number): Promise<T> {
    await this.waitForTurn();
    this.starts.push(this.options.clock.now());
    try {
      return await request();
    } catch (error) {
      const now = this.options.clock.now();
      const wait = rateLimitWait(error, now);
      if (wait === undefined) throw error;
      if (retry >= this.options.maxRetries) {
        throw new RateLimitedError(`rate limited after ${retry + 1} attempts: ${messageOf(error)}`);
      }
      if (wait > this.options.maxWaitMs) {
        throw new RateLimitedError(`rate limited for ${Math.ceil(wait / 1000)} s more: ${messageOf(error)}`);
      }
      this.blockedUntil = Math.max(this.blockedUntil, now + wait);
      return this.attempt(request, retry + 1);
    }
  }

  /** A response that used the last request of the quota holds the queue until the quota resets. */
  noteQuota(headers: Record<string, string | number | undefined>): void {
    const reset = Number(headers["x-ratelimit-reset"]);
    if (String(headers["x-ratelimit-remaining"]) !== "0" || !Number.isFinite(reset)) return;
    this.blockedUntil = Math.max(this.blockedUntil, reset * 1000);
  }

  private async waitForTurn(): Promise<void> {
    const { clock, perWindow, windowMs } = this.options;
    const now = clock.now();
    while (this.starts.length > 0 && (this.starts[0] as number) <= now - windowMs) this.starts.shift();
    const windowFreeAt = this.starts.length >= perWindow ? (this.starts[0] as number) + windowMs : 0;
    const until = Math.max(this.blockedUntil, windowFreeAt);
    if (until - now > this.options.maxWaitMs) {
      throw new RateLimitedError(`the search quota is used up for ${Math.ceil((until - now) / 1000)} s more`);
    }
    if (until > now) await clock.sleep(until - now);
  }
}

/** One search queue per installation, for the life of the process. */
export class SearchQueues {
  private readonly queues = new Map<number | string, SearchQueue>();

  constructor(private readonly options: SearchQueueOptions = { ...CODE_SEARCH_LIMITS, clock: systemClock }) {}

  forInstallation(installationId: number | string): SearchQueue {
    let queue = this.queues.get(installationId);
    if (!queue) {
      queue = new SearchQueue(this.options);
      this.queues.set(installationId, queue);
    }
    return queue;
  }
}

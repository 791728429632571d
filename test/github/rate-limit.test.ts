import { describe, expect, it } from "vitest";
import { CODE_SEARCH_LIMITS, RateLimitedError, rateLimitWait, SearchQueue, SearchQueues } from "../../src/github/rate-limit.js";
import { fakeClock } from "./fake-clock.js";

function httpError(status: number, headers: Record<string, string>, message = "You have exceeded a secondary rate limit") {
  return Object.assign(new Error(message), { status, response: { headers } });
}

describe("rateLimitWait", () => {
  it("reads retry-after, then the reset time of an exhausted quota", () => {
    expect(rateLimitWait(httpError(403, { "retry-after": "30" }), 0)).toBe(30_000);
    expect(rateLimitWait(httpError(429, { "x-ratelimit-remaining": "0", "x-ratelimit-reset": "1010" }), 1_000_000)).toBe(10_000);
  });

  it("waits a minute on a secondary limit without headers, and not at all on other failures", () => {
    expect(rateLimitWait(httpError(403, {}), 0)).toBe(60_000);
    expect(rateLimitWait(httpError(403, {}, "Resource not accessible by integration"), 0)).toBeUndefined();
    expect(rateLimitWait(httpError(422, { "retry-after": "5" }), 0)).toBeUndefined();
    expect(rateLimitWait(new Error("socket hang up"), 0)).toBeUndefined();
  });
});

describe("SearchQueue", () => {
  it("lets ten requests through in a minute, then waits for the window", async () => {
    const clock = fakeClock();
    const queue = new SearchQueue({ ...CODE_SEARCH_LIMITS, clock });

    const results = await Promise.all(Array.from({ length: 11 }, (_, index) => queue.run(async () => index)));

    expect(results).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(clock.sleeps).toEqual([60_000]);
  });

  it("retries after the wait a rate-limit answer asks for", async () => {
    const clock = fakeClock();
    const queue = new SearchQueue({ ...CODE_SEARCH_LIMITS, clock });
    let calls = 0;

    const result = await queue.run(async () => {
      calls += 1;
      if (calls === 1) throw httpError(403, { "retry-after": "7" });
      return "found";
    });

    expect(result).toBe("found");
    expect(calls).toBe(2);
    expect(clock.sleeps).toEqual([7_000]);
  });

  it("gives up after the allowed retries", async () => {
    const clock = fakeClock();
    const queue = new SearchQueue({ ...CODE_SEARCH_LIMITS, maxRetries: 2, clock });
    let calls = 0;

    await expect(
      queue.run(async () => {
        calls += 1;
        throw httpError(429, { "retry-after": "1" });
      }),
    ).rejects.toBeInstanceOf(RateLimitedError);
    expect(calls).toBe(3);
  });

  it("does not hold a review for a wait longer than allowed", async () => {
    const clock = fakeClock();
    const queue = new SearchQueue({ ...CODE_SEARCH_LIMITS, clock });

    await expect(queue.run(async () => Promise.reject(httpError(403, { "retry-after": "3600" })))).rejects.toThrow(
      /rate limited for 3600 s more/,
    );
    expect(clock.sleeps).toEqual([]);
  });

  it("passes other failures through without retrying, and keeps serving later requests", async () => {
    const queue = new SearchQueue({ ...CODE_SEARCH_LIMITS, clock: fakeClock() });
    let calls = 0;

    await expect(
      queue.run(async () => {
        calls += 1;
        throw httpError(422, {}, "Validation Failed");
      }),
    ).rejects.toThrow("Validation Failed");
    expect(calls).toBe(1);
    expect(await queue.run(async () => "next")).toBe("next");
  });

  it("holds back the requests queued behind a rate-limited one", async () => {
    const clock = fakeClock();
    const queue = new SearchQueue({ ...CODE_SEARCH_LIMITS, clock });
    const startedAt: number[] = [];
    let first = true;

    await Promise.all([
      queue.run(async () => {
        startedAt.push(clock.now());
        if (first) {
          first = false;
          throw httpError(403, { "retry-after": "5" });
        }
      }),
      queue.run(async () => {
        startedAt.push(clock.now());
      }),
    ]);

    expect(startedAt.map((time) => time - 1_000_000)).toEqual([0, 5_000, 5_000]);
  });
});

describe("SearchQueue.noteQuota", () => {
  it("holds the next request until an exhausted quota resets", async () => {
    const clock = fakeClock(1_000_000);
    const queue = new SearchQueue({ ...CODE_SEARCH_LIMITS, clock });

    queue.noteQuota({ "x-ratelimit-remaining": "3", "x-ratelimit-reset": "1030" });
    await queue.run(async () => undefined);
    queue.noteQuota({ "x-ratelimit-remaining": "0", "x-ratelimit-reset": "1030" });
    await queue.run(async () => undefined);

    expect(clock.sleeps).toEqual([30_000]);
  });

  it("fails the request rather than wait past the allowed wait", async () => {
    const queue = new SearchQueue({ ...CODE_SEARCH_LIMITS, clock: fakeClock(1_000_000) });

    queue.noteQuota({ "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(1_000 + 3_600) });

    await expect(queue.run(async () => "never")).rejects.toBeInstanceOf(RateLimitedError);
  });
});

describe("SearchQueues", () => {
  it("keeps one queue per installation", () => {
    const queues = new SearchQueues({ ...CODE_SEARCH_LIMITS, clock: fakeClock() });

    expect(queues.forInstallation(1)).toBe(queues.forInstallation(1));
    expect(queues.forInstallation(1)).not.toBe(queues.forInstallation(2));
  });
});

import type { Clock } from "../../src/github/rate-limit.js";

/** A clock whose sleeps move time forward at once, and remember how long they were. */
export function fakeClock(start = 1_000_000): Clock & { sleeps: number[] } {
  let now = start;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
  };
}

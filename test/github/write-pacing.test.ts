import { describe, expect, it } from "vitest";
import { isContentCreating, WritePacer, WritePacers } from "../../src/github/write-pacing.js";
import { fakeClock } from "./fake-clock.js";

async function writesAt(pacer: WritePacer, count: number, clock: { now(): number }): Promise<number[]> {
  return Promise.all(Array.from({ length: count }, () => pacer.run(async () => clock.now())));
}

describe("WritePacer", () => {
  it("lets writes through at once while the minute has room", async () => {
    const clock = fakeClock(0);
    const times = await writesAt(new WritePacer(clock, { perMinute: 80, perHour: 500 }), 80, clock);
    expect(new Set(times)).toEqual(new Set([0]));
    expect(clock.sleeps).toEqual([]);
  });

  it("holds the 81st write of a minute until the first one is a minute old", async () => {
    const clock = fakeClock(0);
    const times = await writesAt(new WritePacer(clock, { perMinute: 80, perHour: 500 }), 82, clock);
    expect(times.slice(78)).toEqual([0, 0, 60_000, 60_000]);
  });

  it("keeps within the hour's limit as well as the minute's", async () => {
    const clock = fakeClock(0);
    const times = await writesAt(new WritePacer(clock, { perMinute: 3, perHour: 5 }), 7, clock);
    expect(times).toEqual([0, 0, 0, 60_000, 60_000, 3_600_000, 3_600_000]);
  });

  it("runs one write at a time, in the order asked", async () => {
    const clock = fakeClock(0);
    const pacer = new WritePacer(clock);
    const events: string[] = [];
    let release: () => void = () => undefined;
    const first = pacer.run(() => new Promise<void>((resolve) => (release = () => { events.push("first done"); resolve(); })));
    const second = pacer.run(async () => events.push("second"));
    await new Promise((resolve) => setImmediate(resolve));
    expect(events).toEqual([]);
    release();
    await Promise.all([first, second]);
    expect(events).toEqual(["first done", "second"]);
  });

  it("goes on with the next write after one fails", async () => {
    const pacer = new WritePacer(fakeClock(0));
    await expect(pacer.run(() => Promise.reject(new Error("422")))).rejects.toThrow("422");
    await expect(pacer.run(async () => "posted")).resolves.toBe("posted");
  });
});

describe("WritePacers", () => {
  it("keeps one pacer per installation", () => {
    const pacers = new WritePacers(fakeClock());
    expect(pacers.forInstallation("1")).toBe(pacers.forInstallation("1"));
    expect(pacers.forInstallation("1")).not.toBe(pacers.forInstallation("2"));
  });
});

describe("isContentCreating", () => {
  it.each([
    ["POST", "/repos/{owner}/{repo}/check-runs", undefined, true],
    ["PATCH", "/repos/{owner}/{repo}/issues/comments/{comment_id}", undefined, true],
    ["PUT", "/repos/{owner}/{repo}/pulls/{pull_number}/reviews/{review_id}/dismissals", undefined, true],
    ["GET", "/repos/{owner}/{repo}/pulls/{pull_number}/files", undefined, false],
    ["HEAD", "/repos/{owner}/{repo}", undefined, false],
    ["POST", "/graphql", "query { r0: repository(owner: \"a\", name: \"b\") { id } }", false],
    ["POST", "/graphql", "mutation { addReaction(input: {}) { clientMutationId } }", true],
    ["POST", "/app/installations/42/access_tokens", undefined, false],
  ])("%s %s %s → %s", (method, url, query, expected) => {
    expect(isContentCreating({ method, url, query })).toBe(expected);
  });
});

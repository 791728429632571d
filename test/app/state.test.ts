import { describe, expect, it } from "vitest";
import { BackgroundWork } from "../../src/app/background.js";
import { RecentDeliveries } from "../../src/app/deliveries.js";
import { LatestHeads } from "../../src/app/latest-heads.js";

describe("recent deliveries", () => {
  it("sees each delivery id once, and forgets the oldest past its capacity", () => {
    const deliveries = new RecentDeliveries(2);
    expect(deliveries.firstSeen("a")).toBe(true);
    expect(deliveries.firstSeen("a")).toBe(false);
    expect(deliveries.firstSeen("b")).toBe(true);
    expect(deliveries.firstSeen("c")).toBe(true);
    expect(deliveries.firstSeen("b")).toBe(false);
    expect(deliveries.firstSeen("a")).toBe(true);
  });
});

describe("latest heads", () => {
  it("knows when a newer head SHA was recorded for the same pull request", () => {
    const heads = new LatestHeads();
    expect(heads.isLatest("o/r#1", "sha1")).toBe(true);
    heads.record("o/r#1", "sha1");
    heads.record("o/r#1", "sha2");
    expect(heads.isLatest("o/r#1", "sha1")).toBe(false);
    expect(heads.isLatest("o/r#1", "sha2")).toBe(true);
    expect(heads.isLatest("o/r#2", "sha1")).toBe(true);
  });

  it("stays bounded, forgetting the pull request recorded longest ago", () => {
    const heads = new LatestHeads(1);
    heads.record("o/r#1", "old");
    heads.record("o/r#2", "x");
    expect(heads.isLatest("o/r#1", "anything")).toBe(true);
    expect(heads.isLatest("o/r#2", "y")).toBe(false);
  });
});

describe("background work", () => {
  it("runs one pull request's tasks one after another, others alongside", async () => {
    const work = new BackgroundWork();
    const events: string[] = [];
    let releaseFirst: () => void = () => undefined;
    const firstBlocked = new Promise<void>((resolve) => {
      releaseFirst = resolve;
    });
    const fail = (error: unknown) => events.push(`escaped ${String(error)}`);
    work.enqueue("pr#1", async () => {
      events.push("pr1 first starts");
      await firstBlocked;
      events.push("pr1 first ends");
    }, fail);
    work.enqueue("pr#1", () => {
      events.push("pr1 second");
      return Promise.resolve();
    }, fail);
    work.enqueue("pr#2", () => {
      events.push("pr2");
      return Promise.resolve();
    }, fail);
    await new Promise((resolve) => setImmediate(resolve));
    expect(events).toEqual(["pr1 first starts", "pr2"]);
    releaseFirst();
    await work.idle();
    expect(events).toEqual(["pr1 first starts", "pr2", "pr1 first ends", "pr1 second"]);
  });

  it("hands an escaped error to its handler and goes on with the next task", async () => {
    const work = new BackgroundWork();
    const events: string[] = [];
    work.enqueue("pr#1", () => Promise.reject(new Error("boom")), (error) => events.push(`escaped ${(error as Error).message}`));
    work.enqueue("pr#1", () => {
      events.push("next");
      return Promise.resolve();
    }, () => undefined);
    await work.idle();
    expect(events).toEqual(["escaped boom", "next"]);
  });

  it("is idle at once when nothing was queued", async () => {
    await expect(new BackgroundWork().idle()).resolves.toBeUndefined();
  });
});

import { describe, expect, it } from "vitest";
import { BlobCache, BoundedCache } from "../../src/github/blob-cache.js";

describe("BlobCache", () => {
  it("evicts the least recently read texts once the characters exceed the bound", () => {
    const cache = new BlobCache(10);
    cache.set("a", "aaaa");
    cache.set("b", "bbbb");
    expect(cache.get("a")).toBe("aaaa");

    cache.set("c", "cccc");

    expect(cache.get("b")).toBeUndefined();
    expect(cache.get("a")).toBe("aaaa");
    expect(cache.get("c")).toBe("cccc");
    expect(cache.weight).toBe(8);
  });

  it("does not keep a text larger than the whole bound", () => {
    const cache = new BlobCache(4);
    cache.set("small", "abc");

    cache.set("huge", "abcdefgh");

    expect(cache.get("huge")).toBeUndefined();
    expect(cache.get("small")).toBe("abc");
  });

  it("replaces an entry without counting it twice", () => {
    const cache = new BlobCache(10);
    cache.set("a", "aaaa");
    cache.set("a", "aaaaaa");

    expect(cache.weight).toBe(6);
    expect(cache.size).toBe(1);
  });
});

describe("BoundedCache", () => {
  it("counts entries when no weight is given", () => {
    const cache = new BoundedCache<string, number>(2);
    cache.set("one", 1);
    cache.set("two", 2);
    cache.set("three", 3);

    expect([cache.get("one"), cache.get("two"), cache.get("three")]).toEqual([undefined, 2, 3]);
  });
});

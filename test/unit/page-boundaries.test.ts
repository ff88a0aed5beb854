// The page boundaries of startIndex scans (src/scim/page-boundaries.ts): keyed by scan and startIndex,
// kept for a time after their last use, the least recently used dropped beyond the bound.
import { describe, expect, it } from "vitest";
import { PageBoundaries } from "../../src/scim/page-boundaries.js";

describe("PageBoundaries", () => {
  it("gives back the position recorded for a scan and startIndex, and nothing for another scan or startIndex", () => {
    const b = new PageBoundaries({ maxEntries: 10, ttlMs: 1000 });
    const scan = PageBoundaries.scanKey("select 1", [1, "x"]);
    b.set(scan, 101, { value: null, id: 100 }, 0);
    expect(b.get(scan, 101, 10)).toEqual({ value: null, id: 100 });
    expect(b.get(scan, 201, 10)).toBeUndefined();
    expect(b.get(PageBoundaries.scanKey("select 1", [1, "y"]), 101, 10)).toBeUndefined();
    expect(PageBoundaries.scanKey("select 1", [1, "x"])).toBe(scan);
  });

  it("forgets a boundary unused for longer than its time to live, and keeps one in use", () => {
    const b = new PageBoundaries({ maxEntries: 10, ttlMs: 1000 });
    b.set("s", 2, { value: "a", id: 1 }, 0);
    b.set("s", 3, { value: "b", id: 2 }, 0);
    expect(b.get("s", 2, 900)).toBeDefined();
    expect(b.get("s", 2, 1800)).toBeDefined(); // used at 900: good until 1900
    expect(b.get("s", 3, 1800)).toBeUndefined();
  });

  it("drops the least recently used boundaries beyond its bound", () => {
    const b = new PageBoundaries({ maxEntries: 3, ttlMs: 1000 });
    for (let i = 1; i <= 3; i++) b.set("s", i, { value: null, id: i }, 0);
    b.get("s", 1, 1);
    b.set("s", 4, { value: null, id: 4 }, 2);
    expect(b.size).toBe(3);
    expect(b.get("s", 2, 3)).toBeUndefined();
    expect([1, 3, 4].map((i) => b.get("s", i, 3)?.id)).toEqual([1, 3, 4]);
  });
});

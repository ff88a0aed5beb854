// The token buckets behind rate limiting: burst, refill, the sequential-client rule, per token.
import { describe, expect, it } from "vitest";
import { TokenBuckets, type Admission } from "../../src/http/middleware/rate-limit.js";

const LIMIT = { requestsPerSecond: 2, burst: 3 };
const admitted = (a: Admission) => a.admitted;

describe("token buckets", () => {
  it("admit a burst in parallel, then refuse while requests are in flight, with the wait until the next one", () => {
    const b = new TokenBuckets();
    const first = [b.admit("t", LIMIT, 0), b.admit("t", LIMIT, 0), b.admit("t", LIMIT, 0)];
    expect(first.every(admitted)).toBe(true);
    const refused = b.admit("t", LIMIT, 0);
    expect(refused).toEqual({ admitted: false, retryAfterSeconds: 1 });
    expect(admitted(b.admit("t", LIMIT, 500))).toBe(true); // half a second at 2/s: one more
    expect(admitted(b.admit("t", LIMIT, 500))).toBe(false);
  });

  it("always admit a request when the token has none in flight (a sequential client)", () => {
    const b = new TokenBuckets();
    for (let i = 0; i < 100; i++) {
      const a = b.admit("t", LIMIT, 0);
      expect(admitted(a)).toBe(true);
      if (a.admitted) a.release();
    }
  });

  it("keep one bucket per token", () => {
    const b = new TokenBuckets();
    for (let i = 0; i < 3; i++) b.admit("a", LIMIT, 0);
    expect(admitted(b.admit("a", LIMIT, 0))).toBe(false);
    expect(admitted(b.admit("b", LIMIT, 0))).toBe(true);
  });

  it("refill up to the burst, not beyond, and count a release once", () => {
    const b = new TokenBuckets();
    const held = [b.admit("t", LIMIT, 0), b.admit("t", LIMIT, 0), b.admit("t", LIMIT, 0)];
    const later = Array.from({ length: 4 }, () => b.admit("t", LIMIT, 60_000));
    expect(later.map(admitted)).toEqual([true, true, true, false]);
    for (const a of held) if (a.admitted) { a.release(); a.release(); }
    for (const a of later) if (a.admitted) a.release();
    expect(admitted(b.admit("t", LIMIT, 60_000))).toBe(true); // nothing in flight
  });
});

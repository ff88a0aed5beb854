// The per-tenant limiter (src/http/middleware/tenant-concurrency.ts): slots, the FIFO queue and its
// bounds, the wait bound (on fake timers), and a slot given back when the client disconnects,
// through the middleware on a stand-in response.
import { EventEmitter } from "node:events";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ScimError } from "../../src/scim/errors.js";
import {
  defaultTenantConcurrency, TenantBusyError, tenantConcurrency, TenantLimiter, WaitAbandonedError, type Release,
} from "../../src/http/middleware/tenant-concurrency.js";

const A = 1;
const B = 2;
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe("TenantLimiter", () => {
  beforeEach(() => { vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] }); });
  afterEach(() => { vi.useRealTimers(); });

  it("runs up to maxInFlight at once and hands slots to waiters in arrival order", async () => {
    const limiter = new TenantLimiter({ maxInFlight: 2, maxQueued: 5, maxWaitMs: 1000 });
    const first = await limiter.acquire(A);
    const second = await limiter.acquire(A);
    const order: number[] = [];
    const waiting = [3, 4, 5].map((n) => limiter.acquire(A).then((release) => { order.push(n); return release; }));
    await settle();
    expect(order).toEqual([]);
    expect(limiter.load(A)).toEqual({ inFlight: 2, queued: 3 });
    first();
    first(); // a second call gives nothing back twice
    await settle();
    expect(order).toEqual([3]);
    second();
    await settle();
    expect(order).toEqual([3, 4]);
    (await waiting[0])();
    await settle();
    expect(order).toEqual([3, 4, 5]);
    expect(limiter.load(A)).toEqual({ inFlight: 2, queued: 0 });
    (await waiting[1])();
    (await waiting[2])();
    expect(limiter.load(A)).toEqual({ inFlight: 0, queued: 0 });
  });

  it("gives a newcomer no slot while others wait, even the moment one is freed", async () => {
    const limiter = new TenantLimiter({ maxInFlight: 1, maxQueued: 5, maxWaitMs: 1000 });
    const release = await limiter.acquire(A);
    const waiter = limiter.acquire(A);
    release();
    const newcomer = limiter.acquire(A);
    const granted: string[] = [];
    void waiter.then(() => granted.push("waiter"));
    void newcomer.then(() => granted.push("newcomer"));
    await settle();
    expect(granted).toEqual(["waiter"]);
    (await waiter)();
    await settle();
    expect(granted).toEqual(["waiter", "newcomer"]);
  });

  it("refuses at once beyond maxQueued, and keeps tenants apart", async () => {
    const limiter = new TenantLimiter({ maxInFlight: 1, maxQueued: 1, maxWaitMs: 1000 });
    await limiter.acquire(A);
    const queued = limiter.acquire(A);
    await expect(limiter.acquire(A)).rejects.toMatchObject({ reason: "queue full" });
    const other = await limiter.acquire(B);
    expect(limiter.load(B)).toEqual({ inFlight: 1, queued: 0 });
    other();
    expect(limiter.load(A)).toEqual({ inFlight: 1, queued: 1 });
    vi.advanceTimersByTime(1000);
    await expect(queued).rejects.toBeInstanceOf(TenantBusyError);
  });

  it("refuses a waiter after maxWaitMs, and frees its place in the queue", async () => {
    const limiter = new TenantLimiter({ maxInFlight: 1, maxQueued: 1, maxWaitMs: 500 });
    const release = await limiter.acquire(A);
    const waiter = limiter.acquire(A);
    vi.advanceTimersByTime(499);
    expect(limiter.load(A).queued).toBe(1);
    vi.advanceTimersByTime(1);
    await expect(waiter).rejects.toMatchObject({ reason: "wait exceeded" });
    expect(limiter.load(A)).toEqual({ inFlight: 1, queued: 0 });
    const next = limiter.acquire(A); // the place is free again
    release();
    expect(typeof (await next)).toBe("function");
  });

  it("drops a waiter whose signal aborts, without using a slot", async () => {
    const limiter = new TenantLimiter({ maxInFlight: 1, maxQueued: 2, maxWaitMs: 1000 });
    const release = await limiter.acquire(A);
    const left = new AbortController();
    const abandoned = limiter.acquire(A, left.signal);
    const stays = limiter.acquire(A);
    left.abort();
    await expect(abandoned).rejects.toBeInstanceOf(WaitAbandonedError);
    expect(limiter.load(A)).toEqual({ inFlight: 1, queued: 1 });
    release();
    (await stays)();
    expect(limiter.load(A)).toEqual({ inFlight: 0, queued: 0 });
    await expect(limiter.acquire(A, left.signal)).rejects.toBeInstanceOf(WaitAbandonedError);
  });
});

describe("defaultTenantConcurrency", () => {
  it("gives a tenant a third of a pool, and looser limits to a single connection", () => {
    expect(defaultTenantConcurrency(10)).toEqual({ maxInFlight: 3, maxQueued: 64, maxWaitMs: 3000 });
    expect(defaultTenantConcurrency(2).maxInFlight).toBe(1);
    expect(defaultTenantConcurrency(1)).toEqual({ maxInFlight: 4, maxQueued: 64, maxWaitMs: 10_000 });
  });
});

/** Enough of an express response for the middleware: locals, events, destroyed. */
class StandInResponse extends EventEmitter {
  destroyed = false;
  locals: Record<string, unknown>;
  constructor(tenantId: number) {
    super();
    this.locals = { ctx: { tenant: { id: tenantId } } };
  }
  close(): void {
    this.destroyed = true;
    this.emit("close");
  }
}

describe("tenantConcurrency middleware", () => {
  const limits = { maxInFlight: 1, maxQueued: 1, maxWaitMs: 60_000 };

  function run(middleware: ReturnType<typeof tenantConcurrency>, res: StandInResponse) {
    const next = vi.fn();
    middleware({} as never, res as never, next);
    return next;
  }

  it("holds the slot until the response closes, then lets the next request in", async () => {
    const limiter = new TenantLimiter(limits);
    const middleware = tenantConcurrency(limits, limiter);
    const first = new StandInResponse(A);
    const second = new StandInResponse(A);
    const nextFirst = run(middleware, first);
    await settle();
    expect(nextFirst).toHaveBeenCalledWith();
    const nextSecond = run(middleware, second);
    await settle();
    expect(nextSecond).not.toHaveBeenCalled();
    first.close(); // sent in full, or a stream that ended
    await settle();
    expect(nextSecond).toHaveBeenCalledWith();
    second.close();
    expect(limiter.load(A)).toEqual({ inFlight: 0, queued: 0 });
  });

  it("gives the place back when a waiting client disconnects, and answers nothing to it", async () => {
    const limiter = new TenantLimiter(limits);
    const middleware = tenantConcurrency(limits, limiter);
    const running = new StandInResponse(A);
    run(middleware, running);
    await settle();
    const waiting = new StandInResponse(A);
    const nextWaiting = run(middleware, waiting);
    await settle();
    expect(limiter.load(A)).toEqual({ inFlight: 1, queued: 1 });
    waiting.close();
    await settle();
    expect(limiter.load(A)).toEqual({ inFlight: 1, queued: 0 });
    expect(nextWaiting).not.toHaveBeenCalled();
    running.close();
    expect(limiter.load(A)).toEqual({ inFlight: 0, queued: 0 });
  });

  it("answers 503 with Retry-After when the queue is full", async () => {
    const limiter = new TenantLimiter(limits);
    const middleware = tenantConcurrency(limits, limiter);
    run(middleware, new StandInResponse(A));
    run(middleware, new StandInResponse(A));
    const next = run(middleware, new StandInResponse(A));
    await settle();
    const error = next.mock.calls[0][0] as ScimError;
    expect(error).toBeInstanceOf(ScimError);
    expect(error.status).toBe(503);
    expect(error.headers["Retry-After"]).toMatch(/^\d+$/);
    expect(error.detail).toMatch(/too many requests in progress/);
  });

  it("releases at once a slot granted to a client that already left", async () => {
    const limiter = new TenantLimiter(limits);
    const res = new StandInResponse(A);
    res.destroyed = true; // gone during authentication: its "close" was before this middleware
    const next = run(tenantConcurrency(limits, limiter), res);
    await settle();
    expect(next).not.toHaveBeenCalled();
    expect(limiter.load(A)).toEqual({ inFlight: 0, queued: 0 });
  });
});

// Per-tenant concurrency of authenticated requests: at most maxInFlight requests of one tenant run
// at once, the next maxQueued wait their turn in arrival order for at most maxWaitMs, and the rest
// are answered 503 with Retry-After. This keeps one tenant's burst (or requests stuck on a lock)
// from holding every connection of the pool while other tenants wait.
import type { RequestHandler } from "express";
import type { RequestContext } from "../../context.js";
import { ScimError } from "../../scim/errors.js";

export interface TenantConcurrencyLimits {
  /** Requests of one tenant running at once. */
  maxInFlight: number;
  /** Requests of one tenant waiting for a slot; beyond, 503 at once. */
  maxQueued: number;
  /** How long a request waits for a slot before it is answered 503. */
  maxWaitMs: number;
}

/**
 * Defaults from the pool size. With a pool of several connections, a third of them per tenant, so
 * that two tenants at their limit still leave connections to a third one; 3 s of waiting. The
 * queue is what a burst of parallel clients of one tenant meets: a waiting request costs little,
 * and the wait bound (not the queue length) is what protects the others, so it holds 64 (a
 * client sending 40 requests at once waits a few milliseconds rather than gets 503s). With a
 * single connection (PGlite), every query queues at the pool anyway and statements have no time
 * bound: the limit only keeps one tenant from filling that queue, so it is looser.
 */
const DEFAULT_TENANT_MAX_QUEUED = 64;

export function defaultTenantConcurrency(poolSize: number): TenantConcurrencyLimits {
  if (poolSize <= 1) return { maxInFlight: 4, maxQueued: DEFAULT_TENANT_MAX_QUEUED, maxWaitMs: 10_000 };
  const maxInFlight = Math.max(1, Math.floor(poolSize / 3));
  return { maxInFlight, maxQueued: DEFAULT_TENANT_MAX_QUEUED, maxWaitMs: 3_000 };
}

export type Release = () => void;

/** A request refused a slot: the tenant's queue is full, or its wait ran out. */
export class TenantBusyError extends Error {
  constructor(readonly reason: "queue full" | "wait exceeded") {
    super(`tenant busy: ${reason}`);
    this.name = "TenantBusyError";
  }
}

/** The wait was abandoned through its AbortSignal (the client disconnected). */
export class WaitAbandonedError extends Error {
  constructor() {
    super("wait abandoned");
    this.name = "WaitAbandonedError";
  }
}

interface Waiter {
  grant(release: Release): void;
  fail(error: Error): void;
}

interface TenantState {
  inFlight: number;
  queue: Waiter[];
}

/** The slots of each tenant (keyed by tenant id); pure, no HTTP. */
export class TenantLimiter {
  private readonly tenants = new Map<number, TenantState>();

  constructor(readonly limits: TenantConcurrencyLimits) {}

  /**
   * Resolves with the function that gives the slot back (calling it again does nothing), in
   * arrival order; rejects with TenantBusyError when the queue is full or the wait runs out, and
   * with WaitAbandonedError when `signal` aborts while waiting (the place in the queue is freed).
   */
  acquire(tenantId: number, signal?: AbortSignal): Promise<Release> {
    if (signal?.aborted) return Promise.reject(new WaitAbandonedError());
    const state = this.stateOf(tenantId);
    if (state.inFlight < this.limits.maxInFlight) {
      state.inFlight++;
      return Promise.resolve(this.releaser(tenantId, state));
    }
    if (state.queue.length >= this.limits.maxQueued) return Promise.reject(new TenantBusyError("queue full"));
    return new Promise<Release>((resolve, reject) => {
      const leave = (error: Error) => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        const at = state.queue.indexOf(waiter);
        if (at !== -1) state.queue.splice(at, 1);
        this.forgetIfIdle(tenantId, state);
        reject(error);
      };
      const waiter: Waiter = {
        grant: (release) => {
          clearTimeout(timer);
          signal?.removeEventListener("abort", onAbort);
          resolve(release);
        },
        fail: leave,
      };
      const onAbort = () => leave(new WaitAbandonedError());
      const timer = setTimeout(() => leave(new TenantBusyError("wait exceeded")), this.limits.maxWaitMs);
      signal?.addEventListener("abort", onAbort, { once: true });
      state.queue.push(waiter);
    });
  }

  /** Requests of the tenant running and waiting. */
  load(tenantId: number): { inFlight: number; queued: number } {
    const state = this.tenants.get(tenantId);
    return { inFlight: state?.inFlight ?? 0, queued: state?.queue.length ?? 0 };
  }

  private stateOf(tenantId: number): TenantState {
    let state = this.tenants.get(tenantId);
    if (!state) {
      state = { inFlight: 0, queue: [] };
      this.tenants.set(tenantId, state);
    }
    return state;
  }

  private releaser(tenantId: number, state: TenantState): Release {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = state.queue.shift();
      // The slot passes straight to the first waiter: a newcomer cannot overtake the queue.
      if (next) next.grant(this.releaser(tenantId, state));
      else {
        state.inFlight--;
        this.forgetIfIdle(tenantId, state);
      }
    };
  }

  private forgetIfIdle(tenantId: number, state: TenantState): void {
    if (state.inFlight === 0 && state.queue.length === 0 && this.tenants.get(tenantId) === state) this.tenants.delete(tenantId);
  }
}

const RETRY_AFTER_SECONDS = "2";

function busy(limits: TenantConcurrencyLimits): ScimError {
  return new ScimError(
    503,
    `This tenant has too many requests in progress (${limits.maxInFlight} run at once, ${limits.maxQueued} may wait ` +
      `up to ${limits.maxWaitMs} ms). Retry after the delay in Retry-After, or send fewer requests in parallel; this one was not processed.`,
    undefined,
    { "Retry-After": RETRY_AFTER_SECONDS },
  );
}

/**
 * After authenticate: holds a slot of the request's tenant from here until the response is over
 * ("close": sent in full, a streamed body included, or the connection gone). A request whose
 * client disconnects while it waits leaves the queue and is not processed.
 */
export function tenantConcurrency(limits: TenantConcurrencyLimits, limiter = new TenantLimiter(limits)): RequestHandler {
  return (_req, res, next) => {
    const ctx = res.locals.ctx as RequestContext | undefined;
    if (!ctx) { next(); return; }
    const gone = new AbortController();
    const onClose = () => gone.abort();
    res.once("close", onClose);
    limiter.acquire(ctx.tenant.id, gone.signal).then((release) => {
      res.off("close", onClose);
      if (res.destroyed) { release(); return; }
      res.once("close", release);
      next();
    }, (error: unknown) => {
      res.off("close", onClose);
      if (error instanceof WaitAbandonedError) return; // nobody to answer
      next(error instanceof TenantBusyError ? busy(limits) : error);
    });
  };
}

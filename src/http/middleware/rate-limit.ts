// Rate limiting per token (token buckets in this process's memory: no database write per request).
// A request is admitted when its token's bucket holds a request, or when the token has no request in
// flight: a sequential client (Okta's import, one request at a time) is never limited, whatever its
// speed, since Okta fails the operation on a 429 and does not back off. Parallel floods beyond the
// rate get 429 with Retry-After. Each server process keeps its own buckets: with N processes behind a
// load balancer a token may reach N times the rate (README "Limits"). RFC 7644 defines no scimType
// for 429: none is sent.
import type { RequestHandler } from "express";
import type { Clock } from "../../clock.js";
import type { RateLimit } from "../../hr/tenant-settings.js";
import { ScimError } from "../../scim/errors.js";
import { contextOf } from "./authenticate.js";

/** The default per token: far above Entra's provisioning (25 requests/s and more) and one client's needs. */
export const DEFAULT_RATE_LIMIT: RateLimit = { requestsPerSecond: 2_000, burst: 4_000 };

interface Bucket {
  tokens: number;
  refilledAt: number;
  inFlight: number;
}

/** Buckets not touched for this long are forgotten (a full bucket is the same as none). */
const IDLE_MS = 10 * 60_000;

export type Admission = { admitted: true; release: () => void } | { admitted: false; retryAfterSeconds: number };

/** The buckets of every token this process has served recently. */
export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();
  private sweptAt = 0;

  /** Admits a request of `tokenId` at `now` (ms) under `limit`; the caller releases it when it ends. */
  admit(tokenId: string, limit: RateLimit, now: number): Admission {
    this.sweep(now);
    let bucket = this.buckets.get(tokenId);
    if (!bucket) {
      bucket = { tokens: limit.burst, refilledAt: now, inFlight: 0 };
      this.buckets.set(tokenId, bucket);
    }
    const elapsed = Math.max(0, now - bucket.refilledAt) / 1000;
    bucket.tokens = Math.min(limit.burst, bucket.tokens + elapsed * limit.requestsPerSecond);
    bucket.refilledAt = now;

    if (bucket.tokens >= 1) bucket.tokens -= 1;
    else if (bucket.inFlight > 0) {
      return { admitted: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / limit.requestsPerSecond)) };
    }
    const held = bucket;
    held.inFlight++;
    let released = false;
    return { admitted: true, release: () => { if (!released) { released = true; held.inFlight--; } } };
  }

  private sweep(now: number): void {
    if (now - this.sweptAt < IDLE_MS) return;
    this.sweptAt = now;
    for (const [id, b] of this.buckets) if (b.inFlight === 0 && now - b.refilledAt > IDLE_MS) this.buckets.delete(id);
  }
}

export function rateLimit(options: { clock: Clock; defaultLimit?: RateLimit }): RequestHandler {
  const buckets = new TokenBuckets();
  return (_req, res, next) => {
    const ctx = contextOf(res);
    const limit = ctx.tenant.settings.rateLimit ?? options.defaultLimit ?? DEFAULT_RATE_LIMIT;
    const admission = buckets.admit(ctx.tokenId, limit, options.clock().getTime());
    if (!admission.admitted) {
      const wait = admission.retryAfterSeconds;
      next(new ScimError(429,
        `Too many requests in parallel for this token (limit ${limit.requestsPerSecond} per second, bursts of ${limit.burst}); retry after ${wait} s. ` +
        "Send fewer requests at once: a client sending one request at a time is never limited.",
        undefined, { "Retry-After": String(wait) }));
      return;
    }
    res.on("finish", admission.release);
    res.on("close", admission.release);
    next();
  };
}

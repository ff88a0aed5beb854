// Verified tokens kept briefly in this process, so that a SCIM read sends its one listing statement
// and not also the token's (issue 10). An entry lives `ttlMs` on the injected clock (5 s by default,
// HR_SCIM_TOKEN_CACHE_MS). Every change this process makes to a token (revoke, permission, rotation)
// or to a tenant's settings forgets the entries it touches at once, through forgetVerifiedTokens();
// a change made by another process (another server, the CLI) is seen within ttlMs. Expiry is checked
// on every request against the cached expires_at.
import type { Tenant } from "../hr/tenants.js";
import type { TokenRecord } from "./tokens.js";

export const DEFAULT_TOKEN_CACHE_MS = 5_000;

/** Entries at most; beyond it the oldest is forgotten (tokens are few; this bounds a flood of distinct ones). */
const MAX_ENTRIES = 10_000;

export interface VerifiedToken {
  record: TokenRecord;
  tenant: Tenant | null;
}

interface Entry extends VerifiedToken {
  cachedAt: number;
}

/** Which entries a change makes stale. */
export type TokenChange = { tokenId: string } | { tenantId: number } | "all";

const live = new Set<WeakRef<VerifiedTokenCache>>();

/** Forgets, in every cache of this process, the entries a committed change makes stale. */
export function forgetVerifiedTokens(change: TokenChange): void {
  for (const ref of live) {
    const cache = ref.deref();
    if (cache) cache.forget(change);
    else live.delete(ref);
  }
}

export class VerifiedTokenCache {
  private readonly entries = new Map<string, Entry>();
  /** Moves on every forget: a verification that started before it does not store what it read. */
  private generation = 0;

  constructor(readonly ttlMs: number = DEFAULT_TOKEN_CACHE_MS) {
    if (ttlMs > 0) live.add(new WeakRef(this));
  }

  get enabled(): boolean {
    return this.ttlMs > 0;
  }

  /** The entry for a secret's hash if it was verified less than ttlMs ago (on `nowMs`'s clock). */
  get(secretHash: string, nowMs: number): VerifiedToken | undefined {
    const entry = this.entries.get(secretHash);
    if (!entry) return undefined;
    const age = nowMs - entry.cachedAt;
    // A clock moved back (tests stand at any instant) counts as stale too.
    if (age < 0 || age >= this.ttlMs) {
      this.entries.delete(secretHash);
      return undefined;
    }
    return entry;
  }

  /** A mark to give back to set(): what was read after it may be stored. */
  mark(): number {
    return this.generation;
  }

  set(secretHash: string, verified: VerifiedToken, nowMs: number, mark: number): void {
    if (!this.enabled || mark !== this.generation) return;
    this.entries.delete(secretHash);
    this.entries.set(secretHash, { ...verified, cachedAt: nowMs });
    if (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    this.sweep(nowMs);
  }

  /** Forgets the oldest entries once stale (the map is in the order they were stored), so that a token no longer used is not kept. */
  private sweep(nowMs: number): void {
    for (const [key, entry] of this.entries) {
      if (nowMs - entry.cachedAt < this.ttlMs) break;
      this.entries.delete(key);
    }
  }

  /** Entries held (for tests). */
  get size(): number {
    return this.entries.size;
  }

  forget(change: TokenChange): void {
    this.generation++;
    if (change === "all") {
      this.entries.clear();
      return;
    }
    for (const [key, entry] of this.entries) {
      if ("tokenId" in change ? entry.record.id === change.tokenId : entry.record.tenantId === change.tenantId) this.entries.delete(key);
    }
  }
}

// One push per tenant at a time, across processes: a lease on the tenant's connection row in
// PostgreSQL (owner, until). A process takes it when it is free or expired, renews it while it
// works, and gives it back when done; a process that dies leaves it to expire, and the next one
// resumes the run it left (runs are planned in the store). A lease rather than an advisory lock:
// a run may last hours when paced, and holding a connection or a transaction that long is worse.
import type { Knex } from "knex";

export interface Lease {
  owner: string;
  /** Extends the lease; false when it was lost (expired and taken by another process). */
  renew(now: Date): Promise<boolean>;
  release(): Promise<void>;
}

/** `owner` must be unique to this acquisition (a process holding the lease does not take it twice). */
export async function acquireLease(db: Knex, tenantId: number, owner: string, now: Date, ttlMs: number): Promise<Lease | null> {
  const until = new Date(now.getTime() + ttlMs);
  const taken = await db("entra_connections")
    .where({ tenant_id: tenantId })
    .andWhere((q) => q.whereNull("lease_until").orWhere("lease_until", "<", now))
    .update({ lease_owner: owner, lease_until: until })
    .returning("tenant_id");
  if (taken.length === 0) return null;
  return {
    owner,
    async renew(at: Date) {
      const kept = await db("entra_connections").where({ tenant_id: tenantId, lease_owner: owner })
        .update({ lease_until: new Date(at.getTime() + ttlMs) }).returning("tenant_id");
      return kept.length > 0;
    },
    async release() {
      await db("entra_connections").where({ tenant_id: tenantId, lease_owner: owner }).update({ lease_owner: null, lease_until: null });
    },
  };
}

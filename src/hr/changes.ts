// The HR change feed as readers see it (migration 20261202_002 writes it): a tenant's changes in
// sequence order after a cursor. Every number served is final: a transaction of the tenant still in
// flight holds the tenant's counter, so it can only take numbers above the ones already visible.
// Retention purges changes older than each tenant's period; erasure (hr/erasure.ts) removes values.
import type { Knex } from "knex";
import { deleteInBatches } from "../db/batched-delete.js";

export interface HrChange {
  seq: string;
  entity: string;
  key: string;
  operation: string;
  fields: Record<string, { before: unknown; after: unknown }>;
  actor: string;
  at: string;
}

export interface ChangePage { items: HrChange[]; nextCursor: string }

/** Changes after `after` (a sequence number; "0" from the start), or at or after `since`, oldest first. */
export async function readChanges(
  db: Knex, tenantId: number, options: { after?: string; since?: Date; limit: number },
): Promise<ChangePage> {
  const q = db("hr_changes").where("tenant_id", tenantId).orderBy("seq").limit(options.limit)
    .select(db.raw("seq::text as seq"), "entity", "key", "operation", "fields", "actor", "at");
  if (options.after !== undefined) q.where("seq", ">", options.after);
  if (options.since) q.where("at", ">=", options.since);
  const rows = await q;
  const items: HrChange[] = rows.map((r: Record<string, any>) => ({
    seq: r.seq, entity: r.entity, key: r.key, operation: r.operation,
    fields: typeof r.fields === "string" ? JSON.parse(r.fields) : r.fields, actor: r.actor, at: new Date(r.at).toISOString(),
  }));
  return { items, nextCursor: items.length ? items[items.length - 1].seq : options.after ?? "0" };
}

/**
 * Deletes a tenant's changes older than its retention period (hr_change_retention_days, default
 * 400) at `now`, in bounded batches (db/batched-delete.ts): a first purge of years of changes would
 * run past the statement bound as one statement, and fail every night. Returns how many were
 * deleted. Runs as a scheduler job (scheduler/hr-retention-job.ts).
 */
export function purgeHrChanges(db: Knex, now: Date, tenantId: number, batchRows?: number): Promise<number> {
  return deleteInBatches(async (limit) => (await db.raw(
    `delete from hr_changes h
      where h.tenant_id = ? and h.seq in (
        select o.seq from hr_changes o
         where o.tenant_id = ? and o.at < ?::timestamptz - make_interval(days => (select t.hr_change_retention_days from tenants t where t.id = ?))
         order by o.at limit ?)
      returning h.seq`,
    [tenantId, tenantId, now, tenantId, limit])).rows.length, batchRows);
}

/** Sets a tenant's retention period of its HR changes, in days (at least 1). */
export async function setHrChangeRetention(db: Knex, tenantId: number, days: number): Promise<void> {
  if (!Number.isInteger(days) || days < 1 || days > 36_500) throw new RangeError("the retention period is a whole number of days from 1 to 36500");
  await db("tenants").where({ id: tenantId }).update({ hr_change_retention_days: days });
}

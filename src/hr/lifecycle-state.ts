// The stored lifecycle state (migration 005): each employee's lifecycle is kept at the tenant's
// lifecycle date by triggers, and moved to a new date by the step (refreshLifecycle), which the
// scheduler runs at each tenant's local midnight. Reads carry a guard that fails (HRL01) when some
// stored state does not hold on the request's date; withCurrentLifecycle then refreshes the tenant and
// reads again, so a read is right at every instant even when the step is late.
import type { Knex } from "knex";
import type { SqlFragment } from "../db/sql-fragment.js";

/** SQLSTATE raised by hr_lifecycle_current when the stored state does not hold on the asked date. */
export const STALE_LIFECYCLE = "HRL01";

/**
 * SQL boolean for a where clause: the tenant's stored lifecycle holds on `today` (tenant-local
 * date), else the statement fails with STALE_LIFECYCLE. Checked once per statement, in its snapshot.
 */
export function lifecycleCurrentCondition(tenantId: number, today: string): SqlFragment {
  return { sql: "hr_lifecycle_current(?::integer, ?::date)", bindings: [tenantId, today] };
}

export function isStaleLifecycle(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === STALE_LIFECYCLE;
}

/**
 * The step: moves the tenant's stored lifecycle to `today` (its local date), recomputing only the
 * employees with a transition in between. Returns how many employees changed. Safe to run from
 * several processes at once (an advisory lock per tenant; the second finds nothing to do).
 */
export async function refreshLifecycle(db: Knex, tenantId: number, today: string): Promise<number> {
  const result = await db.raw("select hr_refresh_lifecycle(?::integer, ?::date) as changed", [tenantId, today]);
  return Number(result.rows[0]?.changed ?? 0);
}

/**
 * Runs `read` (queries over the people or groups tables through the handle it is given, possibly a
 * transaction) and, when one of its statements found the stored lifecycle stale (the midnight step
 * had not run yet, or a process whose clock stands on another day moved it), runs it again in a
 * transaction that first refreshes the tenant to `today`: the refresh holds the tenant's lock until
 * that read is done, so no other clock can move the state in between.
 */
export async function withCurrentLifecycle<T>(
  db: Knex, scope: { tenantId: number; lifecycle: { today: string } }, read: (db: Knex) => Promise<T>,
): Promise<T> {
  try {
    return await read(db);
  } catch (error) {
    if (!isStaleLifecycle(error)) throw error;
  }
  return db.transaction(async (trx) => {
    await refreshLifecycle(trx, scope.tenantId, scope.lifecycle.today);
    return read(trx);
  });
}

/** Delta rows beyond one per key that a tenant's stored counts may hold before they are compacted. */
export const LOOSE_COUNT_ROWS = 1_000;

/**
 * Tenants whose stored counts hold more than `loose` delta rows beyond one per key, in either table:
 * the visible employees per date (visible_employee_counts, migration 005) or the group members per
 * department or establishment and date (group_member_counts, migration 20261206_001). HR writes
 * append deltas, which only the midnight step compacted, so after a large import every page's count
 * summed tens of thousands of rows until midnight.
 */
export async function tenantsWithLooseCounts(db: Knex, loose = LOOSE_COUNT_ROWS): Promise<number[]> {
  const { rows } = await db.raw(
    `select tenant_id from visible_employee_counts group by tenant_id having count(*) - count(distinct visible_from) > ?
     union
     select tenant_id from group_member_counts group by tenant_id having count(*) - count(distinct (org_kind, org_id, visible_from)) > ?`,
    [loose, loose]);
  return rows.map((r: { tenant_id: number }) => Number(r.tenant_id));
}

/**
 * Sums a tenant's stored-count deltas (visible employees and group members) into one row per key.
 * Returns false when the tenant's lifecycle lock is taken: another process compacting it, or the
 * step (hr_refresh_lifecycle, which compacts too) running. Compaction is also safe beside HR
 * writers, whose deltas not yet committed stay as they are.
 */
export async function compactVisibleCounts(db: Knex, tenantId: number): Promise<boolean> {
  return db.transaction(async (trx) => {
    const locked = await trx.raw("select pg_try_advisory_xact_lock(1751, ?::integer) as locked", [tenantId]);
    if (!locked.rows[0]?.locked) return false;
    await trx.raw("select hr_compact_visible_counts(?::integer)", [tenantId]);
    return true;
  });
}

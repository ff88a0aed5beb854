// The connector's time-driven work, per connected tenant: each job says when it is next due (from
// the store, so it survives restarts: a run missed or refused stays due until it is done) and runs
// as a plain function of the tenant and the context's clock. tick.ts runs the due ones; the server's
// scheduler calls it every few seconds (scheduled.ts).
// - entra.changes: the first full run, then HR changes (the HR change feed, change-source.ts) within
//   a minute: due once the changes have been quiet for QUIET_MS, or MAX_DELAY_MS after the oldest
//   one (debounced and batched); also
//   resumes a waiting or failed run at its resume time.
// - entra.midnight: right after each local midnight of the tenant, sends the employees whose
//   lifecycle turned (leavers, starters, future employees entering scope).
// - entra.outcomes: every OUTCOMES_EVERY_MS while runs sent something in the last day, reads
//   Entra's provisioning logs back.
import { toCount } from "../../db/database.js";
import { findTenantById } from "../../hr/tenants.js";
import { localMidnight } from "../../hr/lifecycle.js";
import { changedSince, LEGACY_CHANGE_TIMES, pendingChanges } from "./change-source.js";
import { findConnection } from "./connection-store.js";
import type { EntraContext } from "./context.js";
import { readOutcomes } from "./outcomes.js";
import { openRun } from "./run-log.js";
import { syncTenant } from "./runner.js";
import { addDays, currentEntraScope, entraPeople, inScopeCondition } from "./scope.js";
import { DAY_MS } from "./settings.js";

export const QUIET_MS = 10_000;
export const MAX_DELAY_MS = 45_000;
export const OUTCOMES_EVERY_MS = 10 * 60 * 1000;
/** Seconds after local midnight at which the midnight run is due (the day has surely turned). */
const AFTER_MIDNIGHT_MS = 5_000;

export interface EntraJob {
  name: "entra.changes" | "entra.midnight" | "entra.outcomes";
  /** When the job is next due for the tenant; null: not until something changes. */
  dueAt(ctx: EntraContext, tenantId: number, now: Date): Promise<Date | null>;
  run(ctx: EntraContext, tenantId: number, now: Date): Promise<void>;
}

const changesJob: EntraJob = {
  name: "entra.changes",
  async dueAt(ctx, tenantId, now) {
    const conn = await findConnection(ctx.db, tenantId);
    const tenant = await findTenantById(ctx.db, tenantId);
    if (!conn || !tenant) return null;
    const open = await openRun(ctx.db, tenantId);
    if (open) return open.resumeAfter ?? now;
    if (!conn.fullSyncedAt) return now;
    const pending = await pendingChanges(ctx.db, tenant, conn.changeCursor!);
    let oldest: number;
    let newest: number;
    if (pending === "legacy") {
      const scope = await currentEntraScope(ctx.db, tenant, conn, now);
      const inScope = inScopeCondition(scope);
      const window = changedSince(tenant, conn.changeCursor);
      const row = await entraPeople(ctx.db, scope).whereRaw(inScope.sql, inScope.bindings).whereRaw(window.sql, window.bindings)
        .first(ctx.db.raw("count(*) as n"), ctx.db.raw(`${LEGACY_CHANGE_TIMES.oldest} as oldest`), ctx.db.raw(`${LEGACY_CHANGE_TIMES.newest} as newest`));
      if (!toCount(row?.n)) return null;
      oldest = new Date(row.oldest).getTime();
      newest = new Date(row.newest).getTime();
    } else {
      if (pending.count === 0) return null;
      oldest = pending.oldest!.getTime();
      newest = pending.newest!.getTime();
    }
    return new Date(Math.min(newest + QUIET_MS, oldest + MAX_DELAY_MS));
  },
  async run(ctx, tenantId) {
    await syncTenant(ctx, tenantId, { kind: "auto", trigger: "schedule" });
  },
};

const midnightJob: EntraJob = {
  name: "entra.midnight",
  async dueAt(ctx, tenantId) {
    const conn = await findConnection(ctx.db, tenantId);
    const tenant = await findTenantById(ctx.db, tenantId);
    if (!conn?.lifecycleThrough || !tenant) return null;
    return new Date(localMidnight(addDays(conn.lifecycleThrough, 1), tenant.timeZone).getTime() + AFTER_MIDNIGHT_MS);
  },
  async run(ctx, tenantId) {
    await syncTenant(ctx, tenantId, { kind: "midnight", trigger: "schedule" });
  },
};

const outcomesJob: EntraJob = {
  name: "entra.outcomes",
  async dueAt(ctx, tenantId, now) {
    const conn = await findConnection(ctx.db, tenantId);
    if (!conn) return null;
    const lastSent = await ctx.db("entra_requests").where({ tenant_id: tenantId, outcome: "accepted" }).max("at as at").first();
    if (!lastSent?.at || now.getTime() - new Date(lastSent.at).getTime() > DAY_MS) return null;
    const sentAt = new Date(lastSent.at).getTime();
    const checkedAt = conn.outcomesCheckedAt?.getTime() ?? 0;
    // Logs appear 5 to 10 minutes after an upload: the first read waits that long, later ones repeat.
    return new Date(Math.max(sentAt, checkedAt) + OUTCOMES_EVERY_MS);
  },
  async run(ctx, tenantId) {
    await readOutcomes(ctx, tenantId);
  },
};

export const ENTRA_JOBS: readonly EntraJob[] = [changesJob, midnightJob, outcomesJob];

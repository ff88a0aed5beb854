// Retention (issue 13): the integration log and the admin audit are kept for each tenant's
// logRetentionDays (default 400) and purged by a periodic job of the scheduler. Deletes go in
// bounded batches so that a first purge of a large log does not hold one long transaction.
import type { Knex } from "knex";
import type { Logger } from "winston";
import type { Clock } from "../clock.js";
import { normaliseSettings } from "../hr/tenant-settings.js";
import type { PeriodicJob } from "../scheduler/scheduled-job.js";

const DAY_MS = 24 * 60 * 60 * 1000;
const BATCH = 5000;

export interface PurgeResult { tenants: number; integrationLog: number; adminAudit: number }

async function purgeTable(db: Knex, table: "integration_log" | "admin_audit", tenantId: number, before: Date): Promise<number> {
  let total = 0;
  for (;;) {
    // returning(): the affected count is not reported alike by pg and PGlite.
    const deleted = (await db(table).where({ tenant_id: tenantId }).whereIn("id",
      db(table).where({ tenant_id: tenantId }).where("at", "<", before).select("id").limit(BATCH)).delete().returning("id")).length;
    total += deleted;
    if (deleted < BATCH) return total;
  }
}

/** Deletes, for every tenant, the rows older than its retention. */
export async function purgeExpiredLogs(db: Knex, now: Date): Promise<PurgeResult> {
  const tenants = await db("tenants").select("id", "settings");
  const result: PurgeResult = { tenants: tenants.length, integrationLog: 0, adminAudit: 0 };
  for (const t of tenants) {
    let days: number;
    try { days = normaliseSettings(t.settings).logRetentionDays; } catch { continue; }
    const before = new Date(now.getTime() - days * DAY_MS);
    result.integrationLog += await purgeTable(db, "integration_log", t.id, before);
    result.adminAudit += await purgeTable(db, "admin_audit", t.id, before);
  }
  return result;
}

/** The purge as a periodic job (hourly; each run deletes only what became older than the retention since). */
export function retentionJob(db: Knex, logger: Logger, clock: Clock, everyMs = 60 * 60 * 1000): PeriodicJob {
  return {
    name: "log-retention",
    everyMs,
    async run() {
      const result = await purgeExpiredLogs(db, clock());
      if (result.integrationLog || result.adminAudit) logger.info("log retention purge", { ...result });
    },
  };
}

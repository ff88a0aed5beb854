// Retention (issue 13): the integration log and the admin audit are kept for each tenant's
// logRetentionDays (default 400) and purged by a periodic job of the scheduler, in bounded batches
// (db/batched-delete.ts).
import type { Knex } from "knex";
import type { Logger } from "winston";
import type { Clock } from "../clock.js";
import { deleteInBatches } from "../db/batched-delete.js";
import { normaliseSettings } from "../hr/tenant-settings.js";
import type { PeriodicJob } from "../scheduler/scheduled-job.js";

const DAY_MS = 24 * 60 * 60 * 1000;

export interface PurgeResult { tenants: number; integrationLog: number; adminAudit: number }

function purgeTable(db: Knex, table: "integration_log" | "admin_audit", tenantId: number, before: Date): Promise<number> {
  // returning(): the affected count is not reported alike by pg and PGlite.
  return deleteInBatches(async (limit) => (await db(table).where({ tenant_id: tenantId }).whereIn("id",
    db(table).where({ tenant_id: tenantId }).where("at", "<", before).select("id").limit(limit)).delete().returning("id")).length);
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

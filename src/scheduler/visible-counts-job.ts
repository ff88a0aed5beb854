// Keeps the stored counts compact between midnights: the per-date visible counts behind every
// page's totalResults and the per-group member counts behind every /Groups page's member reads.
// Every minute, tenants whose HR writes left many delta rows (an import, a bulk update) have them
// summed (hr/lifecycle-state.ts compactVisibleCounts), so that a count stays a sum over one row
// per start date (and group).
import type { Knex } from "knex";
import type { Logger } from "winston";
import { compactVisibleCounts, tenantsWithLooseCounts } from "../hr/lifecycle-state.js";
import type { PeriodicJob } from "./scheduled-job.js";

export function visibleCountsJob(db: Knex, logger: Logger, { everyMs = 60_000, looseRows }: { everyMs?: number; looseRows?: number } = {}): PeriodicJob {
  return {
    name: "visible-counts-compaction",
    everyMs,
    async run() {
      const compacted: number[] = [];
      for (const tenantId of await tenantsWithLooseCounts(db, looseRows)) {
        if (await compactVisibleCounts(db, tenantId)) compacted.push(tenantId);
      }
      if (compacted.length) logger.info("visible counts compacted", { tenants: compacted.length });
    },
  };
}

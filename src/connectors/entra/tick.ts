// One look at the connector's polled work: for each connected tenant, each job that is due runs (one
// after the other). The server's scheduler calls it every few seconds (scheduled.ts); several
// processes may, as the tenant lease keeps one run per tenant. Tests call it with their own clock.
import type { EntraContext } from "./context.js";
import { connectedTenantIds } from "./connection-store.js";
import { ENTRA_JOBS, type EntraJob } from "./jobs.js";

export interface TickReport {
  ran: { tenantId: number; job: EntraJob["name"] }[];
  failed: { tenantId: number; job: EntraJob["name"]; error: string }[];
}

/** Runs the due jobs of every connected tenant (or of `only` these tenants). */
export async function tick(ctx: EntraContext, now: Date, jobs: readonly EntraJob[] = ENTRA_JOBS, only?: readonly number[]): Promise<TickReport> {
  const report: TickReport = { ran: [], failed: [] };
  for (const tenantId of await connectedTenantIds(ctx.db)) {
    if (only && !only.includes(tenantId)) continue;
    for (const job of jobs) {
      try {
        const due = await job.dueAt(ctx, tenantId, now);
        if (!due || due > now) continue;
        await job.run(ctx, tenantId, now);
        report.ran.push({ tenantId, job: job.name });
      } catch (e) {
        // One tenant's trouble must not stop the others.
        report.failed.push({ tenantId, job: job.name, error: (e as Error).message });
        ctx.logger.error("entra job failed", { tenant: tenantId, job: job.name, error: (e as Error).message });
      }
    }
  }
  return report;
}

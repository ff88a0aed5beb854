// A simple in-process scheduler for the Entra jobs, until the server's one scheduler for
// time-driven work takes them over: every tick, for each connected tenant, each job that is due
// runs (one after the other). Several processes may run it: the tenant lease keeps one run per
// tenant. `tick(now)` is the whole of it, so tests drive it with their own clock.
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

export interface EntraLoop {
  stop(): Promise<void>;
}

/** Ticks every `intervalMs` of real time (never two ticks at once) until stopped. */
export function startEntraLoop(ctx: EntraContext, options: { intervalMs?: number } = {}): EntraLoop {
  const intervalMs = options.intervalMs ?? 5_000;
  let stopped = false;
  let running: Promise<unknown> = Promise.resolve();
  let timer: NodeJS.Timeout | null = null;
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = tick(ctx, ctx.http.now()).catch((e) => ctx.logger.error("entra tick failed", { error: (e as Error).message })).finally(schedule);
    }, intervalMs);
    timer.unref();
  };
  schedule();
  return {
    async stop() {
      stopped = true;
      ctx.stopping.requested = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}

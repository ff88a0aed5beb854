// The connector as the server's scheduler runs it (src/scheduler): a periodic job that, every few
// seconds, runs the due jobs of every connected tenant (jobs.ts: HR changes within a minute, the
// push right after each local midnight, resumed runs, provisioning logs). Their due instants come
// from the store, so a midnight push that could not run (the tenant busy, Graph down, the server
// stopped) stays due and runs at the next look.
import type { PeriodicJob } from "../../scheduler/scheduled-job.js";
import type { EntraContext } from "./context.js";
import { tick } from "./tick.js";

export const POLL_EVERY_MS = 5_000;

export function entraJob(ctx: EntraContext): PeriodicJob {
  return {
    name: "entra",
    everyMs: POLL_EVERY_MS,
    async run(now) {
      await tick(ctx, now);
    },
    stop() {
      ctx.stopping.requested = true;
    },
  };
}

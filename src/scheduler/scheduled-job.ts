// What the scheduler runs: a job with a due instant per tenant (the lifecycle step and the Entra
// midnight push at each tenant's local midnight), run at most once per tenant and due instant across
// all processes, and once only for the latest due instant after downtime; and periodic jobs, which
// look for work of their own every few seconds (the Entra change push) and keep their own state.
import type { Knex } from "knex";
import { localDate, localMidnight } from "../hr/lifecycle.js";

/** A tenant as the scheduler sees it. */
export interface ScheduledTenant {
  id: number;
  timeZone: string;
}

export interface ScheduledJob {
  /** Unique among the jobs, recorded with each run ("lifecycle"). */
  name: string;
  /** The latest instant at or before `now` at which the job was due for the tenant. */
  dueAt(tenant: ScheduledTenant, now: Date): Date;
  /** The first instant after `now` at which it will be due. */
  nextDueAt(tenant: ScheduledTenant, now: Date): Date;
  /** Runs the job for one tenant, for the due instant `dueAt`; `now` is the scheduler's clock. Returns a summary to log. */
  run(db: Knex, tenant: ScheduledTenant, dueAt: Date, now: Date): Promise<Record<string, unknown> | void>;
}

/** Due at each local midnight of the tenant's time zone: the last one at or before `now`. */
export function lastLocalMidnight(tenant: ScheduledTenant, now: Date): Date {
  return localMidnight(localDate(now, tenant.timeZone), tenant.timeZone);
}

/** The next local midnight of the tenant's time zone after `now` (DST-aware: days of 23 or 25 hours). */
export function nextLocalMidnight(tenant: ScheduledTenant, now: Date): Date {
  const today = localDate(now, tenant.timeZone);
  const tomorrow = new Date(`${today}T00:00:00Z`);
  tomorrow.setUTCDate(tomorrow.getUTCDate() + 1);
  return localMidnight(tomorrow.toISOString().slice(0, 10), tenant.timeZone);
}

/**
 * A job that looks for work every `everyMs` of the scheduler's clock (never two of its runs at once
 * in a process). It finds its work in the store and keeps its own exclusivity across processes.
 */
export interface PeriodicJob {
  name: string;
  everyMs: number;
  run(now: Date): Promise<void>;
  /** Asks a run in progress to end soon (the process is stopping); the scheduler then waits for it. */
  stop?(): void;
}

// The one scheduler for time-driven work, inside the server process: a registry of jobs, each due at
// instants of its own per tenant, and of periodic jobs (scheduled-job.ts). Each run is claimed in scheduled_runs
// (migration 006) with `insert ... on conflict`, so that with several processes each run happens
// once; a claim left unfinished past its lease (a process died, the job failed) is claimed again.
// After downtime only the latest due instant of each job runs. Time is the injected clock.
import crypto from "node:crypto";
import os from "node:os";
import type { Knex } from "knex";
import type { Logger } from "winston";
import type { Clock } from "../clock.js";
import type { PeriodicJob, ScheduledJob, ScheduledTenant } from "./scheduled-job.js";

export interface SchedulerOptions {
  db: Knex;
  clock: Clock;
  logger: Logger;
  /** This process in claims (default: host, pid and a random suffix). */
  processId?: string;
  /** How long a claim may stay unfinished before another process (or a later tick) takes it over. */
  leaseMs?: number;
  /** Longest wait between two looks at the tenants (new tenants, changed time zones). */
  pollMs?: number;
  /** The tenants to schedule (default: all of them); tests narrow it to their own. */
  listTenants?: (db: Knex) => Promise<ScheduledTenant[]>;
}

/** One run that this process claimed. */
export interface ScheduledRun {
  job: string;
  tenantId: number;
  dueAt: Date;
  ok: boolean;
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** Claims older than this are deleted when a newer run of the same tenant and job is claimed. */
const KEEP_RUNS_MS = 30 * DAY_MS;

async function allTenants(db: Knex): Promise<ScheduledTenant[]> {
  const rows = await db("tenants").select("id", "time_zone").orderBy("id");
  return rows.map((r: { id: number; time_zone: string }) => ({ id: r.id, timeZone: r.time_zone }));
}

export class Scheduler {
  private readonly jobs = new Map<string, ScheduledJob>();
  private readonly periodic = new Map<string, PeriodicJob>();
  /** When each periodic job last started, by the clock. */
  private readonly lastPeriodic = new Map<string, number>();
  private readonly periodicTimers = new Map<string, NodeJS.Timeout>();
  private readonly periodicRuns = new Map<string, Promise<boolean>>();
  /** Latest due instant per job and tenant known to be claimed (by any process). */
  private readonly claimed = new Map<string, number>();
  private readonly processId: string;
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private readonly listTenants: (db: Knex) => Promise<ScheduledTenant[]>;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private stopped = false;
  private loadedClaims = false;

  constructor(private readonly options: SchedulerOptions) {
    this.processId = options.processId ?? `${os.hostname()}:${process.pid}:${crypto.randomBytes(3).toString("hex")}`;
    this.leaseMs = options.leaseMs ?? 10 * 60_000;
    this.pollMs = options.pollMs ?? 60_000;
    this.listTenants = options.listTenants ?? allTenants;
  }

  /** Adds a job; its name must be unique. */
  register(job: ScheduledJob): this {
    if (this.jobs.has(job.name) || this.periodic.has(job.name)) throw new Error(`A scheduled job named ${job.name} is already registered`);
    this.jobs.set(job.name, job);
    return this;
  }

  /** Adds a periodic job; its name must be unique. */
  every(job: PeriodicJob): this {
    if (this.jobs.has(job.name) || this.periodic.has(job.name)) throw new Error(`A scheduled job named ${job.name} is already registered`);
    this.periodic.set(job.name, job);
    return this;
  }

  /** Runs the periodic jobs whose period has passed since they last started; returns those that succeeded. */
  async runPeriodic(): Promise<string[]> {
    const ran: string[] = [];
    for (const job of this.periodic.values()) {
      const now = this.options.clock();
      if (now.getTime() - (this.lastPeriodic.get(job.name) ?? -Infinity) < job.everyMs) continue;
      if (await this.runPeriodicJob(job, now)) ran.push(job.name);
    }
    return ran;
  }

  private async runPeriodicJob(job: PeriodicJob, now: Date): Promise<boolean> {
    this.lastPeriodic.set(job.name, now.getTime());
    try {
      await job.run(now);
      return true;
    } catch (error) {
      this.options.logger.error("periodic job failed", { job: job.name, error: error instanceof Error ? error.message : String(error) });
      return false;
    }
  }

  /**
   * Runs, for every tenant, each job whose latest due instant this process or another has not run
   * yet (claiming it first). Returns the runs this call claimed.
   */
  async runDue(): Promise<ScheduledRun[]> {
    const { db, clock } = this.options;
    if (!this.loadedClaims) await this.loadClaims();
    const runs: ScheduledRun[] = [];
    for (const tenant of await this.listTenants(db)) {
      for (const job of this.jobs.values()) {
        const now = clock();
        const due = job.dueAt(tenant, now);
        const key = `${job.name}:${tenant.id}`;
        if ((this.claimed.get(key) ?? -Infinity) >= due.getTime()) continue;
        const claim = await this.claim(job, tenant, due, now);
        if (claim === "done") this.claimed.set(key, due.getTime());
        if (claim !== "claimed") continue;
        runs.push({ job: job.name, tenantId: tenant.id, dueAt: due, ok: await this.runClaimed(job, tenant, due, key) });
      }
    }
    return runs;
  }

  /** Runs due jobs now (catching up after downtime), then at each next due instant, until stop(). */
  start(): void {
    this.stopped = false;
    const tick = async () => {
      this.timer = null;
      try {
        this.running = this.runDue();
        await this.running;
      } catch (error) {
        this.options.logger.error("scheduler tick failed", { error: error instanceof Error ? error.message : String(error) });
      } finally {
        this.running = null;
      }
      if (!this.stopped) this.timer = setTimeout(() => void tick(), await this.delayToNextDue()).unref();
    };
    void tick();
    // Each periodic job on a timer of its own: a long run of one (a paced Entra push) delays neither
    // the midnight steps nor the others.
    for (const job of this.periodic.values()) {
      const loop = async () => {
        this.periodicTimers.delete(job.name);
        const run = this.runPeriodicJob(job, this.options.clock());
        this.periodicRuns.set(job.name, run);
        await run;
        this.periodicRuns.delete(job.name);
        if (!this.stopped) this.periodicTimers.set(job.name, setTimeout(() => void loop(), job.everyMs).unref());
      };
      void loop();
    }
  }

  /** Stops the timer and waits for the runs in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const job of this.periodic.values()) job.stop?.();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    for (const timer of this.periodicTimers.values()) clearTimeout(timer);
    this.periodicTimers.clear();
    await Promise.all(this.periodicRuns.values());
    await this.running?.catch(() => {});
  }

  /** Milliseconds until the earliest next due instant of any job and tenant, at most pollMs. */
  private async delayToNextDue(): Promise<number> {
    try {
      const now = this.options.clock();
      let next = now.getTime() + this.pollMs;
      for (const tenant of await this.listTenants(this.options.db)) {
        for (const job of this.jobs.values()) next = Math.min(next, job.nextDueAt(tenant, now).getTime());
      }
      return Math.max(0, next - now.getTime());
    } catch {
      return this.pollMs;
    }
  }

  /** The latest claims of every job and tenant, so that a restarted process does not try each again. */
  private async loadClaims(): Promise<void> {
    const rows = await this.options.db("scheduled_runs")
      .whereNotNull("finished_at").groupBy("tenant_id", "job").select("tenant_id", "job").max({ due_at: "due_at" });
    for (const r of rows as { tenant_id: number; job: string; due_at: Date | string }[]) {
      this.claimed.set(`${r.job}:${r.tenant_id}`, new Date(r.due_at).getTime());
    }
    this.loadedClaims = true;
  }

  /**
   * Claims the run (tenant, job, due): a new row, or one whose claim was not finished within the
   * lease. "done": another process ran it; "busy": another process holds it (or it failed and its
   * lease has not passed yet), to look at again on a later tick.
   */
  private async claim(job: ScheduledJob, tenant: ScheduledTenant, due: Date, now: Date): Promise<"claimed" | "done" | "busy"> {
    const { db } = this.options;
    const expired = new Date(now.getTime() - this.leaseMs);
    const result = await db.raw(
      `insert into scheduled_runs (tenant_id, job, due_at, claimed_by, claimed_at) values (?, ?, ?, ?, ?)
       on conflict (tenant_id, job, due_at) do update set claimed_by = excluded.claimed_by, claimed_at = excluded.claimed_at
        where scheduled_runs.finished_at is null and scheduled_runs.claimed_at < ?
       returning claimed_by`,
      [tenant.id, job.name, due, this.processId, now, expired],
    );
    if (result.rows.length === 1) return "claimed";
    const row = await db("scheduled_runs").where({ tenant_id: tenant.id, job: job.name, due_at: due }).first("finished_at");
    return row?.finished_at ? "done" : "busy";
  }

  private async runClaimed(job: ScheduledJob, tenant: ScheduledTenant, due: Date, key: string): Promise<boolean> {
    const { db, clock, logger } = this.options;
    const started = performance.now();
    try {
      const summary = await job.run(db, tenant, due, clock());
      const finished = clock();
      await db("scheduled_runs").where({ tenant_id: tenant.id, job: job.name, due_at: due, claimed_by: this.processId }).update({ finished_at: finished });
      await db("scheduled_runs").where({ tenant_id: tenant.id, job: job.name }).where("due_at", "<", new Date(due.getTime() - KEEP_RUNS_MS)).delete();
      this.claimed.set(key, due.getTime());
      logger.info("scheduled job ran", { job: job.name, tenantId: tenant.id, dueAt: due.toISOString(), ms: Math.round(performance.now() - started), ...(summary ?? {}) });
      return true;
    } catch (error) {
      // The claim stays unfinished: it is claimed again once its lease has passed.
      logger.error("scheduled job failed", { job: job.name, tenantId: tenant.id, dueAt: due.toISOString(), error: error instanceof Error ? error.message : String(error) });
      return false;
    }
  }
}

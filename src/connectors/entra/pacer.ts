// Pacing of a tenant's bulkUpload calls: evenly spaced at the connection's rate (at most 8 per
// second, i.e. 40 per 5 seconds), and within the daily budget (6,000 calls per rolling 24 hours).
// Both count the calls recorded in entra_requests, so that a run resumed by another process after
// a crash keeps to them too. Waits go through the injected sleep.
import type { Knex } from "knex";
import { toCount } from "../../db/database.js";
import type { Sleep } from "./http.js";
import { DAY_MS } from "./settings.js";

export interface PacingOptions {
  /** Calls per second; null switches pacing off (the benchmark measures hr-scim alone). */
  ratePerSecond: number | null;
  dailyBudget: number;
}

export interface Budget {
  used: number;
  left: number;
  /** When the oldest call of the window leaves it (a call frees), if any was made. */
  freesAt: Date | null;
}

export class Pacer {
  private nextSlot: number | null = null;
  /** Calls of the window as read from the store, plus those this pacer let through since. */
  private window: { used: number; freesAt: Date | null; readAt: number } | null = null;

  constructor(
    private readonly db: Knex,
    private readonly tenantId: number,
    private readonly options: PacingOptions,
    private readonly clock: { now: () => Date; sleep: Sleep },
  ) {}

  private get intervalMs(): number {
    return this.options.ratePerSecond ? 1000 / this.options.ratePerSecond : 0;
  }

  /**
   * The budget left. Read from the store once a minute (one run per tenant at a time: the calls
   * in between are this pacer's own, counted as they are let through).
   */
  async budget(now: Date): Promise<Budget> {
    if (!this.window || now.getTime() - this.window.readAt > 60_000 || (this.window.freesAt && now >= this.window.freesAt)) {
      const row = await this.db("entra_requests").where({ tenant_id: this.tenantId }).andWhere("at", ">", new Date(now.getTime() - DAY_MS))
        .first(this.db.raw("count(*) as used"), this.db.raw("min(at) as oldest"));
      this.window = { used: toCount(row?.used), freesAt: row?.oldest ? new Date(new Date(row.oldest).getTime() + DAY_MS) : null, readAt: now.getTime() };
    }
    const { used, freesAt } = this.window;
    return { used, left: Math.max(0, this.options.dailyBudget - used), freesAt: freesAt ?? (used > 0 ? new Date(now.getTime() + DAY_MS) : null) };
  }

  /** Counts a call about to be made against the budget. */
  private countCall(now: number): void {
    if (this.window) {
      this.window.used++;
      this.window.freesAt ??= new Date(now + DAY_MS);
    }
  }

  /** Waits until the next call may start, and takes that slot. */
  async takeSlot(): Promise<void> {
    this.countCall(this.clock.now().getTime());
    if (!this.intervalMs) return;
    if (this.nextSlot === null) {
      const last = await this.db("entra_requests").where({ tenant_id: this.tenantId }).max("at as at").first();
      this.nextSlot = last?.at ? new Date(last.at).getTime() + this.intervalMs : 0;
    }
    const now = this.clock.now().getTime();
    if (now < this.nextSlot) await this.clock.sleep(this.nextSlot - now);
    this.nextSlot = Math.max(this.clock.now().getTime(), this.nextSlot) + this.intervalMs;
  }
}

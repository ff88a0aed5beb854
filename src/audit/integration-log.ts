// The integration log (docs/BEHAVIOUR.md section 1): one row per SCIM request. Reads are buffered and
// written in batches so that logging never slows a read down; writes store their row (with the
// diff) in their own transaction instead, see recordWrite. Buffered rows are kept until stored:
// while the database is unavailable they wait (up to a bound) and the flush is retried with backoff.
import type { Knex } from "knex";
import type { Logger } from "winston";
import { classifyDatabaseError } from "../db/database-errors.js";
import { toStorableText } from "../db/storable-text.js";

export interface IntegrationLogEntry {
  tenantId: number;
  at: Date;
  tokenId: string | null;
  requestId: string;
  method: string;
  path: string;
  status: number;
  durationMs: number;
  resourceId?: string | null;
  diff?: unknown;
  /** Resources in a list page's answer (itemsPerPage). */
  results?: number | null;
}

/** Client-given text (a path, a resource id from the URL) as PostgreSQL can store it: a `GET /Groups/%00` is logged too. */
function storable(text: string, max: number): string {
  return toStorableText(text.slice(0, max));
}

function toRow(e: IntegrationLogEntry): Record<string, unknown> {
  return {
    tenant_id: e.tenantId, at: e.at, token_id: e.tokenId, request_id: storable(e.requestId, 200), method: e.method,
    path: storable(e.path, 2000), status: e.status, duration_ms: Math.round(e.durationMs),
    resource_id: e.resourceId == null ? null : storable(e.resourceId, 200), diff: e.diff === undefined ? null : JSON.stringify(e.diff),
    results: e.results ?? null,
  };
}

/** Inserts one entry in the caller's transaction: a write whose audit row cannot be stored does not happen. */
export async function recordWrite(trx: Knex.Transaction, entry: IntegrationLogEntry): Promise<void> {
  await trx("integration_log").insert(toRow(entry));
}

export interface IntegrationLogOptions {
  /** Delay between a row's arrival and the flush that stores it. */
  flushIntervalMs: number;
  /** Rows per insert; this many pending rows start a flush at once. */
  maxBatch: number;
  /**
   * Rows kept while the database cannot take them. Beyond it, new rows are dropped (the oldest,
   * already waiting, are kept); each overflow is logged when it starts and, with its count, when
   * the backlog is stored.
   */
  maxBacklog: number;
  /** First delay before retrying a flush the database was unavailable for; it doubles up to retryMaxMs. */
  retryMinMs: number;
  retryMaxMs: number;
}

export const DEFAULT_INTEGRATION_LOG_OPTIONS: IntegrationLogOptions = {
  flushIntervalMs: 1000, maxBatch: 500, maxBacklog: 100_000, retryMinMs: 500, retryMaxMs: 10_000,
};

type Row = Record<string, unknown>;

export class IntegrationLogBuffer {
  private readonly options: IntegrationLogOptions;
  private pending: Row[] = [];
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<boolean> = Promise.resolve(true);
  /** Delay of the next retry while the database is unavailable; 0 when the last flush worked. */
  private retryDelayMs = 0;
  private dropped = 0;
  private droppedThisOverflow = 0;
  private closed = false;

  constructor(
    private readonly db: Knex,
    private readonly logger: Logger,
    options: Partial<IntegrationLogOptions> = {},
  ) {
    this.options = { ...DEFAULT_INTEGRATION_LOG_OPTIONS, ...options };
  }

  record(entry: IntegrationLogEntry): void {
    if (this.pending.length >= this.options.maxBacklog) {
      if (this.droppedThisOverflow === 0) {
        this.logger.error("integration log backlog full: new rows are dropped until the database takes the backlog", { backlog: this.pending.length });
      }
      this.dropped++;
      this.droppedThisOverflow++;
      return;
    }
    this.pending.push(toRow(entry));
    if (this.retryDelayMs > 0 || this.closed) return; // the scheduled retry takes it
    if (this.pending.length >= this.options.maxBatch) void this.flush();
    else this.schedule(this.options.flushIntervalMs);
  }

  /** Rows recorded and not stored yet (for metrics). */
  backlogSize(): number {
    return this.pending.length;
  }

  /** Rows dropped since start because the backlog was full. */
  droppedCount(): number {
    return this.dropped;
  }

  /**
   * Stores what is pending. Resolves true when it is all stored, false when the database was
   * unavailable: the rows stay, and a retry is scheduled. Never rejects.
   */
  flush(): Promise<boolean> {
    this.cancelTimer();
    this.flushing = this.flushing.then(() => this.store());
    return this.flushing;
  }

  /**
   * For shutdown: flushes, retrying while the database is unavailable, for at most `timeoutMs`;
   * then stops. Logs and returns the number of rows left unstored.
   */
  async close(timeoutMs: number): Promise<number> {
    this.closed = true;
    const deadline = Date.now() + timeoutMs;
    while (this.pending.length > 0 && Date.now() < deadline) {
      const stored = await raceDeadline(this.flush(), deadline);
      this.cancelTimer();
      if (stored === true) continue;
      if (stored === undefined) break;
      await raceDeadline(delay(this.retryDelayMs), deadline);
    }
    this.cancelTimer();
    const left = this.pending.length;
    if (left > 0) this.logger.error("integration log rows not stored at shutdown", { rows: left });
    return left;
  }

  private schedule(ms: number): void {
    if (this.timer || this.closed) return;
    this.timer = setTimeout(() => { this.timer = null; void this.flush(); }, ms);
    this.timer.unref();
  }

  private cancelTimer(): void {
    if (this.timer) { clearTimeout(this.timer); this.timer = null; }
  }

  private async store(): Promise<boolean> {
    // Rows recorded while this runs wait for the next flush, so that a steady stream cannot hold it.
    let left = this.pending.length;
    while (left > 0) {
      const batch = this.pending.slice(0, Math.min(left, this.options.maxBatch));
      try {
        await this.db("integration_log").insert(batch);
        this.pending.splice(0, batch.length);
      } catch (error) {
        if (classifyDatabaseError(error)) return this.unavailable(error);
        // A row the database refuses (a data error) must not take the others (other requests,
        // other tenants) with it: the batch is retried row by row, and only refused rows are lost.
        let lost = 0;
        let code: string | undefined;
        for (const row of batch) {
          try {
            await this.db("integration_log").insert(row);
          } catch (rowError) {
            if (classifyDatabaseError(rowError)) return this.unavailable(rowError);
            lost++;
            code = (rowError as { code?: string }).code;
          }
          this.pending.shift();
        }
        if (lost > 0) this.logger.error("integration log rows not stored", { entries: lost, code });
      }
      left -= batch.length;
    }
    this.stored();
    return true;
  }

  private unavailable(error: unknown): false {
    const first = this.retryDelayMs === 0;
    this.retryDelayMs = first ? this.options.retryMinMs : Math.min(this.retryDelayMs * 2, this.options.retryMaxMs);
    const fields = { backlog: this.pending.length, retryInMs: this.retryDelayMs, fault: classifyDatabaseError(error), code: (error as { code?: string }).code };
    if (first) this.logger.warn("integration log not stored: database unavailable, rows kept and retried", fields);
    else this.logger.debug("integration log retry failed", fields);
    this.schedule(this.retryDelayMs);
    return false;
  }

  private stored(): void {
    if (this.retryDelayMs > 0) {
      this.retryDelayMs = 0;
      this.logger.info("integration log stored again after the database was unavailable", { backlog: this.pending.length });
    }
    if (this.droppedThisOverflow > 0) {
      this.logger.error("integration log rows dropped while the backlog was full", { dropped: this.droppedThisOverflow, maxBacklog: this.options.maxBacklog });
      this.droppedThisOverflow = 0;
    }
    if (this.pending.length > 0) this.schedule(this.options.flushIntervalMs);
  }
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/** The promise's value, or undefined when the deadline passes first. */
async function raceDeadline<T>(promise: Promise<T>, deadline: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => { timer = setTimeout(() => resolve(undefined), Math.max(0, deadline - Date.now())); });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

// The integration log (product.md section 1): one row per SCIM request. Reads are buffered and
// written in batches so that logging never slows a read down; writes store their row (with the
// diff) in their own transaction instead, see recordWrite.
import type { Knex } from "knex";
import type { Logger } from "winston";

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
}

function toRow(e: IntegrationLogEntry): Record<string, unknown> {
  return {
    tenant_id: e.tenantId, at: e.at, token_id: e.tokenId, request_id: e.requestId, method: e.method,
    path: e.path.slice(0, 2000), status: e.status, duration_ms: Math.round(e.durationMs),
    resource_id: e.resourceId ?? null, diff: e.diff === undefined ? null : JSON.stringify(e.diff),
  };
}

/** Inserts one entry in the caller's transaction: a write whose audit row cannot be stored does not happen. */
export async function recordWrite(trx: Knex.Transaction, entry: IntegrationLogEntry): Promise<void> {
  await trx("integration_log").insert(toRow(entry));
}

export class IntegrationLogBuffer {
  private pending: IntegrationLogEntry[] = [];
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Knex,
    private readonly logger: Logger,
    private readonly options: { flushIntervalMs: number; maxBatch: number } = { flushIntervalMs: 1000, maxBatch: 500 },
  ) {}

  record(entry: IntegrationLogEntry): void {
    this.pending.push(entry);
    if (this.pending.length >= this.options.maxBatch) void this.flush();
    else if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), this.options.flushIntervalMs);
      this.timer.unref();
    }
  }

  /** Writes everything recorded so far; resolves when it is stored. */
  flush(): Promise<void> {
    if (this.timer) { clearTimeout(this.timer); this.timer = null; }
    const batch = this.pending;
    this.pending = [];
    this.flushing = this.flushing.then(async () => {
      if (batch.length === 0) return;
      try {
        const rows = batch.map(toRow);
        for (let i = 0; i < rows.length; i += 500) await this.db("integration_log").insert(rows.slice(i, i + 500));
      } catch (e) {
        this.logger.error("integration log batch not stored", { entries: batch.length, code: (e as { code?: string }).code });
      }
    });
    return this.flushing;
  }
}

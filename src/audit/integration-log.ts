// The integration log (product.md section 1): one row per SCIM request. Reads are buffered and
// written in batches so that logging never slows a read down; writes store their row (with the
// diff) in their own transaction instead, see recordWrite.
import type { Knex } from "knex";
import type { Logger } from "winston";
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
      const rows = batch.map(toRow);
      for (let i = 0; i < rows.length; i += 500) {
        const slice = rows.slice(i, i + 500);
        try {
          await this.db("integration_log").insert(slice);
        } catch {
          // One row the database refuses must not take the others (other requests, other tenants) with it.
          let lost = 0;
          let code: string | undefined;
          for (const row of slice) {
            try {
              await this.db("integration_log").insert(row);
            } catch (e) {
              lost++;
              code = (e as { code?: string }).code;
            }
          }
          if (lost > 0) this.logger.error("integration log rows not stored", { entries: lost, code });
        }
      }
    });
    return this.flushing;
  }
}

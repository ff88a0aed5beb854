// The integration log as administrators read it: filtered by time range, token, status, resource
// and method, newest first, paged by keyset (at, id) in SQL, with the diff of each write.
import type { Knex } from "knex";
import { badInput } from "./problems.js";

export interface LogQuery {
  tenantId: number;
  from?: Date;
  to?: Date;
  tokenId?: string;
  /** An exact status (404) or a class ("2xx", "4xx", "5xx"), or "error" (400 and above). */
  status?: string;
  resourceId?: string;
  method?: string;
  limit: number;
  cursor?: string;
}

export interface LogRow {
  id: string;
  at: string;
  tokenId: string | null;
  requestId: string | null;
  method: string;
  path: string;
  status: number;
  durationMs: number;
  resourceId: string | null;
  results: number | null;
  diff: unknown;
}

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD"];

function encodeCursor(at: Date, id: string): string {
  return Buffer.from(`${at.toISOString()}|${id}`).toString("base64url");
}

function decodeCursor(cursor: string): { at: Date; id: string } {
  const text = Buffer.from(cursor.slice(0, 200), "base64url").toString("utf8");
  const m = /^(\d{4}-\d\d-\d\dT[\d:.]+Z)\|(\d{1,18})$/.exec(text);
  if (!m || Number.isNaN(new Date(m[1]).getTime())) throw badInput("cursor must be the next value of a previous page");
  return { at: new Date(m[1]), id: m[2] };
}

export function parseStatusFilter(status: string): { from: number; to: number } {
  if (/^[1-5]\d\d$/.test(status)) return { from: Number(status), to: Number(status) };
  if (/^[1-5]xx$/i.test(status)) return { from: Number(status[0]) * 100, to: Number(status[0]) * 100 + 99 };
  if (status === "error") return { from: 400, to: 599 };
  throw badInput(`status must be a status code (404), a class (4xx) or "error", got ${JSON.stringify(status.slice(0, 20))}`);
}

export async function queryIntegrationLog(db: Knex, q: LogQuery): Promise<{ rows: LogRow[]; next: string | null }> {
  let query = db("integration_log").where({ tenant_id: q.tenantId });
  if (q.from) query = query.where("at", ">=", q.from);
  if (q.to) query = query.where("at", "<", q.to);
  if (q.tokenId) query = query.where({ token_id: q.tokenId });
  if (q.resourceId) query = query.where({ resource_id: q.resourceId });
  if (q.method) {
    const method = q.method.toUpperCase();
    if (!METHODS.includes(method)) throw badInput(`method must be one of ${METHODS.join(", ")}`);
    query = query.where({ method });
  }
  if (q.status) {
    const { from, to } = parseStatusFilter(q.status);
    query = query.whereBetween("status", [from, to]);
  }
  if (q.cursor) {
    const c = decodeCursor(q.cursor);
    query = query.where((w) => w.where("at", "<", c.at).orWhere((x) => x.where("at", "=", c.at).andWhere("id", "<", c.id)));
  }
  const rows = await query.orderBy("at", "desc").orderBy("id", "desc").limit(q.limit + 1)
    .select("id", "at", "token_id", "request_id", "method", "path", "status", "duration_ms", "resource_id", "results", "diff");
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  return {
    rows: page.map((r: Record<string, any>) => ({
      id: String(r.id), at: new Date(r.at).toISOString(), tokenId: r.token_id, requestId: r.request_id, method: r.method, path: r.path,
      status: r.status, durationMs: r.duration_ms, resourceId: r.resource_id, results: r.results ?? null, diff: r.diff ?? null,
    })),
    next: rows.length > q.limit && last ? encodeCursor(new Date(last.at), String(last.id)) : null,
  };
}

// What the console's status panel and chart show, computed in SQL over the integration log: the last
// import seen per token (its last run of requests: when, how many list pages and users, errors),
// and requests, errors and response times per token and day.
import type { Knex } from "knex";
import { toCount } from "../db/database.js";

/** Requests of one token less than this apart belong to one import. */
const IMPORT_GAP_MS = 30 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface LastImport {
  tokenId: string;
  tokenName: string;
  lastRequestAt: string | null;
  startedAt: string | null;
  requests: number;
  pages: number;
  users: number;
  errors: number;
}

/** Per token of the tenant: its last import (requests within IMPORT_GAP_MS of the one before, back from its latest). */
export async function lastImports(db: Knex, tenantId: number): Promise<LastImport[]> {
  const tokens = await db("api_tokens").where({ tenant_id: tenantId }).whereNull("revoked_at").orderBy("created_at").select("id", "name", "last_used_at");
  const out: LastImport[] = [];
  for (const t of tokens) {
    const latest = await db("integration_log").where({ tenant_id: tenantId, token_id: t.id }).max("at as at").first();
    const end = latest?.at ? new Date(latest.at) : null;
    if (!end) { out.push({ tokenId: t.id, tokenName: t.name, lastRequestAt: null, startedAt: null, requests: 0, pages: 0, users: 0, errors: 0 }); continue; }
    // The window back from the latest request: an import longer than a day counts its last day.
    const since = new Date(end.getTime() - DAY_MS);
    const times = await db("integration_log").where({ tenant_id: tenantId, token_id: t.id }).where("at", ">=", since).orderBy("at", "desc").limit(10000).pluck("at");
    let start = end;
    for (const at of times.map((a: string | Date) => new Date(a))) {
      if (start.getTime() - at.getTime() > IMPORT_GAP_MS) break;
      start = at;
    }
    const agg = await db("integration_log").where({ tenant_id: tenantId, token_id: t.id }).whereBetween("at", [start, end]).first(
      db.raw("count(*) as requests"),
      db.raw("count(results) as pages"),
      db.raw("coalesce(sum(results), 0) as users"),
      db.raw("count(*) filter (where status >= 400) as errors"),
    );
    out.push({
      tokenId: t.id, tokenName: t.name, lastRequestAt: end.toISOString(), startedAt: start.toISOString(),
      requests: toCount(agg.requests), pages: toCount(agg.pages), users: toCount(agg.users), errors: toCount(agg.errors),
    });
  }
  return out;
}

export interface DailyActivity {
  day: string;
  tokenId: string | null;
  requests: number;
  errors: number;
  avgMs: number;
  p95Ms: number;
}

/** The UTC days (YYYY-MM-DD) of the last `days` days up to `now`, oldest first. */
export function lastDays(now: Date, days: number): string[] {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return Array.from({ length: days }, (_, i) => new Date(today - (days - 1 - i) * DAY_MS).toISOString().slice(0, 10));
}

/** Requests, errors (status 400 and above) and response times per token and UTC day, over the last `days` days. */
export async function dailyActivity(db: Knex, tenantId: number, now: Date, days: number): Promise<DailyActivity[]> {
  const since = new Date(lastDays(now, days)[0]);
  const rows = await db("integration_log").where({ tenant_id: tenantId }).where("at", ">=", since)
    .select(
      db.raw(`to_char(at at time zone 'UTC', 'YYYY-MM-DD') as day`), "token_id",
      db.raw("count(*) as requests"), db.raw("count(*) filter (where status >= 400) as errors"),
      db.raw("avg(duration_ms) as avg_ms"), db.raw("percentile_cont(0.95) within group (order by duration_ms) as p95_ms"),
    )
    .groupByRaw(`1, token_id`).orderByRaw("1, token_id");
  return rows.map((r: Record<string, any>) => ({
    day: r.day, tokenId: r.token_id, requests: toCount(r.requests), errors: toCount(r.errors),
    avgMs: Math.round(Number(r.avg_ms) * 10) / 10, p95Ms: Math.round(Number(r.p95_ms) * 10) / 10,
  }));
}

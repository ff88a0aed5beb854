// /metrics in Prometheus text format (prom-client): requests by route, method, status and tenant,
// latency histograms, database pool use, the integration-log backlog, Entra runs and failures, and
// the process's default metrics. A registry per app (tests build several). On the main port it
// needs METRICS_TOKEN as a bearer token (404 when none is set); METRICS_PORT serves it apart,
// without a token, on METRICS_HOST (README "Metrics").
import crypto from "node:crypto";
import { createServer, type Server } from "node:http";
import type { RequestHandler } from "express";
import type { Knex } from "knex";
import client from "prom-client";
import type { IntegrationLogBuffer } from "../audit/integration-log.js";
import type { RequestContext } from "../context.js";
import { toCount } from "../db/database.js";
import { routeAndPath } from "./middleware/request-log.js";

export interface Metrics {
  registry: client.Registry;
  /** Records each response (mounted first, so it sees every request). */
  middleware: RequestHandler;
  /** The exposition text (the Entra gauges read from the store first). */
  text(): Promise<string>;
}

interface TarnPool { numUsed(): number; numFree(): number; numPendingAcquires(): number; max?: number }

function poolOf(db: Knex): TarnPool | null {
  const pool = (db.client as { pool?: TarnPool }).pool;
  return pool && typeof pool.numUsed === "function" ? pool : null;
}

export function createMetrics(deps: { db: Knex; integrationLog: IntegrationLogBuffer; defaultMetrics?: boolean }): Metrics {
  const registry = new client.Registry();
  if (deps.defaultMetrics !== false) client.collectDefaultMetrics({ register: registry });
  const labelNames = ["route", "method", "status", "tenant"] as const;
  const requests = new client.Counter({ name: "hrscim_http_requests_total", help: "HTTP requests answered, by route pattern, method, status and tenant", labelNames, registers: [registry] });
  const latency = new client.Histogram({
    name: "hrscim_http_request_duration_seconds", help: "Time to answer HTTP requests, by route pattern, method, status and tenant",
    labelNames, buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], registers: [registry],
  });
  new client.Gauge({
    name: "hrscim_db_pool_connections", help: "Database pool connections by state (used, free, pending acquires); PGlite has one connection and no pool",
    labelNames: ["state"], registers: [registry],
    collect() {
      const pool = poolOf(deps.db);
      if (!pool) return;
      this.set({ state: "used" }, pool.numUsed());
      this.set({ state: "free" }, pool.numFree());
      this.set({ state: "pending" }, pool.numPendingAcquires());
    },
  });
  new client.Gauge({
    name: "hrscim_integration_log_backlog", help: "Integration-log rows recorded and not stored yet", registers: [registry],
    collect() { this.set(deps.integrationLog.backlogSize()); },
  });
  new client.Gauge({
    name: "hrscim_integration_log_dropped", help: "Integration-log rows dropped since start because the backlog was full", registers: [registry],
    collect() { this.set(deps.integrationLog.droppedCount()); },
  });
  const entraRuns = new client.Gauge({ name: "hrscim_entra_runs_last_24h", help: "Entra push runs started in the last 24 hours, by status", labelNames: ["status"], registers: [registry] });
  const entraFailed = new client.Gauge({ name: "hrscim_entra_failed_employees_last_24h", help: "Employees Entra runs of the last 24 hours could not send", registers: [registry] });
  // Read from the store at scrape time: runs happen in whichever process holds the lease.
  const collectEntra = async () => {
    const since = new Date(Date.now() - 24 * 3600_000);
    const rows = await deps.db("entra_runs").where("started_at", ">=", since).groupBy("status").select("status", deps.db.raw("count(*) as n"), deps.db.raw("coalesce(sum(failed), 0) as failed"));
    entraRuns.reset();
    let failed = 0;
    for (const r of rows as Record<string, unknown>[]) { entraRuns.set({ status: String(r.status) }, toCount(r.n)); failed += toCount(r.failed); }
    entraFailed.set(failed);
  };

  const middleware: RequestHandler = (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on("finish", () => {
      const ctx = res.locals.ctx as RequestContext | undefined;
      const { route } = routeAndPath(req);
      // Unmatched paths are the client's text: one label for all, so that the series stay few.
      const labels = { route: req.route ? route : "unmatched", method: req.method, status: String(res.statusCode), tenant: ctx?.tenant.slug ?? "" };
      requests.inc(labels);
      latency.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
    });
    next();
  };
  return { registry, middleware, async text() { await collectEntra(); return registry.metrics(); } };
}

/** GET /metrics on the main port: a bearer token compared in constant time, else 404 (as if absent). */
export function metricsEndpoint(metrics: Metrics, token: string | undefined): RequestHandler {
  const expected = token ? crypto.createHash("sha256").update(token).digest() : null;
  return (req, res, next) => {
    if (!expected) { next(); return; }
    const m = /^Bearer (.+)$/.exec(req.get("authorization") ?? "");
    const given = crypto.createHash("sha256").update(m ? m[1] : "").digest();
    if (!m || !crypto.timingSafeEqual(given, expected)) {
      res.status(401).setHeader("WWW-Authenticate", 'Bearer realm="metrics"');
      res.type("text/plain").send("Send METRICS_TOKEN as Authorization: Bearer <token>\n");
      return;
    }
    metrics.text().then((body) => { res.type(metrics.registry.contentType).send(body); }, next);
  };
}

/** METRICS_PORT's server: GET /metrics alone, without a token (for a scraper on a private network); not yet listening. */
export function metricsOnlyServer(metrics: Metrics): Server {
  return createServer((req, res) => {
    if (req.method !== "GET" || req.url?.split("?")[0] !== "/metrics") { res.writeHead(404).end(); return; }
    metrics.text().then((body) => res.writeHead(200, { "Content-Type": metrics.registry.contentType }).end(body), () => res.writeHead(500).end());
  });
}

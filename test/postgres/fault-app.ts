// The app on the PostgreSQL of DATABASE_URL with the limits a fault test chooses, its store reached
// through a TCP proxy the test can cut (src/db's knex sees a real outage: refused, reset or stalled
// connections). A second, direct connection sets data up, holds locks and counts rows.
import crypto from "node:crypto";
import { Writable } from "node:stream";
import type { Knex } from "knex";
import supertest from "supertest";
import { createApp } from "../../src/app.js";
import { IntegrationLogBuffer, type IntegrationLogOptions } from "../../src/audit/integration-log.js";
import { issueToken } from "../../src/auth/tokens.js";
import type { Permission } from "../../src/auth/permissions.js";
import { openDatabase, type Database, type DatabaseLimits } from "../../src/db/database.js";
import type { TenantConcurrencyLimits } from "../../src/http/middleware/tenant-concurrency.js";
import { createLogger } from "../../src/logger.js";
import { makeTenant } from "../support/build-test-app.js";
import { TcpProxy } from "../support/tcp-proxy.js";
import { TEST_NOW } from "../support/test-clock.js";

export interface FaultAppOptions {
  limits?: Partial<DatabaseLimits>;
  tenantConcurrency?: TenantConcurrencyLimits;
  integrationLog?: Partial<IntegrationLogOptions>;
  /** Which store the integration log writes to: through the proxy, as the app (default), or directly. */
  integrationLogStore?: "proxied" | "direct";
  /** Which store the app reads and writes: through the proxy (default), or directly. */
  appStore?: "proxied" | "direct";
}

export interface FaultApp {
  request: () => supertest.Agent;
  proxy: TcpProxy;
  /** Straight to DATABASE_URL, never cut. */
  direct: Knex;
  integrationLog: IntegrationLogBuffer;
  /** Log lines (parsed JSON) the app wrote so far. */
  logLines: () => Record<string, unknown>[];
  close(): Promise<void>;
}

export async function buildFaultApp(options: FaultAppOptions = {}): Promise<FaultApp> {
  const url = new URL(process.env.DATABASE_URL!);
  const proxy = await TcpProxy.start({ host: url.hostname, port: Number(url.port || 5432) });
  const proxiedUrl = new URL(url);
  proxiedUrl.hostname = "127.0.0.1";
  proxiedUrl.port = String(proxy.port);
  const proxied: Database = await openDatabase({ databaseUrl: proxiedUrl.toString(), limits: options.limits });
  const direct: Database = await openDatabase({ databaseUrl: url.toString(), limits: { poolSize: 4 } });

  const lines: string[] = [];
  const stream = new Writable({ write(chunk, _encoding, done) { lines.push(...String(chunk).split("\n").filter(Boolean)); done(); } });
  const logger = createLogger("debug", { stream });
  const store = (which: "proxied" | "direct" | undefined) => (which === "direct" ? direct.knex : proxied.knex);
  const integrationLog = new IntegrationLogBuffer(store(options.integrationLogStore), logger, { flushIntervalMs: 50, ...options.integrationLog });
  const app = createApp({
    db: store(options.appStore), clock: () => new Date(TEST_NOW), logger, integrationLog, baseUrl: "https://scim.test",
    tenantConcurrency: options.tenantConcurrency,
  });
  return {
    request: () => supertest.agent(app),
    proxy,
    direct: direct.knex,
    integrationLog,
    logLines: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
    async close() {
      await proxy.restore();
      await integrationLog.close(2_000);
      await proxied.close();
      await direct.close();
      await proxy.close();
    },
  };
}

/** A tenant of the test's own with `employees` current employees, and a token for it. */
export async function faultTenant(db: Knex, employees: number, permissions: Permission[] = []) {
  const tenant = await makeTenant(db);
  const ids: string[] = [];
  for (let i = 0; i < employees; i++) {
    const login = `emp.${crypto.randomUUID().slice(0, 8)}`;
    const [row] = await db("employees").insert({
      tenant_id: tenant.id, login, first_name: "Jane", last_name: `Doe ${i}`, work_email: `${login}@acme.example`,
      created_at: "2026-01-05T08:00:00Z", updated_at: "2026-01-05T08:00:00Z",
    }).returning("id");
    await db("contracts").insert({ tenant_id: tenant.id, employee_id: row.id, start_date: "2020-01-01" });
    ids.push(String(row.id));
  }
  const { token } = await issueToken(db, { tenantId: tenant.id, name: `fault-${crypto.randomUUID()}`, permissions, createdBy: "test", now: TEST_NOW });
  return { id: tenant.id, slug: tenant.slug, ids, token };
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/** Integration-log rows stored for these request ids. */
export async function storedRequestIds(db: Knex, requestIds: string[]): Promise<string[]> {
  const rows = await db("integration_log").whereIn("request_id", requestIds).select("request_id");
  return rows.map((r: { request_id: string }) => r.request_id).sort();
}

/** Polls `check` every 20 ms until it holds or `withinMs` passes (real time: these tests wait on sockets). */
export async function eventually(check: () => Promise<boolean> | boolean, withinMs: number): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Backends waiting, directly or behind other waiters (queued on the same row), on a lock the backend `pid` holds. */
export async function blockedBy(db: Knex, pid: number): Promise<number> {
  const result = await db.raw(`with recursive blocked(pid) as (
      select pid from pg_stat_activity where ? = any(pg_blocking_pids(pid))
      union
      select a.pid from pg_stat_activity a join blocked b on b.pid = any(pg_blocking_pids(a.pid))
    ) select count(*) as n from blocked`, [pid]);
  return Number(result.rows[0].n);
}

/** The backend pid of a transaction's connection. */
export async function backendPid(trx: Knex.Transaction): Promise<number> {
  return (await trx.raw("select pg_backend_pid() as pid")).rows[0].pid;
}

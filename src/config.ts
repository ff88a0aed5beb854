// Environment parsed once, at start-up, into a typed Config.
import path from "node:path";
import { parseSecretKey } from "./crypto/secret-key.js";
import { readSmtpConfig, type SmtpConfig } from "./notifications/email.js";

export interface Config {
  port: number;
  /** PostgreSQL connection string; absent means embedded PGlite in dataDir. */
  databaseUrl?: string;
  dataDir: string;
  /** READ_DATABASE_URL: a streaming replica of DATABASE_URL for SCIM reads (src/db/read-routing.ts). */
  readDatabaseUrl?: string;
  /** Public base URL used for absolute meta.location, e.g. https://scim.example.com */
  baseUrl?: string;
  logLevel: string;
  /** Test-only fixed instant (HR_SCIM_FAKE_NOW), honoured only when NODE_ENV=test. */
  fakeNow?: Date;
  /** HR_SCIM_SECRET_KEY (32 bytes, base64); required with DATABASE_URL, else kept in the data directory. */
  secretKey?: Buffer;
  /** SMTP server for notifications (SMTP_HOST, ...); absent: no email. */
  smtp?: SmtpConfig;
  /** Whether this process runs the scheduler's time-driven work (HR_SCIM_SCHEDULER=off: no). */
  scheduler: boolean;
  /** Server processes on the one port (HR_SCIM_WORKERS, src/cluster.ts); PostgreSQL only, PGlite runs one. */
  workers: number;
  /** PostgreSQL pool size (HR_SCIM_DB_POOL_SIZE); unset, DEFAULT_DATABASE_LIMITS. */
  dbPoolSize?: number;
  /** statement_timeout of every PostgreSQL connection, ms, 0 for none (HR_SCIM_STATEMENT_TIMEOUT_MS); unset, 10 s. */
  statementTimeoutMs?: number;
  /** Per-tenant concurrency (HR_SCIM_TENANT_MAX_IN_FLIGHT, _MAX_QUEUED, _MAX_WAIT_MS), the variables set only; the others derive from the pool size. */
  tenantConcurrency?: { maxInFlight?: number; maxQueued?: number; maxWaitMs?: number };
  /** NODE_ENV=production: no demo token is ever issued at start. */
  production: boolean;
  /** Socket limits of the HTTP server (src/http/server.ts), in milliseconds and connections. */
  http: {
    headersTimeoutMs: number;
    requestTimeoutMs: number;
    keepAliveTimeoutMs: number;
    maxConnections: number;
  };
  /** Bearer token that /metrics requires on the main port (METRICS_TOKEN); unset: /metrics answers 404 there. */
  metricsToken?: string;
  /** A separate port serving /metrics without a token (METRICS_PORT), bound to metricsHost (METRICS_HOST, default 127.0.0.1). */
  metricsPort?: number;
  metricsHost: string;
  /** How long SIGTERM waits for in-flight requests before cutting them (then the log is flushed, the database closed). */
  shutdownTimeoutMs: number;
  /** How long a verified token is kept in process, ms, 0 for never (HR_SCIM_TOKEN_CACHE_MS, src/auth/verified-token-cache.ts); unset, 5 s. */
  tokenCacheMs?: number;
}

function metricsToken(text: string | undefined): string | undefined {
  if (!text) return undefined;
  if (text.length < 16) throw new Error("METRICS_TOKEN must be at least 16 characters (generate one with `openssl rand -hex 32`)");
  return text;
}

/** A whole number from the environment (from `min`, up to `max` when given), or undefined when unset or empty. */
function integer(env: NodeJS.ProcessEnv, name: string, min: number, max?: number): number | undefined {
  const text = env[name];
  if (text === undefined || text.trim() === "") return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || (max !== undefined && value > max)) {
    throw new Error(`${name} must be a whole number of at least ${min}${max !== undefined ? ` and at most ${max}` : ""}, got "${text}"`);
  }
  return value;
}

function readDatabaseUrl(env: NodeJS.ProcessEnv): string | undefined {
  if (!env.READ_DATABASE_URL) return undefined;
  if (!env.DATABASE_URL) throw new Error("READ_DATABASE_URL is a replica of DATABASE_URL: set DATABASE_URL too");
  return env.READ_DATABASE_URL;
}

/** "on" or "off" (unset or empty: the default). */
function onOff(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const text = env[name]?.trim().toLowerCase();
  if (!text) return fallback;
  if (text === "on") return true;
  if (text === "off") return false;
  throw new Error(`${name} must be "on" or "off", got "${env[name]}"`);
}

/** A positive integer variable, or its default when unset or empty. */
function positiveInteger(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const text = env[name];
  if (text === undefined || text === "") return fallback;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer, got "${text}"`);
  return value;
}

/**
 * Defaults of the HTTP limits. Headers: a client sends its (at most 64 KiB of) headers at once.
 * Request: the whole request, body included, must arrive within it; it is sized for a 100,000-row
 * CSV upload (about 15 MB) over a slow link. Node counts it until the request is received, never
 * while the response is written, so long streamed group lists are not cut by it.
 */
export const DEFAULT_HTTP_LIMITS = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 120_000,
  keepAliveTimeoutMs: 5_000,
  maxConnections: 500,
} as const;

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = env.PORT ? Number(env.PORT) : 8080;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got "${env.PORT}"`);
  let fakeNow: Date | undefined;
  if (env.HR_SCIM_FAKE_NOW && env.NODE_ENV === "test") {
    fakeNow = new Date(env.HR_SCIM_FAKE_NOW);
    if (Number.isNaN(fakeNow.getTime())) throw new Error(`HR_SCIM_FAKE_NOW must be an ISO instant, got "${env.HR_SCIM_FAKE_NOW}"`);
  }
  const tenantConcurrency = Object.fromEntries(Object.entries({
    maxInFlight: integer(env, "HR_SCIM_TENANT_MAX_IN_FLIGHT", 1),
    maxQueued: integer(env, "HR_SCIM_TENANT_MAX_QUEUED", 0),
    maxWaitMs: integer(env, "HR_SCIM_TENANT_MAX_WAIT_MS", 0),
  }).filter(([, value]) => value !== undefined));
  return {
    port,
    databaseUrl: env.DATABASE_URL || undefined,
    readDatabaseUrl: readDatabaseUrl(env),
    dataDir: path.resolve(env.HR_SCIM_DATA_DIR || "./data"),
    baseUrl: env.BASE_URL?.replace(/\/+$/, "") || undefined,
    metricsToken: metricsToken(env.METRICS_TOKEN),
    metricsPort: integer(env, "METRICS_PORT", 1),
    metricsHost: env.METRICS_HOST || "127.0.0.1",
    logLevel: env.LOG_LEVEL || "info",
    fakeNow,
    secretKey: env.HR_SCIM_SECRET_KEY ? parseSecretKey(env.HR_SCIM_SECRET_KEY) : undefined,
    smtp: readSmtpConfig(env),
    workers: integer(env, "HR_SCIM_WORKERS", 1) ?? 1,
    scheduler: onOff(env, "HR_SCIM_SCHEDULER", true),
    dbPoolSize: integer(env, "HR_SCIM_DB_POOL_SIZE", 1),
    statementTimeoutMs: integer(env, "HR_SCIM_STATEMENT_TIMEOUT_MS", 0),
    tenantConcurrency: Object.keys(tenantConcurrency).length > 0 ? tenantConcurrency : undefined,
    production: env.NODE_ENV === "production",
    http: readHttpLimits(env),
    shutdownTimeoutMs: positiveInteger(env, "HR_SCIM_SHUTDOWN_TIMEOUT_MS", 8_000),
    tokenCacheMs: integer(env, "HR_SCIM_TOKEN_CACHE_MS", 0, MAX_TOKEN_CACHE_MS),
  };
}

/** HR_SCIM_TOKEN_CACHE_MS is how long a token revoked in another process keeps working: at most a minute. */
const MAX_TOKEN_CACHE_MS = 60_000;

function readHttpLimits(env: NodeJS.ProcessEnv): Config["http"] {
  const limits = {
    headersTimeoutMs: positiveInteger(env, "HR_SCIM_HEADERS_TIMEOUT_MS", DEFAULT_HTTP_LIMITS.headersTimeoutMs),
    requestTimeoutMs: positiveInteger(env, "HR_SCIM_REQUEST_TIMEOUT_MS", DEFAULT_HTTP_LIMITS.requestTimeoutMs),
    keepAliveTimeoutMs: positiveInteger(env, "HR_SCIM_KEEP_ALIVE_TIMEOUT_MS", DEFAULT_HTTP_LIMITS.keepAliveTimeoutMs),
    maxConnections: positiveInteger(env, "HR_SCIM_MAX_CONNECTIONS", DEFAULT_HTTP_LIMITS.maxConnections),
  };
  // Node refuses a headers timeout longer than the request timeout (the headers are part of the request).
  if (limits.headersTimeoutMs > limits.requestTimeoutMs) {
    throw new Error(`HR_SCIM_HEADERS_TIMEOUT_MS (${limits.headersTimeoutMs}) must not exceed HR_SCIM_REQUEST_TIMEOUT_MS (${limits.requestTimeoutMs})`);
  }
  return limits;
}

// Environment parsed once, at start-up, into a typed Config.
import path from "node:path";
import { parseSecretKey } from "./crypto/secret-key.js";

export interface Config {
  port: number;
  /** PostgreSQL connection string; absent means embedded PGlite in dataDir. */
  databaseUrl?: string;
  dataDir: string;
  /** Public base URL used for absolute meta.location, e.g. https://scim.example.com */
  baseUrl?: string;
  logLevel: string;
  /** Test-only fixed instant (HR_SCIM_FAKE_NOW), honoured only when NODE_ENV=test. */
  fakeNow?: Date;
  /** HR_SCIM_SECRET_KEY (32 bytes, base64); required with DATABASE_URL, else kept in the data directory. */
  secretKey?: Buffer;
  /** PostgreSQL pool size (HR_SCIM_DB_POOL_SIZE); unset, DEFAULT_DATABASE_LIMITS. */
  dbPoolSize?: number;
  /** statement_timeout of every PostgreSQL connection, ms, 0 for none (HR_SCIM_STATEMENT_TIMEOUT_MS); unset, 10 s. */
  statementTimeoutMs?: number;
  /** Per-tenant concurrency (HR_SCIM_TENANT_MAX_IN_FLIGHT, _MAX_QUEUED, _MAX_WAIT_MS), the variables set only; the others derive from the pool size. */
  tenantConcurrency?: { maxInFlight?: number; maxQueued?: number; maxWaitMs?: number };
}

/** A whole number from the environment, or undefined when unset or empty. */
function integer(env: NodeJS.ProcessEnv, name: string, min: number): number | undefined {
  const text = env[name];
  if (text === undefined || text.trim() === "") return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be a whole number of at least ${min}, got "${text}"`);
  return value;
}

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
    dataDir: path.resolve(env.HR_SCIM_DATA_DIR || "./data"),
    baseUrl: env.BASE_URL?.replace(/\/+$/, "") || undefined,
    logLevel: env.LOG_LEVEL || "info",
    fakeNow,
    secretKey: env.HR_SCIM_SECRET_KEY ? parseSecretKey(env.HR_SCIM_SECRET_KEY) : undefined,
    dbPoolSize: integer(env, "HR_SCIM_DB_POOL_SIZE", 1),
    statementTimeoutMs: integer(env, "HR_SCIM_STATEMENT_TIMEOUT_MS", 0),
    tenantConcurrency: Object.keys(tenantConcurrency).length > 0 ? tenantConcurrency : undefined,
  };
}

// readConfig (src/config.ts): defaults, validation, and the test-only clock that production ignores.
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_HTTP_LIMITS, readConfig } from "../../src/config.js";

describe("readConfig", () => {
  it("defaults to port 8080, PGlite in ./data, no base URL, level info", () => {
    expect(readConfig({})).toEqual({
      port: 8080, databaseUrl: undefined, dataDir: path.resolve("./data"), baseUrl: undefined, logLevel: "info", fakeNow: undefined,
      production: false, http: DEFAULT_HTTP_LIMITS, shutdownTimeoutMs: 8_000, workers: 1, scheduler: true, metricsHost: "127.0.0.1",
    });
  });

  it("reads HR_SCIM_WORKERS, a whole number of at least 1", () => {
    expect(readConfig({ HR_SCIM_WORKERS: "4" }).workers).toBe(4);
    expect(readConfig({ HR_SCIM_WORKERS: "" }).workers).toBe(1);
    expect(() => readConfig({ HR_SCIM_WORKERS: "0" })).toThrow(/HR_SCIM_WORKERS/);
  });

  it("reads READ_DATABASE_URL only beside DATABASE_URL", () => {
    expect(readConfig({ DATABASE_URL: "postgres://p/db", READ_DATABASE_URL: "postgres://r/db" }).readDatabaseUrl).toBe("postgres://r/db");
    expect(() => readConfig({ READ_DATABASE_URL: "postgres://r/db" })).toThrow(/DATABASE_URL/);
  });

  it("reads HR_SCIM_SCHEDULER, on or off", () => {
    expect(readConfig({ HR_SCIM_SCHEDULER: "off" }).scheduler).toBe(false);
    expect(readConfig({ HR_SCIM_SCHEDULER: "ON" }).scheduler).toBe(true);
    expect(() => readConfig({ HR_SCIM_SCHEDULER: "no" })).toThrow(/HR_SCIM_SCHEDULER/);
  });

  it("reads PORT, DATABASE_URL, HR_SCIM_DATA_DIR, BASE_URL (without trailing slash) and LOG_LEVEL", () => {
    const c = readConfig({ PORT: "9090", DATABASE_URL: "postgres://x/y", HR_SCIM_DATA_DIR: "/tmp/d", BASE_URL: "https://scim.example.com/", LOG_LEVEL: "debug" });
    expect(c).toMatchObject({ port: 9090, databaseUrl: "postgres://x/y", dataDir: "/tmp/d", baseUrl: "https://scim.example.com", logLevel: "debug" });
  });

  it("refuses a PORT that is not a port number", () => {
    expect(() => readConfig({ PORT: "http" })).toThrow(/PORT/);
    expect(() => readConfig({ PORT: "70000" })).toThrow(/PORT/);
  });

  it("reads the pool size, statement timeout and per-tenant concurrency, leaving unset ones to their derived defaults", () => {
    const c = readConfig({ HR_SCIM_DB_POOL_SIZE: "20", HR_SCIM_STATEMENT_TIMEOUT_MS: "2500", HR_SCIM_TENANT_MAX_IN_FLIGHT: "5", HR_SCIM_TENANT_MAX_WAIT_MS: "0" });
    expect(c).toMatchObject({ dbPoolSize: 20, statementTimeoutMs: 2500, tenantConcurrency: { maxInFlight: 5, maxWaitMs: 0 } });
    expect(c.tenantConcurrency).not.toHaveProperty("maxQueued");
    expect(readConfig({ HR_SCIM_STATEMENT_TIMEOUT_MS: "" }).statementTimeoutMs).toBeUndefined();
    expect(readConfig({}).tenantConcurrency).toBeUndefined();
  });

  it("refuses limits that are not whole numbers in range", () => {
    expect(() => readConfig({ HR_SCIM_STATEMENT_TIMEOUT_MS: "5s" })).toThrow(/HR_SCIM_STATEMENT_TIMEOUT_MS/);
    expect(() => readConfig({ HR_SCIM_DB_POOL_SIZE: "0" })).toThrow(/HR_SCIM_DB_POOL_SIZE/);
    expect(() => readConfig({ HR_SCIM_TENANT_MAX_IN_FLIGHT: "1.5" })).toThrow(/HR_SCIM_TENANT_MAX_IN_FLIGHT/);
    expect(() => readConfig({ HR_SCIM_TENANT_MAX_QUEUED: "-1" })).toThrow(/HR_SCIM_TENANT_MAX_QUEUED/);
  });

  it("honours HR_SCIM_FAKE_NOW only when NODE_ENV=test", () => {
    const instant = "2026-06-15T10:00:00Z";
    expect(readConfig({ HR_SCIM_FAKE_NOW: instant, NODE_ENV: "test" }).fakeNow?.toISOString()).toBe("2026-06-15T10:00:00.000Z");
    expect(readConfig({ HR_SCIM_FAKE_NOW: instant, NODE_ENV: "production" }).fakeNow).toBeUndefined();
    expect(readConfig({ HR_SCIM_FAKE_NOW: instant }).fakeNow).toBeUndefined();
    expect(() => readConfig({ HR_SCIM_FAKE_NOW: "yesterday", NODE_ENV: "test" })).toThrow(/ISO/);
  });

  it("reads the HTTP limits and the shutdown timeout, in milliseconds and connections", () => {
    const c = readConfig({
      HR_SCIM_HEADERS_TIMEOUT_MS: "5000", HR_SCIM_REQUEST_TIMEOUT_MS: "300000", HR_SCIM_KEEP_ALIVE_TIMEOUT_MS: "65000",
      HR_SCIM_MAX_CONNECTIONS: "2000", HR_SCIM_SHUTDOWN_TIMEOUT_MS: "25000", NODE_ENV: "production",
    });
    expect(c.http).toEqual({ headersTimeoutMs: 5_000, requestTimeoutMs: 300_000, keepAliveTimeoutMs: 65_000, maxConnections: 2_000 });
    expect(c.shutdownTimeoutMs).toBe(25_000);
    expect(c.production).toBe(true);
    expect(readConfig({ HR_SCIM_MAX_CONNECTIONS: "" }).http.maxConnections).toBe(DEFAULT_HTTP_LIMITS.maxConnections);
  });

  it("refuses limits that are not positive integers, and a headers timeout beyond the request timeout", () => {
    for (const value of ["0", "-1", "1.5", "ten", "1e400"]) {
      expect(() => readConfig({ HR_SCIM_MAX_CONNECTIONS: value }), value).toThrow(/HR_SCIM_MAX_CONNECTIONS must be a positive integer/);
    }
    expect(() => readConfig({ HR_SCIM_REQUEST_TIMEOUT_MS: "0" })).toThrow(/HR_SCIM_REQUEST_TIMEOUT_MS/);
    expect(() => readConfig({ HR_SCIM_HEADERS_TIMEOUT_MS: "30000", HR_SCIM_REQUEST_TIMEOUT_MS: "20000" })).toThrow(/must not exceed/);
  });

  it("reads how long a verified token is kept (HR_SCIM_TOKEN_CACHE_MS), 0 for never, unset for the app's 5 s", () => {
    expect(readConfig({}).tokenCacheMs).toBeUndefined();
    expect(readConfig({ HR_SCIM_TOKEN_CACHE_MS: "0" }).tokenCacheMs).toBe(0);
    expect(readConfig({ HR_SCIM_TOKEN_CACHE_MS: "2000" }).tokenCacheMs).toBe(2_000);
    expect(() => readConfig({ HR_SCIM_TOKEN_CACHE_MS: "-1" })).toThrow(/HR_SCIM_TOKEN_CACHE_MS/);
    expect(readConfig({ HR_SCIM_TOKEN_CACHE_MS: "60000" }).tokenCacheMs).toBe(60_000);
    expect(() => readConfig({ HR_SCIM_TOKEN_CACHE_MS: "600000" })).toThrow(/at most 60000/);
  });
});

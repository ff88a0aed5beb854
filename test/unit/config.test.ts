// readConfig (src/config.ts): defaults, validation, and the test-only clock that production ignores.
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readConfig } from "../../src/config.js";

describe("readConfig", () => {
  it("defaults to port 8080, PGlite in ./data, no base URL, level info", () => {
    expect(readConfig({})).toEqual({ port: 8080, databaseUrl: undefined, dataDir: path.resolve("./data"), baseUrl: undefined, logLevel: "info", fakeNow: undefined });
  });

  it("reads PORT, DATABASE_URL, HR_SCIM_DATA_DIR, BASE_URL (without trailing slash) and LOG_LEVEL", () => {
    const c = readConfig({ PORT: "9090", DATABASE_URL: "postgres://x/y", HR_SCIM_DATA_DIR: "/tmp/d", BASE_URL: "https://scim.example.com/", LOG_LEVEL: "debug" });
    expect(c).toMatchObject({ port: 9090, databaseUrl: "postgres://x/y", dataDir: "/tmp/d", baseUrl: "https://scim.example.com", logLevel: "debug" });
  });

  it("refuses a PORT that is not a port number", () => {
    expect(() => readConfig({ PORT: "http" })).toThrow(/PORT/);
    expect(() => readConfig({ PORT: "70000" })).toThrow(/PORT/);
  });

  it("honours HR_SCIM_FAKE_NOW only when NODE_ENV=test", () => {
    const instant = "2026-06-15T10:00:00Z";
    expect(readConfig({ HR_SCIM_FAKE_NOW: instant, NODE_ENV: "test" }).fakeNow?.toISOString()).toBe("2026-06-15T10:00:00.000Z");
    expect(readConfig({ HR_SCIM_FAKE_NOW: instant, NODE_ENV: "production" }).fakeNow).toBeUndefined();
    expect(readConfig({ HR_SCIM_FAKE_NOW: instant }).fakeNow).toBeUndefined();
    expect(() => readConfig({ HR_SCIM_FAKE_NOW: "yesterday", NODE_ENV: "test" })).toThrow(/ISO/);
  });
});

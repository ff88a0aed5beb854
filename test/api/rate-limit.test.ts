// Rate limiting per token (tenant setting rateLimit, else the server's default): a sequential client
// is never limited; the shipped default does not limit parallel clients; the setting is validated.
// Floods (requests truly in flight together, which PGlite's single connection never has) are in
// test/postgres/rate-limit-flood.test.ts; the bucket rules in test/unit/rate-limit.test.ts.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { beforeAll, describe, expect, it } from "vitest";
import { applySetting, InvalidSettingError } from "../../src/hr/tenant-settings.js";
import { updateTenantSetting } from "../../src/hr/tenants.js";
import { makeTenant } from "../support/build-test-app.js";
import { bearer } from "../support/scim-client.js";
import { TEST_NOW } from "../support/test-clock.js";
import { useTestApp } from "../support/use-test-app.js";

const t = useTestApp();
/** A tenant of the file's own, limited to 1 request per second with bursts of 2. */
let slug: string;

/** A new token of that tenant: each has its own bucket. */
const tokenOf = () => t.tokenFor(slug);
const get = (token: string) => t.request().get("/scim/v2/Users").query({ count: 1 }).set(bearer(token));

/** Requests sent at once to one listening server, so that they are in flight together. */
async function flood(token: string, n: number): Promise<{ status: number; retryAfter: string | null; body: any }[]> {
  const server = http.createServer(t.app).listen(0);
  await new Promise((resolve) => server.once("listening", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/scim/v2/Users?count=1`;
  try {
    return await Promise.all(Array.from({ length: n }, async () => {
      const res = await fetch(url, { headers: bearer(token) });
      return { status: res.status, retryAfter: res.headers.get("retry-after"), body: await res.json() };
    }));
  } finally {
    server.close();
  }
}

beforeAll(async () => {
  const tenant = await makeTenant(t.db, { rateLimit: { requestsPerSecond: 1, burst: 2 } });
  slug = tenant.slug;
  const [e] = await t.db("employees").insert({ tenant_id: tenant.id, login: "rate.limited", first_name: "R", last_name: "L" }).returning("id");
  await t.db("contracts").insert({ tenant_id: tenant.id, employee_id: e.id, start_date: "2020-01-01" });
});

describe("rate limiting per token", () => {
  it("never limits a client sending one request at a time, even far beyond the rate", async () => {
    const token = await tokenOf();
    for (let i = 0; i < 25; i++) expect((await get(token)).status).toBe(200);
  });

  it("does not limit parallel clients within the shipped default", async () => {
    const demo = await t.token("demo");
    // 40 at once: within what the tenant's concurrency limit admits by default (3 running on
    // PostgreSQL's pool of 10, 4 on PGlite, and 64 waiting); beyond it that limit answers 503
    // whatever the rate limit.
    expect((await flood(demo, 40)).map((r) => r.status).filter((s) => s !== 200)).toEqual([]);
  });

  it("is a tenant setting: validated, back to the default with \"default\", and not a change of any resource", async () => {
    expect(applySetting({}, "rateLimit", '{"requestsPerSecond": 5, "burst": 10}').rateLimit).toEqual({ requestsPerSecond: 5, burst: 10 });
    expect(applySetting({ rateLimit: { requestsPerSecond: 5, burst: 10 } }, "rateLimit", "default").rateLimit).toBeNull();
    for (const bad of ['{"requestsPerSecond": 0, "burst": 1}', '{"requestsPerSecond": 5}', '{"requestsPerSecond": "5", "burst": 5}', "[]"]) {
      expect(() => applySetting({}, "rateLimit", bad), bad).toThrow(InvalidSettingError);
    }
    const token = await tokenOf();
    const before = (await get(token)).body.Resources[0].meta.lastModified;
    await updateTenantSetting(t.db, slug, "rateLimit", '{"requestsPerSecond": 1, "burst": 2}', new Date(TEST_NOW.getTime() + 60_000));
    expect((await get(token)).body.Resources[0].meta.lastModified).toBe(before);
  });
});

// Rate limiting per token under a parallel flood (PostgreSQL: requests in flight together): 429 with
// Retry-After as a SCIM error beyond the tenant's rate; other tokens are not affected; the bucket
// refills with time (the injected clock).
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

describe("rate limiting per token, under a parallel flood", () => {
  it("answers a parallel flood beyond the rate with 429, Retry-After and a SCIM body; other tokens are not affected", async () => {
    const token = await tokenOf();
    const responses = await flood(token, 20);
    const statuses = responses.map((r) => r.status);
    expect(statuses.every((s) => s === 200 || s === 429)).toBe(true);
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(2);
    const limited = responses.find((r) => r.status === 429);
    expect(limited).toBeDefined();
    expect(Number(limited!.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(limited!.body).toMatchObject({ schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: "429" });
    expect((await get(await tokenOf())).status).toBe(200);
  });

  it("refills the bucket with time", async () => {
    const token = await tokenOf();
    expect((await flood(token, 10)).some((r) => r.status === 429)).toBe(true);
    t.setNow(new Date(TEST_NOW.getTime() + 5_000));
    try {
      expect((await flood(token, 2)).map((r) => r.status)).toEqual([200, 200]);
    } finally {
      t.setNow(TEST_NOW);
    }
  });

});

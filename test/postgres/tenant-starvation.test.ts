// One tenant cannot starve the others: tenant A's PATCHes stuck on a row lock hold at most its
// share of the pool (the others wait a bounded time and get 503 with Retry-After), while tenant B
// is served at once; A's stuck requests complete once the lock goes.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Response } from "supertest";
import { backendPid, bearer, blockedBy, buildFaultApp, eventually, faultTenant, type FaultApp } from "./fault-app.js";

const POOL = 4;
const LIMITS = { maxInFlight: 2, maxQueued: 2, maxWaitMs: 400 };

let f: FaultApp;
beforeAll(async () => {
  f = await buildFaultApp({ appStore: "direct", limits: { poolSize: POOL }, tenantConcurrency: LIMITS });
});
afterAll(() => f.close());

describe("per-tenant concurrency", () => {
  it(`serves tenant B while ${POOL + 2} PATCHes of tenant A wait on a locked row`, async () => {
    // The app's own pool (direct: no proxy cut here) has POOL connections; the lock is held by the
    // test's separate connection.
    const a = await faultTenant(f.direct, 1, ["users:write"]);
    const b = await faultTenant(f.direct, 1);
    const id = a.ids[0];
    const lock = await f.direct.transaction();
    const done: Response[] = [];
    let patches: Promise<Response>[] = [];
    try {
      await lock("employees").where({ tenant_id: a.id, id }).forUpdate().select("id");
      const lockPid = await backendPid(lock);
      const started = performance.now();
      patches = Array.from({ length: POOL + 2 }, (_, i) =>
        f.request().patch(`/scim/v2/Users/${id}`).set(bearer(a.token)).set("Content-Type", "application/scim+json")
          .send({ schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "replace", path: "title", value: `T${i}` }] })
          .then((res) => { done.push(res); return res; }));

      // Two run (and wait on the lock), two wait in the queue until 400 ms, two are refused at once.
      expect(await eventually(() => done.length === POOL, 5_000)).toBe(true);
      const excessMs = performance.now() - started;
      expect(excessMs).toBeGreaterThanOrEqual(LIMITS.maxWaitMs - 20);
      expect(excessMs).toBeLessThan(LIMITS.maxWaitMs + 2_000);
      for (const res of done) {
        expect(res.status, res.text).toBe(503);
        expect(res.headers["retry-after"]).toMatch(/^[1-9]\d*$/);
        expect(JSON.parse(res.text)).toMatchObject({ schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: "503" });
        expect(JSON.parse(res.text).detail).toMatch(/too many requests in progress/);
      }
      expect(await blockedBy(f.direct, lockPid)).toBe(LIMITS.maxInFlight);

      // Tenant B, meanwhile: served from the connections A cannot take.
      const times: number[] = [];
      for (let i = 0; i < 3; i++) {
        const t0 = performance.now();
        const res = await f.request().get(`/scim/v2/Users/${b.ids[0]}`).set(bearer(b.token));
        times.push(performance.now() - t0);
        expect(res.status, res.text).toBe(200);
      }
      expect(Math.max(...times)).toBeLessThan(500);
      expect(done).toHaveLength(POOL); // A's two are still waiting on the lock
    } finally {
      await lock.commit();
    }
    const all = await Promise.all(patches);
    expect(all.map((r) => r.status).sort()).toEqual([200, 200, 503, 503, 503, 503]);
  });
});

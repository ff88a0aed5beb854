// The database going away under the app (through a TCP proxy the test cuts): SCIM requests answer
// 503 with Retry-After and a SCIM body within the connection bounds, /readyz answers 503, and
// service resumes without a restart once the database is back.
import { afterEach, describe, expect, it } from "vitest";
import { DEFAULT_DATABASE_LIMITS } from "../../src/db/database.js";
import { backendPid, bearer, blockedBy, buildFaultApp, eventually, faultTenant, type FaultApp } from "./fault-app.js";

const ERROR = "urn:ietf:params:scim:api:messages:2.0:Error";

let f: FaultApp | undefined;
afterEach(async () => { await f?.close(); f = undefined; });

async function timed<T>(run: () => Promise<T>): Promise<{ ms: number; res: T }> {
  const started = performance.now();
  const res = await run();
  return { ms: performance.now() - started, res };
}

function expectUnavailable(res: { status: number; headers: Record<string, string>; text: string }) {
  expect(res.status, res.text).toBe(503);
  expect(res.headers["retry-after"]).toMatch(/^[1-9]\d*$/);
  expect(res.headers["content-type"]).toMatch(/^application\/scim\+json/);
  const body = JSON.parse(res.text);
  expect(body).toMatchObject({ schemas: [ERROR], status: "503" });
  expect(body.detail).toMatch(/database is unavailable.*Retry-After/);
  expect(res.text).not.toMatch(/select|employees|Connection terminated|ECONN/i);
}

describe("database outage", () => {
  it("answers 503 with Retry-After at once while the server refuses connections, and 200 again once it is back, with no restart", async () => {
    f = await buildFaultApp(); // the production limits
    const tenant = await faultTenant(f.direct, 1);
    const get = () => f!.request().get(`/scim/v2/Users/${tenant.ids[0]}`).set(bearer(tenant.token));
    expect((await get()).status).toBe(200);

    await f.proxy.cut("refuse");
    const during = await timed(get);
    expectUnavailable(during.res);
    expect(during.ms).toBeLessThan(DEFAULT_DATABASE_LIMITS.acquireTimeoutMs);
    const ready = await f.request().get("/readyz");
    expect(ready.status).toBe(503);
    expect(ready.headers["retry-after"]).toBeDefined();
    expect(f.logLines().filter((l) => l.message === "database fault").at(-1)).toMatchObject({ fault: "unavailable" });

    await f.proxy.restore();
    const after = await get();
    expect(after.status, after.text).toBe(200);
    expect(after.body.id).toBe(tenant.ids[0]);
    expect((await f.request().get("/readyz")).status).toBe(200);
  });

  it("answers 503 within the connect timeout when the server accepts connections and never answers", async () => {
    f = await buildFaultApp({ limits: { connectTimeoutMs: 300, acquireTimeoutMs: 1_000 } });
    const tenant = await faultTenant(f.direct, 1);
    const get = () => f!.request().get(`/scim/v2/Users/${tenant.ids[0]}`).set(bearer(tenant.token));
    expect((await get()).status).toBe(200);

    await f.proxy.cut("stall");
    const during = await timed(get);
    expectUnavailable(during.res);
    expect(during.ms).toBeGreaterThanOrEqual(250);
    expect(during.ms).toBeLessThan(1_000);
    const ready = await timed(() => f!.request().get("/readyz"));
    expect(ready.res.status).toBe(503);
    expect(ready.ms).toBeLessThan(2_500);

    await f.proxy.restore();
    expect((await get()).status).toBe(200);
  });

  it("answers 503 to a request whose connection is cut under its query, and nothing is changed", async () => {
    f = await buildFaultApp();
    const tenant = await faultTenant(f.direct, 1, ["users:write"]);
    const id = tenant.ids[0];
    // The PATCH waits on this row lock, on a proxied connection, when the proxy is cut.
    const lock = await f.direct.transaction();
    try {
      await lock("employees").where({ tenant_id: tenant.id, id }).forUpdate().select("id");
      const lockPid = await backendPid(lock);
      const patch = f.request().patch(`/scim/v2/Users/${id}`).set(bearer(tenant.token)).set("Content-Type", "application/scim+json")
        .send({ schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "replace", path: "title", value: "Cut" }] })
        .then((res) => res);
      expect(await eventually(async () => (await blockedBy(f!.direct, lockPid)) === 1, 5_000)).toBe(true);
      await f.proxy.cut("refuse");
      expectUnavailable(await patch);
    } finally {
      await lock.rollback();
    }
    await f.proxy.restore();
    expect((await f.direct("employees").where({ tenant_id: tenant.id, id }).first()).job_title).toBeNull();
  });
});

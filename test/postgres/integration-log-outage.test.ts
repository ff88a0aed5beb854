// The integration log across a database outage: rows of requests served while the log's store is
// unreachable are kept and stored once it is back (counted by request id); a backlog over its bound
// drops the newest rows, counted and logged once per overflow.
import { afterEach, describe, expect, it } from "vitest";
import { bearer, buildFaultApp, eventually, faultTenant, storedRequestIds, type FaultApp } from "./fault-app.js";

let f: FaultApp | undefined;
afterEach(async () => { await f?.close(); f = undefined; });

async function getUsers(app: FaultApp, token: string, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const res = await app.request().get("/scim/v2/Users").set(bearer(token));
    expect(res.status, res.text).toBe(200);
    ids.push(res.headers["x-request-id"]);
  }
  return ids;
}

describe("integration log during a database outage", () => {
  it("stores the rows of requests served during the outage once the database is back", async () => {
    // The app reads directly; only the log's connections go through the proxy, so that requests
    // are served (and recorded) while the log cannot store them.
    f = await buildFaultApp({ appStore: "direct", integrationLogStore: "proxied", integrationLog: { retryMinMs: 50, retryMaxMs: 200 } });
    const tenant = await faultTenant(f.direct, 1);
    const before = await getUsers(f, tenant.token, 2);
    expect(await f.integrationLog.flush()).toBe(true);

    await f.proxy.cut("refuse");
    const during = await getUsers(f, tenant.token, 5);
    expect(await f.integrationLog.flush()).toBe(false);
    expect(f.integrationLog.backlogSize()).toBe(5);
    expect(await storedRequestIds(f.direct, during)).toEqual([]);
    expect(f.logLines().filter((l) => l.message === "integration log not stored: database unavailable, rows kept and retried")).toHaveLength(1);

    await f.proxy.restore();
    // The retry scheduled by the failed flush stores them, without another request or flush.
    expect(await eventually(() => f!.integrationLog.backlogSize() === 0, 3_000)).toBe(true);
    expect(await storedRequestIds(f.direct, [...before, ...during])).toEqual([...before, ...during].sort());
    expect(f.integrationLog.droppedCount()).toBe(0);
  });

  it("keeps rows recorded before a cut whose flush fell in the outage, on the app's own store", async () => {
    f = await buildFaultApp({ integrationLog: { flushIntervalMs: 60_000, retryMinMs: 50, retryMaxMs: 200 } });
    const tenant = await faultTenant(f.direct, 1);
    const served = await getUsers(f, tenant.token, 3);
    await f.proxy.cut("refuse");
    expect(await f.integrationLog.flush()).toBe(false);
    expect(f.integrationLog.backlogSize()).toBe(3);
    await f.proxy.restore();
    expect(await eventually(() => f!.integrationLog.backlogSize() === 0, 3_000)).toBe(true);
    expect(await storedRequestIds(f.direct, served)).toEqual([...served].sort());
  });

  it("drops the newest rows beyond the backlog bound, counts them, and logs the overflow once", async () => {
    f = await buildFaultApp({ appStore: "direct", integrationLogStore: "proxied", integrationLog: { maxBacklog: 5, retryMinMs: 50, retryMaxMs: 200 } });
    const tenant = await faultTenant(f.direct, 1);
    await f.proxy.cut("refuse");
    const during = await getUsers(f, tenant.token, 8);
    expect(await f.integrationLog.flush()).toBe(false);
    expect(f.integrationLog.backlogSize()).toBe(5);
    expect(f.integrationLog.droppedCount()).toBe(3);
    const full = f.logLines().filter((l) => l.message === "integration log backlog full: new rows are dropped until the database takes the backlog");
    expect(full).toHaveLength(1);

    await f.proxy.restore();
    expect(await eventually(() => f!.integrationLog.backlogSize() === 0, 3_000)).toBe(true);
    expect(await storedRequestIds(f.direct, during)).toEqual(during.slice(0, 5).sort());
    const dropped = f.logLines().filter((l) => l.message === "integration log rows dropped while the backlog was full");
    expect(dropped).toHaveLength(1);
    expect(dropped[0]).toMatchObject({ dropped: 3, maxBacklog: 5 });

    // A later overflow is a new episode, logged again with its own count.
    await f.proxy.cut("refuse");
    await getUsers(f, tenant.token, 6);
    await f.integrationLog.flush();
    await f.proxy.restore();
    expect(await eventually(() => f!.integrationLog.backlogSize() === 0, 3_000)).toBe(true);
    const episodes = f.logLines().filter((l) => l.message === "integration log rows dropped while the backlog was full");
    expect(episodes.map((l) => l.dropped)).toEqual([3, 1]);
    expect(f.integrationLog.droppedCount()).toBe(4);
  });

  it("gives up at shutdown after its time bound while the database is unavailable, saying how many rows are left", async () => {
    f = await buildFaultApp({ appStore: "direct", integrationLogStore: "proxied", integrationLog: { retryMinMs: 50, retryMaxMs: 100 } });
    const tenant = await faultTenant(f.direct, 1);
    await f.proxy.cut("stall"); // each attempt waits for the connect timeout
    await getUsers(f, tenant.token, 2);
    const started = performance.now();
    expect(await f.integrationLog.close(400)).toBe(2);
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(f.logLines().find((l) => l.message === "integration log rows not stored at shutdown")).toMatchObject({ rows: 2 });
  });

  it("still drops only the row the database refuses for a data reason, and stores the others", async () => {
    f = await buildFaultApp({ appStore: "direct", integrationLogStore: "direct" });
    const tenant = await faultTenant(f.direct, 1);
    const served = await getUsers(f, tenant.token, 2);
    // A row no tenant owns: the foreign key refuses it (23503), a data error, not a fault.
    f.integrationLog.record({ tenantId: -1, at: new Date(), tokenId: null, requestId: "refused-row", method: "GET", path: "/x", status: 200, durationMs: 1 });
    expect(await f.integrationLog.flush()).toBe(true);
    expect(f.integrationLog.backlogSize()).toBe(0);
    expect(await storedRequestIds(f.direct, [...served, "refused-row"])).toEqual([...served].sort());
    expect(f.logLines().find((l) => l.message === "integration log rows not stored")).toMatchObject({ entries: 1, code: "23503" });
  });
});

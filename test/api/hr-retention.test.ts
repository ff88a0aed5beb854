// Retention of the HR change feed (issue 11): the midnight job deletes each tenant's changes older
// than its retention period (default 400 days), and only those; hr:write goes alone on a token.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { permissionConflict } from "../../src/auth/permissions.js";
import { purgeHrChanges, setHrChangeRetention } from "../../src/hr/changes.js";
import { hrRetentionJob } from "../../src/scheduler/hr-retention-job.js";
import { buildTestApp, type TestApp } from "../support/build-test-app.js";
import { employee, get, hrTenant, organisation, put } from "./hr-fixture.js";

let t: TestApp;
beforeAll(async () => { t = await buildTestApp(); });
afterAll(() => t.close());

const DAY = 24 * 3600 * 1000;

describe("retention of HR changes", () => {
  it("purges changes older than the tenant's period at its midnight, and nothing else", async () => {
    const keep = await hrTenant(t);
    const short = await hrTenant(t);
    await setHrChangeRetention(t.db, short.id, 30);
    for (const x of [keep, short]) {
      await organisation(t, x.hr);
      await put(t, x.hr, "/employees/E1", employee("ada"));
    }
    const count = async (id: number) => Number((await t.db("hr_changes").where({ tenant_id: id }).count("* as n"))[0].n);
    const [keepBefore, shortBefore] = [await count(keep.id), await count(short.id)];
    expect(shortBefore).toBeGreaterThan(0);

    const in40days = new Date(t.now().getTime() + 40 * DAY);
    const tenant = (id: number) => ({ id, timeZone: "Europe/Paris" });
    expect(await hrRetentionJob.run(t.db, tenant(short.id), hrRetentionJob.dueAt(tenant(short.id), in40days), in40days)).toEqual({ changesPurged: shortBefore });
    expect(await hrRetentionJob.run(t.db, tenant(keep.id), hrRetentionJob.dueAt(tenant(keep.id), in40days), in40days)).toEqual({ changesPurged: 0 });
    expect([await count(keep.id), await count(short.id)]).toEqual([keepBefore, 0]);

    const in401days = new Date(t.now().getTime() + 401 * DAY);
    await hrRetentionJob.run(t.db, tenant(keep.id), in401days, in401days);
    expect(await count(keep.id)).toBe(0);
    // The feed's cursor goes on after a purge.
    const page = await get(t, keep.hr, "/changes?after=0");
    expect(page.body.items).toEqual([]);
  });
});

describe("retention of a long HR change feed", () => {
  it("deletes in batches until none is older than the period, each batch its own statement", async () => {
    const x = await hrTenant(t);
    await setHrChangeRetention(t.db, x.id, 30);
    await organisation(t, x.hr);
    for (const name of ["ada", "bob", "cy"]) await put(t, x.hr, `/employees/${name.toUpperCase()}`, employee(name));
    const count = async () => Number((await t.db("hr_changes").where({ tenant_id: x.id }).count("* as n"))[0].n);
    const before = await count();
    expect(before).toBeGreaterThan(5);
    const deletes: string[] = [];
    const onQuery = (q: { sql: string }) => { if (/^\s*delete from hr_changes/i.test(q.sql)) deletes.push(q.sql); };
    t.db.on("query", onQuery);
    try {
      expect(await purgeHrChanges(t.db, new Date(t.now().getTime() + 20 * DAY), x.id, 2)).toBe(0);
      expect(await purgeHrChanges(t.db, new Date(t.now().getTime() + 40 * DAY), x.id, 2)).toBe(before);
    } finally {
      t.db.off("query", onQuery);
    }
    expect(await count()).toBe(0);
    expect(deletes.length).toBe(1 + Math.floor(before / 2) + 1);
  });
});

describe("hr:write tokens", () => {
  it("hold hr:write and nothing else", () => {
    expect(permissionConflict(["hr:write"])).toBeNull();
    expect(permissionConflict(["users:write", "future-employees:read"])).toBeNull();
    expect(permissionConflict(["hr:write", "users:write"])).toMatch(/hr:write goes alone/);
  });
});

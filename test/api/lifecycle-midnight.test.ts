// Reads stay right at every instant though the lifecycle is stored (migration 005): two processes
// whose clocks stand on either side of a tenant's local midnight read the same store in turns and
// at once, and each sees its own day (no step has run; each read refreshes the stored day it needs
// and its statements check it); a write-back whose read finds the stored day stale runs again.
import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import supertest from "supertest";
import { createApp } from "../../src/app.js";
import { IntegrationLogBuffer } from "../../src/audit/integration-log.js";
import { issueToken } from "../../src/auth/tokens.js";
import { refreshLifecycle } from "../../src/hr/lifecycle-state.js";
import { createLogger } from "../../src/logger.js";
import { buildTestApp, makeTenant, type TestApp } from "../support/build-test-app.js";
import { bearer } from "../support/scim-client.js";
import { TEST_SECRET_KEY } from "../support/test-clock.js";
import { getUser, ops, patch, writeTenant } from "./write-back-fixture.js";

let t: TestApp;
beforeAll(async () => { t = await buildTestApp(); });
afterAll(() => t.close());

const BEFORE = "2026-06-15T21:59:59Z"; // 23:59:59 on the 15th in Paris
const AFTER = "2026-06-15T22:00:00Z"; // 00:00 on the 16th

/** Another process on the same store, whose clock stands at `at`. */
function otherProcess(at: string) {
  const logger = createLogger("silent");
  const app = createApp({ db: t.db, clock: () => new Date(at), logger, integrationLog: new IntegrationLogBuffer(t.db, logger), baseUrl: "https://scim.test", secretKey: TEST_SECRET_KEY });
  return () => supertest(app);
}

describe("two processes on either side of midnight", () => {
  it("each see their own day, in turns and at once", async () => {
    const tenant = await makeTenant(t.db, { groupTypes: ["LUCCA_DEPT"] });
    const [dept] = await t.db("departments").insert({ tenant_id: tenant.id, name: "Ops", updated_at: "2026-01-05T08:00:00Z" }).returning("id");
    const add = async (login: string, start: string, end: string | null) => {
      const [e] = await t.db("employees").insert({ tenant_id: tenant.id, login, first_name: login, last_name: "X", department_id: dept.id, updated_at: "2026-01-05T08:00:00Z" }).returning("id");
      await t.db("contracts").insert({ tenant_id: tenant.id, employee_id: e.id, start_date: start, end_date: end });
      await t.db("employees").where({ tenant_id: tenant.id, id: e.id }).update({ contracts_changed_at: null }); // hired with it
      return String(e.id);
    };
    const leaver = await add("leaver", "2020-01-01", "2026-06-15");
    const starter = await add("starter", "2026-06-16", null);
    const { token } = await issueToken(t.db, { tenantId: tenant.id, name: `m-${crypto.randomUUID()}`, permissions: [], createdBy: "test", now: new Date(BEFORE) });
    const processes: Record<string, ReturnType<typeof otherProcess>> = { [BEFORE]: otherProcess(BEFORE), [AFTER]: otherProcess(AFTER) };

    const read = async (at: string) => {
      const request = processes[at];
      const list = await request().get("/scim/v2/Users").query({ attributes: "active" }).set(bearer(token));
      const one = await request().get(`/scim/v2/Users/${leaver}`).set(bearer(token));
      const group = await request().get(`/scim/v2/Groups/LUCCA_DEPT-${dept.id}`).set(bearer(token));
      const delta = await request().get("/scim/v2/Users").query({ filter: 'meta.lastModified gt "2026-06-15T12:00:00Z"', attributes: "id" }).set(bearer(token));
      return {
        at,
        users: Object.fromEntries(list.body.Resources.map((u: any) => [u.id, u.active])),
        leaver: [one.body.active, one.body.meta.lastModified],
        members: group.body.members.map((m: any) => m.value),
        groupModified: group.body.meta.lastModified,
        changed: delta.body.Resources.map((u: any) => u.id),
      };
    };
    const expected = (at: string) => at === BEFORE
      ? { at, users: { [leaver]: true }, leaver: [true, "2026-01-05T08:00:00.000Z"], members: [leaver], groupModified: "2026-01-05T08:00:00.000Z", changed: [] }
      : { at, users: { [leaver]: false, [starter]: true }, leaver: [false, AFTER.replace("Z", ".000Z")], members: [leaver, starter], groupModified: AFTER.replace("Z", ".000Z"), changed: [leaver, starter] };

    for (const at of [BEFORE, AFTER, BEFORE, AFTER, AFTER, BEFORE]) expect(await read(at)).toEqual(expected(at));
    const together = await Promise.all([BEFORE, AFTER, BEFORE, AFTER].map(read));
    expect(together).toEqual([BEFORE, AFTER, BEFORE, AFTER].map(expected));
  });
});

describe("a write-back on a stale stored day", () => {
  it("runs again once the tenant's lifecycle is refreshed, and answers with the day's state", async () => {
    const wt = await writeTenant(t);
    const id = await wt.addEmployee({ login: "late.leaver" });
    await t.db("contracts").where({ tenant_id: wt.id, employee_id: Number(id) }).update({ end_date: "2026-06-14" });
    await refreshLifecycle(t.db, wt.id, "2026-06-10"); // the stored day is behind the clock's (2026-06-15)
    const res = await patch(t, wt.writer, id, ops({ op: "replace", path: "title", value: "Retired" }));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ title: "Retired", active: false });
    expect((await getUser(t, wt.reader, id)).active).toBe(false);
  });
});

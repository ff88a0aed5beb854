// Lifecycle of docs/BEHAVIOUR.md section 2 on every named row of the demo seed (seed day T =
// 2026-06-15, Paris).
import { describe, expect, it } from "vitest";
import { makeTenant } from "../support/build-test-app.js";
import { bearer, ENTERPRISE, listAll, userByLogin } from "../support/scim-client.js";
import { TEST_NOW } from "../support/test-clock.js";
import { useTestApp } from "../support/use-test-app.js";
import { issueToken } from "../../src/auth/tokens.js";

const t = useTestApp();

const named: [login: string, visible: boolean, active: boolean][] = [
  ["ada.lovelace", true, true],
  ["grace.hopper", true, true],
  ["elodie.durand-muller", true, true],
  ["noah.future", false, false],
  ["liam.leaver", true, false],
  ["tara.today", true, true],
  ["rita.rehire", true, true],
  ["greg.gap", true, false],
  ["carl.contiguous", true, true],
  ["jose.garcia", true, true],
];

describe("lifecycle of the named demo employees on the seed day", () => {
  it.each(named)("%s is visible=%s and active=%s for a token without future-employees:read", async (login, visible, active) => {
    const token = await t.token("demo");
    const user = await userByLogin(t, token, login);
    if (!visible) { expect(user).toBeUndefined(); return; }
    expect(user.active).toBe(active);
  });

  it("shows the future employee, inactive, only to a token with future-employees:read", async () => {
    const futureToken = await t.token("demo", ["future-employees:read"]);
    const token = await t.token("demo");
    const user = await userByLogin(t, futureToken, "noah.future");
    expect(user).toBeDefined();
    expect(user.active).toBe(false);
    expect(user[ENTERPRISE].dtContractStart).toBe("2026-06-29");
    const byId = await t.request().get(`/scim/v2/Users/${user.id}`).set(bearer(token));
    expect(byId.status).toBe(404);
    const all = await listAll(t, token);
    expect(all.Resources.map((u) => u.userName)).not.toContain("noah.future");
    const allWithFuture = await listAll(t, futureToken);
    expect(allWithFuture.totalResults).toBeGreaterThan(all.totalResults);
  });

  it("keeps leavers and people between two contracts in lists and by id", async () => {
    const token = await t.token("demo");
    for (const login of ["liam.leaver", "greg.gap"]) {
      const user = await userByLogin(t, token, login);
      const res = await t.request().get(`/scim/v2/Users/${user.id}`).set(bearer(token));
      expect(res.status).toBe(200);
      expect(res.body.active).toBe(false);
    }
  });

  it("counts active and inactive users in SQL filters consistently with the list", async () => {
    const token = await t.token("demo");
    const all = await listAll(t, token);
    const active = await listAll(t, token, { filter: "active eq true" });
    const inactive = await listAll(t, token, { filter: "active eq false" });
    expect(active.totalResults + inactive.totalResults).toBe(all.totalResults);
    expect(active.Resources.every((u) => u.active === true)).toBe(true);
    expect(inactive.Resources.map((u) => u.userName)).toEqual(expect.arrayContaining(["liam.leaver", "greg.gap"]));
  });
});

describe("transitions at local midnight", () => {
  it("keeps a contract ending today active until 23:59:59 local and deactivates it at 00:00 the next day", async () => {
    const token = await t.token("demo");
    t.setNow("2026-06-15T21:59:59Z"); // 23:59:59 in Paris (UTC+2)
    expect((await userByLogin(t, token, "tara.today")).active).toBe(true);
    t.setNow("2026-06-15T22:00:00Z"); // 00:00 on T+1 in Paris
    const tara = await userByLogin(t, token, "tara.today");
    expect(tara.active).toBe(false);
    expect(tara.meta.lastModified).toBe("2026-06-15T22:00:00.000Z");
    t.setNow(TEST_NOW);
  });

  it("lets a poller see the leaver through meta.lastModified the morning after, though no row changed", async () => {
    const token = await t.token("demo");
    t.setNow("2026-06-16T05:00:00Z");
    const changed = await listAll(t, token, { filter: 'meta.lastModified gt "2026-06-15T12:00:00Z"' });
    const logins = changed.Resources.map((u) => u.userName);
    expect(logins).toContain("tara.today");
    expect(logins).not.toContain("ada.lovelace");
    t.setNow(TEST_NOW);
  });

  it("makes the future employee visible and active on their first day", async () => {
    const token = await t.token("demo");
    t.setNow("2026-06-28T22:00:00Z"); // 2026-06-29 00:00 in Paris
    const noah = await userByLogin(t, token, "noah.future");
    expect(noah.active).toBe(true);
    expect(noah.meta.lastModified).toBe("2026-06-28T22:00:00.000Z");
    t.setNow(TEST_NOW);
  });

  it("reactivates the person between two contracts on the new start date, under the same id", async () => {
    const token = await t.token("demo");
    const before = await userByLogin(t, token, "greg.gap");
    t.setNow("2026-06-19T22:00:00Z"); // T+5 00:00 in Paris
    const after = await userByLogin(t, token, "greg.gap");
    expect(after.id).toBe(before.id);
    expect(after.active).toBe(true);
    t.setNow(TEST_NOW);
  });
});

describe("futureEmployeesActive", () => {
  it("shows visible future employees as active when the tenant setting is on", async () => {
    const tenant = await makeTenant(t.db, { futureEmployeesActive: true });
    const [employee] = await t.db("employees").insert({ tenant_id: tenant.id, login: "fresh.start", first_name: "Fresh", last_name: "Start", work_email: "fresh@x.example" }).returning("id");
    await t.db("contracts").insert({ tenant_id: tenant.id, employee_id: employee.id, start_date: "2026-07-01" });
    const { token: plain } = await issueToken(t.db, { tenantId: tenant.id, name: "p", permissions: [], createdBy: "test", now: TEST_NOW });
    const { token: future } = await issueToken(t.db, { tenantId: tenant.id, name: "f", permissions: ["future-employees:read"], createdBy: "test", now: TEST_NOW });
    expect((await listAll(t, plain)).totalResults).toBe(0);
    const seen = await listAll(t, future);
    expect(seen.Resources[0].active).toBe(true);
  });
});

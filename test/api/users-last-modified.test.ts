// What moves a User's meta.lastModified and meta.version besides its own row and lifecycle
// transitions (product.md section 2, clients.md item 17): a contract changed after the fact (an end
// date entered late, a retroactive rehire, a deletion), and a change of the manager it shows by
// name, and a change of the tenant's settings. And a manager the token cannot see is not shown at all.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestApp } from "../support/build-test-app.js";
import { bearer } from "../support/scim-client.js";
import { updateTenantSetting } from "../../src/hr/tenants.js";
import { makeSmallOrganisation } from "./groups-fixture.js";

const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
let t: TestApp;
beforeAll(async () => { t = await buildTestApp(); });
afterAll(() => t.close());

async function getUser(token: string, id: number) {
  const res = await t.request().get(`/scim/v2/Users/${id}`).set(bearer(token));
  expect(res.status).toBe(200);
  return res.body;
}

/** The user has changed for every kind of client: a new version, a later lastModified, no 304, found by a delta filter. */
async function expectChanged(token: string, id: number, before: any) {
  const after = await getUser(token, id);
  expect(after.meta.version).not.toBe(before.meta.version);
  expect(new Date(after.meta.lastModified) > new Date(before.meta.lastModified)).toBe(true);
  const conditional = await t.request().get(`/scim/v2/Users/${id}`).set(bearer(token)).set("If-None-Match", before.meta.version);
  expect(conditional.status).toBe(200);
  const delta = await t.request().get("/scim/v2/Users").query({ filter: `meta.lastModified gt "${before.meta.lastModified}"`, attributes: "id" }).set(bearer(token));
  expect(delta.body.Resources.map((u: any) => u.id)).toContain(String(id));
  return after;
}

describe("a contract changed after the fact", () => {
  it("moves lastModified and the ETag when an end date is entered late, when a rehire starts in the past, and when a contract is deleted", async () => {
    const org = await makeSmallOrganisation(t.db, [], [{ login: "late.leaver" }]);
    const token = await t.tokenFor(org.slug);
    const id = org.employees["late.leaver"];
    const before = await getUser(token, id);
    expect(before.active).toBe(true);

    // The contract ended five days ago (TEST_NOW is 2026-06-15): no transition lies ahead.
    await t.db("contracts").where({ tenant_id: org.tenantId, employee_id: id }).update({ end_date: "2026-06-10" });
    const ended = await expectChanged(token, id, before);
    expect(ended.active).toBe(false);

    const rehired = await t.db("contracts").insert({ tenant_id: org.tenantId, employee_id: id, start_date: "2026-06-12" }).returning("id");
    const back = await expectChanged(token, id, ended);
    expect(back.active).toBe(true);

    await t.db("contracts").where({ tenant_id: org.tenantId, id: rehired[0].id }).delete();
    const undone = await expectChanged(token, id, back);
    expect(undone.active).toBe(false);
  });
});

describe("the manager", () => {
  it("moves the report's lastModified and ETag when the manager's name changes", async () => {
    const org = await makeSmallOrganisation(t.db, [], [{ login: "boss" }, { login: "report" }]);
    const token = await t.tokenFor(org.slug);
    const { boss, report } = org.employees;
    await t.db("employees").where({ tenant_id: org.tenantId, id: report }).update({ manager_id: boss, updated_at: "2026-02-01T08:00:00Z" });
    const before = await getUser(token, report);
    expect(before[ENTERPRISE].manager).toMatchObject({ value: String(boss), displayName: "boss Acme" });
    await t.db("employees").where({ tenant_id: org.tenantId, id: boss }).update({ first_name: "Chief", updated_at: "2026-06-01T08:00:00Z" });
    const after = await expectChanged(token, report, before);
    expect(after[ENTERPRISE].manager.displayName).toBe("Chief Acme");
    expect(after.meta.lastModified).toBe("2026-06-01T08:00:00.000Z");
  });

  it("is absent from the resource when the token cannot see the manager (a future employee)", async () => {
    const org = await makeSmallOrganisation(t.db, [], [{ login: "incoming.boss", start: "2026-09-01" }, { login: "report" }]);
    const { "incoming.boss": boss, report } = org.employees;
    await t.db("employees").where({ tenant_id: org.tenantId, id: report }).update({ manager_id: boss });
    const token = await t.tokenFor(org.slug);
    const seeing = await t.tokenFor(org.slug, ["future-employees:read"]);
    expect((await getUser(token, report))[ENTERPRISE]?.manager).toBeUndefined();
    expect((await t.request().get(`/scim/v2/Users/${boss}`).set(bearer(token))).status).toBe(404);
    expect((await getUser(seeing, report))[ENTERPRISE].manager).toMatchObject({ value: String(boss) });
    // A manager.value filter compares the HR column (its index serves it), for either token.
    const filter = { filter: `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq "${boss}"`, attributes: "id" };
    expect((await t.request().get("/scim/v2/Users").query(filter).set(bearer(seeing))).body.totalResults).toBe(1);
  });
});

describe("a change of the tenant's settings", () => {
  it("moves every User's and Group's lastModified and ETag (futureEmployeesActive flips active without any row changing)", async () => {
    const org = await makeSmallOrganisation(t.db, ["LUCCA_DEPT"], [{ login: "starter", start: "2026-09-01" }, { login: "staff" }]);
    const token = await t.tokenFor(org.slug, ["future-employees:read"]);
    const { starter, staff } = org.employees;
    const before = { starter: await getUser(token, starter), staff: await getUser(token, staff) };
    const group = (await t.request().get(`/scim/v2/Groups/LUCCA_DEPT-${org.departmentId}`).set(bearer(token))).body;
    expect(before.starter.active).toBe(false);

    await updateTenantSetting(t.db, org.slug, "futureEmployeesActive", "true", new Date("2026-06-15T09:00:00Z"));
    const starterAfter = await expectChanged(token, starter, before.starter);
    expect(starterAfter.active).toBe(true);
    expect(starterAfter.meta.lastModified).toBe("2026-06-15T09:00:00.000Z");
    await expectChanged(token, staff, before.staff);
    const groupAfter = (await t.request().get(`/scim/v2/Groups/LUCCA_DEPT-${org.departmentId}`).set(bearer(token))).body;
    expect(groupAfter.meta.version).not.toBe(group.meta.version);
    expect(groupAfter.meta.lastModified).toBe("2026-06-15T09:00:00.000Z");
  });
});

// The HR API (/hr/v1, issue 11): each endpoint through the one write path; refusals change
// nothing; a repeated PUT changes nothing and records no change; the SCIM view shows every write.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestApp } from "../support/build-test-app.js";
import { bearer, ENTERPRISE } from "../support/scim-client.js";
import { del, employee, get, hrSnapshot, hrTenant, organisation, put, type HrTenant } from "./hr-fixture.js";

let t: TestApp;
beforeAll(async () => { t = await buildTestApp(); });
afterAll(() => t.close());

async function scimUser(tenant: HrTenant, login: string): Promise<any> {
  const res = await t.request().get("/scim/v2/Users").query({ filter: `userName eq "${login}"` }).set(bearer(tenant.scim));
  return res.body.Resources?.[0];
}

describe("PUT and GET of organisation records", () => {
  it("creates (201), replaces (200) and reads each type by key", async () => {
    const x = await hrTenant(t);
    const lu = await put(t, x.hr, "/legal-units/LU1", { name: "Acme SA", countryCode: "fr" });
    expect(lu.status).toBe(201);
    expect(lu.headers["content-type"]).toMatch(/application\/json/);
    expect(lu.body).toMatchObject({ key: "LU1", name: "Acme SA", countryCode: "FR" });
    expect((await put(t, x.hr, "/legal-units/LU1", { name: "Acme SAS", countryCode: "FR" })).status).toBe(200);
    const est = await put(t, x.hr, "/establishments/PAR", { name: "Paris", legalUnitKey: "LU1", street: "1 rue X", postalCode: "75001", city: "Paris", countryCode: "FR" });
    expect(est.status).toBe(201);
    expect(est.body).toMatchObject({ key: "PAR", legalUnitKey: "LU1", city: "Paris" });
    expect((await put(t, x.hr, "/departments/ENG", { name: "Engineering" })).status).toBe(201);
    const child = await put(t, x.hr, "/departments/PLT", { name: "Platform", parentKey: "ENG" });
    expect(child.body).toMatchObject({ key: "PLT", parentKey: "ENG" });
    expect((await get(t, x.hr, "/departments/PLT")).body).toMatchObject({ name: "Platform", parentKey: "ENG" });
    expect((await get(t, x.hr, "/legal-units/LU1")).body.name).toBe("Acme SAS");
    const missing = await get(t, x.hr, "/departments/NOPE");
    expect(missing.status).toBe(404);
    expect(missing.headers["content-type"]).toMatch(/application\/problem\+json/);
  });
});

describe("PUT /employees/{employeeNumber}", () => {
  it("creates an employee that SCIM then shows, with groups, active and lastModified", async () => {
    const x = await hrTenant(t);
    await organisation(t, x.hr);
    const res = await put(t, x.hr, "/employees/E1", employee("ada", { jobTitle: "CTO", costCenter: "CC-1", preferredLanguage: "fr-FR", workPhone: "+33 1 23" }));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ employeeNumber: "E1", login: "ada", jobTitle: "CTO", costCenter: "CC-1", departmentKey: "ENG", contracts: [{ start: "2020-01-01", end: null }] });
    const user = await scimUser(x, "ada");
    expect(user).toMatchObject({ userName: "ada", active: true, title: "CTO", name: { givenName: "Ada", familyName: "Lovelace" } });
    expect(user[ENTERPRISE]).toMatchObject({ employeeNumber: "E1", department: "Engineering" });
    expect(user.meta.lastModified).toBe(t.now().toISOString());
    expect(user.groups.map((g: any) => g.display).sort()).toEqual(["LUCCA_DEPT Engineering", "LUCCA_ETS Paris", "LUCCA_LU Acme SA"]);
  });

  it("is idempotent: a repeat answers 200, changes nothing and records no change", async () => {
    const x = await hrTenant(t);
    await organisation(t, x.hr);
    await put(t, x.hr, "/employees/E1", employee("ada"));
    const before = await hrSnapshot(t, x.id);
    const scimBefore = await scimUser(x, "ada");
    t.setNow(new Date(t.now().getTime() + 60_000));
    try {
      const again = await put(t, x.hr, "/employees/E1", employee("ada"));
      expect(again.status).toBe(200);
      expect(await hrSnapshot(t, x.id)).toEqual(before);
      expect((await scimUser(x, "ada")).meta).toEqual(scimBefore.meta);
    } finally { t.setNow(new Date(t.now().getTime() - 60_000)); }
  });

  it("replaces the whole record: absent optional fields are cleared, contracts stored as sent", async () => {
    const x = await hrTenant(t);
    await organisation(t, x.hr);
    await put(t, x.hr, "/employees/E1", employee("ada", { jobTitle: "CTO" }));
    t.setNow(new Date(t.now().getTime() + 3_600_000));
    try {
      const res = await put(t, x.hr, "/employees/E1", { login: "ada", firstName: "Ada", lastName: "King", contracts: [{ start: "2019-01-01", end: "2019-12-31" }, { start: "2019-12-31", end: null }] });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ jobTitle: null, departmentKey: null, lastName: "King", contracts: [{ start: "2019-01-01", end: "2019-12-31" }, { start: "2019-12-31", end: null }] });
      const user = await scimUser(x, "ada");
      expect(user.title).toBeUndefined();
      expect(user.name.familyName).toBe("King");
      expect(user.meta.lastModified).toBe(t.now().toISOString());
    } finally { t.setNow(new Date(t.now().getTime() - 3_600_000)); }
  });

  it("refuses bad records with field errors and changes nothing", async () => {
    const x = await hrTenant(t);
    await organisation(t, x.hr);
    await put(t, x.hr, "/employees/E1", employee("ada"));
    const before = await hrSnapshot(t, x.id);
    const cases: [string, Record<string, unknown>, number, string][] = [
      ["E2", employee("bob", { departmentKey: "NOPE" }), 422, "/departmentKey"],
      ["E2", employee("bob", { contracts: [{ start: "2020-02-30" }] }), 400, "/contracts/0/start"],
      ["E2", employee("bob", { contracts: [{ start: "2020-01-01", end: "2020-06-30" }, { start: "2020-06-01", end: null }] }), 400, "/contracts/1/start"],
      ["E2", employee("ADA"), 409, "/login"],
      ["E2", employee("bob", { workEmail: "not-an-email" }), 400, "/workEmail"],
      ["E2", employee("bob", { preferredLanguage: "fr FR" }), 400, "/preferredLanguage"],
      ["E2", employee("bob", { shoeSize: 42 }), 400, "/shoeSize"],
      ["E2", employee("bob", { managerEmployeeNumber: "E404" }), 422, "/managerEmployeeNumber"],
      ["E2", { login: "bob" }, 400, "/firstName"],
    ];
    for (const [number, body, status, path] of cases) {
      const res = await put(t, x.hr, `/employees/${number}`, body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.headers["content-type"]).toMatch(/application\/problem\+json/);
      expect(res.body).toMatchObject({ status, type: "about:blank" });
      expect(res.body.errors.map((e: any) => e.path), res.text).toContain(path);
    }
    expect(await hrSnapshot(t, x.id)).toEqual(before);
  });
});

describe("DELETE", () => {
  it("removes an employee entered by mistake: SCIM answers 404", async () => {
    const x = await hrTenant(t);
    await organisation(t, x.hr);
    await put(t, x.hr, "/employees/E1", employee("ada"));
    const id = (await scimUser(x, "ada")).id;
    expect((await del(t, x.hr, "/employees/E1")).status).toBe(204);
    expect((await t.request().get(`/scim/v2/Users/${id}`).set(bearer(x.scim))).status).toBe(404);
    expect((await get(t, x.hr, "/employees/E1")).status).toBe(404);
    expect((await del(t, x.hr, "/employees/E1")).status).toBe(404);
  });

  it("refuses to delete an organisation record in use, changing nothing", async () => {
    const x = await hrTenant(t);
    await organisation(t, x.hr);
    await put(t, x.hr, "/employees/E1", employee("ada"));
    const before = await hrSnapshot(t, x.id);
    for (const path of ["/departments/ENG", "/establishments/PAR", "/legal-units/LU1"]) {
      const res = await del(t, x.hr, path);
      expect(res.status).toBe(409);
    }
    expect(await hrSnapshot(t, x.id)).toEqual(before);
  });
});

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

describe("POST /hr/v1/batch", () => {
  it("applies every operation in one transaction; references may point to records created earlier in the batch", async () => {
    const x = await hrTenant(t);
    const res = await t.request().post("/hr/v1/batch").set(bearer(x.hr)).send({ operations: [
      { method: "PUT", path: "/legal-units/LU9", body: { name: "Nine SA", countryCode: "FR" } },
      { method: "PUT", path: "/establishments/E9", body: { name: "Nine site", legalUnitKey: "LU9" } },
      { method: "PUT", path: "/departments/D9", body: { name: "Nine dept" } },
      { method: "PUT", path: "/employees/B1", body: { login: "boss", firstName: "B", lastName: "Oss", departmentKey: "D9", establishmentKey: "E9", contracts: [{ start: "2020-01-01" }] } },
      { method: "PUT", path: "/employees/B2", body: { login: "report", firstName: "R", lastName: "Eport", managerEmployeeNumber: "B1", contracts: [{ start: "2020-01-01" }] } },
    ] });
    expect(res.status, res.text).toBe(200);
    expect(res.body.results.map((r: any) => r.status)).toEqual([201, 201, 201, 201, 201]);
    const report = await scimUser(x, "report");
    expect(report[ENTERPRISE].manager.displayName).toBe("B Oss");
  });

  it("is all or nothing: the first failing operation's status, per-operation results, nothing applied", async () => {
    const x = await hrTenant(t);
    await organisation(t, x.hr);
    const before = await hrSnapshot(t, x.id);
    const res = await t.request().post("/hr/v1/batch").set(bearer(x.hr)).send({ operations: [
      { method: "PUT", path: "/employees/E1", body: employee("ada") },
      { method: "PUT", path: "/employees/E2", body: employee("bob", { departmentKey: "NOPE" }) },
      { method: "PUT", path: "/employees/E3", body: employee("cy") },
    ] });
    expect(res.status).toBe(422);
    expect(res.headers["content-type"]).toMatch(/application\/problem\+json/);
    expect(res.body.results.map((r: any) => r.status)).toEqual([201, 422, 424]);
    expect(res.body.results[0].applied).toBe(false);
    expect(res.body.errors).toEqual([{ path: "/operations/1/body/departmentKey", message: expect.stringContaining("NOPE") }]);
    expect(await hrSnapshot(t, x.id)).toEqual(before);
  });

  it("refuses more than 1,000 operations, and malformed operations", async () => {
    const x = await hrTenant(t);
    const many = Array.from({ length: 1001 }, (_, i) => ({ method: "DELETE", path: `/employees/N${i}` }));
    expect((await t.request().post("/hr/v1/batch").set(bearer(x.hr)).send({ operations: many })).status).toBe(400);
    const bad = await t.request().post("/hr/v1/batch").set(bearer(x.hr)).send({ operations: [{ method: "PATCH", path: "/nope/1" }] });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: any) => e.path)).toEqual(["/operations/0/method", "/operations/0/path"]);
  });
});

describe("GET /hr/v1/employees", () => {
  it("pages with nextCursor and filters by updatedSince", async () => {
    const x = await hrTenant(t);
    await organisation(t, x.hr);
    for (let i = 1; i <= 5; i++) await put(t, x.hr, `/employees/P${i}`, employee(`p${i}`));
    const later = new Date(t.now().getTime() + 3_600_000);
    t.setNow(later);
    try {
      await put(t, x.hr, "/employees/P3", employee("p3", { jobTitle: "Changed" }));
    } finally { t.setNow(new Date(later.getTime() - 3_600_000)); }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: any = await get(t, x.hr, `/employees?limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      expect(res.status).toBe(200);
      seen.push(...res.body.items.map((i: any) => i.employeeNumber));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen.sort()).toEqual(["P1", "P2", "P3", "P4", "P5"]);
    const since = await get(t, x.hr, `/employees?updatedSince=${encodeURIComponent(later.toISOString())}`);
    expect(since.body.items.map((i: any) => i.employeeNumber)).toEqual(["P3"]);
    expect((await get(t, x.hr, "/employees?updatedSince=yesterday")).status).toBe(400);
    expect((await get(t, x.hr, "/employees?cursor=garbage")).status).toBe(400);
  });
});

describe("GET /hr/v1/changes", () => {
  it("records each change once, with fields before and after, who and when; a repeat records nothing", async () => {
    const x = await hrTenant(t);
    await organisation(t, x.hr);
    const start = (await get(t, x.hr, "/changes")).body.nextCursor;
    await put(t, x.hr, "/employees/E1", employee("ada"));
    await put(t, x.hr, "/employees/E1", employee("ada"));
    await put(t, x.hr, "/employees/E1", employee("ada", { jobTitle: "CTO", contracts: [{ start: "2020-01-01", end: "2026-06-30" }] }));
    const res = await get(t, x.hr, `/changes?after=${start}`);
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(2);
    const [created, updated] = res.body.items;
    expect(created).toMatchObject({ entity: "employee", key: "E1", operation: "created", actor: `token:${x.hrTokenId}`, at: t.now().toISOString() });
    expect(created.fields.login).toEqual({ before: null, after: "ada" });
    expect(created.fields.contracts).toEqual({ before: [], after: [{ start: "2020-01-01", end: null }] });
    expect(updated).toMatchObject({ operation: "updated", fields: {
      jobTitle: { before: null, after: "CTO" },
      contracts: { before: [{ start: "2020-01-01", end: null }], after: [{ start: "2020-01-01", end: "2026-06-30" }] },
    } });
    const next = await get(t, x.hr, `/changes?after=${res.body.nextCursor}`);
    expect(next.body).toEqual({ items: [], nextCursor: res.body.nextCursor });
    expect((await get(t, x.hr, "/changes?after=abc")).status).toBe(400);
  });

  it("records direct SQL too", async () => {
    const x = await hrTenant(t);
    await organisation(t, x.hr);
    await put(t, x.hr, "/employees/E1", employee("ada"));
    const start = (await get(t, x.hr, "/changes")).body.nextCursor;
    await t.db("employees").where({ tenant_id: x.id, employee_number: "E1" }).update({ job_title: "By hand" });
    const res = await get(t, x.hr, `/changes?after=${start}`);
    expect(res.body.items).toEqual([expect.objectContaining({ key: "E1", operation: "updated", fields: { jobTitle: { before: null, after: "By hand" } }, actor: expect.stringMatching(/^sql:/) })]);
  });
});

describe("a leaver entered through the API", () => {
  it("stays active until the next local midnight, then SCIM shows active: false", async () => {
    const x = await hrTenant(t);
    await organisation(t, x.hr);
    await put(t, x.hr, "/employees/L1", employee("leaver"));
    // TEST_NOW is 2026-06-15 12:00 in Paris: the contract ends today.
    await put(t, x.hr, "/employees/L1", employee("leaver", { contracts: [{ start: "2020-01-01", end: "2026-06-15" }] }));
    const now = t.now();
    expect((await scimUser(x, "leaver")).active).toBe(true);
    t.setNow("2026-06-15T22:00:00Z");
    try {
      const user = await scimUser(x, "leaver");
      expect(user.active).toBe(false);
      expect(user.meta.lastModified).toBe("2026-06-15T22:00:00.000Z");
    } finally { t.setNow(now); }
  });
});

describe("permissions", () => {
  it("an HR token is refused on /scim/v2 and a SCIM token on /hr/v1, as problem+json", async () => {
    const x = await hrTenant(t);
    const scim = await t.request().get("/scim/v2/Users").set(bearer(x.hr));
    expect(scim.status).toBe(403);
    expect(scim.body.schemas).toEqual(["urn:ietf:params:scim:api:messages:2.0:Error"]);
    const hr = await put(t, x.scim, "/departments/D1", { name: "X" });
    expect(hr.status).toBe(403);
    expect(hr.headers["content-type"]).toMatch(/application\/problem\+json/);
    const none = await t.request().get("/hr/v1/employees");
    expect(none.status).toBe(401);
    expect(none.body).toMatchObject({ status: 401, errors: [] });
    expect((await t.db("departments").where({ tenant_id: x.id })).length).toBe(0);
  });

  it("malformed JSON and unknown endpoints are problem+json", async () => {
    const x = await hrTenant(t);
    const bad = await t.request().put("/hr/v1/departments/D1").set(bearer(x.hr)).set("Content-Type", "application/json").send("{nope");
    expect(bad.status).toBe(400);
    expect(bad.headers["content-type"]).toMatch(/application\/problem\+json/);
    const unknown = await get(t, x.hr, "/widgets/1");
    expect(unknown.status).toBe(404);
    expect(unknown.headers["content-type"]).toMatch(/application\/problem\+json/);
  });
});

// costCenter, the attribute added as one catalogue entry and one migration (issue: the catalogue is
// the spine): it shows in projection, filter, sort, attributes=, /Schemas and the property mapping,
// and only for a tenant that maps it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issueToken } from "../../src/auth/tokens.js";
import { mappableAttributes } from "../../src/scim/catalogue/catalogue.js";
import { buildTestApp, makeTenant, type TestApp } from "../support/build-test-app.js";
import { bearer, ENTERPRISE } from "../support/scim-client.js";

let t: TestApp;
let on: string;
let off: string;

async function tenantWith(attributes: string[]): Promise<string> {
  const tenant = await makeTenant(t.db, { propertyMapping: { attributes, namespace: null, extendedFields: {} } });
  for (const [login, cost] of [["c.one", "CC-200"], ["c.two", "CC-100"], ["c.three", null]] as const) {
    const [e] = await t.db("employees").insert({ tenant_id: tenant.id, login, first_name: "C", last_name: login, cost_center: cost }).returning("id");
    await t.db("contracts").insert({ tenant_id: tenant.id, employee_id: e.id, start_date: "2020-01-01" });
  }
  return (await issueToken(t.db, { tenantId: tenant.id, name: "cc", permissions: [], createdBy: "test", now: t.now() })).token;
}

beforeAll(async () => {
  t = await buildTestApp();
  on = await tenantWith(["costCenter"]);
  off = await tenantWith([]);
});
afterAll(() => t.close());

const users = (token: string, query: Record<string, string>) => t.request().get("/scim/v2/Users").query(query).set(bearer(token));

describe("costCenter", () => {
  it("is offered by the property mapping", () => {
    expect(mappableAttributes().map((a) => a.key)).toContain("costCenter");
  });

  it("is projected in the enterprise extension when mapped", async () => {
    const res = await users(on, { filter: 'userName eq "c.one"' });
    expect(res.body.Resources[0][ENTERPRISE]).toEqual({ costCenter: "CC-200" });
    expect(res.body.Resources[0].schemas).toContain(ENTERPRISE);
  });

  it("filters, with or without its URN", async () => {
    for (const filter of ['costCenter eq "cc-100"', `${ENTERPRISE}:costCenter sw "CC-1"`]) {
      const res = await users(on, { filter });
      expect(res.body.Resources.map((u: any) => u.userName)).toEqual(["c.two"]);
    }
    expect((await users(on, { filter: "costCenter pr" })).body.totalResults).toBe(2);
  });

  it("sorts", async () => {
    const res = await users(on, { sortBy: "costCenter", filter: "costCenter pr" });
    expect(res.body.Resources.map((u: any) => u[ENTERPRISE].costCenter)).toEqual(["CC-100", "CC-200"]);
  });

  it("is selected by attributes=", async () => {
    const res = await users(on, { filter: 'userName eq "c.one"', attributes: "costCenter" });
    expect(res.body.Resources[0]).toEqual({ schemas: ["urn:ietf:params:scim:schemas:core:2.0:User", ENTERPRISE], id: expect.any(String), [ENTERPRISE]: { costCenter: "CC-200" } });
  });

  it("is described in /Schemas as read-only", async () => {
    const res = await t.request().get(`/scim/v2/Schemas/${ENTERPRISE}`).set(bearer(on));
    expect(res.body.attributes.find((a: any) => a.name === "costCenter")).toMatchObject({ type: "string", mutability: "readOnly" });
  });

  it("is absent everywhere for a tenant that does not map it", async () => {
    const res = await users(off, { filter: 'userName eq "c.one"' });
    expect(res.body.Resources[0][ENTERPRISE]).toBeUndefined();
    expect((await users(off, { filter: 'costCenter eq "CC-100"' })).body.scimType).toBe("invalidFilter");
    expect((await users(off, { sortBy: "costCenter" })).status).toBe(400);
    expect((await t.request().get(`/scim/v2/Schemas/${ENTERPRISE}`).set(bearer(off))).status).toBe(404);
  });
});

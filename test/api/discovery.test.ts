// Discovery (docs/CLIENTS.md item 21, issue 2): /ServiceProviderConfig, /ResourceTypes and /Schemas
// are honest about what works today, and /Schemas describes exactly what each tenant exposes.
import { beforeAll, describe, expect, it } from "vitest";
import { makeTenant } from "../support/build-test-app.js";
import { bearer, ENTERPRISE, json, userByLogin } from "../support/scim-client.js";
import { useTestApp } from "../support/use-test-app.js";
import { issueToken } from "../../src/auth/tokens.js";

const t = useTestApp();
/** A tenant of the file's own that maps no optional attribute, and its one employee. */
let minimal: string;
let minimalUserId: string;

const CORE = "urn:ietf:params:scim:schemas:core:2.0:User";
const LUCCA = "urn:ietf:params:scim:schemas:extension:lucca:2.0:User";
const ERROR = "urn:ietf:params:scim:api:messages:2.0:Error";
const LIST = "urn:ietf:params:scim:api:messages:2.0:ListResponse";

async function tenantToken(settings: Record<string, unknown>): Promise<{ token: string; tenantId: number }> {
  const tenant = await makeTenant(t.db, settings);
  const { token } = await issueToken(t.db, { tenantId: tenant.id, name: "discovery", permissions: [], createdBy: "test", now: t.now() });
  return { token, tenantId: tenant.id };
}

async function addEmployee(tenantId: number, row: Record<string, unknown>): Promise<string> {
  const [employee] = await t.db("employees").insert({ tenant_id: tenantId, ...row }).returning("id");
  await t.db("contracts").insert({ tenant_id: tenantId, employee_id: employee.id, start_date: "2020-01-01", end_date: "2030-12-31" });
  return String(employee.id);
}

const FULL_ROW = {
  first_name: "Min", last_name: "Imal", work_email: "min@x.example", work_phone: "+33 1 00 00 00 00", mobile_phone: "+33 6 00 00 00 00",
  job_title: "Tester", employee_number: "M1", preferred_language: "fr-FR", external_id: "ext-min", extended_data: JSON.stringify({ costCenter: "CC" }),
};

beforeAll(async () => {
  const own = await tenantToken({ propertyMapping: { attributes: [], namespace: ENTERPRISE, extendedFields: {} } });
  minimal = own.token;
  minimalUserId = await addEmployee(own.tenantId, { login: "min.imal", ...FULL_ROW });
});

async function get(path: string, token: string) {
  const res = await t.request().get(`/scim/v2${path}`).set(bearer(token));
  return { res, body: json(res) };
}

function attributeNames(schema: any): string[] {
  return schema.attributes.map((a: any) => a.name);
}

describe("/ServiceProviderConfig", () => {
  it("announces index and cursor pagination, filter, sort and ETags, no bulk, no password change", async () => {
    const demo = await t.token("demo");
    const { res, body } = await get("/ServiceProviderConfig", demo);
    expect(res.status).toBe(200);
    expect(body.schemas).toEqual(["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"]);
    expect(body.pagination).toMatchObject({ cursor: true, index: true });
    expect(Number.isInteger(body.pagination.maxPageSize)).toBe(true);
    expect(Number.isInteger(body.pagination.defaultPageSize)).toBe(true);
    expect(body.filter).toMatchObject({ supported: true });
    expect(Number.isInteger(body.filter.maxResults)).toBe(true);
    expect(body.sort).toEqual({ supported: true });
    expect(body.etag).toEqual({ supported: true });
    expect(body.bulk.supported).toBe(false);
    expect(body.changePassword).toEqual({ supported: false });
    expect(typeof body.patch.supported).toBe("boolean");
    expect(body.authenticationSchemes).toEqual([expect.objectContaining({ type: "oauthbearertoken", primary: true })]);
    expect(body.meta).toMatchObject({ resourceType: "ServiceProviderConfig", location: "https://scim.test/scim/v2/ServiceProviderConfig" });
  });

  it("tells the truth about page sizes and cursors: count is capped at maxPageSize, the default applies, cursors work", async () => {
    const demo = await t.token("demo");
    const { body: config } = await get("/ServiceProviderConfig", demo);
    const { maxPageSize, defaultPageSize } = config.pagination;
    const big = await get(`/Users?count=${maxPageSize + 500}`, demo);
    expect(big.body.itemsPerPage).toBeLessThanOrEqual(maxPageSize);
    const dflt = await get("/Users", demo);
    expect(dflt.body.itemsPerPage).toBe(Math.min(defaultPageSize, dflt.body.totalResults));
    const first = await get("/Users?cursor=&count=2", demo);
    expect(first.res.status).toBe(200);
    expect(first.body.Resources).toHaveLength(2);
    expect(typeof first.body.nextCursor).toBe("string");
    const second = await get(`/Users?cursor=${encodeURIComponent(first.body.nextCursor)}&count=2`, demo);
    expect(second.body.Resources.map((u: any) => u.id)).not.toContain(first.body.Resources[0].id);
  });
});

describe("/ResourceTypes", () => {
  it("lists User with the tenant's extensions as a ListResponse", async () => {
    const demo = await t.token("demo");
    const { res, body } = await get("/ResourceTypes", demo);
    expect(res.status).toBe(200);
    expect(body.schemas).toEqual([LIST]);
    expect(body.totalResults).toBe(body.Resources.length);
    const user = body.Resources.find((r: any) => r.id === "User");
    expect(user).toMatchObject({
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:ResourceType"], name: "User", endpoint: "/Users", schema: CORE,
      meta: { resourceType: "ResourceType", location: "https://scim.test/scim/v2/ResourceTypes/User" },
    });
    expect(user.schemaExtensions).toEqual([{ schema: ENTERPRISE, required: false }]);
  });

  it("lists no extension for a tenant that maps none", async () => {
    const { body } = await get("/ResourceTypes", minimal);
    expect(body.Resources.find((r: any) => r.id === "User").schemaExtensions).toEqual([]);
  });

  it("serves /ResourceTypes/User (any case) and 404 for unknown ids", async () => {
    const demo = await t.token("demo");
    const one = await get("/ResourceTypes/User", demo);
    expect(one.res.status).toBe(200);
    expect(one.body.id).toBe("User");
    expect((await get("/ResourceTypes/user", demo)).body.id).toBe("User");
    for (const id of ["Nope", "Users", "urn:ietf:params:scim:schemas:core:2.0:User"]) {
      const missing = await get(`/ResourceTypes/${id}`, demo);
      expect(missing.res.status).toBe(404);
      expect(missing.body).toMatchObject({ schemas: [ERROR], status: "404" });
    }
  });

  it("agrees with /Schemas: every resource type's schema and extension is described", async () => {
    const demo = await t.token("demo");
    for (const token of [demo, minimal]) {
      const types = (await get("/ResourceTypes", token)).body.Resources;
      const ids = (await get("/Schemas", token)).body.Resources.map((s: any) => s.id);
      for (const type of types) {
        expect(ids).toContain(type.schema);
        for (const ext of type.schemaExtensions) expect(ids).toContain(ext.schema);
      }
      const described = [...types.map((r: any) => r.schema), ...types.flatMap((r: any) => r.schemaExtensions.map((e: any) => e.schema))];
      expect([...ids].sort()).toEqual([...new Set(described)].sort());
    }
  });
});

describe("/Schemas per tenant", () => {
  it("describes only the four mandatory attributes (and computed ones) for a minimal mapping", async () => {
    const { res, body } = await get("/Schemas", minimal);
    expect(res.status).toBe(200);
    expect(body.schemas).toEqual([LIST]);
    expect(body.Resources.map((s: any) => s.id)).toEqual([CORE]);
    const core = body.Resources[0];
    expect(attributeNames(core).sort()).toEqual(["active", "displayName", "emails", "id", "name", "userName"]);
    const name = core.attributes.find((a: any) => a.name === "name");
    expect(name.subAttributes.map((a: any) => a.name).sort()).toEqual(["familyName", "formatted", "givenName"]);
    expect(core.meta).toMatchObject({ resourceType: "Schema", location: `https://scim.test/scim/v2/Schemas/${CORE}` });
  });

  it("describes every mapped attribute for demo, the enterprise extension and the extended field included, with mutability", async () => {
    const demo = await t.token("demo");
    const { body } = await get("/Schemas", demo);
    const core = body.Resources.find((s: any) => s.id === CORE);
    const enterprise = body.Resources.find((s: any) => s.id === ENTERPRISE);
    expect(attributeNames(core)).toEqual(expect.arrayContaining(["id", "externalId", "userName", "name", "displayName", "emails", "phoneNumbers", "addresses", "title", "preferredLanguage", "active"]));
    expect(attributeNames(enterprise)).toEqual(expect.arrayContaining(["employeeNumber", "organization", "division", "department", "manager", "dtContractStart", "dtContractEnd", "costCenter"]));
    const mutability = (schema: any, n: string) => schema.attributes.find((a: any) => a.name === n).mutability;
    expect(mutability(core, "id")).toBe("readOnly");
    expect(mutability(core, "active")).toBe("readOnly");
    expect(mutability(core, "userName")).toBe("readWrite");
    expect(mutability(core, "title")).toBe("readWrite");
    expect(mutability(core, "addresses")).toBe("readOnly");
    for (const a of enterprise.attributes) expect(a.mutability, a.name).toBe("readOnly");
    const userName = core.attributes.find((a: any) => a.name === "userName");
    expect(userName).toMatchObject({ type: "string", multiValued: false, required: true, caseExact: false, uniqueness: "server" });
    for (const a of [...core.attributes, ...enterprise.attributes]) {
      expect(a, a.name).toEqual(expect.objectContaining({ name: expect.any(String), type: expect.any(String), multiValued: expect.any(Boolean), mutability: expect.any(String), returned: expect.any(String) }));
    }
  });

  it("describes exactly what the resources carry (minimal tenant and demo)", async () => {
    const demo = await t.token("demo");
    const check = async (token: string, user: any) => {
      const list = (await get("/Schemas", token)).body.Resources;
      const core = list.find((s: any) => s.id === CORE);
      for (const key of Object.keys(user)) {
        if (key === "schemas" || key === "meta") continue;
        if (key.startsWith("urn:")) {
          const ext = list.find((s: any) => s.id === key);
          expect(ext, key).toBeDefined();
          for (const sub of Object.keys(user[key])) expect(attributeNames(ext), `${key}:${sub}`).toContain(sub);
        } else {
          expect(attributeNames(core), key).toContain(key);
        }
      }
      for (const urn of user.schemas) expect(list.map((s: any) => s.id)).toContain(urn);
    };
    const min = await get(`/Users/${minimalUserId}`, minimal);
    expect(min.res.status).toBe(200);
    expect(Object.keys(min.body).sort()).toEqual(["active", "displayName", "emails", "id", "meta", "name", "schemas", "userName"]);
    await check(minimal, min.body);
    await check(demo, await userByLogin(t, demo, "grace.hopper"));
  });

  it("places custom attributes under the tenant's chosen namespace", async () => {
    const { token } = await tenantToken({ propertyMapping: { attributes: ["dtContractStart", "dtContractEnd", "employeeNumber"], namespace: LUCCA, extendedFields: { costCenter: "costCenter" } } });
    const ids = (await get("/Schemas", token)).body.Resources.map((s: any) => s.id).sort();
    expect(ids).toEqual([CORE, ENTERPRISE, LUCCA].sort());
    const lucca = await get(`/Schemas/${LUCCA}`, token);
    expect(lucca.res.status).toBe(200);
    expect(attributeNames(lucca.body).sort()).toEqual(["costCenter", "dtContractEnd", "dtContractStart"]);
    const enterprise = await get(`/Schemas/${ENTERPRISE}`, token);
    expect(attributeNames(enterprise.body)).toEqual(["employeeNumber"]);
  });

  it("serves /Schemas/<urn> (any case) and 404 for unknown or unexposed schemas", async () => {
    const demo = await t.token("demo");
    const core = await get(`/Schemas/${CORE}`, demo);
    expect(core.res.status).toBe(200);
    expect(core.body.id).toBe(CORE);
    expect((await get(`/Schemas/${ENTERPRISE.toLowerCase()}`, demo)).body.id).toBe(ENTERPRISE);
    for (const [token, id] of [[demo, "urn:nothing"], [demo, "User"], [demo, LUCCA], [minimal, ENTERPRISE]] as const) {
      const missing = await get(`/Schemas/${id}`, token);
      expect(missing.res.status, id).toBe(404);
      expect(missing.body).toMatchObject({ schemas: [ERROR], status: "404" });
    }
  });
});

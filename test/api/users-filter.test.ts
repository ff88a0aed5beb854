// Filters through HTTP (docs/CLIENTS.md items 5 and 7-11): what Okta, Entra and pull scripts send,
// on the demo seed (read only) and on tenants of the test's own for anything that needs other data.
import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import type { Knex } from "knex";
import { makeTenant } from "../support/build-test-app.js";
import { bearer, ENTERPRISE, listAll, userByLogin } from "../support/scim-client.js";
import { useTestApp } from "../support/use-test-app.js";
import { issueToken } from "../../src/auth/tokens.js";
import { TEST_NOW } from "../support/test-clock.js";

const t = useTestApp();

const ERROR = "urn:ietf:params:scim:api:messages:2.0:Error";

/** GET /Users?filter= as `as`, by default the demo token. */
async function filter(text: string, as?: string) {
  const res = await t.request().get("/scim/v2/Users").query({ filter: text, count: 1000 }).set(bearer(as ?? await t.token("demo")));
  return res;
}

async function logins(text: string, as?: string): Promise<string[]> {
  const res = await filter(text, as);
  expect(res.status, `${text} -> ${res.status} ${res.text.slice(0, 300)}`).toBe(200);
  return res.body.Resources.map((u: { userName: string }) => u.userName);
}

/** An employee with an open contract in a tenant of the test's own. */
async function addEmployee(db: Knex, tenantId: number, row: Record<string, unknown>): Promise<number> {
  const [employee] = await db("employees").insert({ tenant_id: tenantId, ...row }).returning("id");
  await db("contracts").insert({ tenant_id: tenantId, employee_id: employee.id, start_date: "2020-01-01" });
  return employee.id;
}

async function tokenOf(tenantId: number): Promise<string> {
  const { token: secret } = await issueToken(t.db, { tenantId, name: "filter-test", permissions: [], createdBy: "test", now: TEST_NOW });
  return secret;
}

describe("case-insensitive names and operators (item 7)", () => {
  it("accepts USERNAME EQ with an upper-case value and returns the stored login", async () => {
    expect(await logins('USERNAME EQ "ADA.LOVELACE"')).toEqual(["ada.lovelace"]);
    expect(await logins('userName Eq "Ada.Lovelace"')).toEqual(["ada.lovelace"]);
  });

  it("accepts ActiVe and meta.lastmodified in any case", async () => {
    const token = await t.token("demo");
    const canonical = (await listAll(t, token, { filter: "active eq true" })).totalResults;
    expect(canonical).toBeGreaterThan(100);
    expect((await listAll(t, token, { filter: "ActiVe eq true" })).totalResults).toBe(canonical);
    expect((await listAll(t, token, { filter: "ACTIVE EQ TRUE" })).totalResults).toBe(canonical);
    const recent = await listAll(t, token, { filter: 'meta.lastmodified ge "2026-06-01T00:00:00Z"' });
    const recentCanonical = await listAll(t, token, { filter: 'meta.lastModified ge "2026-06-01T00:00:00Z"' });
    expect(recent.totalResults).toBe(recentCanonical.totalResults);
    expect(recent.totalResults).toBeGreaterThan(0);
  });
});

describe("userName (item 8)", () => {
  it("compares case-insensitively and returns the stored case unchanged", async () => {
    const tenant = await makeTenant(t.db);
    await addEmployee(t.db, tenant.id, { login: "Mixed.Case", first_name: "Mixed", last_name: "Case", work_email: "Mixed.Case@x.example" });
    const own = await tokenOf(tenant.id);
    expect(await logins('userName eq "mixed.case"', own)).toEqual(["Mixed.Case"]);
    expect(await logins('userName eq "MIXED.CASE"', own)).toEqual(["Mixed.Case"]);
    expect(await logins('userName sw "mixed"', own)).toEqual(["Mixed.Case"]);
  });
});

describe("the filters used in the wild (item 9)", () => {
  it("externalId eq, quoted and unquoted (Entra: externalId eq jyoung)", async () => {
    const tenant = await makeTenant(t.db);
    await addEmployee(t.db, tenant.id, { login: "j.young", first_name: "J", last_name: "Young", work_email: "j.young@x.example", external_id: "jyoung" });
    await addEmployee(t.db, tenant.id, { login: "k.old", first_name: "K", last_name: "Old", work_email: "k.old@x.example", external_id: "kold" });
    const own = await tokenOf(tenant.id);
    const quoted = await filter('externalId eq "jyoung"', own);
    expect(quoted.status).toBe(200);
    expect(quoted.body.Resources.map((u: any) => [u.userName, u.externalId])).toEqual([["j.young", "jyoung"]]);
    const bare = await filter("externalId eq jyoung", own);
    expect(bare.status).toBe(200);
    expect(bare.body.Resources.map((u: any) => u.userName)).toEqual(["j.young"]);
  });

  it("id eq", async () => {
    const token = await t.token("demo");
    const ada = await userByLogin(t, token, "ada.lovelace");
    const res = await filter(`id eq "${ada.id}"`);
    expect(res.body.totalResults).toBe(1);
    expect(res.body.Resources[0].id).toBe(ada.id);
  });

  it("emails[type eq \"work\"].value eq (Entra's form)", async () => {
    expect(await logins('emails[type eq "work"].value eq "grace.hopper@demo.example"')).toEqual(["grace.hopper"]);
    expect(await logins('emails[type eq "work"].value eq "GRACE.HOPPER@DEMO.EXAMPLE"')).toEqual(["grace.hopper"]);
    expect(await logins('emails[type eq "home"].value eq "grace.hopper@demo.example"')).toEqual([]);
  });

  it("emails.value co and a value path with and", async () => {
    const token = await t.token("demo");
    const co = await listAll(t, token, { filter: 'emails.value co "grace"' });
    expect(co.Resources.map((u) => u.userName)).toContain("grace.hopper");
    expect(co.Resources.every((u) => u.emails[0].value.toLowerCase().includes("grace"))).toBe(true);
    const path = await listAll(t, token, { filter: 'emails[type eq "work" and value co "grace"]' });
    expect(path.Resources.map((u) => u.userName).sort()).toEqual(co.Resources.map((u) => u.userName).sort());
  });

  it("name.familyName eq and displayName eq", async () => {
    expect(await logins('name.familyName eq "Lovelace"')).toEqual(["ada.lovelace"]);
    expect(await logins('displayName eq "Grace Hopper"')).toEqual(["grace.hopper"]);
  });

  it("active eq true lists only active users, leavers excluded", async () => {
    const token = await t.token("demo");
    const active = await listAll(t, token, { filter: "active eq true" });
    expect(active.Resources.every((u) => u.active === true)).toBe(true);
    const names = active.Resources.map((u) => u.userName);
    expect(names).toContain("tara.today");
    expect(names).not.toContain("liam.leaver");
  });

  it("the pull-client window with 7-digit fractional seconds", async () => {
    const token = await t.token("demo");
    const active = (await listAll(t, token, { filter: "active eq true" })).totalResults;
    const window = (w: string, now: string) =>
      `active eq true and (meta.lastModified ge "${w}" and meta.lastModified le "${now}")`;
    const all = await filter(window("2026-06-14T00:00:00.0000000Z", "2026-06-15T10:00:00.0000000Z"));
    expect(all.status, all.text.slice(0, 300)).toBe(200);
    expect(all.body.totalResults).toBe(active);
    const before = await filter(window("2026-06-01T00:00:00.0000000Z", "2026-06-15T09:59:59.9990000Z"));
    expect(before.status, before.text.slice(0, 300)).toBe(200);
    expect(before.body.totalResults).toBe(0);
    const fraction = await filter(window("2026-06-14T23:59:59.1234567Z", "2026-06-15T10:00:00.1234567Z"));
    expect(fraction.status, fraction.text.slice(0, 300)).toBe(200);
    expect(fraction.body.totalResults).toBe(active);
  });

  it("meta.lastModified gt/lt and dates with offsets compare as instants", async () => {
    const token = await t.token("demo");
    const a = await listAll(t, token, { filter: 'meta.lastModified ge "2026-06-15T12:00:00.0000000+02:00"' });
    const b = await listAll(t, token, { filter: 'meta.lastModified ge "2026-06-15T10:00:00Z"' });
    expect(a.totalResults).toBe(b.totalResults);
    expect(a.totalResults).toBeGreaterThan(0);
    const all = (await listAll(t, token)).totalResults;
    const lt = await listAll(t, token, { filter: 'meta.lastModified lt "2026-06-15T10:00:00Z"' });
    expect(lt.totalResults + b.totalResults).toBe(all);
    const gt = await listAll(t, token, { filter: 'meta.lastModified gt "2026-06-15T10:00:00Z"' });
    const le = await listAll(t, token, { filter: 'meta.lastModified le "2026-06-15T10:00:00Z"' });
    expect(gt.totalResults + le.totalResults).toBe(all);
  });

  it("and, or, not and parentheses", async () => {
    const token = await t.token("demo");
    expect((await logins('userName eq "ada.lovelace" or userName eq "grace.hopper"')).sort()).toEqual(["ada.lovelace", "grace.hopper"]);
    expect(await logins('(userName eq "ada.lovelace" or userName eq "grace.hopper") and title eq "CTO"')).toEqual(["ada.lovelace"]);
    expect(await logins('userName eq "ada.lovelace" or userName eq "grace.hopper" and title eq "CTO"')).toEqual(["ada.lovelace"]);
    const total = (await listAll(t, token)).totalResults;
    const not = await listAll(t, token, { filter: 'not (userName eq "ada.lovelace")' });
    expect(not.totalResults).toBe(total - 1);
    expect(not.Resources.map((u) => u.userName)).not.toContain("ada.lovelace");
    expect(await logins('userName eq "ada.lovelace" and not (active eq false)')).toEqual(["ada.lovelace"]);
  });
});

describe("URN-qualified names (item 10)", () => {
  it("enterprise employeeNumber and core userName by their URN", async () => {
    expect(await logins(`${ENTERPRISE}:employeeNumber eq "E0001"`)).toEqual(["ada.lovelace"]);
    expect(await logins('urn:ietf:params:scim:schemas:core:2.0:User:userName eq "grace.hopper"')).toEqual(["grace.hopper"]);
    expect(await logins(`${ENTERPRISE}:department eq "Platform" and userName eq "grace.hopper"`)).toEqual(["grace.hopper"]);
  });
});

describe("accented values", () => {
  it("matches Élodie and José exactly as sent, in NFC", async () => {
    expect(await logins('name.givenName eq "Élodie"')).toContain("elodie.durand-muller");
    expect(await logins('name.givenName eq "José"')).toContain("jose.garcia");
    expect(await logins('name.familyName eq "Durand-Müller"')).toEqual(["elodie.durand-muller"]);
    expect(await logins('name.givenName eq "\\u00c9lodie" and name.familyName eq "Durand-M\\u00fcller"')).toEqual(["elodie.durand-muller"]);
  });
});

describe("filters that match nothing (item 5)", () => {
  it("answers a random GUID with 200 and an empty ListResponse, never 404", async () => {
    const guid = crypto.randomUUID();
    for (const text of [`id eq "${guid}"`, `userName eq "${guid}"`, `externalId eq "${guid}"`]) {
      const res = await filter(text);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ totalResults: 0, itemsPerPage: 0, startIndex: 1, Resources: [] });
    }
  });
});

describe("invalid filters (item 11)", () => {
  it("answers an unknown attribute with 400 invalidFilter", async () => {
    for (const text of ['foo eq "x"', 'name.middleName eq "x"', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:nothing eq "x"']) {
      const res = await filter(text);
      expect(res.status, text).toBe(400);
      expect(res.body).toMatchObject({ schemas: [ERROR], status: "400", scimType: "invalidFilter" });
      expect(typeof res.body.detail).toBe("string");
    }
  });

  it("answers an attribute the tenant does not expose with 400 invalidFilter", async () => {
    const tenant = await makeTenant(t.db, { propertyMapping: { attributes: ["externalId"], namespace: ENTERPRISE, extendedFields: {} } });
    await addEmployee(t.db, tenant.id, { login: "no.title", first_name: "No", last_name: "Title", work_email: "n@x.example", job_title: "x" });
    const own = await tokenOf(tenant.id);
    const res = await filter('title eq "x"', own);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ schemas: [ERROR], status: "400", scimType: "invalidFilter" });
    expect(res.body.detail).toMatch(/title/);
    // demo exposes title
    expect(await logins('title eq "CTO"')).toEqual(["ada.lovelace"]);
  });

  it("answers unparsable filters with 400 invalidFilter, in GET and in POST /.search", async () => {
    const token = await t.token("demo");
    for (const text of ["userName eq", 'userName zz "x"', '(userName eq "x"', 'userName eq "x', "and", 'userName eq "x" and', 'emails[type eq "work"', 'userName eq "x" or']) {
      const res = await filter(text);
      expect(res.status, JSON.stringify(text)).toBe(400);
      expect(res.body).toMatchObject({ schemas: [ERROR], status: "400", scimType: "invalidFilter" });
      const search = await t.request().post("/scim/v2/Users/.search").set(bearer(token)).send({ schemas: ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"], filter: text });
      expect(search.status, JSON.stringify(text)).toBe(400);
    }
  });
});

describe("injection attempts", () => {
  it("keeps quotes, comments and wildcards as data: 200 with nothing, never 500", async () => {
    const token = await t.token("demo");
    const attempts = [
      `userName eq "x' or 1=1 --"`,
      `userName eq "'; drop table employees; --"`,
      `userName co "%"`,
      `userName co "_"`,
      `userName sw "\\\\"`,
      `displayName eq "x\\" or \\"1\\"=\\"1"`,
      `${ENTERPRISE}:employeeNumber eq "E0001' or '1'='1"`,
      `emails[value co "' or 1=1 --"]`,
    ];
    const before = (await listAll(t, token)).totalResults;
    for (const text of attempts) {
      const res = await filter(text);
      expect(res.status, `${text}: ${res.text.slice(0, 300)}`).toBe(200);
      expect(res.body.totalResults, text).toBe(0);
    }
    expect((await listAll(t, token)).totalResults).toBe(before);
  });
});

// Tenant isolation (docs/BEHAVIOUR.md section 6) on the demo seed: the token decides the tenant;
// another tenant's users are never listed, found, filtered or searched, though the seed's tenant
// `other` has logins colliding with demo's (ada.lovelace, grace.hopper, jose.garcia). Every route
// with every kind of credential, and another tenant's ids answering exactly as unknown ones, are in
// isolation-matrix.test.ts.
import { beforeAll, describe, expect, it } from "vitest";
import { bearer, ENTERPRISE, json, listAll, userByLogin } from "../support/scim-client.js";
import { useTestApp } from "../support/use-test-app.js";

const t = useTestApp();
let demo: string;
let other: string;
let demoAda: any;
let otherAda: any;
let demoIds: Set<string>;

beforeAll(async () => {
  demo = await t.token("demo", ["future-employees:read"]);
  other = await t.token("other", ["future-employees:read"]);
  demoAda = await userByLogin(t, demo, "ada.lovelace");
  otherAda = await userByLogin(t, other, "ada.lovelace");
  demoIds = new Set((await listAll(t, demo)).Resources.map((u) => u.id));
});

describe("the other tenant's token sees only its own users", () => {
  it("has its own ada.lovelace under a different id, with its own data", async () => {
    expect(otherAda).toBeDefined();
    expect(otherAda.id).not.toBe(demoAda.id);
    expect(otherAda.emails[0].value).toBe("ada.lovelace@other.example");
    expect(otherAda.title).not.toBe(demoAda.title);
  });

  it("GET /Users lists no demo user, and the totals differ", async () => {
    const page = await listAll(t, other);
    const all = await listAll(t, demo);
    expect(page.totalResults).not.toBe(all.totalResults);
    expect(page.totalResults).toBe(page.Resources.length);
    for (const u of page.Resources) {
      expect(demoIds.has(u.id)).toBe(false);
      expect(u.emails[0].value).not.toMatch(/demo\.example$/);
    }
    expect(page.Resources.map((u) => u.userName).sort()).toEqual(["ada.lovelace", "grace.hopper", "jose.garcia"]);
  });

  it("POST /Users/.search and POST /.search stay in the tenant", async () => {
    for (const path of ["/scim/v2/Users/.search", "/scim/v2/.search"]) {
      const res = await t.request().post(path).set(bearer(other)).send({ schemas: ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"], count: 1000 });
      expect(res.status).toBe(200);
      const body = json(res);
      expect(body.totalResults).toBe(3);
      expect(body.Resources.every((u: any) => !demoIds.has(u.id))).toBe(true);
      const byDemoEmail = await t.request().post(path).set(bearer(other)).send({ filter: 'emails.value co "demo.example"' });
      expect(json(byDemoEmail).totalResults).toBe(0);
    }
  });

  it("filters never reach the other tenant: userName, id, employeeNumber, email", async () => {
    const byLogin = await listAll(t, other, { filter: 'userName eq "ada.lovelace"' });
    expect(byLogin.Resources.map((u) => u.id)).toEqual([otherAda.id]);
    expect((await listAll(t, other, { filter: `id eq "${demoAda.id}"` })).totalResults).toBe(0);
    expect((await listAll(t, other, { filter: 'userName eq "elodie.durand-muller"' })).totalResults).toBe(0);
    expect((await listAll(t, other, { filter: 'userName eq "noah.future"' })).totalResults).toBe(0);
    expect((await listAll(t, other, { filter: 'emails[type eq "work"].value eq "ada.lovelace@demo.example"' })).totalResults).toBe(0);
    const back = await listAll(t, demo, { filter: `id eq "${otherAda.id}"` });
    expect(back.totalResults).toBe(0);
  });

  it("managers point inside the tenant", async () => {
    const grace = await userByLogin(t, other, "grace.hopper");
    expect(grace[ENTERPRISE].manager.value).toBe(otherAda.id);
  });
});

describe("discovery is per tenant", () => {
  it("/Schemas describes each tenant's own mapping", async () => {
    const mine = json(await t.request().get("/scim/v2/Schemas").set(bearer(other)));
    const theirs = json(await t.request().get("/scim/v2/Schemas").set(bearer(demo)));
    const attributes = (list: any) => JSON.stringify(list.Resources.map((s: any) => [s.id, s.attributes.map((a: any) => a.name)]));
    // demo maps costCenter and the optional custom attributes; other keeps the defaults.
    expect(attributes(mine)).not.toEqual(attributes(theirs));
    expect(JSON.stringify(mine)).not.toContain("costCenter");
    expect(JSON.stringify(theirs)).toContain("costCenter");
  });

  it("/ResourceTypes and /ServiceProviderConfig answer for the token's tenant", async () => {
    for (const path of ["/scim/v2/ResourceTypes", "/scim/v2/ServiceProviderConfig", `/scim/v2/Schemas/${ENTERPRISE}`]) {
      const res = await t.request().get(path).set(bearer(other));
      expect(res.status, path).toBe(200);
      expect(res.text).not.toMatch(/demo\.example|costCenter/);
    }
  });
});

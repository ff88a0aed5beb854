// Tenant isolation (docs/BEHAVIOUR.md section 6): the token decides the tenant; another tenant's
// users are never listed, found, filtered, searched or written, and their ids answer exactly as
// unknown ids. The seed's tenant `other` has logins colliding with demo's (ada.lovelace,
// grace.hopper, jose.garcia).
import { beforeAll, describe, expect, it } from "vitest";
import { bearer, ENTERPRISE, json, listAll, userByLogin } from "../support/scim-client.js";
import { useTestApp } from "../support/use-test-app.js";

const t = useTestApp();
let demo: string;
let other: string;
let otherWriter: string;
let demoAda: any;
let otherAda: any;
let demoIds: Set<string>;

const UNKNOWN_ID = "2147483000";

beforeAll(async () => {
  demo = await t.token("demo", ["future-employees:read"]);
  other = await t.token("other", ["future-employees:read"]);
  otherWriter = await t.token("other", ["users:write", "future-employees:read"]);
  demoAda = await userByLogin(t, demo, "ada.lovelace");
  otherAda = await userByLogin(t, other, "ada.lovelace");
  demoIds = new Set((await listAll(t, demo)).Resources.map((u) => u.id));
});

/** A response with the id it was about replaced, to compare "another tenant's" with "unknown". */
function shape(res: { status: number; headers: Record<string, string>; text: string }, id: string) {
  return { status: res.status, contentType: res.headers["content-type"], body: res.text.split(id).join("<id>") };
}

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

describe("another tenant's user id answers exactly as an unknown id", () => {
  it("GET /Users/{id}: 404, same body", async () => {
    const foreign = await t.request().get(`/scim/v2/Users/${demoAda.id}`).set(bearer(other));
    const unknown = await t.request().get(`/scim/v2/Users/${UNKNOWN_ID}`).set(bearer(other));
    expect(foreign.status).toBe(404);
    expect(shape(foreign, demoAda.id)).toEqual(shape(unknown, UNKNOWN_ID));
    const reverse = await t.request().get(`/scim/v2/Users/${otherAda.id}`).set(bearer(demo));
    expect(reverse.status).toBe(404);
  });

  it("PUT, PATCH and DELETE: same answer as for an unknown id, with or without users:write, and demo's user unchanged", async () => {
    const before = (await t.request().get(`/scim/v2/Users/${demoAda.id}`).set(bearer(demo))).body;
    // Bodies that would change nothing even if they reached demo's Ada (demo data is shared on PostgreSQL).
    const put = { ...before };
    const patch = { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "replace", path: "name.givenName", value: before.name.givenName }] };
    for (const token of [other, otherWriter]) {
      const calls = [
        (id: string) => t.request().put(`/scim/v2/Users/${id}`).set(bearer(token)).send({ ...put, id }),
        (id: string) => t.request().patch(`/scim/v2/Users/${id}`).set(bearer(token)).send(patch),
        (id: string) => t.request().delete(`/scim/v2/Users/${id}`).set(bearer(token)),
      ];
      for (const call of calls) {
        const foreign = await call(demoAda.id);
        const unknown = await call(UNKNOWN_ID);
        expect(foreign.status).toBeGreaterThanOrEqual(400);
        expect(shape(foreign, demoAda.id)).toEqual(shape(unknown, UNKNOWN_ID));
      }
    }
    const after = (await t.request().get(`/scim/v2/Users/${demoAda.id}`).set(bearer(demo))).body;
    expect(after).toEqual(before);
  });

  it("PUT and PATCH with users:write on another tenant's id are 404, never 403", async () => {
    const patch = { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "replace", path: "name.givenName", value: "Ada" }] };
    const res = await t.request().patch(`/scim/v2/Users/${demoAda.id}`).set(bearer(otherWriter)).send(patch);
    expect(res.status).toBe(404);
    const put = await t.request().put(`/scim/v2/Users/${demoAda.id}`).set(bearer(otherWriter)).send({ schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: "ada.lovelace", name: { givenName: "Ada", familyName: "Lovelace" } });
    expect(put.status).toBe(404);
  });
});

describe("discovery is per tenant", () => {
  it("/Schemas describes each tenant's own mapping", async () => {
    const mine = json(await t.request().get("/scim/v2/Schemas").set(bearer(other)));
    const theirs = json(await t.request().get("/scim/v2/Schemas").set(bearer(demo)));
    const attributes = (list: any) => JSON.stringify(list.Resources.map((s: any) => [s.id, s.attributes.map((a: any) => a.name)]));
    // demo maps an extended field (costCenter) and the optional custom attributes; other keeps the defaults.
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

// The admin API (/admin/v1, issue 13): each endpoint, each role boundary and each refusal, with
// problem+json errors and nothing changed on refusal; console sessions with CSRF; retention.
import { beforeAll, describe, expect, it } from "vitest";
import { purgeExpiredLogs } from "../../src/admin/retention.js";
import { makeTenant } from "../support/build-test-app.js";
import { useTestApp } from "../support/use-test-app.js";
import { addEmployee, adminBearer, issueTestAdminKey } from "../support/admin.js";
import { bearer, json } from "../support/scim-client.js";

const t = useTestApp();

interface Fixture { slug: string; id: number; future: string; current: string }
let A: Fixture;
let B: Fixture;
const keys: Record<string, string> = {};

async function fixture(): Promise<Fixture> {
  const tenant = await makeTenant(t.db);
  const current = await addEmployee(t.db, tenant.id, `c${tenant.id}`, "2020-01-01");
  const future = await addEmployee(t.db, tenant.id, `f${tenant.id}`, "2026-09-01");
  return { slug: tenant.slug, id: tenant.id, current, future };
}

beforeAll(async () => {
  A = await fixture();
  B = await fixture();
  const now = t.now();
  keys.integration = (await issueTestAdminKey(t.db, { roles: ["integration-admin"], now })).key;
  keys.security = (await issueTestAdminKey(t.db, { roles: ["security-admin"], now })).key;
  keys.both = (await issueTestAdminKey(t.db, { roles: ["integration-admin", "security-admin"], now })).key;
  keys.onlyA = (await issueTestAdminKey(t.db, { roles: ["integration-admin", "security-admin"], tenantId: A.id, now })).key;
});

const admin = (key: string) => ({
  get: (path: string) => t.request().get(`/admin/v1${path}`).set(adminBearer(key)),
  post: (path: string, body?: object) => t.request().post(`/admin/v1${path}`).set(adminBearer(key)).send(body ?? {}),
  put: (path: string, body?: object) => t.request().put(`/admin/v1${path}`).set(adminBearer(key)).send(body ?? {}),
  patch: (path: string, body?: object) => t.request().patch(`/admin/v1${path}`).set(adminBearer(key)).send(body ?? {}),
});

function expectProblem(res: { status: number; headers: Record<string, string>; text: string }, status: number, detail?: RegExp) {
  expect(res.status, res.text).toBe(status);
  expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
  const body = json(res);
  expect(body).toMatchObject({ type: "about:blank", status, title: expect.any(String), detail: expect.any(String) });
  if (detail) expect(body.detail).toMatch(detail);
}

async function issue(key: string, slug: string, body: object) {
  const res = await admin(key).post(`/tenants/${slug}/tokens`, body);
  expect(res.status, res.text).toBe(201);
  return res.body as { id: string; token: string; permissions: string[] };
}

const tokenCount = async (tenantId: number) => Number((await t.db("api_tokens").where({ tenant_id: tenantId }).count("* as n").first())!.n);
const auditCount = async () => Number((await t.db("admin_audit").count("* as n").first())!.n);

describe("authentication", () => {
  it("refuses a request without a key, or with an unknown, revoked or token-shaped one, with a 401 problem", async () => {
    expectProblem(await t.request().get(`/admin/v1/tenants/${A.slug}/tokens`), 401, /admin key|sign in/i);
    expectProblem(await admin("hrscimadm_" + "x".repeat(43)).get("/tenants"), 401, /unknown, revoked or expired/);
    const scimToken = await t.tokenFor(A.slug);
    const res = await admin(scimToken).get("/tenants");
    expectProblem(res, 401);
    expect(res.headers["www-authenticate"]).toMatch(/^Bearer/);
    const revoked = await issueTestAdminKey(t.db, { roles: ["security-admin"], now: t.now() });
    await t.request().post("/admin/v1/session").send({ key: revoked.key }); // a session made before the revocation ends with it
    const { revokeAdminKey } = await import("../../src/admin/admin-keys.js");
    await revokeAdminKey(t.db, revoked.id, "test", t.now());
    expectProblem(await admin(revoked.key).get("/tenants"), 401);
  });

  it("answers an unknown admin path with a 404 problem, and SCIM keeps its own errors", async () => {
    expectProblem(await admin(keys.both).get("/nothing-here"), 404);
    const scim = await t.request().get("/scim/v2/Users");
    expect(scim.body.schemas).toEqual(["urn:ietf:params:scim:api:messages:2.0:Error"]);
  });

  it("refuses malformed JSON with a 400 problem", async () => {
    const res = await t.request().post(`/admin/v1/tenants/${A.slug}/tokens`).set(adminBearer(keys.both)).set("Content-Type", "application/json").send("{nope");
    expectProblem(res, 400, /not valid JSON/);
  });
});

describe("tenant-limited keys", () => {
  it("see only their tenant: the list holds it alone and another tenant answers as a missing one", async () => {
    const list = await admin(keys.onlyA).get("/tenants");
    expect(list.body.tenants.map((x: { slug: string }) => x.slug)).toEqual([A.slug]);
    const before = await tokenCount(B.id);
    for (const res of [
      await admin(keys.onlyA).get(`/tenants/${B.slug}/tokens`),
      await admin(keys.onlyA).post(`/tenants/${B.slug}/tokens`, { name: "x" }),
      await admin(keys.onlyA).patch(`/tenants/${B.slug}/settings`, { futureEmployeesActive: true }),
      await admin(keys.onlyA).get(`/tenants/${B.slug}/integration-log`),
    ]) {
      expectProblem(res, 404);
      expect(res.text).toBe((await admin(keys.onlyA).get("/tenants/no-such-tenant/tokens")).text.replace("no-such-tenant", B.slug));
    }
    expect(await tokenCount(B.id)).toBe(before);
    expect((await t.db("tenants").where({ id: B.id }).first()).settings.futureEmployeesActive).toBeUndefined();
  });

  it("cannot reach another tenant's token through its own tenant's path", async () => {
    const bToken = await issue(keys.both, B.slug, { name: "b" });
    expectProblem(await admin(keys.onlyA).post(`/tenants/${A.slug}/tokens/${bToken.id}/revoke`), 404);
    expect((await t.db("api_tokens").where({ id: bToken.id }).first()).revoked_at).toBeNull();
  });
});

describe("tokens", () => {
  it("issues a token shown once that reads /scim/v2/Users, listed afterwards with its prefix and never its secret", async () => {
    const issued = await issue(keys.integration, A.slug, { name: "okta", expiresInDays: 30 });
    expect(issued.token).toMatch(/^hrscim_\d+_/);
    expect((await t.request().get("/scim/v2/Users").set(bearer(issued.token))).status).toBe(200);
    const list = await admin(keys.integration).get(`/tenants/${A.slug}/tokens`);
    const listed = list.body.tokens.find((x: { id: string }) => x.id === issued.id);
    expect(listed).toMatchObject({ name: "okta", status: "active", permissions: [], lastUsedAt: expect.any(String), expiresAt: expect.any(String) });
    expect(issued.token.startsWith(listed.prefix)).toBe(true);
    expect(list.text.includes(issued.token)).toBe(false);
    const audit = await t.db("admin_audit").where({ action: "token.issue", target: issued.id }).first();
    expect(audit.actor).toMatch(/^admin:/);
    expect(JSON.stringify(audit.after)).not.toContain(issued.token);
  });

  it("refuses an integration-admin granting users:write or future-employees:read, and changes nothing", async () => {
    const before = await tokenCount(A.id);
    for (const permissions of [["users:write"], ["future-employees:read"]]) {
      expectProblem(await admin(keys.integration).post(`/tenants/${A.slug}/tokens`, { name: "w", permissions }), 403, /security-admin/);
    }
    expect(await tokenCount(A.id)).toBe(before);
    const created = await issue(keys.both, A.slug, { name: "granted", permissions: ["users:write"] });
    expect(created.permissions).toEqual(["users:write"]);
  });

  it("refuses bad input with a clear 400 problem", async () => {
    const before = await tokenCount(A.id);
    expectProblem(await admin(keys.both).post(`/tenants/${A.slug}/tokens`, { name: " " }), 400, /name/);
    expectProblem(await admin(keys.both).post(`/tenants/${A.slug}/tokens`, { name: "x", permissions: ["admin"] }), 400, /Unknown permission/);
    expectProblem(await admin(keys.both).post(`/tenants/${A.slug}/tokens`, { name: "x", expiresInDays: 0 }), 400, /expiresInDays/);
    expectProblem(await admin(keys.both).post(`/tenants/${A.slug}/tokens`, { name: "x", __proto__: { a: 1 }, extra: 1 }), 400, /Unknown member/);
    expect(await tokenCount(A.id)).toBe(before);
  });

  it("rotates: the new secret works at once, the old one until the overlap ends", async () => {
    const old = await issue(keys.integration, A.slug, { name: "rot" });
    const res = await admin(keys.integration).post(`/tenants/${A.slug}/tokens/${old.id}/rotate`, { overlapSeconds: 600 });
    expect(res.status, res.text).toBe(201);
    expect(res.body.token).not.toBe(old.token);
    expect(res.body.name).toBe("rot");
    expect((await t.request().get("/scim/v2/Users").set(bearer(res.body.token))).status).toBe(200);
    expect((await t.request().get("/scim/v2/Users").set(bearer(old.token))).status).toBe(200);
    const start = t.now();
    try {
      t.setNow(new Date(start.getTime() + 601_000));
      expect((await t.request().get("/scim/v2/Users").set(bearer(old.token))).status).toBe(401);
      expect((await t.request().get("/scim/v2/Users").set(bearer(res.body.token))).status).toBe(200);
    } finally {
      t.setNow(start);
    }
    const now = await admin(keys.integration).post(`/tenants/${A.slug}/tokens/${res.body.id}/rotate`);
    expect(now.status).toBe(201);
    expect((await t.request().get("/scim/v2/Users").set(bearer(res.body.token))).status).toBe(401);
    expectProblem(await admin(keys.integration).post(`/tenants/${A.slug}/tokens/${res.body.id}/rotate`), 400, /revoked/);
    expectProblem(await admin(keys.integration).post(`/tenants/${A.slug}/tokens/${now.body.id}/rotate`, { overlapSeconds: -1 }), 400, /overlapSeconds/);
    expectProblem(await admin(keys.security).post(`/tenants/${A.slug}/tokens/${now.body.id}/rotate`), 403);
  });

  it("revokes: the token is refused afterwards", async () => {
    const tok = await issue(keys.integration, A.slug, { name: "rev" });
    const res = await admin(keys.security).post(`/tenants/${A.slug}/tokens/${tok.id}/revoke`);
    expect(res.status).toBe(200);
    expect(res.body.status).toBe("revoked");
    expect((await t.request().get("/scim/v2/Users").set(bearer(tok.token))).status).toBe(401);
    expectProblem(await admin(keys.security).post(`/tenants/${A.slug}/tokens/no-such-id/revoke`), 404);
  });
});

describe("permission toggles", () => {
  it("a security-admin grants future-employees:read and the future employee appears; an integration-admin is refused", async () => {
    const tok = await issue(keys.integration, A.slug, { name: "perm" });
    const ids = async () => (await t.request().get("/scim/v2/Users").query({ count: 100 }).set(bearer(tok.token))).body.Resources.map((u: { id: string }) => u.id);
    expect(await ids()).not.toContain(A.future);
    const path = `/tenants/${A.slug}/tokens/${tok.id}/permissions/future-employees:read`;
    const audits = await auditCount();
    expectProblem(await admin(keys.integration).put(path, { enabled: true }), 403, /security-admin/);
    expect(await auditCount()).toBe(audits);
    expectProblem(await admin(keys.security).put(path, { enabled: "yes" }), 400, /enabled/);
    expectProblem(await admin(keys.security).put(`/tenants/${A.slug}/tokens/${tok.id}/permissions/admin:all`, { enabled: true }), 400, /Unknown permission/);
    const res = await admin(keys.security).put(path, { enabled: true });
    expect(res.status, res.text).toBe(200);
    expect(res.body.permissions).toEqual(["future-employees:read"]);
    expect(await ids()).toContain(A.future);
    const row = await t.db("admin_audit").where({ action: "token.permission.grant", target: tok.id }).first();
    expect(row).toMatchObject({ before: { permissions: [] }, after: { permissions: ["future-employees:read"] } });
    expect(await t.db("token_permission_changes").where({ token_id: tok.id })).toHaveLength(1);
    await admin(keys.security).put(path, { enabled: false });
    expect(await ids()).not.toContain(A.future);
  });

  it("lets an integration-admin issue an HR token (hr:write goes alone)", async () => {
    const hr = await issue(keys.integration, A.slug, { name: "hr feed", permissions: ["hr:write"] });
    expect(hr.permissions).toEqual(["hr:write"]);
    expectProblem(await admin(keys.both).post(`/tenants/${A.slug}/tokens`, { name: "mixed", permissions: ["hr:write", "users:write"] }), 400, /goes alone/);
    expectProblem(await admin(keys.both).put(`/tenants/${A.slug}/tokens/${hr.id}/permissions/users:write`, { enabled: true }), 400, /goes alone/);
  });

  it("lists what each permission opens", async () => {
    const res = await admin(keys.integration).get("/permissions");
    expect(res.body.permissions.map((p: { name: string }) => p.name)).toEqual(["users:write", "future-employees:read", "hr:write"]);
  });
});

describe("tenant settings", () => {
  it("reads and changes settings in one go, audited with before and after", async () => {
    const tenant = await makeTenant(t.db);
    const res = await admin(keys.integration).patch(`/tenants/${tenant.slug}/settings`, {
      timeZone: "America/New_York", groupTypes: ["LUCCA_DEPT"], userNameSource: "workEmail", futureEmployeesActive: true,
      allowedEmailDomains: ["Example.com"], logRetentionDays: 90,
      propertyMapping: { attributes: ["title", "department"], namespace: "urn:ietf:params:scim:schemas:extension:lucca:2.0:User", extendedFields: {} },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ timeZone: "America/New_York", groupTypes: ["LUCCA_DEPT"], userNameSource: "workEmail", futureEmployeesActive: true, allowedEmailDomains: ["example.com"], logRetentionDays: 90 });
    expect(res.body.propertyMapping.attributes).toEqual(["title", "department"]);
    expect((await admin(keys.security).get(`/tenants/${tenant.slug}/settings`)).body).toEqual(res.body);
    const audit = await t.db("admin_audit").where({ tenant_id: tenant.id, action: "tenant.settings" }).first();
    expect(audit.before.timeZone).toBe("Europe/Paris");
    expect(audit.after.timeZone).toBe("America/New_York");
  });

  it("refuses bad values, unknown settings, locked attributes and the wrong role, changing nothing", async () => {
    const tenant = await makeTenant(t.db);
    const path = `/tenants/${tenant.slug}/settings`;
    const before = await t.db("tenants").where({ id: tenant.id }).first();
    expectProblem(await admin(keys.integration).patch(path, { timeZone: "Mars/Olympus" }), 400, /time zone/);
    expectProblem(await admin(keys.integration).patch(path, { groupTypes: ["NOPE"] }), 400, /Unknown group type/);
    expectProblem(await admin(keys.integration).patch(path, { futureEmployeesActive: true, logRetentionDays: 0 }), 400, /logRetentionDays/);
    expectProblem(await admin(keys.integration).patch(path, { colour: "red" }), 400, /Unknown setting/);
    expectProblem(await admin(keys.integration).patch(path, { constructor: 1 }), 400, /Unknown setting/);
    expectProblem(await admin(keys.integration).patch(path, { propertyMapping: { attributes: ["userName"] } }), 400, /always exposed/);
    expectProblem(await admin(keys.integration).patch(path, { propertyMapping: { attributes: ["shoeSize"] } }), 400, /Unknown attribute/);
    expectProblem(await admin(keys.integration).patch(path, {}), 400, /No setting/);
    expectProblem(await admin(keys.security).patch(path, { futureEmployeesActive: true }), 403);
    expect(await t.db("tenants").where({ id: tenant.id }).first()).toEqual(before);
  });

  it("shows the property mapping as a checklist with each SCIM attribute and namespace, the mandatory ones locked", async () => {
    const res = await admin(keys.integration).get(`/tenants/${A.slug}/property-mapping`);
    expect(res.body.locked).toEqual(expect.arrayContaining(["userName", "name", "emails", "active"]));
    const byKey = Object.fromEntries(res.body.attributes.filter((a: { key: string | null }) => a.key).map((a: { key: string }) => [a.key, a]));
    expect(byKey.department).toMatchObject({ scimAttribute: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department", locked: false, exposed: true });
    expect(byKey.title).toMatchObject({ scimAttribute: "title", namespace: "urn:ietf:params:scim:schemas:core:2.0:User" });
    expect(res.body.attributes.find((a: { scimAttribute: string }) => a.scimAttribute === "userName")).toMatchObject({ locked: true, exposed: true });
  });
});

describe("integration log, admin audit, status and activity", () => {
  it("filters the log by token, status, method and resource, pages it, and shows write diffs", async () => {
    const tenant = await makeTenant(t.db);
    const person = await addEmployee(t.db, tenant.id, `log${tenant.id}`, "2020-01-01");
    const reader = await issue(keys.both, tenant.slug, { name: "reader" });
    const writer = await issue(keys.both, tenant.slug, { name: "writer", permissions: ["users:write"] });
    for (let i = 0; i < 3; i++) await t.request().get("/scim/v2/Users").set(bearer(reader.token));
    await t.request().get("/scim/v2/Users/999999999").set(bearer(reader.token));
    const patch = await t.request().patch(`/scim/v2/Users/${person}`).set(bearer(writer.token)).set("Content-Type", "application/scim+json")
      .send({ schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "replace", path: "title", value: "Chief" }] });
    expect(patch.status, patch.text).toBe(200);
    await t.integrationLog.flush();
    const log = (q: Record<string, string>) => admin(keys.security).get(`/tenants/${tenant.slug}/integration-log`).query(q);

    const all = await log({});
    expect(all.status).toBe(200);
    expect(all.body.rows).toHaveLength(5);
    expect((await log({ token: reader.id })).body.rows).toHaveLength(4);
    expect((await log({ status: "4xx" })).body.rows.map((r: { status: number }) => r.status)).toEqual([404]);
    const writes = (await log({ method: "PATCH" })).body.rows;
    expect(writes).toHaveLength(1);
    expect(JSON.stringify(writes[0].diff)).toContain("Chief");
    expect((await log({ resource: person })).body.rows).toHaveLength(1);
    expect((await log({ from: "2030-01-01" })).body.rows).toHaveLength(0);
    const lists = (await log({ token: reader.id, status: "200" })).body.rows;
    expect(lists.every((r: { results: number }) => r.results === 1)).toBe(true);

    const first = await log({ limit: "2" });
    const second = await log({ limit: "2", cursor: first.body.next });
    const third = await log({ limit: "2", cursor: second.body.next });
    const ids = [...first.body.rows, ...second.body.rows, ...third.body.rows].map((r: { id: string }) => r.id);
    expect(new Set(ids).size).toBe(5);
    expect(third.body.next).toBeNull();

    const bad: Record<string, string>[] = [{ status: "abc" }, { from: "yesterday" }, { limit: "0" }, { method: "BREW" }, { cursor: "garbage" }];
    for (const q of bad) expectProblem(await log(q), 400);
    expectProblem(await admin(keys.integration).get(`/tenants/${tenant.slug}/integration-log`), 403);

    const status = await admin(keys.integration).get(`/tenants/${tenant.slug}/status`);
    expect(status.body.logRetentionDays).toBe(400);
    expect(status.body.lastImports.find((i: { tokenId: string }) => i.tokenId === reader.id)).toMatchObject({ requests: 4, pages: 3, users: 3, errors: 1 });
    const activity = await admin(keys.integration).get(`/tenants/${tenant.slug}/activity`).query({ days: "7" });
    expect(activity.body.activity.find((a: { tokenId: string }) => a.tokenId === reader.id)).toMatchObject({ requests: 4, errors: 1 });
  });

  it("reads the admin audit newest first, security-admin only", async () => {
    const tenant = await makeTenant(t.db);
    await issue(keys.integration, tenant.slug, { name: "one" });
    await admin(keys.integration).patch(`/tenants/${tenant.slug}/settings`, { futureEmployeesActive: true });
    const res = await admin(keys.security).get(`/tenants/${tenant.slug}/admin-audit`);
    expect(res.body.rows.map((r: { action: string }) => r.action)).toEqual(["tenant.settings", "token.issue"]);
    expect(res.body.rows[0]).toMatchObject({ actor: expect.stringMatching(/^admin:/), before: { futureEmployeesActive: false }, after: { futureEmployeesActive: true } });
    expectProblem(await admin(keys.integration).get(`/tenants/${tenant.slug}/admin-audit`), 403);
  });

  it("purges integration-log and audit rows older than each tenant's retention", async () => {
    const short = await makeTenant(t.db, { logRetentionDays: 10 });
    const long = await makeTenant(t.db);
    const now = t.now();
    const old = new Date(now.getTime() - 20 * 86400_000);
    for (const tenant of [short, long]) {
      await t.db("integration_log").insert({ tenant_id: tenant.id, at: old, method: "GET", path: "/scim/v2/Users", status: 200, duration_ms: 1 });
      await t.db("admin_audit").insert({ tenant_id: tenant.id, at: old, actor: "test", action: "x" });
    }
    await purgeExpiredLogs(t.db, now);
    expect(await t.db("integration_log").where({ tenant_id: short.id })).toHaveLength(0);
    expect(await t.db("admin_audit").where({ tenant_id: short.id })).toHaveLength(0);
    expect(await t.db("integration_log").where({ tenant_id: long.id })).toHaveLength(1);
    expect(await t.db("admin_audit").where({ tenant_id: long.id })).toHaveLength(1);
  });
});

describe("HR change feed and CSV import", () => {
  const csv = (login: string) => `employeeNumber,login,firstName,lastName,contractStart\nE-${login},${login},Ada,Admin,2020-01-01\n`;
  const upload = (key: string, slug: string, query: string, body: string) =>
    t.request().post(`/admin/v1/tenants/${slug}/hr/imports${query}`).set(adminBearer(key)).set("Content-Type", "text/csv").send(body);

  it("a dry run reports what the file would do and changes nothing; applying it shows in the change feed", async () => {
    const tenant = await makeTenant(t.db);
    const count = async () => (await t.db("employees").where({ tenant_id: tenant.id })).length;
    const dry = await upload(keys.integration, tenant.slug, "?dryRun=true", csv("ada.admin"));
    expect(dry.status, dry.text).toBe(200);
    expect(dry.body).toMatchObject({ created: 1, updated: 0, dryRun: true, errors: [] });
    expect(await count()).toBe(0);
    const applied = await upload(keys.integration, tenant.slug, "", csv("ada.admin"));
    expect(applied.body).toMatchObject({ created: 1, dryRun: false });
    expect(await count()).toBe(1);
    const feed = await admin(keys.security).get(`/tenants/${tenant.slug}/hr/changes`);
    expect(feed.status).toBe(200);
    const change = feed.body.items.find((c: { entity: string }) => c.entity === "employee");
    expect(change).toMatchObject({ operation: expect.any(String), actor: expect.stringMatching(/^admin:/) });
    expect(JSON.stringify(change.fields)).toContain("ada.admin");
    expect((await t.db("admin_audit").where({ tenant_id: tenant.id, action: "hr.import" }))).toHaveLength(1);
  });

  it("reports a refused file line by line (422) and refuses the wrong role, a non-CSV body and bad flags", async () => {
    const tenant = await makeTenant(t.db);
    const bad = await upload(keys.integration, tenant.slug, "?dryRun=true", "employeeNumber,login\nE1,x\n");
    expect(bad.status).toBe(422);
    expect(bad.body.errors.length).toBeGreaterThan(0);
    expectProblem(await upload(keys.security, tenant.slug, "?dryRun=true", csv("x")), 403);
    expectProblem(await admin(keys.integration).post(`/tenants/${tenant.slug}/hr/imports`, { csv: "x" }), 415);
    expectProblem(await upload(keys.integration, tenant.slug, "?dryRun=maybe", csv("x")), 400);
    expectProblem(await upload(keys.integration, tenant.slug, "?removeAbsent=true", csv("x")), 400, /snapshot/);
    expectProblem(await admin(keys.security).get(`/tenants/${tenant.slug}/hr/changes?after=abc`), 400);
    expect(await t.db("employees").where({ tenant_id: tenant.id })).toHaveLength(0);
  });
});

describe("console sessions", () => {
  it("sign in sets an httpOnly SameSite=Strict cookie; writes need the CSRF token; sign out ends the session", async () => {
    const agent = t.request();
    expectProblem(await agent.post("/admin/v1/session").send({ key: "wrong" }), 401);
    expectProblem(await agent.post("/admin/v1/session").set("Content-Type", "text/plain").send(`{"key":"${keys.both}"}`), 415);
    const signIn = await agent.post("/admin/v1/session").send({ key: keys.both });
    expect(signIn.status).toBe(201);
    const cookie = String(signIn.headers["set-cookie"]);
    expect(cookie).toMatch(/^hrscim_admin=[A-Za-z0-9_-]{43};/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Path=\/admin/);
    expect(cookie).not.toContain(keys.both);
    const sessionId = /hrscim_admin=([^;]+)/.exec(cookie)![1];
    expect(await t.db("admin_sessions").where({ id_hash: sessionId })).toHaveLength(0); // stored hashed
    const { csrfToken } = signIn.body;

    expect((await agent.get(`/admin/v1/tenants/${A.slug}/tokens`)).status).toBe(200);
    const before = await tokenCount(A.id);
    expectProblem(await agent.post(`/admin/v1/tenants/${A.slug}/tokens`).send({ name: "csrf" }), 403, /CSRF/);
    expectProblem(await agent.post(`/admin/v1/tenants/${A.slug}/tokens`).set("X-CSRF-Token", "x".repeat(43)).send({ name: "csrf" }), 403, /CSRF/);
    expect(await tokenCount(A.id)).toBe(before);
    expect((await agent.post(`/admin/v1/tenants/${A.slug}/tokens`).set("X-CSRF-Token", csrfToken).send({ name: "csrf" })).status).toBe(201);
    expect((await agent.get("/admin/v1/session")).body.csrfToken).toBe(csrfToken);

    expect((await agent.delete("/admin/v1/session")).status).toBe(204);
    expectProblem(await t.request().get(`/admin/v1/tenants/${A.slug}/tokens`).set("Cookie", `hrscim_admin=${sessionId}`), 401);
  });

  it("serves the console page with a strict Content-Security-Policy", async () => {
    const res = await t.request().get("/admin/");
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toMatch(/text\/html/);
    expect(res.headers["content-security-policy"]).toContain("script-src 'self'");
    expect(res.text).toContain("/admin/console.js");
    expect((await t.request().get("/admin")).status).toBe(301);
    expect((await t.request().get("/admin/console.js")).status).toBe(200);
  });
});

describe("Entra connector", () => {
  const settings = {
    directoryId: "11111111-1111-1111-1111-111111111111", clientId: "22222222-2222-2222-2222-222222222222",
    servicePrincipalId: "33333333-3333-3333-3333-333333333333", jobId: "API2AAD.abc123.def456",
  };

  it("connects with the secret write-only, keeps it when not given again, and refuses the wrong role", async () => {
    const tenant = await makeTenant(t.db);
    const path = `/tenants/${tenant.slug}/entra`;
    expect((await admin(keys.integration).get(path)).body).toEqual({ connected: false, tenant: tenant.slug });
    expectProblem(await admin(keys.integration).put(path, settings), 400, /clientSecret is required/);
    // Refusals name the API's fields, not the CLI's options.
    expectProblem(await admin(keys.integration).put(path, { ...settings, directoryId: "nope", clientSecret: "s" }), 400, /^directoryId must be/);
    expectProblem(await admin(keys.integration).put(path, { ...settings, graphUrl: "ftp://x", clientSecret: "s" }), 400, /^graphUrl must/);
    expectProblem(await admin(keys.integration).put(path, { ...settings, ratePerSecond: 99, clientSecret: "s" }), 400, /^ratePerSecond must/);
    expectProblem(await admin(keys.integration).put(path, { ...settings, notifyEmails: ["nope"], clientSecret: "s" }), 400, /^notifyEmails must/);
    expectProblem(await admin(keys.security).put(path, { ...settings, clientSecret: "s3cr3t-value" }), 403);
    expectProblem(await admin(keys.integration).post(`${path}/runs`), 409, /no Entra connection/);
    const created = await admin(keys.integration).put(path, { ...settings, clientSecret: "s3cr3t-value" });
    expect(created.status, created.text).toBe(201);
    expect(created.text).not.toContain("s3cr3t-value");
    const updated = await admin(keys.integration).put(path, { ...settings, futureDays: 3 });
    expect(updated.status, updated.text).toBe(200);
    expect(updated.body.futureDays).toBe(3);
    const shown = await admin(keys.integration).get(path);
    expect(shown.body).toMatchObject({ connected: true, clientSecret: "stored encrypted (never shown)", jobId: settings.jobId });
    expect((await admin(keys.integration).get(`${path}/runs`)).body).toEqual({ runs: [] });
    const audit = await t.db("admin_audit").where({ tenant_id: tenant.id }).orderBy("id");
    expect(audit.map((r: { action: string }) => r.action)).toEqual(["entra.connect", "entra.update"]);
    expect(JSON.stringify(audit)).not.toContain("s3cr3t-value");
  });
});

describe("Entra connector against the fake Graph", () => {
  it("connects, tests the connection, runs now and lists the run with its counts", async () => {
    const { startFakeGraph, VirtualClock, makeEntraTenant, CLIENT_SECRET } = await import("./entra-fixture.js");
    const fake = await startFakeGraph(new VirtualClock(t.now().getTime()));
    try {
      const { tenant } = await makeEntraTenant(t.db, [{ login: "ada.lovelace", start: "2020-01-01" }, { login: "alan.turing", start: "2021-01-01" }]);
      const path = `/tenants/${tenant.slug}/entra`;
      const o = fake.options;
      const put = await admin(keys.integration).put(path, {
        directoryId: o.directoryId, clientId: o.clientId, servicePrincipalId: o.servicePrincipalId, jobId: o.jobId,
        graphUrl: fake.baseUrl, loginUrl: fake.baseUrl, clientSecret: CLIENT_SECRET,
      });
      expect(put.status, put.text).toBe(201);
      const check = await admin(keys.integration).post(`${path}/test`);
      expect(check.status, check.text).toBe(200);
      expect(check.body.ok).toBe(true);
      const run = await admin(keys.integration).post(`${path}/runs`, {});
      expect(run.status, run.text).toBe(200);
      expect(run.body.runs.at(-1)).toMatchObject({ status: "succeeded", sent: 2, failed: 0 });
      const runs = await admin(keys.security).get(`${path}/runs`);
      expect(runs.body.runs).toHaveLength(1);
      const status = await admin(keys.security).get(`/tenants/${tenant.slug}/status`);
      expect(status.body.entra).toMatchObject({ connected: true, lastRun: { status: "succeeded", sent: 2 } });
      expectProblem(await admin(keys.security).post(`${path}/runs`, {}), 403);
    } finally {
      await fake.stop();
    }
  });
});

// Isolation matrix (docs/BEHAVIOUR.md section 6, docs/CLIENTS.md item 23): every route the app serves under
// /scim/v2, with every kind of credential, against resources of tenant A. Tenant A's and tenant B's
// data carry a distinctive tag each; the future employee of A carries its own. Each answer must have
// the expected status, and no body may carry a tag or an id the credential may not see: B's token
// sees none of A (A's ids answer exactly as missing ones: 404, never 403), a token without
// future-employees:read never sees the future employee, a request without a valid token sees nothing.
// Adding a route is one line in ROUTES.
import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Permission } from "../../src/auth/permissions.js";
import { revokeToken } from "../../src/auth/tokens.js";
import { buildTestApp, issueTestToken, makeTenant, type TestApp } from "../support/build-test-app.js";
import { bearer, ENTERPRISE, json } from "../support/scim-client.js";

/**
 * What a route does, which decides what each credential gets: `public` answers anyone; `discovery`,
 * `list` and `search` any valid token; `read` a valid token of the resource's tenant that may see
 * it; `write` the same with users:write (403 without it, before anything else); `refused` is 405
 * for any valid token.
 */
type Kind = "public" | "discovery" | "list" | "search" | "read" | "write" | "refused";

interface Route {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** Below /scim/v2; {user} and {group} stand for the target's id. */
  path: string;
  kind: Kind;
}

const ROUTES: Route[] = [
  { method: "GET", path: "", kind: "public" },
  { method: "GET", path: "/", kind: "public" },
  { method: "GET", path: "/ServiceProviderConfig", kind: "discovery" },
  { method: "GET", path: "/ResourceTypes", kind: "discovery" },
  { method: "GET", path: "/ResourceTypes/User", kind: "discovery" },
  { method: "GET", path: "/ResourceTypes/Group", kind: "discovery" },
  { method: "GET", path: "/Schemas", kind: "discovery" },
  { method: "GET", path: "/Schemas/urn:ietf:params:scim:schemas:core:2.0:User", kind: "discovery" },
  { method: "GET", path: `/Schemas/${ENTERPRISE}`, kind: "discovery" },
  { method: "GET", path: "/Users", kind: "list" },
  { method: "POST", path: "/Users/.search", kind: "search" },
  { method: "GET", path: "/Users/{user}", kind: "read" },
  { method: "PUT", path: "/Users/{user}", kind: "write" },
  { method: "PATCH", path: "/Users/{user}", kind: "write" },
  { method: "DELETE", path: "/Users/{user}", kind: "refused" },
  { method: "POST", path: "/Users", kind: "refused" },
  { method: "PUT", path: "/Users", kind: "refused" },
  { method: "GET", path: "/Groups", kind: "list" },
  { method: "POST", path: "/Groups/.search", kind: "search" },
  { method: "GET", path: "/Groups/{group}", kind: "read" },
  { method: "POST", path: "/Groups", kind: "refused" },
  { method: "PUT", path: "/Groups/{group}", kind: "refused" },
  { method: "PATCH", path: "/Groups/{group}", kind: "refused" },
  { method: "DELETE", path: "/Groups/{group}", kind: "refused" },
  { method: "POST", path: "/.search", kind: "search" },
];

interface Credential {
  name: string;
  /** The Authorization header, or none. */
  header?: string;
  /** The tenant whose valid token it is; null for none, unknown, revoked or expired. */
  tenant: "A" | "B" | null;
  write: boolean;
  future: boolean;
  /** An HR token (hr:write): refused on /scim/v2, the only kind /hr/v1 serves. */
  hr?: boolean;
}

type Target = "visible" | "future" | "missing";

interface TenantData {
  id: number;
  /** In every text value of the tenant (names, emails, employee numbers, departments, extended field). */
  tag: string;
  /** In every text value of its future employee. */
  futureTag: string;
  users: Record<Exclude<Target, "missing">, string>;
  group: string;
  /** Employee numbers and organisation keys, for /hr/v1. */
  hrKeys: { visible: string; future: string; department: string; establishment: string; legalUnit: string };
  /** The visible employee as the HR API returns it, for a PUT that changes nothing. */
  hrRecord: Record<string, unknown>;
  /** The users as a writer with future-employees:read reads them, for PUT bodies. */
  resources: Record<string, any>;
  tokens: Record<string, string>;
}

const MISSING_USER = "2147483000";
const MISSING_GROUP = "LUCCA_DEPT-2147483000";

let t: TestApp;
const tenants: Record<"A" | "B", TenantData> = {} as never;
let credentials: Credential[];

async function setUpTenant(name: "A" | "B"): Promise<TenantData> {
  const tag = `${name.toLowerCase()}tag${crypto.randomBytes(5).toString("hex")}`;
  const futureTag = `${name.toLowerCase()}future${crypto.randomBytes(5).toString("hex")}`;
  const tenant = await makeTenant(t.db, {
    groupTypes: ["LUCCA_DEPT", "LUCCA_ETS", "LUCCA_LU", "LUCCA_COUNTRY"], allowedEmailDomains: [`${tag}.example`],
    propertyMapping: {
      attributes: ["externalId", "phoneNumbers", "addresses", "title", "employeeNumber", "organization", "division", "department", "manager", "dtContractStart", "establishment", "legalUnit"],
      namespace: ENTERPRISE, extendedFields: { [`field${tag}`]: "extra" },
    },
  });
  const at = "2026-01-05T08:00:00Z";
  const [lu] = await t.db("legal_units").insert({ tenant_id: tenant.id, name: `LU ${tag}`, country_code: "FR", updated_at: at }).returning("id");
  const [est] = await t.db("establishments").insert({ tenant_id: tenant.id, name: `Site ${tag}`, legal_unit_id: lu.id, street: `1 rue ${tag}`, city: `City ${tag}`, country_code: "FR", updated_at: at }).returning("id");
  const [dept] = await t.db("departments").insert({ tenant_id: tenant.id, name: `Dept ${tag}`, updated_at: at }).returning("id");
  const person = async (mark: string, start: string, managerId: number | null) => {
    const [row] = await t.db("employees").insert({
      tenant_id: tenant.id, login: `login.${mark}`, first_name: `First${mark}`, last_name: `Last${mark}`, work_email: `mail.${mark}@${tag}.example`,
      work_phone: `+33 1 ${mark}`, job_title: `Title ${mark}`, employee_number: `EN-${mark}`, external_id: `ext-${mark}`, department_id: dept.id,
      establishment_id: est.id, manager_id: managerId, extended_data: JSON.stringify({ extra: `extra ${mark}` }), created_at: at, updated_at: at,
    }).returning("id");
    await t.db("contracts").insert({ tenant_id: tenant.id, employee_id: row.id, start_date: start });
    return String(row.id);
  };
  const visible = await person(tag, "2020-01-01", null);
  // The future employee's manager is the visible one: the manager's data appears in its resource.
  const future = await person(futureTag, "2026-09-01", Number(visible));
  await t.db("employees").where({ tenant_id: tenant.id }).update({ contracts_changed_at: null });

  const issue = async (permissions: Permission[], expiresAt?: Date) => (await issueTestToken(t.db, { tenantId: tenant.id, permissions, now: t.now(), expiresAt })).token;
  const revoked = await issueTestToken(t.db, { tenantId: tenant.id, permissions: ["users:write", "future-employees:read"], now: t.now() });
  await revokeToken(t.db, revoked.id, t.now());
  const tokens = {
    reader: await issue([]),
    readerFuture: await issue(["future-employees:read"]),
    writer: await issue(["users:write"]),
    writerFuture: await issue(["users:write", "future-employees:read"]),
    revoked: revoked.token,
    expired: await issue(["users:write", "future-employees:read"], new Date(t.now().getTime() - 1)),
    hr: await issue(["hr:write"]),
  };
  const resources: Record<string, any> = {};
  for (const id of [visible, future]) resources[id] = json(await t.request().get(`/scim/v2/Users/${id}`).set(bearer(tokens.writerFuture)));
  const hrKeys = { visible: `EN-${tag}`, future: `EN-${futureTag}`, department: String(dept.id), establishment: String(est.id), legalUnit: String(lu.id) };
  const { updatedAt: _updatedAt, employeeNumber: _number, ...hrRecord } = json(await t.request().get(`/hr/v1/employees/${hrKeys.visible}`).set(bearer(tokens.hr)));
  return { id: tenant.id, tag, futureTag, users: { visible, future }, group: `LUCCA_DEPT-${dept.id}`, resources, tokens, hrKeys, hrRecord };
}

beforeAll(async () => {
  t = await buildTestApp();
  tenants.A = await setUpTenant("A");
  tenants.B = await setUpTenant("B");
  const A = tenants.A.tokens;
  const B = tenants.B.tokens;
  credentials = [
    { name: "A, no permission", header: `Bearer ${A.reader}`, tenant: "A", write: false, future: false },
    { name: "A, future-employees:read", header: `Bearer ${A.readerFuture}`, tenant: "A", write: false, future: true },
    { name: "A, users:write", header: `Bearer ${A.writer}`, tenant: "A", write: true, future: false },
    { name: "A, users:write and future-employees:read", header: `Bearer ${A.writerFuture}`, tenant: "A", write: true, future: true },
    { name: "B, no permission", header: `Bearer ${B.reader}`, tenant: "B", write: false, future: false },
    { name: "B, users:write and future-employees:read", header: `Bearer ${B.writerFuture}`, tenant: "B", write: true, future: true },
    { name: "A, hr:write", header: `Bearer ${A.hr}`, tenant: "A", write: false, future: true, hr: true },
    { name: "B, hr:write", header: `Bearer ${B.hr}`, tenant: "B", write: false, future: true, hr: true },
    { name: "no token", tenant: null, write: false, future: false },
    { name: "an unknown token", header: `Bearer hrscim_${tenants.A.id}_${crypto.randomBytes(32).toString("base64url")}`, tenant: null, write: false, future: false },
    { name: "A's revoked token", header: `Bearer ${A.revoked}`, tenant: null, write: false, future: false },
    { name: "A's expired token", header: `Bearer ${A.expired}`, tenant: null, write: false, future: false },
  ];
});
afterAll(() => t.close());

function targetsOf(route: Route): Target[] {
  if (route.path.includes("{user}")) return ["visible", "future", "missing"];
  if (route.path.includes("{group}")) return ["visible", "missing"];
  return ["visible"];
}

function idOf(route: Route, target: Target): string | undefined {
  if (route.path.includes("{user}")) return target === "missing" ? MISSING_USER : tenants.A.users[target];
  if (route.path.includes("{group}")) return target === "missing" ? MISSING_GROUP : tenants.A.group;
  return undefined;
}

/** The status a credential must get for a route on a target of tenant A. */
function expectedStatus(route: Route, credential: Credential, target: Target): number {
  if (route.kind === "public") return 200;
  if (credential.tenant === null) return 401;
  if (credential.hr) return 403;
  switch (route.kind) {
    case "discovery": case "list": case "search": return 200;
    case "refused": return 405;
    case "write": if (!credential.write) return 403;
    // falls through: with users:write, a write finds its user as a read does
    case "read": {
      if (target === "missing" || credential.tenant !== "A") return 404;
      if (target === "future" && !credential.future) return 404;
      return 200;
    }
  }
}

function body(route: Route, target: Target): object | undefined {
  if (route.kind === "search") return { schemas: ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"], count: 1000 };
  if (route.kind === "refused") return { schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName: "x" };
  if (route.kind !== "write") return undefined;
  // Bodies that change nothing even where they are accepted: the matrix can run in any order.
  const current = tenants.A.resources[tenants.A.users[target === "missing" ? "visible" : target]];
  if (route.method === "PUT") return current;
  return { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "replace", path: "title", value: current.title }] };
}

async function call(route: Route, credential: Credential, target: Target) {
  const id = idOf(route, target);
  const path = `/scim/v2${route.path.replace(/\{user\}|\{group\}/, id ?? "")}`;
  let req = t.request()[route.method.toLowerCase() as "get"](path);
  if (credential.header) req = req.set("Authorization", credential.header);
  const payload = body(route, target);
  if (payload) req = req.set("Content-Type", "application/scim+json").send(payload);
  const res = await req;
  return { id, status: res.status, headers: res.headers as Record<string, string>, text: res.text };
}

/** The texts and ids a credential may not see in any answer. */
function forbiddenFor(credential: Credential): string[] {
  const marks = (data: TenantData, withVisible: boolean, withFuture: boolean) => [
    ...(withVisible ? [data.tag, `"${data.users.visible}"`, `/Users/${data.users.visible}"`, `"${data.group}"`] : []),
    ...(withFuture ? [data.futureTag, `"${data.users.future}"`, `/Users/${data.users.future}"`] : []),
  ];
  if (credential.hr && credential.tenant === "A") return marks(tenants.B, true, true);
  if (credential.hr && credential.tenant === "B") return marks(tenants.A, true, true);
  if (credential.tenant === "A") return [...marks(tenants.B, true, true), ...(credential.future ? [] : marks(tenants.A, false, true))];
  if (credential.tenant === "B") return [...marks(tenants.A, true, true), ...(credential.future ? [] : marks(tenants.B, false, true))];
  return [...marks(tenants.A, true, true), ...marks(tenants.B, true, true)];
}

/** An answer with the id it was about replaced, to compare one that must look like another. */
function shape(res: { status: number; headers: Record<string, string>; text: string }, id: string | undefined) {
  const text = id ? res.text.split(id).join("<id>") : res.text;
  return { status: res.status, contentType: res.headers["content-type"], allow: res.headers.allow, authenticate: res.headers["www-authenticate"], text };
}

describe("every route, with every credential, against tenant A's resources", () => {
  it.each(ROUTES.map((r) => ({ ...r, name: `${r.method} /scim/v2${r.path}` })))("$name", async (route) => {
    for (const credential of credentials) {
      const answers = new Map<Target, Awaited<ReturnType<typeof call>>>();
      for (const target of targetsOf(route)) {
        const res = await call(route, credential, target);
        answers.set(target, res);
        const where = `${route.method} ${route.path} (${target}) with ${credential.name}`;
        expect.soft(res.status, `${where}: ${res.text.slice(0, 300)}`).toBe(expectedStatus(route, credential, target));
        for (const mark of forbiddenFor(credential)) expect.soft(res.text.includes(mark), `${where} shows ${mark}`).toBe(false);
        if (res.status >= 400) {
          expect.soft(json(res), where).toMatchObject({ schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: String(res.status) });
        }
        if (res.status === 401) expect.soft(res.headers["www-authenticate"], where).toMatch(/^Bearer\b/);
      }
      // What the credential may not see answers exactly as what does not exist.
      const missing = answers.get("missing");
      if (!missing) continue;
      for (const target of ["visible", "future"] as const) {
        const answer = answers.get(target);
        if (!answer || expectedStatus(route, credential, target) !== 404) continue;
        expect.soft(shape(answer, answer.id), `${route.method} ${route.path} (${target}) with ${credential.name}, as a missing id`).toEqual(shape(missing, missing.id));
      }
    }
  });
});

describe("the matrix sees what it hides from others", () => {
  it("lists, searches and group members show the future employee to tokens with future-employees:read only", async () => {
    const A = tenants.A;
    for (const [token, sees] of [[A.tokens.readerFuture, true], [A.tokens.reader, false]] as const) {
      for (const res of [
        await t.request().get("/scim/v2/Users").query({ count: 1000 }).set(bearer(token)),
        await t.request().post("/scim/v2/.search").set(bearer(token)).send({ count: 1000 }),
        await t.request().get(`/scim/v2/Groups/${A.group}`).set(bearer(token)),
      ]) {
        expect(res.status).toBe(200);
        expect(res.text.includes(`"${A.users.future}"`)).toBe(sees);
        expect(res.text.includes(A.tag)).toBe(true);
      }
    }
  });
});

/**
 * The HR API (/hr/v1): HR tokens only (SCIM tokens 403, no valid token 401), each tenant's HR token
 * sees its own records only (another tenant's keys answer 404, as missing ones do), and every
 * error is problem+json. `{visible}` and `{future}` are employee numbers, `{missing}` none;
 * `{department}`, `{establishment}`, `{legalUnit}` tenant A's keys. Adding a route is one line.
 */
interface HrRoute {
  method: "GET" | "PUT" | "DELETE" | "POST";
  path: string;
  /** `list`: 200 for every HR token; `record`: 200 for A's HR token, 404 for B's and for missing keys. */
  kind: "list" | "record";
  body?: () => object;
  /** Set for writes: the content type sent. */
  type?: string;
}

const HR_ROUTES: HrRoute[] = [
  { method: "GET", path: "/employees", kind: "list" },
  { method: "GET", path: "/employees?updatedSince=2020-01-01T00:00:00Z", kind: "list" },
  { method: "GET", path: "/changes", kind: "list" },
  { method: "GET", path: "/employees/{visible}", kind: "record" },
  { method: "GET", path: "/employees/{future}", kind: "record" },
  { method: "GET", path: "/employees/{missing}", kind: "record" },
  { method: "GET", path: "/departments/{department}", kind: "record" },
  { method: "GET", path: "/establishments/{establishment}", kind: "record" },
  { method: "GET", path: "/legal-units/{legalUnit}", kind: "record" },
  // Writes that change nothing where they are accepted, so that the matrix runs in any order.
  { method: "DELETE", path: "/employees/{missing}", kind: "record" },
  { method: "DELETE", path: "/departments/{missing}", kind: "record" },
  { method: "POST", path: "/batch", kind: "record", body: () => ({ operations: [{ method: "DELETE", path: "/employees/NO-SUCH-EMPLOYEE" }] }) },
];

function hrPath(route: HrRoute): string {
  const A = tenants.A.hrKeys;
  return `/hr/v1${route.path.replace("{visible}", A.visible).replace("{future}", A.future).replace("{missing}", "NO-SUCH-KEY")
    .replace("{department}", A.department).replace("{establishment}", A.establishment).replace("{legalUnit}", A.legalUnit)}`;
}

function expectedHrStatus(route: HrRoute, credential: Credential): number {
  if (credential.tenant === null) return 401;
  if (!credential.hr) return 403;
  if (route.kind === "list") return 200;
  if (credential.tenant !== "A" || route.path.includes("{missing}") || route.path === "/batch") return 404;
  return route.method === "DELETE" ? 204 : 200;
}

describe("every HR route, with every credential, against tenant A's records", () => {
  it.each(HR_ROUTES.map((r) => ({ ...r, name: `${r.method} /hr/v1${r.path}` })))("$name", async (route) => {
    for (const credential of credentials) {
      let req = t.request()[route.method.toLowerCase() as "get"](hrPath(route));
      if (credential.header) req = req.set("Authorization", credential.header);
      if (route.body) req = req.send(route.body());
      const res = await req;
      const where = `${route.method} ${route.path} with ${credential.name}`;
      expect.soft(res.status, `${where}: ${res.text.slice(0, 300)}`).toBe(expectedHrStatus(route, credential));
      for (const mark of forbiddenFor(credential.hr ? credential : { ...credential, tenant: null })) {
        expect.soft(res.text.includes(mark), `${where} shows ${mark}`).toBe(false);
      }
      if (res.status >= 400) {
        expect.soft(res.headers["content-type"], where).toMatch(/^application\/problem\+json/);
        expect.soft(json(res), where).toMatchObject({ status: res.status, title: expect.any(String), errors: expect.any(Array) });
      }
      if (res.status === 401) expect.soft(res.headers["www-authenticate"], where).toMatch(/^Bearer\b/);
    }
  });

  it("a PUT of A's record as stored changes nothing, and another tenant's PUT of the same number is its own", async () => {
    const A = tenants.A;
    const before = await t.db("employees").where({ tenant_id: A.id }).orderBy("id");
    const res = await t.request().put(`/hr/v1/employees/${A.hrKeys.visible}`).set(bearer(A.tokens.hr)).send(A.hrRecord);
    expect(res.status, res.text).toBe(200);
    expect(await t.db("employees").where({ tenant_id: A.id }).orderBy("id")).toEqual(before);
  });
});

// The admin API (/admin/v1) under the same two tenants: tenant-limited admin keys see only their
// tenant (another one answers as a missing one: 404), each role reaches only its routes (403), and a
// request without a valid admin key (a SCIM token is not one) gets 401. Adding a route is one line.
type AdminRole = "any" | "integration" | "security" | "integration or security";

interface AdminRoute {
  method: "GET" | "POST" | "PUT" | "PATCH";
  /** Below /admin/v1/tenants/{tenant}; {token} is a token of the tenant, {fresh} a new one per call. */
  path: string;
  role: AdminRole;
  /** The status an allowed key gets (some routes refuse the body on purpose: the matrix changes nothing). */
  ok: number;
  body?: object;
}

const ADMIN_ROUTES: AdminRoute[] = [
  { method: "GET", path: "/settings", role: "any", ok: 200 },
  { method: "PATCH", path: "/settings", role: "integration", ok: 200, body: { allowedEmailDomains: [] } },
  { method: "GET", path: "/property-mapping", role: "any", ok: 200 },
  { method: "GET", path: "/tokens", role: "any", ok: 200 },
  { method: "POST", path: "/tokens", role: "integration", ok: 400, body: { name: "" } },
  { method: "POST", path: "/tokens/{fresh}/rotate", role: "integration", ok: 201 },
  { method: "POST", path: "/tokens/{token}/revoke", role: "integration or security", ok: 200 },
  { method: "PUT", path: "/tokens/{token}/permissions/users:write", role: "security", ok: 200, body: { enabled: false } },
  { method: "GET", path: "/integration-log", role: "security", ok: 200 },
  { method: "GET", path: "/admin-audit", role: "security", ok: 200 },
  { method: "GET", path: "/status", role: "any", ok: 200 },
  { method: "GET", path: "/activity", role: "any", ok: 200 },
  { method: "GET", path: "/entra", role: "any", ok: 200 },
  { method: "PUT", path: "/entra", role: "integration", ok: 400, body: {} },
  { method: "POST", path: "/entra/test", role: "integration", ok: 409 },
  { method: "POST", path: "/entra/runs", role: "integration", ok: 409 },
  { method: "GET", path: "/entra/runs", role: "any", ok: 200 },
  { method: "GET", path: "/hr/changes", role: "any", ok: 200 },
  { method: "POST", path: "/hr/imports", role: "integration", ok: 415, body: { csv: "not a file" } },
];

interface AdminCredential { name: string; header?: string; tenant: "A" | "B" | "all" | null; roles: ("integration" | "security")[] }

describe("every admin route, with every admin credential, against tenant A", () => {
  let adminCredentials: AdminCredential[];
  let revokable: string;
  let slugA: string;

  beforeAll(async () => {
    const { issueTestAdminKey } = await import("../support/admin.js");
    const slug = async (id: number) => (await t.db("tenants").where({ id }).first()).slug as string;
    slugA = await slug(tenants.A.id);
    const key = async (roles: ("integration-admin" | "security-admin")[], tenantId: number | null) => `Bearer ${(await issueTestAdminKey(t.db, { roles, tenantId, now: t.now() })).key}`;
    adminCredentials = [
      { name: "A's key, both roles", header: await key(["integration-admin", "security-admin"], tenants.A.id), tenant: "A", roles: ["integration", "security"] },
      { name: "B's key, both roles", header: await key(["integration-admin", "security-admin"], tenants.B.id), tenant: "B", roles: ["integration", "security"] },
      { name: "an integration-admin of every tenant", header: await key(["integration-admin"], null), tenant: "all", roles: ["integration"] },
      { name: "a security-admin of every tenant", header: await key(["security-admin"], null), tenant: "all", roles: ["security"] },
      { name: "no key", tenant: null, roles: [] },
      { name: "an unknown key", header: `Bearer hrscimadm_${crypto.randomBytes(32).toString("base64url")}`, tenant: null, roles: [] },
      { name: "A's SCIM token", header: `Bearer ${tenants.A.tokens.writerFuture}`, tenant: null, roles: [] },
    ];
    revokable = (await issueTestToken(t.db, { tenantId: tenants.A.id, now: t.now() })).id;
  });

  function expectedAdminStatus(route: AdminRoute, c: AdminCredential): number {
    if (c.tenant === null) return 401;
    if (c.tenant === "B") return 404;
    const allowed = route.role === "any" || (route.role === "integration or security" ? c.roles.length > 0 : c.roles.includes(route.role));
    return allowed ? route.ok : 403;
  }

  it.each(ADMIN_ROUTES.map((r) => ({ ...r, name: `${r.method} /admin/v1/tenants/{A}${r.path}` })))("$name", async (route) => {
    for (const c of adminCredentials) {
      const fresh = route.path.includes("{fresh}") ? (await issueTestToken(t.db, { tenantId: tenants.A.id, now: t.now() })).id : "";
      const path = `/admin/v1/tenants/${slugA}${route.path.replace("{token}", revokable).replace("{fresh}", fresh)}`;
      let req = t.request()[route.method.toLowerCase() as "get"](path);
      if (c.header) req = req.set("Authorization", c.header);
      if (route.body) req = req.send(route.body);
      const res = await req;
      const where = `${route.method} ${route.path} with ${c.name}`;
      expect.soft(res.status, `${where}: ${res.text.slice(0, 300)}`).toBe(expectedAdminStatus(route, c));
      if (res.status >= 400) expect.soft(res.headers["content-type"], where).toMatch(/^application\/problem\+json/);
      if (c.tenant === "B" || c.tenant === null) {
        for (const mark of [tenants.A.tag, tenants.A.futureTag]) expect.soft(res.text.includes(mark), `${where} shows ${mark}`).toBe(false);
      }
    }
  });
});

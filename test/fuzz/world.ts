// The data a fuzz run works on, of its own: two tenants (userName from the login, and from the work
// email with the custom namespace), each with an organisation, employees copied from the demo seed
// and a few with odd HR text, a future employee and a leaver, and tokens of every kind. The shared
// demo tenant is only read (a foreign tenant, and the health check after the run).
import crypto from "node:crypto";
import type { Permission } from "../../src/auth/permissions.js";
import { revokeToken } from "../../src/auth/tokens.js";
import { findTenantBySlug } from "../../src/hr/tenants.js";
import { localDate } from "../../src/hr/lifecycle.js";
import { namedEmployees } from "../../src/seeds/demo-data.js";
import { issueTestToken, makeTenant, type TestApp } from "../support/build-test-app.js";
import { TEST_NOW } from "../support/test-clock.js";
import type { Credential, TenantView, WorldView } from "./generator.js";
import { ENTERPRISE, LUCCA, userAttributes, type AttributeName } from "./vocabulary.js";

export type TokenKind = Exclude<Credential, "otherTenantWriter" | "demoReader" | "unknown" | "none">;

export interface FuzzTenant extends TenantView {
  id: number;
  slug: string;
  tokens: Record<TokenKind, string>;
}

export interface FuzzWorld extends WorldView {
  tenants: FuzzTenant[];
  demo: { id: number; reader: string };
  /** A well-formed token that no tenant issued. */
  unknownToken: string;
}

const CREATED_AT = "2026-01-05T08:00:00Z";

interface Person {
  login: string;
  firstName: string;
  lastName: string;
  workEmail: string | null;
  workPhone: string | null;
  mobilePhone: string | null;
  title: string | null;
  employeeNumber: string | null;
  language: string | null;
  contracts: { start: string; end: string | null }[];
  extended?: Record<string, unknown>;
}

async function organisation(t: TestApp, tenantId: number) {
  const at = CREATED_AT;
  const [lu] = await t.db("legal_units").insert({ tenant_id: tenantId, name: "Fuzz SA", country_code: "FR", updated_at: at }).returning("id");
  const [est] = await t.db("establishments").insert({ tenant_id: tenantId, name: "Paris", legal_unit_id: lu.id, street: "1 rue du Test", postal_code: "75001", city: "Paris", country_code: "FR", updated_at: at }).returning("id");
  const departments = [];
  // Two departments share a name: their groups take the HR id (hr/group-names).
  for (const name of ["Engineering", "Sales", "sales", "Ünïcödé & Co"]) {
    const [d] = await t.db("departments").insert({ tenant_id: tenantId, name, updated_at: at }).returning("id");
    departments.push(d.id as number);
  }
  return { establishment: est.id as number, departments };
}

async function insertPeople(t: TestApp, tenantId: number, people: Person[], org: { establishment: number; departments: number[] }): Promise<number[]> {
  const ids: number[] = [];
  for (const [i, p] of people.entries()) {
    const [row] = await t.db("employees").insert({
      tenant_id: tenantId, login: p.login, first_name: p.firstName, last_name: p.lastName, work_email: p.workEmail,
      work_phone: p.workPhone, mobile_phone: p.mobilePhone, job_title: p.title, employee_number: p.employeeNumber,
      preferred_language: p.language, department_id: org.departments[i % org.departments.length], establishment_id: org.establishment,
      manager_id: ids[0] ?? null, extended_data: JSON.stringify(p.extended ?? {}), created_at: CREATED_AT, updated_at: CREATED_AT,
    }).returning("id");
    ids.push(row.id);
    for (const c of p.contracts) await t.db("contracts").insert({ tenant_id: tenantId, employee_id: row.id, start_date: c.start, end_date: c.end });
  }
  // Contracts inserted with their employees are part of the creation (migration 003).
  await t.db("employees").where({ tenant_id: tenantId }).update({ contracts_changed_at: null });
  return ids;
}

/** Demo's named employees under the tenant's domain, plus HR text no client would send but HR may hold. */
function people(domain: string): Person[] {
  const T = localDate(TEST_NOW, "Europe/Paris");
  const copied = namedEmployees(T).map((e) => ({
    login: e.login, firstName: e.firstName, lastName: e.lastName, workEmail: `${e.login}@${domain}`, workPhone: e.workPhone,
    mobilePhone: e.mobilePhone, title: e.jobTitle, employeeNumber: e.employeeNumber, language: e.preferredLanguage,
    contracts: e.contracts, extended: { costCenter: e.costCenter, badge: e.employeeNumber },
  }));
  return [
    ...copied,
    {
      login: "odd.text", firstName: "Ŝtrange 😀", lastName: "O'Brien-\u200bZ", workEmail: null, workPhone: null, mobilePhone: "+33 7 00",
      title: "Line one\nLine two\ttab", employeeNumber: "  E-padded  ", language: "free text", contracts: [{ start: "2020-01-01", end: null }],
      extended: { costCenter: "x".repeat(2000), badge: null },
    },
    {
      login: "Mixed.Case", firstName: "Mixed", lastName: "Case", workEmail: `MIXED.case@${domain.toUpperCase()}`, workPhone: "+33 1 00 00 00 00",
      mobilePhone: null, title: null, employeeNumber: null, language: null, contracts: [{ start: "2019-01-01", end: "2019-12-31" }, { start: "2020-01-01", end: null }],
    },
  ];
}

async function tokens(t: TestApp, tenantId: number): Promise<Record<TokenKind, string>> {
  const issue = async (permissions: Permission[], expiresAt?: Date) => (await issueTestToken(t.db, { tenantId, permissions, now: t.now(), expiresAt })).token;
  const revoked = await issueTestToken(t.db, { tenantId, permissions: ["users:write"], now: t.now() });
  await revokeToken(t.db, revoked.id, t.now());
  return {
    writer: await issue(["users:write", "future-employees:read"]),
    writerNoFuture: await issue(["users:write"]),
    reader: await issue([]),
    readerFuture: await issue(["future-employees:read"]),
    revoked: revoked.token,
    expired: await issue(["users:write"], new Date(t.now().getTime() - 1000)),
  };
}

async function fuzzTenant(
  t: TestApp, { timeZone, ...settings }: Record<string, unknown>, domain: string, namespace: string, extendedFields: string[],
): Promise<FuzzTenant> {
  const tenant = await makeTenant(t.db, settings, (timeZone as string | undefined) ?? "Europe/Paris");
  const org = await organisation(t, tenant.id);
  await insertPeople(t, tenant.id, people(domain), org);
  const tok = await tokens(t, tenant.id);
  const list = await t.request().get("/scim/v2/Users").query({ count: 1000 }).set("Authorization", `Bearer ${tok.writer}`);
  const visibleToReader = await t.request().get("/scim/v2/Users").query({ count: 1000, attributes: "id" }).set("Authorization", `Bearer ${tok.reader}`);
  if (list.status !== 200 || visibleToReader.status !== 200) throw new Error(`fuzz world: listing users failed: ${list.status} ${list.text}`);
  const readerIds = new Set(JSON.parse(visibleToReader.text).Resources.map((u: any) => u.id));
  const users = JSON.parse(list.text).Resources.map((u: any) => ({ id: u.id as string, future: !readerIds.has(u.id), resource: u }));
  const groups = await t.request().get("/scim/v2/Groups").query({ count: 100, attributes: "id" }).set("Authorization", `Bearer ${tok.writer}`);
  const groupIds = groups.status === 200 ? JSON.parse(groups.text).Resources.map((g: any) => g.id as string) : [];
  const strings = new Set<string>();
  for (const u of users) {
    for (const v of [u.resource.userName, u.resource.name?.givenName, u.resource.name?.familyName, u.resource.displayName, u.resource.title, u.resource.emails?.[0]?.value, u.resource.externalId, u.resource.phoneNumbers?.[0]?.value, u.resource[ENTERPRISE]?.employeeNumber]) {
      if (typeof v === "string") strings.add(v);
    }
  }
  for (const v of ["work", "mobile", "Engineering", "Sales", "LUCCA_DEPT Sales", "FR", "Paris", "2020-01-01", "User", "Group"]) strings.add(v);
  const attributes = await exposedAttributes(t, tok.writer, userAttributes(namespace, extendedFields));
  const userNameIsEmail = settings.userNameSource === "workEmail";
  return { id: tenant.id, slug: tenant.slug, tokens: tok, users, groupIds, attributes, namespace, extendedFields, domain, userNameIsEmail, strings: [...strings] };
}

/** The attributes a filter may name for the token's tenant: those `<path> pr` is accepted for. */
async function exposedAttributes(t: TestApp, token: string, candidates: AttributeName[]): Promise<AttributeName[]> {
  const exposed: AttributeName[] = [];
  for (const a of candidates) {
    const res = await t.request().get("/scim/v2/Users").query({ filter: `${a.path} pr`, count: 0 }).set("Authorization", `Bearer ${token}`);
    if (res.status === 200) exposed.push(a);
  }
  return exposed;
}

/** Builds the run's tenants on `t`'s database (a few seconds on PGlite). */
export async function createWorld(t: TestApp): Promise<FuzzWorld> {
  const all = ["externalId", "phoneNumbers", "addresses", "title", "preferredLanguage", "employeeNumber", "organization", "division", "department", "manager", "dtContractStart", "dtContractEnd", "establishment", "legalUnit", "countryCode"];
  const byLogin = await fuzzTenant(t, {
    groupTypes: ["LUCCA_DEPT", "LUCCA_ETS", "LUCCA_LU", "LUCCA_COUNTRY"], allowedEmailDomains: ["fuzz.example"],
    propertyMapping: { attributes: all, namespace: ENTERPRISE, extendedFields: { costCenter: "costCenter", badge: "badge" } },
  }, "fuzz.example", ENTERPRISE, ["costCenter", "badge"]);
  const byEmail = await fuzzTenant(t, {
    groupTypes: ["LUCCA_DEPT"], userNameSource: "workEmail", futureEmployeesActive: true, timeZone: "Pacific/Kiritimati",
    propertyMapping: { attributes: ["externalId", "phoneNumbers", "title", "manager", "dtContractStart", "countryCode"], namespace: LUCCA, extendedFields: { badge: "badge" } },
  }, "mail.fuzz.example", LUCCA, ["badge"]);
  const demo = await findTenantBySlug(t.db, "demo");
  if (!demo) throw new Error("fuzz world: the demo tenant is missing (seed it first)");
  const demoReader = (await issueTestToken(t.db, { tenantId: demo.id, permissions: ["future-employees:read"], now: t.now() })).token;
  const demoUsers = await t.request().get("/scim/v2/Users").query({ count: 5, attributes: "id" }).set("Authorization", `Bearer ${demoReader}`);
  return {
    tenants: [byLogin, byEmail],
    demo: { id: demo.id, reader: demoReader },
    demoUserIds: JSON.parse(demoUsers.text).Resources.map((u: any) => u.id),
    unknownToken: `hrscim_${byLogin.id}_${crypto.randomBytes(32).toString("base64url")}`,
  };
}

/** The secret a case's credential stands for, or null when it sends none. */
export function secretFor(world: FuzzWorld, tenant: number, credential: Credential): string | null {
  switch (credential) {
    case "none": return null;
    case "unknown": return world.unknownToken;
    case "demoReader": return world.demo.reader;
    case "otherTenantWriter": return world.tenants[1 - tenant].tokens.writer;
    default: return world.tenants[tenant].tokens[credential];
  }
}

// Helpers for the HR API tests: a tenant of their own with an HR token and a SCIM token, and
// requests against /hr/v1.
import { makeTenant, issueTestToken, type AppUnderTest } from "../support/build-test-app.js";
import { bearer } from "../support/scim-client.js";

export interface HrTenant {
  id: number;
  slug: string;
  hr: string;
  hrTokenId: string;
  scim: string;
}

export async function hrTenant(t: AppUnderTest, settings: Record<string, unknown> = { groupTypes: ["LUCCA_DEPT", "LUCCA_ETS", "LUCCA_LU"] }): Promise<HrTenant> {
  const tenant = await makeTenant(t.db, settings);
  const hr = await issueTestToken(t.db, { tenantId: tenant.id, permissions: ["hr:write"], now: t.now() });
  const scim = await issueTestToken(t.db, { tenantId: tenant.id, permissions: ["future-employees:read"], now: t.now() });
  return { id: tenant.id, slug: tenant.slug, hr: hr.token, hrTokenId: hr.id, scim: scim.token };
}

export function put(t: AppUnderTest, token: string, path: string, body: unknown) {
  return t.request().put(`/hr/v1${path}`).set(bearer(token)).send(body as object);
}

export function get(t: AppUnderTest, token: string, path: string) {
  return t.request().get(`/hr/v1${path}`).set(bearer(token));
}

export function del(t: AppUnderTest, token: string, path: string) {
  return t.request().delete(`/hr/v1${path}`).set(bearer(token));
}

/** A minimal organisation: legal unit LU1 (FR), establishment PAR, department ENG. */
export async function organisation(t: AppUnderTest, token: string): Promise<void> {
  for (const [path, body] of [
    ["/legal-units/LU1", { name: "Acme SA", countryCode: "FR" }],
    ["/establishments/PAR", { name: "Paris", legalUnitKey: "LU1", city: "Paris", countryCode: "FR" }],
    ["/departments/ENG", { name: "Engineering" }],
  ] as const) {
    const res = await put(t, token, path, body);
    if (res.status >= 300) throw new Error(`${path}: ${res.status} ${res.text}`);
  }
}

export function employee(login: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    login, firstName: "Ada", lastName: "Lovelace", workEmail: `${login}@acme.example`, departmentKey: "ENG", establishmentKey: "PAR",
    contracts: [{ start: "2020-01-01", end: null }], ...extra,
  };
}

/** Snapshot of every HR table's rows of a tenant, to prove a refusal changed nothing. */
export async function hrSnapshot(t: AppUnderTest, tenantId: number): Promise<unknown> {
  const out: Record<string, unknown> = {};
  for (const table of ["legal_units", "establishments", "departments", "employees", "contracts", "hr_changes"]) {
    out[table] = await t.db(table).where("tenant_id", tenantId).orderBy(table === "hr_changes" ? "seq" : "id");
  }
  return JSON.parse(JSON.stringify(out));
}

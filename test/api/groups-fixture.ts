// Helpers for the Groups API tests: lookups through the API, and a small organisation of a tenant of
// its own (never the shared demo tenant) for tests that change settings or data.
import type { Knex } from "knex";
import type { GroupType } from "../../src/hr/tenant-settings.js";
import { makeTenant, type AppUnderTest } from "../support/build-test-app.js";
import { bearer } from "../support/scim-client.js";

export const GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";

export async function listGroups(t: AppUnderTest, token: string, query: Record<string, string | number> = {}) {
  const res = await t.request().get("/scim/v2/Groups").query({ count: 1000, ...query }).set(bearer(token));
  if (res.status !== 200) throw new Error(`group list failed ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { totalResults: number; itemsPerPage: number; startIndex: number; nextCursor?: string; Resources: any[] };
}

export async function groupByName(t: AppUnderTest, token: string, displayName: string): Promise<any | undefined> {
  const body = await listGroups(t, token, { filter: `displayName eq "${displayName}"` });
  return body.Resources[0];
}

export async function userIdOf(t: AppUnderTest, token: string, login: string): Promise<string | undefined> {
  const res = await t.request().get("/scim/v2/Users").query({ filter: `userName eq "${login}"`, attributes: "id" }).set(bearer(token));
  return res.body.Resources?.[0]?.id;
}

export const memberIds = (group: any): string[] => (group.members ?? []).map((m: any) => m.value);

export interface SmallOrganisation {
  tenantId: number;
  slug: string;
  legalUnitId: number;
  establishmentId: number;
  departmentId: number;
  /** employee ids by login */
  employees: Record<string, number>;
}

/**
 * A tenant with one French legal unit, one establishment, one department and the given employees
 * (contracts started in 2020 unless `start` says otherwise).
 */
export async function makeSmallOrganisation(
  db: Knex, groupTypes: GroupType[], people: { login: string; start?: string }[] = [{ login: "solo" }],
): Promise<SmallOrganisation> {
  const tenant = await makeTenant(db, { groupTypes });
  const at = "2026-01-05T08:00:00Z";
  const [lu] = await db("legal_units").insert({ tenant_id: tenant.id, name: "Acme SAS", country_code: "FR", updated_at: at }).returning("id");
  const [est] = await db("establishments").insert({ tenant_id: tenant.id, name: "Nantes", legal_unit_id: lu.id, country_code: "FR", updated_at: at }).returning("id");
  const [dept] = await db("departments").insert({ tenant_id: tenant.id, name: "Ops", updated_at: at }).returning("id");
  const employees: Record<string, number> = {};
  for (const p of people) {
    const [e] = await db("employees").insert({
      tenant_id: tenant.id, login: p.login, first_name: p.login, last_name: "Acme", department_id: dept.id, establishment_id: est.id,
      created_at: at, updated_at: at,
    }).returning("id");
    await db("contracts").insert({ tenant_id: tenant.id, employee_id: e.id, start_date: p.start ?? "2020-01-01" });
    // Created with the employee, not a later change (see migration 003).
    await db("employees").where({ tenant_id: tenant.id, id: e.id }).update({ contracts_changed_at: null });
    employees[p.login] = e.id;
  }
  return { tenantId: tenant.id, slug: tenant.slug, legalUnitId: lu.id, establishmentId: est.id, departmentId: dept.id, employees };
}

/**
 * A small organisation with all four group types, employees "mover" and "stayer", a second legal
 * unit (Acme GmbH, DE), establishment (Berlin) and department (Labs) to move them to, and a token.
 */
export async function makeOrganisationWithSecondUnits(t: AppUnderTest) {
  const org = await makeSmallOrganisation(t.db, ["LUCCA_DEPT", "LUCCA_ETS", "LUCCA_LU", "LUCCA_COUNTRY"], [{ login: "mover" }, { login: "stayer" }]);
  const at = "2026-01-05T08:00:00Z";
  const [lu] = await t.db("legal_units").insert({ tenant_id: org.tenantId, name: "Acme GmbH", country_code: "DE", updated_at: at }).returning("id");
  const [est] = await t.db("establishments").insert({ tenant_id: org.tenantId, name: "Berlin", legal_unit_id: lu.id, country_code: "DE", updated_at: at }).returning("id");
  const [dept] = await t.db("departments").insert({ tenant_id: org.tenantId, name: "Labs", updated_at: at }).returning("id");
  const tok = await t.tokenFor(org.slug);
  return { org, tok, other: { legalUnitId: lu.id as number, establishmentId: est.id as number, departmentId: dept.id as number } };
}

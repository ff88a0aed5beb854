// A tenant of its own for write-back tests (never the shared demo tenant): employees with a
// contract, tokens with chosen permissions, and small PATCH/PUT helpers.
import crypto from "node:crypto";
import type { Permission } from "../../src/auth/permissions.js";
import { issueTestToken, makeTenant, type AppUnderTest } from "../support/build-test-app.js";
import { bearer, ENTERPRISE } from "../support/scim-client.js";

export const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
export const CORE = "urn:ietf:params:scim:schemas:core:2.0:User";
export const DOMAIN = "acme.example";
/** Rows are created before the test clock's day, so that a write visibly moves lastModified. */
export const CREATED_AT = "2026-01-05T08:00:00Z";

export interface EmployeeInput {
  login?: string;
  firstName?: string;
  lastName?: string;
  workEmail?: string | null;
  workPhone?: string | null;
  mobilePhone?: string | null;
  title?: string | null;
  employeeNumber?: string | null;
  managerId?: number | null;
  /** Contract start (default 2020-01-01: a current employee). */
  start?: string;
}

export interface WriteTenant {
  id: number;
  slug: string;
  /** users:write */
  writer: string;
  /** no permission */
  reader: string;
  token(permissions: Permission[]): Promise<{ token: string; id: string }>;
  addEmployee(input?: EmployeeInput): Promise<string>;
}

export const DEFAULT_MAPPING = {
  attributes: ["externalId", "phoneNumbers", "addresses", "title", "preferredLanguage", "employeeNumber", "department", "manager", "dtContractStart", "dtContractEnd"],
  namespace: ENTERPRISE,
  extendedFields: {},
};

export async function writeTenant(t: AppUnderTest, settings: Record<string, unknown> = {}): Promise<WriteTenant> {
  const tenant = await makeTenant(t.db, { allowedEmailDomains: [DOMAIN], propertyMapping: DEFAULT_MAPPING, ...settings });
  const token = (permissions: Permission[]) => issueTestToken(t.db, { tenantId: tenant.id, permissions, now: t.now() });
  const addEmployee = async (input: EmployeeInput = {}) => {
    const login = input.login ?? `emp.${crypto.randomUUID().slice(0, 8)}`;
    const [row] = await t.db("employees").insert({
      tenant_id: tenant.id,
      login,
      first_name: input.firstName ?? "Jane",
      last_name: input.lastName ?? "Doe",
      work_email: input.workEmail === undefined ? `${login}@${DOMAIN}` : input.workEmail,
      work_phone: input.workPhone === undefined ? "+33 1 00 00 00 01" : input.workPhone,
      mobile_phone: input.mobilePhone === undefined ? null : input.mobilePhone,
      job_title: input.title === undefined ? "Engineer" : input.title,
      employee_number: input.employeeNumber === undefined ? `N-${login}` : input.employeeNumber,
      manager_id: input.managerId ?? null,
      created_at: CREATED_AT,
      updated_at: CREATED_AT,
    }).returning("id");
    await t.db("contracts").insert({ tenant_id: tenant.id, employee_id: row.id, start_date: input.start ?? "2020-01-01" });
    // Created with the employee, not a later change (see migration 003).
    await t.db("employees").where({ tenant_id: tenant.id, id: row.id }).update({ contracts_changed_at: null });
    return String(row.id);
  };
  return { id: tenant.id, slug: tenant.slug, writer: (await token(["users:write"])).token, reader: (await token([])).token, token, addEmployee };
}

export function ops(...operations: Record<string, unknown>[]) {
  return { schemas: [PATCH_OP], Operations: operations };
}

export function patch(t: AppUnderTest, token: string, id: string, body: unknown, headers: Record<string, string> = {}) {
  return t.request().patch(`/scim/v2/Users/${id}`).set({ ...bearer(token), "Content-Type": "application/scim+json", ...headers }).send(body as object);
}

export function put(t: AppUnderTest, token: string, id: string, body: unknown, headers: Record<string, string> = {}) {
  return t.request().put(`/scim/v2/Users/${id}`).set({ ...bearer(token), "Content-Type": "application/scim+json", ...headers }).send(body as object);
}

export async function getUser(t: AppUnderTest, token: string, id: string): Promise<any> {
  const res = await t.request().get(`/scim/v2/Users/${id}`).set(bearer(token));
  if (res.status !== 200) throw new Error(`GET ${id}: ${res.status} ${res.text}`);
  return res.body;
}

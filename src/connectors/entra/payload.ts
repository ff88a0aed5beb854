// The one place where the connector meets the User projection: an employee's `data` in a bulkUpload
// operation is the User resource of /scim/v2/Users (the tenant's attribute catalogue projecting the
// same rows from hr/people.ts, scim/projection/project.ts), adjusted for Entra's matching rules (API reference "Perform bulkUpload"):
// - externalId is the employee number (Entra matches it to employeeId by default);
// - the enterprise extension always carries employeeNumber, department and manager, with
//   manager.value the manager's employee number (Entra resolves managers by their externalId);
// - dtContractStart and dtContractEnd always appear, under the tenant's namespace, listed in
//   `schemas`;
// - id, meta, groups and $ref point into hr-scim and mean nothing to Entra: they are left out.
// When the projection changes shape (attribute catalogue), only this module follows it.
import crypto from "node:crypto";
import type { Knex } from "knex";
import type { PersonRow } from "../../hr/people.js";
import type { PropertyMapping, TenantSettings } from "../../hr/tenant-settings.js";
import type { Tenant } from "../../hr/tenants.js";
import { exposedKeys, userCatalogue } from "../../scim/catalogue/catalogue.js";
import { selectedRowColumns } from "../../scim/projection/attribute-selection.js";
import { projectResource } from "../../scim/projection/project.js";
import { ENTERPRISE_URN } from "../../scim/schema/urns.js";
import { entraPeople, type EntraScope } from "./scope.js";

export const BULK_REQUEST_URN = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";

/** Attributes Entra's matching and the issue require, whatever the tenant exposes to SCIM clients. */
const REQUIRED_FOR_ENTRA = ["employeeNumber", "department", "manager", "dtContractStart", "dtContractEnd"];

// The projection builds $ref and meta.location from a base URL; both are dropped here.
const UNUSED_BASE_URL = "https://hr-scim.invalid/scim/v2";

export interface PayloadRow extends PersonRow {
  manager_employee_number: string | null;
}

export function entraMapping(mapping: PropertyMapping): PropertyMapping {
  const attributes = [...new Set([...exposedKeys(mapping), ...REQUIRED_FOR_ENTRA])].filter((a) => a !== "externalId");
  return { ...mapping, attributes };
}

/** The tenant's User catalogue as Entra receives it: the attributes Entra needs added, no groups. */
function entraCatalogue(tenant: Tenant) {
  const settings: TenantSettings = { ...tenant.settings, propertyMapping: entraMapping(tenant.settings.propertyMapping), groupTypes: [] };
  return userCatalogue(settings);
}

/** The rows of these employees (those still in the store), with their manager's employee number. */
export async function loadPayloadRows(db: Knex, scope: EntraScope, employeeIds: number[]): Promise<PayloadRow[]> {
  if (employeeIds.length === 0) return [];
  // The columns the projection reads (the catalogue says which), `active` aside: it is computed here.
  const read = selectedRowColumns({}, entraCatalogue(scope.tenant), ["id", "manager_id"]);
  if (!read) throw new Error("A User catalogue entry does not say which columns it reads");
  const columns = read.filter((c) => c !== "active");
  return entraPeople(db, scope)
    .leftJoin({ mgr: "employees" }, (j) => j.on("mgr.tenant_id", "u.tenant_id").andOn("mgr.id", "u.manager_id"))
    .whereIn("u.id", employeeIds)
    .select(...columns.map((c) => `u.${c}`), "mgr.employee_number as manager_employee_number",
      // Never active before the first start, whatever the tenant's futureEmployeesActive (which the
      // stored `active` follows): Entra must not enable an account before day one.
      db.raw("(u.active and u.contract_start::date <= ?::date) as active", [scope.today])) as Promise<PayloadRow[]>;
}

/** An operation's `data`: the User resource of this row as Entra takes it. */
export function buildUserData(row: PayloadRow, tenant: Tenant): Record<string, unknown> {
  const user = projectResource(entraCatalogue(tenant), row as never, { scimBaseUrl: UNUSED_BASE_URL });
  const { schemas, id: _id, meta: _meta, groups: _groups, ...rest } = user;
  const enterprise = rest[ENTERPRISE_URN] as Record<string, unknown> | undefined;
  if (enterprise && enterprise.manager) {
    const manager = enterprise.manager as { displayName?: string };
    if (row.manager_employee_number) enterprise.manager = { value: row.manager_employee_number, displayName: manager.displayName };
    else delete enterprise.manager;
  }
  return { schemas, externalId: row.employee_number, ...rest };
}

/** A stable digest of what was sent (its JSON text), to skip employees whose data Entra already has. */
export function payloadHash(dataJson: string): string {
  return crypto.createHash("sha256").update(dataJson).digest("base64url");
}

export interface BulkOperation {
  bulkId: string;
  /** `data` as JSON text (serialised once: it is hashed and sent). */
  dataJson: string;
}

/** The SCIM BulkRequest body (RFC 7644 section 3.7) of up to 50 operations. */
export function bulkRequestBody(operations: BulkOperation[]): string {
  const ops = operations.map((op) => `{"method":"POST","bulkId":${JSON.stringify(op.bulkId)},"path":"/Users","data":${op.dataJson}}`);
  return `{"schemas":${JSON.stringify([BULK_REQUEST_URN])},"Operations":[${ops.join(",")}],"failOnErrors":null}`;
}

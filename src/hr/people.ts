// Employees as the SCIM layer sees them: one row per visible employee of a tenant (alias `u`), with
// their organisation joined and their lifecycle computed in SQL, so that filters, sorting and
// paging all run in the database.
import type { Knex } from "knex";
import { forTenant } from "../db/tenant-scope.js";
import { groupNameSql } from "./group-names.js";
import { activeExpression, currentContractDateExpression, lastModifiedExpression, type LifecycleParams } from "./lifecycle.js";
import { visibleEmployeeCondition, type VisibilityParams } from "./visibility.js";

export interface PeopleScope {
  tenantId: number;
  lifecycle: LifecycleParams;
  visibility: VisibilityParams;
  userNameSource: "login" | "workEmail";
}

/** The columns of a `u` row. */
export interface PersonRow {
  id: number;
  user_name: string;
  login: string;
  first_name: string;
  last_name: string;
  work_email: string | null;
  work_phone: string | null;
  mobile_phone: string | null;
  job_title: string | null;
  employee_number: string | null;
  preferred_language: string | null;
  external_id: string | null;
  extended_data: Record<string, unknown> | null;
  created_at: Date;
  version: number;
  department_id: number | null;
  department_name: string | null;
  /** The department's name as its group shows it (hr/group-names: unique in the tenant). */
  department_group_name: string | null;
  establishment_id: number | null;
  establishment_name: string | null;
  establishment_group_name: string | null;
  street: string | null;
  postal_code: string | null;
  city: string | null;
  address_country: string | null;
  legal_unit_id: number | null;
  legal_unit_name: string | null;
  legal_unit_group_name: string | null;
  country_code: string | null;
  manager_id: number | null;
  manager_first_name: string | null;
  manager_last_name: string | null;
  /** Whether the token may see the manager (hr/visibility); projection shows no manager otherwise. */
  manager_visible: boolean;
  contract_start: string | Date | null;
  contract_end: string | Date | null;
  active: boolean;
  last_modified: Date;
}

/** Visible employees of the tenant as a derived table `u`; callers add where/order/limit on `u.*`. */
export function visiblePeople(db: Knex, scope: PeopleScope): Knex.QueryBuilder {
  const active = activeExpression(scope.lifecycle);
  // The User shows its department, establishment, legal unit and manager by name, and its contracts'
  // dates: their changes are the User's changes.
  const modified = lastModifiedExpression(scope.lifecycle, ["e.updated_at", "e.contracts_changed_at", "d.updated_at", "est.updated_at", "lu.updated_at", "m.updated_at"]);
  const managerVisible = visibleEmployeeCondition(scope.visibility, scope.lifecycle.today, "m");
  const contractStart = currentContractDateExpression(scope.lifecycle, "start");
  const contractEnd = currentContractDateExpression(scope.lifecycle, "end");
  const visible = visibleEmployeeCondition(scope.visibility, scope.lifecycle.today);
  const userName = scope.userNameSource === "workEmail" ? "coalesce(e.work_email, e.login)" : "e.login";

  const inner = forTenant(db, "employees", "e", scope.tenantId)
    .leftJoin({ d: "departments" }, (j) => j.on("d.tenant_id", "e.tenant_id").andOn("d.id", "e.department_id"))
    .leftJoin({ est: "establishments" }, (j) => j.on("est.tenant_id", "e.tenant_id").andOn("est.id", "e.establishment_id"))
    .leftJoin({ lu: "legal_units" }, (j) => j.on("lu.tenant_id", "est.tenant_id").andOn("lu.id", "est.legal_unit_id"))
    .leftJoin({ m: "employees" }, (j) => j.on("m.tenant_id", "e.tenant_id").andOn("m.id", "e.manager_id"))
    .whereRaw(visible.sql, visible.bindings)
    .select(
      // Every employee column, so that an attribute over a new HR column needs no change here.
      "e.*", db.raw(`${userName} as user_name`),
      "d.name as department_name", db.raw(`${groupNameSql("departments", "d")} as department_group_name`),
      db.raw(`${groupNameSql("establishments", "est")} as establishment_group_name`), db.raw(`${groupNameSql("legal_units", "lu")} as legal_unit_group_name`),
      "est.name as establishment_name", "est.street", "est.postal_code", "est.city",
      "est.country_code as address_country",
      "est.legal_unit_id", "lu.name as legal_unit_name", "lu.country_code",
      // A manager the token cannot see (a future employee) is not shown (no id that answers 404).
      // Checked in a column of its own, not in the join or in manager_id, so that a query not
      // reading it drops the join and a manager.value filter uses the manager index.
      "m.first_name as manager_first_name", "m.last_name as manager_last_name",
      db.raw(`${managerVisible.sql} as manager_visible`, managerVisible.bindings),
      db.raw(`${contractStart.sql} as contract_start`, contractStart.bindings),
      db.raw(`${contractEnd.sql} as contract_end`, contractEnd.bindings),
      db.raw(`${active.sql} as active`, active.bindings),
      db.raw(`${modified.sql} as last_modified`, modified.bindings),
    );
  return db.from(inner.as("u"));
}

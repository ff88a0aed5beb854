// Employees as the SCIM layer sees them: one row per visible employee of a tenant (alias `u`), with
// their organisation joined and their lifecycle as stored (migration 20261130_005: kept by triggers and the
// midnight step, checked by the read guard), so that filters, sorting and paging all run in the
// database on plain indexed columns.
import type { Knex } from "knex";
import { toCount } from "../db/database.js";
import { prepared } from "../db/prepared-statements.js";
import { forTenant } from "../db/tenant-scope.js";
import { groupNameSql } from "./group-names.js";
import type { LifecycleParams } from "./lifecycle.js";
import { lifecycleCurrentCondition } from "./lifecycle-state.js";
import { visibleEmployeeCondition, visibleUntil, type VisibilityParams } from "./visibility.js";

export interface PeopleScope {
  tenantId: number;
  lifecycle: LifecycleParams;
  visibility: VisibilityParams;
  userNameSource: "login" | "workEmail";
  /**
   * Employee columns to pass through besides the ones named here (the SCIM catalogue's HR columns,
   * such as cost_center): a new HR column needs no change in this file.
   */
  extraColumns?: readonly string[];
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

/** The visible employees of the tenant, guarded, as `e` (see visiblePeople). */
function guardedEmployees(db: Knex, scope: PeopleScope): Knex.QueryBuilder {
  // The guard sits in the employees' own subquery: in the outer where clause, a condition on no
  // column is checked above all the joins, and PostgreSQL then keeps joins that nothing reads.
  const current = lifecycleCurrentCondition(scope.tenantId, scope.lifecycle.today);
  const employees = forTenant(db, "employees", "x", scope.tenantId).whereRaw(current.sql, current.bindings).select("x.*");
  const visible = visibleEmployeeCondition(scope.visibility, scope.lifecycle.today);
  return db.from(employees.as("e")).whereRaw(visible.sql, visible.bindings);
}

/** The `u` columns read from the employee row alone (over `e`). */
function employeeColumns(db: Knex, scope: PeopleScope): (string | Knex.Raw)[] {
  const userName = scope.userNameSource === "workEmail" ? "coalesce(e.work_email, e.login)" : "e.login";
  return [
    "e.id", "e.tenant_id", db.raw(`${userName} as user_name`), "e.login", "e.first_name", "e.last_name",
    "e.work_email", "e.work_phone", "e.mobile_phone", "e.job_title", "e.employee_number",
    "e.preferred_language", "e.external_id", "e.extended_data", "e.created_at", "e.version",
    "e.department_id", "e.establishment_id", "e.manager_id",
    // The contract shown, as text (YYYY-MM-DD): a date column would be parsed into the server's zone.
    db.raw(`to_char(e.contract_start, 'YYYY-MM-DD') as contract_start`),
    db.raw(`to_char(e.contract_end, 'YYYY-MM-DD') as contract_end`),
    "e.active", "e.last_modified",
    ...(scope.extraColumns ?? []).filter((c) => /^[a-z_][a-z0-9_]*$/.test(c) && !EMPLOYEE_COLUMNS.has(c)).map((c) => `e.${c}`),
  ];
}

/** The columns of visibleEmployees: those of `u` that need no other row than the employee's. */
export const EMPLOYEE_COLUMNS: ReadonlySet<string> = new Set([
  "id", "tenant_id", "user_name", "login", "first_name", "last_name", "work_email", "work_phone", "mobile_phone",
  "job_title", "employee_number", "preferred_language", "external_id", "extended_data", "created_at", "version",
  "department_id", "establishment_id", "manager_id", "contract_start", "contract_end", "active", "last_modified",
]);

/**
 * Visible employees of the tenant as a derived table `u`; callers add where/order/limit on `u.*`.
 * Run its statements through withCurrentLifecycle (hr/lifecycle-state): they fail when the stored
 * lifecycle does not hold on `scope.lifecycle.today`.
 */
export function visiblePeople(db: Knex, scope: PeopleScope): Knex.QueryBuilder {
  const managerVisible = visibleEmployeeCondition(scope.visibility, scope.lifecycle.today, "m");
  const departmentName = groupNameSql("departments", "d", scope.tenantId);
  const establishmentName = groupNameSql("establishments", "est", scope.tenantId);
  const legalUnitName = groupNameSql("legal_units", "lu", scope.tenantId);

  const inner = guardedEmployees(db, scope)
    .leftJoin({ d: "departments" }, (j) => j.on("d.tenant_id", "e.tenant_id").andOn("d.id", "e.department_id"))
    .leftJoin({ est: "establishments" }, (j) => j.on("est.tenant_id", "e.tenant_id").andOn("est.id", "e.establishment_id"))
    .leftJoin({ lu: "legal_units" }, (j) => j.on("lu.tenant_id", "est.tenant_id").andOn("lu.id", "est.legal_unit_id"))
    .leftJoin({ m: "employees" }, (j) => j.on("m.tenant_id", "e.tenant_id").andOn("m.id", "e.manager_id"))
    .select(
      ...employeeColumns(db, scope),
      "d.name as department_name", db.raw(`${departmentName.sql} as department_group_name`, departmentName.bindings),
      db.raw(`${establishmentName.sql} as establishment_group_name`, establishmentName.bindings),
      db.raw(`${legalUnitName.sql} as legal_unit_group_name`, legalUnitName.bindings),
      "est.name as establishment_name", "est.street", "est.postal_code", "est.city",
      "est.country_code as address_country",
      "est.legal_unit_id", "lu.name as legal_unit_name", "lu.country_code",
      // A manager the token cannot see (a future employee) is not shown (no id that answers 404).
      // Checked in a column of its own, not in the join or in manager_id, so that a query not
      // reading it drops the join and a manager.value filter uses the manager index.
      "m.first_name as manager_first_name", "m.last_name as manager_last_name",
      db.raw(`${managerVisible.sql} as manager_visible`, managerVisible.bindings),
    );
  return db.from(inner.as("u"));
}

/**
 * The same rows as visiblePeople with only EMPLOYEE_COLUMNS, as `u`: for counting and for the ids of
 * a page when the filter and the sort read nothing else. Without the joins PostgreSQL reads these
 * from indexes alone (a join it removes still keeps its key columns needed, which rules that out).
 */
export function visibleEmployees(db: Knex, scope: PeopleScope): Knex.QueryBuilder {
  return db.from(guardedEmployees(db, scope).select(...employeeColumns(db, scope)).as("u"));
}

/**
 * How many employees the token sees (the rows of visiblePeople), from the per-date counts the
 * triggers keep (migration 005): a sum over the tenant's first-contract dates, not a count of its
 * employees.
 */
export async function countVisiblePeople(db: Knex, scope: PeopleScope): Promise<number> {
  const rows = await prepared(forTenant(db, "visible_employee_counts", "c", scope.tenantId)
    .where("c.visible_from", "<=", db.raw("?::date", [visibleUntil(scope.visibility, scope.lifecycle.today)]))
    .sum({ total: "c.employees" }));
  return toCount(rows[0]?.total);
}

// Which employees the Entra connector sends (the issue's "Scope"), as SQL over the people query
// (hr/people.ts, alias `u`), so that planning a run never loads a tenant into memory:
// - an employee number, unique in the tenant (Entra matches externalId = employee number to
//   employeeId: a shared number would update the wrong account, so neither is sent);
// - a work email in the connection's domains (default: the tenant's allowedEmailDomains; none
//   means any);
// - a contract that is current, starts within `futureDays` (future employees, active: false until
//   their start), or ended within `leaverDays` (leavers, active: false; no limit by default).
import type { Knex } from "knex";
import { DateTime } from "luxon";
import type { SqlFragment } from "../../db/sql-fragment.js";
import { localDate } from "../../hr/lifecycle.js";
import { refreshLifecycle } from "../../hr/lifecycle-state.js";
import { userCatalogue } from "../../scim/catalogue/catalogue.js";
import { visiblePeople, type PeopleScope } from "../../hr/people.js";
import type { Tenant } from "../../hr/tenants.js";
import type { EntraSettings } from "./settings.js";

export interface EntraScope {
  tenant: Tenant;
  /** The tenant's local date today. */
  today: string;
  futureDays: number;
  leaverDays: number | null;
  /** Lower-case email domains; empty: any. */
  domains: string[];
}

export function entraScope(tenant: Tenant, settings: Pick<EntraSettings, "futureDays" | "leaverDays" | "domains">, now: Date): EntraScope {
  return {
    tenant,
    today: localDate(now, tenant.timeZone),
    futureDays: settings.futureDays,
    leaverDays: settings.leaverDays,
    domains: (settings.domains ?? tenant.settings.allowedEmailDomains).map((d) => d.toLowerCase()),
  };
}

/**
 * The scope at `now`, with the tenant's stored lifecycle moved to that day first: the people query
 * fails (hr/lifecycle-state) when the stored state is of another day, and a connector run right
 * after midnight may come before the midnight step.
 */
export async function currentEntraScope(db: Knex, tenant: Tenant, settings: Pick<EntraSettings, "futureDays" | "leaverDays" | "domains">, now: Date): Promise<EntraScope> {
  const scope = entraScope(tenant, settings, now);
  await refreshLifecycle(db, tenant.id, scope.today);
  return scope;
}

export function addDays(date: string, days: number): string {
  return DateTime.fromISO(date, { zone: "UTC" }).plus({ days }).toISODate()!;
}

/**
 * The people query as the connector reads it: every employee with a contract is visible (future
 * ones included: scope decides), and `active` is false before the first start whatever the
 * tenant's futureEmployeesActive says (Entra must not enable an account before day one).
 */
export function entraPeopleScope(scope: EntraScope): PeopleScope {
  const t = scope.tenant;
  return {
    tenantId: t.id,
    lifecycle: { today: scope.today, timeZone: t.timeZone, futureEmployeesActive: false, settingsChangedAt: t.settingsChangedAt?.toISOString() ?? null },
    visibility: { seesFutureEmployees: true },
    userNameSource: t.settings.userNameSource,
    extraColumns: userCatalogue(t.settings).hrColumns,
  };
}

const contractsOfU = "from contracts c where c.tenant_id = u.tenant_id and c.employee_id = u.id";
// Employee numbers are unique per tenant (migration 20261202_001); one HR never gave is `ID-<id>`,
// the store's placeholder, which HR may still replace: an account keyed to it would be orphaned.
const HAS_NUMBER = "u.employee_number <> 'ID-' || u.id";

/** SQL boolean over `u`: the employee is in scope today. */
export function inScopeCondition(scope: EntraScope): SqlFragment {
  const parts: string[] = [HAS_NUMBER];
  const bindings: Knex.Value[] = [];
  if (scope.domains.length) {
    parts.push(`lower(split_part(u.work_email, '@', 2)) in (${scope.domains.map(() => "?").join(", ")})`);
    bindings.push(...scope.domains);
  }
  const lastDayInScope = addDays(scope.today, scope.futureDays);
  if (scope.leaverDays === null) {
    parts.push(`exists (select 1 ${contractsOfU} and c.start_date <= ?::date)`);
    bindings.push(lastDayInScope);
  } else {
    parts.push(`exists (select 1 ${contractsOfU} and c.start_date <= ?::date and (c.end_date is null or c.end_date >= ?::date))`);
    bindings.push(lastDayInScope, addDays(scope.today, -scope.leaverDays));
  }
  return { sql: parts.map((p) => `(${p})`).join(" and "), bindings };
}

/**
 * SQL boolean over `u`: the employee's lifecycle turned on a local midnight in (after, through]:
 * a contract started (a starter, or a mover between contracts), ended the day before (a leaver),
 * or starts `futureDays` later (a future employee entering scope).
 */
export function lifecycleTurnedCondition(scope: EntraScope, after: string, through: string): SqlFragment {
  const between = (expr: string) => `(${expr} > ?::date and ${expr} <= ?::date)`;
  return {
    sql: `exists (select 1 ${contractsOfU} and (${between("c.start_date")} or ${between("(c.end_date + 1)")} or ${between(`(c.start_date - ${Math.trunc(scope.futureDays)})`)}))`,
    bindings: [after, through, after, through, after, through],
  };
}

/** Employees left out for having no employee number from HR. */
export async function numberExclusions(db: Knex, scope: EntraScope): Promise<{ noNumber: number }> {
  const row = await entraPeople(db, scope).first(db.raw(`count(*) filter (where not (${HAS_NUMBER})) as no_number`));
  return { noNumber: Number(row?.no_number ?? 0) };
}

/** The people query of the connector (visiblePeople through entraPeopleScope), alias `u`. */
export function entraPeople(db: Knex, scope: EntraScope): Knex.QueryBuilder {
  return visiblePeople(db, entraPeopleScope(scope));
}

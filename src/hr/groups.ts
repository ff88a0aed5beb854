// The organisation as groups (docs/BEHAVIOUR.md section 4): one group per department, establishment, legal
// unit and country of the tenant, for the enabled group types only, as a derived table `g` whose
// lastModified follows the group's own row, its visible members and recorded departures. A group's
// latest member change is one backward index probe per department or establishment over the
// members' stored member_modified (migration 005), not an aggregate over its members.
import type { Knex } from "knex";
import { toFragment, type SqlFragment } from "../db/sql-fragment.js";
import { forTenant } from "../db/tenant-scope.js";
import { countryNameSql } from "./countries.js";
import { groupNameSql, type OrganisationTable } from "./group-names.js";
import { settingsChangedExpression } from "./lifecycle.js";
import { lifecycleCurrentCondition } from "./lifecycle-state.js";
import { enabledTypes } from "./membership.js";
import { visiblePeople, type PeopleScope } from "./people.js";
import { visibleEmployeeCondition } from "./visibility.js";
import type { GroupType } from "./tenant-settings.js";

export interface OrganisationScope extends PeopleScope {
  /** Enabled group types; a disabled type's groups do not exist. */
  groupTypes: readonly GroupType[];
}

/** The columns of a `g` row. */
export interface GroupRow {
  /** `<TYPE>-<hr id>`, `LUCCA_COUNTRY-<ISO alpha-2>`. */
  id: string;
  type: GroupType;
  /** The value of the person column (MEMBERSHIP[type].person) that members have, as text. */
  member_key: string;
  display_name: string;
  /** Later of the organisation row's change and its visible members' lastModified. */
  last_modified: Date;
  /** When the organisation row (for a country: its first legal unit) was created. */
  created: Date;
}

/** `select * from (...) as u`: the visible people, as SQL text to embed. */
export function visiblePeopleSql(db: Knex, scope: PeopleScope): SqlFragment {
  return toFragment(visiblePeople(db, scope));
}

/** One branch of `g`: a group per row of an organisation table. */
function branch(db: Knex, scope: OrganisationScope, type: GroupType): SqlFragment {
  const t = Number(scope.tenantId);
  // A group changes with its own row, with its visible members' rows, contracts and lifecycle
  // transitions (employees.member_modified), so that an arrival, a leaver's end or a hidden future
  // employee's start moves it, and with the changes no member row shows (a departure, an
  // establishment moving), which the HR tables' triggers record (migration 002).
  const recorded = (kind: string, key: string) =>
    `(select max(gc.at) from group_changes gc where gc.tenant_id = ${t} and gc.kind = '${kind}' and gc.org_key = (${key})::text)`;
  const visible = visibleEmployeeCondition(scope.visibility, scope.lifecycle.today, "e");
  // The latest change among the visible members of one department or establishment: a backward scan
  // of (tenant_id, <column>, member_modified) that stops at the first visible member.
  const latestMember = (column: "department_id" | "establishment_id", key: string): SqlFragment => ({
    sql: `(select max(e.member_modified) from employees e where e.tenant_id = ${t} and e.${column} = ${key} and ${visible.sql})`,
    bindings: visible.bindings,
  });
  // Legal units and countries: the latest over their establishments.
  const latestInEstablishments = (establishments: string): SqlFragment => {
    const one = latestMember("establishment_id", "x.id");
    return { sql: `(select max(${one.sql}) from establishments x where x.tenant_id = ${t} and ${establishments})`, bindings: one.bindings };
  };
  const lastModified = (updatedAt: string, memberLeftAt: string, members: SqlFragment) => {
    const settings = settingsChangedExpression(scope.lifecycle);
    return db.raw(`greatest(${updatedAt}, ${memberLeftAt}, ${members.sql}${settings.sql}) as last_modified`, [...members.bindings, ...settings.bindings]);
  };
  const displayName = (type: GroupType, table: OrganisationTable, alias: string) => {
    const name = groupNameSql(table, alias, t);
    return db.raw(`'${type} ' || ${name.sql} as display_name`, name.bindings);
  };
  // A row whose updated_at an HR writer set earlier than its insertion was created by then.
  const created = (alias: string) => db.raw(`least(${alias}.created_at, ${alias}.updated_at) as created`);
  // Member changes include lifecycle transitions: the stored lifecycle must hold today (hr/lifecycle-state).
  const current = lifecycleCurrentCondition(t, scope.lifecycle.today);
  switch (type) {
    case "LUCCA_DEPT":
      return toFragment(forTenant(db, "departments", "d", t).whereRaw(current.sql, current.bindings).select(
        db.raw(`'LUCCA_DEPT-' || d.id as id`), db.raw(`'LUCCA_DEPT'::text as type`), db.raw(`d.id::text as member_key`),
        displayName("LUCCA_DEPT", "departments", "d"),
        lastModified("d.updated_at", recorded("department", "d.id"), latestMember("department_id", "d.id")), created("d")));
    case "LUCCA_ETS":
      return toFragment(forTenant(db, "establishments", "est", t).whereRaw(current.sql, current.bindings).select(
        db.raw(`'LUCCA_ETS-' || est.id as id`), db.raw(`'LUCCA_ETS'::text as type`), db.raw(`est.id::text as member_key`),
        displayName("LUCCA_ETS", "establishments", "est"),
        lastModified("est.updated_at", recorded("establishment", "est.id"), latestMember("establishment_id", "est.id")), created("est")));
    case "LUCCA_LU":
      return toFragment(forTenant(db, "legal_units", "lu", t).whereRaw(current.sql, current.bindings).select(
        db.raw(`'LUCCA_LU-' || lu.id as id`), db.raw(`'LUCCA_LU'::text as type`), db.raw(`lu.id::text as member_key`),
        displayName("LUCCA_LU", "legal_units", "lu"),
        lastModified("lu.updated_at", recorded("legal_unit", "lu.id"), latestInEstablishments("x.legal_unit_id = lu.id")), created("lu")));
    case "LUCCA_COUNTRY": {
      // A country group exists for each country that has a legal unit; it changes with any of them.
      const countries = forTenant(db, "legal_units", "lu", t)
        .whereRaw(current.sql, current.bindings)
        .select(db.raw(`(lu.country_code)::text as code`))
        .max({ updated_at: "lu.updated_at" }).min({ created_at: "lu.created_at" }).groupBy("lu.country_code");
      const name = countryNameSql("c.code");
      const members = latestInEstablishments(
        `x.legal_unit_id in (select y.id from legal_units y where y.tenant_id = ${t} and y.country_code = c.code)`);
      return toFragment(db.from(countries.as("c")).select(
        db.raw(`'LUCCA_COUNTRY-' || c.code as id`), db.raw(`'LUCCA_COUNTRY'::text as type`), db.raw(`c.code as member_key`),
        db.raw(`'LUCCA_COUNTRY ' || ${name.sql} as display_name`, name.bindings),
        lastModified("c.updated_at", recorded("country", "c.code"), members), created("c")));
    }
  }
}

/**
 * The tenant's groups of the enabled types as a derived table `g` (columns of GroupRow); callers add
 * where/order/limit on `g.*`. No enabled type: no rows. Run its statements through
 * withCurrentLifecycle (hr/lifecycle-state).
 */
export function visibleGroups(db: Knex, scope: OrganisationScope): Knex.QueryBuilder {
  const types = enabledTypes(scope.groupTypes);
  if (types.length === 0) {
    return db.from(db.raw(`(select null::text as id, null::text as type, null::text as member_key, null::text as display_name, null::timestamptz as last_modified, null::timestamptz as created where false) as g`));
  }
  const parts = types.map((type) => branch(db, scope, type));
  return db.from(db.raw(`(${parts.map((p) => `(${p.sql})`).join(" union all ")}) as g`, parts.flatMap((p) => p.bindings)));
}

// The organisation as groups (product.md section 4): one group per department, establishment, legal
// unit and country of the tenant, for the enabled group types only, as a derived table `g`; and the
// members of groups, which are the visible people (hr/people.ts, hr/visibility.ts) related to them.
// The membership rule lives here once: the group key of each type and the person column it matches.
import type { Knex } from "knex";
import type { SqlFragment } from "../db/sql-fragment.js";
import { forTenant } from "../db/tenant-scope.js";
import { groupNameSql } from "./group-names.js";
import { visiblePeople, type PeopleScope, type PersonRow } from "./people.js";
import { lastModifiedExpression, settingsChangedExpression } from "./lifecycle.js";
import { visibleEmployeeCondition } from "./visibility.js";
import { GROUP_TYPES, type GroupType } from "./tenant-settings.js";

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

export interface MemberRow {
  id: number;
  first_name: string;
  last_name: string;
}

/**
 * Membership rules (product.md section 4): a person is a member of a group of type T when the
 * person's column (over the people table `u`) equals the group's key. LUCCA_DEPT: direct members
 * of the department only; LUCCA_ETS: of the establishment; LUCCA_LU: employees of its
 * establishments; LUCCA_COUNTRY: employees of the legal units of that country.
 */
export const MEMBERSHIP: Record<GroupType, { person: "department_id" | "establishment_id" | "legal_unit_id" | "country_code"; integerKey: boolean }> = {
  LUCCA_DEPT: { person: "department_id", integerKey: true },
  LUCCA_ETS: { person: "establishment_id", integerKey: true },
  LUCCA_LU: { person: "legal_unit_id", integerKey: true },
  LUCCA_COUNTRY: { person: "country_code", integerKey: false },
};

const regionNames = new Intl.DisplayNames(["en"], { type: "region", fallback: "code" });

/** English country names by ISO 3166-1 alpha-2 code ("ES" -> "Spain"), from the runtime's ICU data. */
const COUNTRY_NAMES: Record<string, string> = {};
for (let a = 65; a <= 90; a++) {
  for (let b = 65; b <= 90; b++) {
    const code = String.fromCharCode(a, b);
    const name = regionNames.of(code);
    if (name && name !== code) COUNTRY_NAMES[code] = name;
  }
}
/** The same table as JSON, for a `?::jsonb` binding, so that SQL filters see the same names. */
const COUNTRY_NAMES_JSON = JSON.stringify(COUNTRY_NAMES);

/** The English name of a country ("ES" -> "Spain"); the code itself when unknown. */
export function countryName(code: string): string {
  const trimmed = code.trim();
  return COUNTRY_NAMES[trimmed] ?? trimmed;
}

/** SQL for the English name of a country code expression (the table is one bound JSON value). */
export function countryNameSql(codeSql: string): SqlFragment {
  return { sql: `coalesce((?::jsonb ->> (${codeSql})::text), (${codeSql})::text)`, bindings: [COUNTRY_NAMES_JSON] };
}

export const groupId = (type: GroupType, key: string | number) => `${type}-${key}`;
export const groupDisplayName = (type: GroupType, name: string) => `${type} ${name}`;

/** The enabled types, in the fixed order DEPT, ETS, LU, COUNTRY. */
export function enabledTypes(groupTypes: readonly GroupType[]): GroupType[] {
  return GROUP_TYPES.filter((t) => groupTypes.includes(t));
}

/** The groups a person belongs to, from the person's own columns (no query). Pure twin of `g` + MEMBERSHIP. */
export function groupsOfPerson(row: PersonRow, groupTypes: readonly GroupType[]): { id: string; displayName: string }[] {
  const out: { id: string; displayName: string }[] = [];
  for (const type of enabledTypes(groupTypes)) {
    if (type === "LUCCA_DEPT" && row.department_id !== null) out.push({ id: groupId(type, row.department_id), displayName: groupDisplayName(type, row.department_group_name ?? "") });
    if (type === "LUCCA_ETS" && row.establishment_id !== null) out.push({ id: groupId(type, row.establishment_id), displayName: groupDisplayName(type, row.establishment_group_name ?? "") });
    if (type === "LUCCA_LU" && row.legal_unit_id !== null) out.push({ id: groupId(type, row.legal_unit_id), displayName: groupDisplayName(type, row.legal_unit_group_name ?? "") });
    if (type === "LUCCA_COUNTRY" && row.country_code) out.push({ id: groupId(type, row.country_code.trim()), displayName: groupDisplayName(type, countryName(row.country_code)) });
  }
  return out;
}

/**
 * The groups of a person as a SQL row source `ug(value, display)` correlated to the people alias
 * `u`: one VALUES row per enabled type, the value null when the person has no such group.
 * The SQL twin of groupsOfPerson, for filters on the User's `groups`. `display` is "<TYPE> <name>"
 * without the HR id that a shared name takes (hr/group-names): that check, per user, made a
 * groups filter over 100,000 users take ~14 s.
 */
export function personGroupsValues(groupTypes: readonly GroupType[]): SqlFragment {
  const rows: string[] = [];
  const bindings: Knex.Value[] = [];
  for (const type of enabledTypes(groupTypes)) {
    if (type === "LUCCA_DEPT") rows.push(`('LUCCA_DEPT-' || u.department_id, 'LUCCA_DEPT ' || u.department_name)`);
    if (type === "LUCCA_ETS") rows.push(`('LUCCA_ETS-' || u.establishment_id, 'LUCCA_ETS ' || u.establishment_name)`);
    if (type === "LUCCA_LU") rows.push(`('LUCCA_LU-' || u.legal_unit_id, 'LUCCA_LU ' || u.legal_unit_name)`);
    if (type === "LUCCA_COUNTRY") {
      const name = countryNameSql("u.country_code");
      rows.push(`('LUCCA_COUNTRY-' || (u.country_code)::text, case when u.country_code is not null then 'LUCCA_COUNTRY ' || ${name.sql} end)`);
      bindings.push(...name.bindings);
    }
  }
  return { sql: `(values ${rows.join(", ")}) as ug(value, display)`, bindings };
}

function toFragment(q: Knex.QueryBuilder): SqlFragment {
  const { sql, bindings } = q.toSQL();
  return { sql, bindings: bindings as Knex.Value[] };
}

/** `select * from (...) as u`: the visible people, as SQL text to embed. */
export function visiblePeopleSql(db: Knex, scope: PeopleScope): SqlFragment {
  return toFragment(visiblePeople(db, scope));
}

/** One branch of `g`: a group per row of an organisation table. */
function branch(db: Knex, scope: OrganisationScope, type: GroupType): SqlFragment {
  const t = scope.tenantId;
  // A group changes with its own row, with its visible members' rows and lifecycle transitions
  // (hr/lifecycle lastModifiedExpression over each member `e`), so that an arrival, a leaver's end
  // or a hidden future employee's start moves it, and with the changes no member row shows (a
  // departure, an establishment moving), which the HR tables' triggers record (migration 002).
  const recorded = (kind: string, key: string) =>
    `(select max(gc.at) from group_changes gc where gc.tenant_id = ${Number(t)} and gc.kind = '${kind}' and gc.org_key = (${key})::text)`;
  const lastModified = (updatedAt: string, memberLeftAt: string, key: string) => {
    const visible = visibleEmployeeCondition(scope.visibility, scope.lifecycle.today, "e");
    const modified = lastModifiedExpression(scope.lifecycle, ["e.updated_at", "e.contracts_changed_at"], "e");
    const members = toFragment(memberCandidates(db, t, type, db.raw(key)).whereRaw(visible.sql, visible.bindings)
      .select(db.raw(`max(${modified.sql})`, modified.bindings)));
    const settings = settingsChangedExpression(scope.lifecycle);
    return db.raw(`greatest(${updatedAt}, ${memberLeftAt}, (${members.sql})${settings.sql}) as last_modified`, [...members.bindings, ...settings.bindings]);
  };
  // A row whose updated_at an HR writer set earlier than its insertion was created by then.
  const created = (alias: string) => db.raw(`least(${alias}.created_at, ${alias}.updated_at) as created`);
  switch (type) {
    case "LUCCA_DEPT":
      return toFragment(forTenant(db, "departments", "d", t).select(
        db.raw(`'LUCCA_DEPT-' || d.id as id`), db.raw(`'LUCCA_DEPT'::text as type`), db.raw(`d.id::text as member_key`),
        db.raw(`'LUCCA_DEPT ' || ${groupNameSql("departments", "d")} as display_name`), lastModified("d.updated_at", recorded("department", "d.id"), "d.id"), created("d")));
    case "LUCCA_ETS":
      return toFragment(forTenant(db, "establishments", "est", t).select(
        db.raw(`'LUCCA_ETS-' || est.id as id`), db.raw(`'LUCCA_ETS'::text as type`), db.raw(`est.id::text as member_key`),
        db.raw(`'LUCCA_ETS ' || ${groupNameSql("establishments", "est")} as display_name`), lastModified("est.updated_at", recorded("establishment", "est.id"), "est.id"), created("est")));
    case "LUCCA_LU":
      return toFragment(forTenant(db, "legal_units", "lu", t).select(
        db.raw(`'LUCCA_LU-' || lu.id as id`), db.raw(`'LUCCA_LU'::text as type`), db.raw(`lu.id::text as member_key`),
        db.raw(`'LUCCA_LU ' || ${groupNameSql("legal_units", "lu")} as display_name`), lastModified("lu.updated_at", recorded("legal_unit", "lu.id"), "lu.id"), created("lu")));
    case "LUCCA_COUNTRY": {
      // A country group exists for each country that has a legal unit; it changes with any of them.
      const countries = forTenant(db, "legal_units", "lu", t)
        .select(db.raw(`(lu.country_code)::text as code`))
        .max({ updated_at: "lu.updated_at" }).min({ created_at: "lu.created_at" }).groupBy("lu.country_code");
      const name = countryNameSql("c.code");
      return toFragment(db.from(countries.as("c")).select(
        db.raw(`'LUCCA_COUNTRY-' || c.code as id`), db.raw(`'LUCCA_COUNTRY'::text as type`), db.raw(`c.code as member_key`),
        db.raw(`'LUCCA_COUNTRY ' || ${name.sql} as display_name`, name.bindings), lastModified("c.updated_at", recorded("country", "c.code"), "c.code"), created("c")));
    }
  }
}

/**
 * The tenant's groups of the enabled types as a derived table `g` (columns of GroupRow); callers add
 * where/order/limit on `g.*`. No enabled type: no rows.
 */
export function visibleGroups(db: Knex, scope: OrganisationScope): Knex.QueryBuilder {
  const types = enabledTypes(scope.groupTypes);
  if (types.length === 0) {
    return db.from(db.raw(`(select null::text as id, null::text as type, null::text as member_key, null::text as display_name, null::timestamptz as last_modified, null::timestamptz as created where false) as g`));
  }
  const parts = types.map((type) => branch(db, scope, type));
  return db.from(db.raw(`(${parts.map((p) => `(${p.sql})`).join(" union all ")}) as g`, parts.flatMap((p) => p.bindings)));
}

/**
 * SQL boolean: the person `m` is a member of the group `g` (for `exists` filters on members),
 * over the enabled types only.
 */
export function memberOfGroupCondition(groupTypes: readonly GroupType[], personAlias: string, groupAlias: string): string {
  const parts = enabledTypes(groupTypes).map((type) =>
    `(${groupAlias}.type = '${type}' and (${personAlias}.${MEMBERSHIP[type].person})::text = ${groupAlias}.member_key)`);
  return parts.length ? `(${parts.join(" or ")})` : "(false)";
}

const keyOf = (group: Pick<GroupRow, "type" | "member_key">): string | number =>
  MEMBERSHIP[group.type].integerKey ? Number(group.member_key) : group.member_key;

/**
 * The employees of a group before visibility, over the HR rows (`e`): the same membership rule as
 * MEMBERSHIP (which is over the people table `u`), in a shape PostgreSQL plans well for a large
 * group: walk employees in id order and stop after a chunk. The people query's joins and its
 * visibility EXISTS made it sort the whole group for every chunk (seconds per chunk at 25,000).
 */
function memberCandidates(db: Knex, tenantId: number, type: GroupType, key: Knex.Value | Knex.Raw): Knex.QueryBuilder {
  const employees = forTenant(db, "employees", "e", tenantId);
  switch (type) {
    case "LUCCA_DEPT": return employees.where("e.department_id", key);
    case "LUCCA_ETS": return employees.where("e.establishment_id", key);
    case "LUCCA_LU":
      return inEstablishments(employees, forTenant(db, "establishments", "x", tenantId).where("x.legal_unit_id", key).select("x.id"));
    case "LUCCA_COUNTRY":
      return inEstablishments(employees, forTenant(db, "establishments", "x", tenantId)
        .join({ y: "legal_units" }, (j) => j.on("y.tenant_id", "x.tenant_id").andOn("y.id", "x.legal_unit_id"))
        .where("y.country_code", key).select("x.id"));
  }
}

/** `e.establishment_id = any(array(<ids>))`: the establishment ids first, then the employees index (not a semi-join over the tenant). */
function inEstablishments(employees: Knex.QueryBuilder, ids: Knex.QueryBuilder): Knex.QueryBuilder {
  const sub = toFragment(ids);
  return employees.whereRaw(`e.establishment_id = any(array(${sub.sql}))`, sub.bindings);
}

/** The visible members of one group as a query over `e` (membership over HR rows, then hr/visibility's rule). */
function visibleMembers(db: Knex, scope: PeopleScope, group: Pick<GroupRow, "type" | "member_key">): Knex.QueryBuilder {
  const visible = visibleEmployeeCondition(scope.visibility, scope.lifecycle.today, "e");
  return memberCandidates(db, scope.tenantId, group.type, keyOf(group)).whereRaw(visible.sql, visible.bindings);
}

/**
 * Streams the visible members of groups, one group at a time, in chunks of at most `chunkSize`
 * rows keyset-paged on the employee id (`e.id > last id order by e.id limit chunk`), calling
 * `onChunk` for each chunk and waiting for it (the response writer's backpressure): no query
 * result is larger than a chunk, and no chunk re-sorts the whole group, whatever its size.
 */
export async function streamMembers(
  db: Knex, scope: PeopleScope, groups: Pick<GroupRow, "id" | "type" | "member_key">[], chunkSize: number,
  onChunk: (groupId: string, members: MemberRow[]) => void | Promise<void>,
): Promise<void> {
  for (const group of groups) {
    let after = 0;
    for (;;) {
      const rows = (await visibleMembers(db, scope, group).comment("group-members")
        .where("e.id", ">", after).orderBy("e.id").limit(chunkSize)
        .select("e.id", "e.first_name", "e.last_name")) as MemberRow[];
      if (rows.length) await onChunk(group.id, rows);
      if (rows.length < chunkSize) break;
      after = rows[rows.length - 1].id;
    }
  }
}

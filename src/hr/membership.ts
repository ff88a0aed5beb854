// The membership rule of the organisation's groups (docs/BEHAVIOUR.md section 4), once: the person column
// each group type matches, the groups a person belongs to (from the person's own columns), and the
// same rule as SQL for filters on a User's groups and on a Group's members.
import type { Knex } from "knex";
import type { SqlFragment } from "../db/sql-fragment.js";
import { countryName, countryNameSql } from "./countries.js";
import { groupDisplayName, groupId } from "./group-names.js";
import type { PersonRow } from "./people.js";
import { GROUP_TYPES, type GroupType } from "./tenant-settings.js";

/**
 * Membership rules (docs/BEHAVIOUR.md section 4): a person is a member of a group of type T when the
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

/**
 * SQL boolean: the person `m` is a member of the group `g` (for `exists` filters on members),
 * over the enabled types only.
 */
export function memberOfGroupCondition(groupTypes: readonly GroupType[], personAlias: string, groupAlias: string): string {
  const parts = enabledTypes(groupTypes).map((type) =>
    `(${groupAlias}.type = '${type}' and (${personAlias}.${MEMBERSHIP[type].person})::text = ${groupAlias}.member_key)`);
  return parts.length ? `(${parts.join(" or ")})` : "(false)";
}

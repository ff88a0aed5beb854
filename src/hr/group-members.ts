// The members of a group: the visible employees (hr/visibility.ts) its membership rule
// (hr/membership.ts) takes in, read in keyset chunks so that a group of any size streams.
import type { Knex } from "knex";
import { toFragment, type SqlFragment } from "../db/sql-fragment.js";
import { forTenant } from "../db/tenant-scope.js";
import type { GroupRow } from "./groups.js";
import { MEMBERSHIP } from "./membership.js";
import type { PeopleScope } from "./people.js";
import type { GroupType } from "./tenant-settings.js";
import { visibleEmployeeCondition } from "./visibility.js";

export interface MemberRow {
  id: number;
  first_name: string;
  last_name: string;
}

const keyOf = (group: Pick<GroupRow, "type" | "member_key">): string | number =>
  MEMBERSHIP[group.type].integerKey ? Number(group.member_key) : group.member_key;

/**
 * The employees of a group before visibility, over the HR rows (`e`): the same membership rule as
 * MEMBERSHIP (which is over the people table `u`), in a shape PostgreSQL plans well for a large
 * group: walk employees in id order and stop after a chunk. The people query's joins and its
 * visibility EXISTS made it sort the whole group for every chunk (seconds per chunk at 25,000).
 */
export function memberCandidates(db: Knex, tenantId: number, type: GroupType, key: Knex.Value | Knex.Raw): Knex.QueryBuilder {
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
  return visibleMembersOfKey(db, scope, group.type, keyOf(group));
}

function visibleMembersOfKey(db: Knex, scope: PeopleScope, type: GroupType, key: Knex.Value | Knex.Raw): Knex.QueryBuilder {
  const visible = visibleEmployeeCondition(scope.visibility, scope.lifecycle.today, "e");
  return memberCandidates(db, scope.tenantId, type, key).whereRaw(visible.sql, visible.bindings);
}

/**
 * Streams the visible members of groups, one group at a time, in chunks of at most `chunkSize`
 * rows keyset-paged on the employee id (`e.id > last id order by e.id limit chunk`), calling
 * `onChunk` for each chunk and waiting for it (the response writer's backpressure): no query
 * result is larger than a chunk, and no chunk re-sorts the whole group, whatever its size.
 * `afterId` starts after members already read (firstMembers).
 */
export async function streamMembers(
  db: Knex, scope: PeopleScope, groups: Pick<GroupRow, "id" | "type" | "member_key">[], chunkSize: number,
  onChunk: (groupId: string, members: MemberRow[]) => void | Promise<void>, afterId = 0,
): Promise<void> {
  for (const group of groups) {
    let after = afterId;
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

/** The first members of a group; `more` when they filled the limit (the rest, if any, streams after the last). */
export interface FirstMembers {
  members: MemberRow[];
  more: boolean;
}

/** A group whose first members to read, at most `limit` of them (at least 1). */
export type FirstMembersRequest = Pick<GroupRow, "id" | "type" | "member_key"> & { limit: number };

/**
 * The first `limit` visible members (by id) of each of `groups` (its own limit each), in one
 * statement: per group type a lateral join of the page's keys with the same member query
 * streamMembers runs, so that a page of groups costs one members statement instead of one per
 * group. A group that filled its `limit` is marked `more`; its rest, if any, streams from its last
 * member's id. The statement returns at most the sum of the limits.
 */
export async function firstMembers(
  db: Knex, scope: PeopleScope, groups: FirstMembersRequest[],
): Promise<Map<string, FirstMembers>> {
  const result = new Map<string, FirstMembers>(groups.map((g) => [g.id, { members: [], more: false }]));
  const branches: SqlFragment[] = [];
  for (const type of new Set(groups.map((g) => g.type))) {
    const ofType = groups.filter((g) => g.type === type);
    const keyType = MEMBERSHIP[type].integerKey ? "bigint" : "text";
    const members = toFragment(visibleMembersOfKey(db, scope, type, db.raw("k.key"))
      .orderBy("e.id").select("e.id", "e.first_name", "e.last_name"));
    branches.push({
      sql: `select k.group_id, m.id, m.first_name, m.last_name
              from jsonb_to_recordset(?::jsonb) as k(key ${keyType}, group_id text, lim integer)
              cross join lateral (${members.sql} limit k.lim) as m`,
      bindings: [JSON.stringify(ofType.map((g) => ({ key: keyOf(g), group_id: g.id, lim: Math.max(1, Math.floor(g.limit)) }))), ...members.bindings],
    });
  }
  if (branches.length === 0) return result;
  const union = db.raw(`(${branches.map((b) => `(${b.sql})`).join(" union all ")}) as first_members`, branches.flatMap((b) => b.bindings));
  const rows = (await db.from(union).comment("group-members first").select("*").orderBy([{ column: "group_id" }, { column: "id" }])) as (MemberRow & { group_id: string })[];
  for (const { group_id, ...member } of rows) result.get(group_id)!.members.push({ ...member, id: Number(member.id) });
  for (const g of groups) {
    const first = result.get(g.id)!;
    first.more = first.members.length >= Math.max(1, Math.floor(g.limit));
  }
  return result;
}

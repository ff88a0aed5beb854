// How many visible members each group has, from the counts the HR tables' triggers keep per
// department and establishment and first-contract date (migration 20261206_001): a sum over a
// group's dates up to the token's last visible one (hr/visibility.ts), not a count of its members.
// Legal units and countries sum their establishments' counts, as their membership rule says
// (hr/membership.ts).
import type { Knex } from "knex";
import { prepared } from "../db/prepared-statements.js";
import type { SqlFragment } from "../db/sql-fragment.js";
import type { GroupRow } from "./groups.js";
import { lifecycleCurrentCondition } from "./lifecycle-state.js";
import { MEMBERSHIP } from "./membership.js";
import type { PeopleScope } from "./people.js";
import type { GroupType } from "./tenant-settings.js";
import { visibleUntil } from "./visibility.js";

/** The stored keys a group of each type sums, as SQL over the page's key `k.key`. */
function countedKeys(type: GroupType, tenantId: number): { kind: "department" | "establishment"; ids: string } {
  const t = Number(tenantId);
  switch (type) {
    case "LUCCA_DEPT": return { kind: "department", ids: "array[k.key]" };
    case "LUCCA_ETS": return { kind: "establishment", ids: "array[k.key]" };
    case "LUCCA_LU":
      return { kind: "establishment", ids: `array(select x.id from establishments x where x.tenant_id = ${t} and x.legal_unit_id = k.key)` };
    case "LUCCA_COUNTRY":
      return {
        kind: "establishment",
        ids: `array(select x.id from establishments x join legal_units y on y.tenant_id = x.tenant_id and y.id = x.legal_unit_id
                      where x.tenant_id = ${t} and y.country_code = k.key)`,
      };
  }
}

/**
 * The visible member count of each of `groups` (by group id), in one statement: what
 * group-members.ts would stream for the same token, as of the last committed HR write. Runs the
 * lifecycle guard as the group reads do: call it through withCurrentLifecycle (hr/lifecycle-state).
 */
export async function groupMemberCounts(
  db: Knex, scope: PeopleScope, groups: Pick<GroupRow, "id" | "type" | "member_key">[],
): Promise<Map<string, number>> {
  const result = new Map<string, number>(groups.map((g) => [g.id, 0]));
  const t = Number(scope.tenantId);
  // hr/visibility's rule over the stored first-contract dates (never null here), as an index range.
  const until = visibleUntil(scope.visibility, scope.lifecycle.today);
  const current = lifecycleCurrentCondition(t, scope.lifecycle.today);
  const branches: SqlFragment[] = [];
  for (const type of new Set(groups.map((g) => g.type))) {
    const ofType = groups.filter((g) => g.type === type);
    const integerKey = MEMBERSHIP[type].integerKey;
    const { kind, ids } = countedKeys(type, t);
    branches.push({
      sql: `select k.group_id,
                   (select sum(c.members) from group_member_counts c
                     where c.tenant_id = ${t} and c.org_kind = '${kind}' and c.org_id = any(${ids}) and c.visible_from <= ?::date) as members
              from jsonb_to_recordset(?::jsonb) as k(key ${integerKey ? "integer" : "text"}, group_id text)`,
      bindings: [until, JSON.stringify(ofType.map((g) => ({ key: integerKey ? Number(g.member_key) : g.member_key, group_id: g.id })))],
    });
  }
  if (branches.length === 0) return result;
  const union = db.raw(`(${branches.map((b) => `(${b.sql})`).join(" union all ")}) as counts`, branches.flatMap((b) => b.bindings));
  const rows = await prepared<{ group_id: string; members: string | number | null }>(
    db.from(union).comment("group-member-counts").whereRaw(current.sql, current.bindings).select("counts.group_id", "counts.members"));
  for (const row of rows) result.set(row.group_id, Number(row.members ?? 0));
  return result;
}

// Group display names must be unique per tenant (docs/CLIENTS.md item 16), but HR may give two
// departments (or establishments, or legal units) the same name. "<TYPE> <name>" stays as it is for
// a unique name; a name shared (ignoring case) within one table takes its HR id: "Sales (12)".
// SQL only, over the organisation row's alias, so that Groups and the User's `groups` agree.

import type { SqlFragment } from "../db/sql-fragment.js";
import type { GroupType } from "./tenant-settings.js";

export type OrganisationTable = "departments" | "establishments" | "legal_units";

/**
 * SQL text of the organisation row's name as its group shows it. The names shared in the tenant are
 * listed once per statement (an uncorrelated subquery, planned as an InitPlan), not looked up per
 * row: a page of users made 300 such lookups, each a scan of the table.
 */
export function groupNameSql(table: OrganisationTable, alias: string, tenantId: number): SqlFragment {
  return {
    sql: `(${alias}.name || case when lower(${alias}.name) = any (array(select lower(same.name) from ${table} same where same.tenant_id = ?::integer` +
      ` group by lower(same.name) having count(*) > 1)) then ' (' || ${alias}.id || ')' else '' end)`,
    bindings: [tenantId],
  };
}

export const groupId = (type: GroupType, key: string | number) => `${type}-${key}`;
export const groupDisplayName = (type: GroupType, name: string) => `${type} ${name}`;

// Group display names must be unique per tenant (docs/CLIENTS.md item 16), but HR may give two
// departments (or establishments, or legal units) the same name. "<TYPE> <name>" stays as it is for
// a unique name; a name shared (ignoring case) within one table takes its HR id: "Sales (12)".
// SQL only, over the organisation row's alias, so that Groups and the User's `groups` agree.

import type { GroupType } from "./tenant-settings.js";

export type OrganisationTable = "departments" | "establishments" | "legal_units";

/** SQL text of the organisation row's name as its group shows it. */
export function groupNameSql(table: OrganisationTable, alias: string): string {
  return `(${alias}.name || case when exists (select 1 from ${table} same where same.tenant_id = ${alias}.tenant_id` +
    ` and lower(same.name) = lower(${alias}.name) and same.id <> ${alias}.id) then ' (' || ${alias}.id || ')' else '' end)`;
}

export const groupId = (type: GroupType, key: string | number) => `${type}-${key}`;
export const groupDisplayName = (type: GroupType, name: string) => `${type} ${name}`;

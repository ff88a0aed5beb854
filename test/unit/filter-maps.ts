// Resource maps shared by the filter tests: the default and a custom User map, and a small Group map
// with a related `members` entry. (Not a test file itself.)
import { defaultSettings, LUCCA_URN } from "../../src/hr/tenant-settings.js";
import type { Column, ResourceMap } from "../../src/scim/mapping/types.js";
import { userMap } from "../../src/scim/mapping/user-map.js";
import { GROUP_URN } from "../../src/scim/schema/urns.js";

export const defaultMap = userMap(defaultSettings().propertyMapping);

/** No title, externalId or enterprise employeeNumber; countryCode and an extended field in the Lucca namespace. */
export const customMap = userMap({ attributes: ["countryCode", "manager"], namespace: LUCCA_URN, extendedFields: { badge: "badge_id" } });

const text = (sql: string, caseExact = false): Column => ({ sql, type: "string", caseExact });

/** `from` reads a `(values ...)` list so that filter-sql.test.ts can run it as is. */
export const GROUP_MEMBERS_FROM =
  "from (values (1, 10, 'Ann Lee'), (1, 11, 'Bob Ray'), (2, 11, 'Bob Ray')) as m(group_id, user_id, display) where m.group_id = g.id and m.group_id > ?";

export const groupMap: ResourceMap = {
  resourceType: "Group",
  coreSchema: GROUP_URN,
  extensionSchemas: [],
  idColumn: { sql: "g.id", type: "string", caseExact: true, integerId: true },
  attributes: new Map([
    ["id", { kind: "simple", path: "id", sortable: true, column: { sql: "g.id", type: "string", caseExact: true, integerId: true } }],
    ["displayname", { kind: "simple", path: "displayName", sortable: true, column: text("g.display_name") }],
    ["members", {
      kind: "related",
      path: "members",
      from: { sql: GROUP_MEMBERS_FROM, bindings: [0] },
      defaultSub: "value",
      sub: { value: { sql: "m.user_id", type: "string", caseExact: true, integerId: true }, display: text("m.display") },
    }],
  ]),
};

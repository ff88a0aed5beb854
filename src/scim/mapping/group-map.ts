// The Group mapping (product.md section 4): SCIM attribute -> SQL over the groups table `g`
// (hr/groups.ts). Built per request: `members` reads the people the calling token can see,
// so that a hidden future employee never matches `members.value eq`.
import type { GroupType } from "../../hr/tenant-settings.js";
import { memberOfGroupCondition } from "../../hr/membership.js";
import type { SqlFragment } from "../../db/sql-fragment.js";
import { GROUP_URN } from "../schema/urns.js";
import type { Column, MappedAttribute, ResourceMap, SimpleEntry } from "./types.js";

const ID_COLUMN: Column = { sql: "g.id", type: "string", caseExact: true };

function simple(path: string, column: Column, sortable = true): SimpleEntry {
  return { kind: "simple", path, column, sortable };
}

/**
 * The Group map. `visiblePeople` is the SQL of the people the token can see (hr/groups
 * visiblePeopleSql); `groupTypes` the enabled types.
 */
export function groupMap(visiblePeople: SqlFragment, groupTypes: readonly GroupType[]): ResourceMap {
  const entries: MappedAttribute[] = [
    simple("id", ID_COLUMN),
    // Groups carry no externalId: `externalId eq "x"` is valid and matches nothing.
    simple("externalId", { sql: "null::text", type: "string", caseExact: true }),
    simple("displayName", { sql: "g.display_name", type: "string", caseExact: false }),
    {
      kind: "related",
      path: "members",
      from: { sql: `from (${visiblePeople.sql}) m where ${memberOfGroupCondition(groupTypes, "m", "g")}`, bindings: visiblePeople.bindings },
      defaultSub: "value",
      sub: {
        value: { sql: "m.id", type: "string", caseExact: true, integerId: true },
        display: { sql: "(m.first_name || ' ' || m.last_name)", type: "string", caseExact: false },
      },
    },
    simple("meta.lastModified", { sql: "g.last_modified", type: "dateTime", caseExact: false }),
    simple("meta.resourceType", { sql: "'Group'::text", type: "string", caseExact: false }, false),
  ];
  return {
    resourceType: "Group",
    coreSchema: GROUP_URN,
    extensionSchemas: [],
    attributes: new Map(entries.map((e) => [e.path.toLowerCase(), e])),
    idColumn: ID_COLUMN,
  };
}

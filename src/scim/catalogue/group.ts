// The Group catalogue (docs/BEHAVIOUR.md section 4): every Group attribute over the derived group
// table `g` (hr/groups.ts), all read-only. `members` are the people the calling token can see, so
// that a hidden future employee never matches `members.value eq`.
import type { GroupType } from "../../hr/tenant-settings.js";
import { memberOfGroupCondition } from "../../hr/membership.js";
import { characteristics, column, fullName, fullNameSql, literal, readOnlyText } from "./define.js";
import type { EntrySpec } from "./user.js";
import { userLocation } from "./user.js";
import type { Row } from "./types.js";

const always = { kind: "always" } as const;
const ro = { mutability: "readOnly" } as const;
const WHY = "groups mirror the HR organisation";

export function groupLocation(scimBaseUrl: string, id: string): string {
  return `${scimBaseUrl}/Groups/${encodeURIComponent(id)}`;
}

/** Weak ETag of a group: moves with its lastModified (name, membership, members' changes). */
export function groupVersion(row: { last_modified: unknown }): string {
  return `W/"g-${new Date(row.last_modified as string).getTime().toString(36)}"`;
}

/** A member row (hr/group-members.ts) as a Group's member. */
export function projectMember(row: Row, scimBaseUrl: string): { value: string; $ref: string; display: string } {
  const value = String(row.id);
  return { value, $ref: userLocation(scimBaseUrl, value), display: fullName(row.first_name, row.last_name) };
}

/** The Group attributes, in RFC 7643 section 4.2 order, for a tenant's enabled group types. */
export function groupSpecs(groupTypes: readonly GroupType[]): EntrySpec[] {
  return [
    {
      name: "id", slot: "core", exposure: always, sortable: true, readOnlyReason: "the server assigns it",
      definition: readOnlyText("\"<TYPE>-<hr id>\", e.g. \"LUCCA_DEPT-12\" or \"LUCCA_COUNTRY-FR\".", { caseExact: true, returned: "always", uniqueness: "server" }),
      column: column("g", "id", { caseExact: true }),
      project: (row) => row.id,
    },
    {
      // Groups carry no externalId: `externalId eq "x"` is valid and matches nothing.
      name: "externalId", slot: "core", exposure: always, sortable: true, readOnlyReason: WHY,
      definition: readOnlyText("Identifier of the group in the identity provider.", { caseExact: true }),
      column: { sql: "null::text", type: "string", caseExact: true },
    },
    {
      name: "displayName", slot: "core", exposure: always, sortable: true, readOnlyReason: WHY,
      definition: readOnlyText("\"<TYPE> <name>\", e.g. \"LUCCA_DEPT Engineering\"; unique per tenant.", { required: true, uniqueness: "server" }),
      column: column("g", "display_name"),
      project: (row) => row.display_name,
    },
    {
      name: "members", slot: "core", exposure: always, sortable: false, defaultSub: "value", readOnlyReason: WHY,
      definition: characteristics("complex", "Users in the group that the calling token can see.", { multiValued: true, ...ro }),
      related: {
        sub: {
          value: { sql: "m.id", type: "string", caseExact: true, integerId: true },
          display: { sql: fullNameSql("m.first_name", "m.last_name"), type: "string", caseExact: false },
        },
        sql: (scope) => {
          const people = scope.visiblePeople();
          return { kind: "exists", from: { sql: `from (${people.sql}) m where ${memberOfGroupCondition(groupTypes, "m", "g")}`, bindings: people.bindings } };
        },
      },
      subs: [
        { name: "value", slot: "core", exposure: always, sortable: false, definition: readOnlyText("id of the member User.", { caseExact: true }) },
        { name: "$ref", slot: "core", exposure: always, sortable: false, definition: characteristics("reference", "URI of the member User.", { referenceTypes: ["User"], caseExact: true, ...ro }) },
        { name: "display", slot: "core", exposure: always, sortable: false, definition: readOnlyText("displayName of the member User.") },
        { name: "type", slot: "core", exposure: always, sortable: false, definition: readOnlyText("Always \"User\".", { canonicalValues: ["User"] }) },
      ],
    },
    {
      name: "meta", slot: "core", exposure: always, sortable: false, common: true, readOnlyReason: "the server assigns it",
      definition: characteristics("complex", "Resource metadata.", ro),
      project: (row, env) => ({
        resourceType: "Group",
        created: new Date(row.created as string).toISOString(),
        lastModified: new Date(row.last_modified as string).toISOString(),
        location: groupLocation(env.scimBaseUrl, String(row.id)),
        version: groupVersion(row as { last_modified: unknown }),
      }),
      subs: [
        { name: "resourceType", slot: "core", exposure: always, sortable: false, definition: readOnlyText("\"Group\"."), column: literal("Group").column },
        { name: "created", slot: "core", exposure: always, sortable: true, definition: characteristics("dateTime", "When the organisation row was created.", ro), column: column("g", "created", { type: "dateTime" }) },
        { name: "lastModified", slot: "core", exposure: always, sortable: true, definition: characteristics("dateTime", "Later of the group's own change and its members' changes.", ro), column: column("g", "last_modified", { type: "dateTime" }) },
        { name: "location", slot: "core", exposure: always, sortable: false, definition: characteristics("reference", "URI of the resource.", { ...ro, caseExact: true }) },
        { name: "version", slot: "core", exposure: always, sortable: false, definition: readOnlyText("Weak ETag of the resource.", { caseExact: true }) },
      ],
    },
  ];
}

// Group row (hr/groups.ts) -> SCIM Group resource (RFC 7643 section 4.2).
import type { MemberRow } from "../../hr/group-members.js";
import type { GroupRow } from "../../hr/groups.js";
import { GROUP_URN } from "../schema/urns.js";
import { userLocation } from "./user.js";

export interface GroupMember {
  value: string;
  $ref: string;
  display: string;
}

/** Weak ETag of a group: moves with its lastModified (name, membership, members' changes). */
export function groupVersion(row: Pick<GroupRow, "last_modified">): string {
  return `W/"g-${new Date(row.last_modified).getTime().toString(36)}"`;
}

export function groupLocation(scimBaseUrl: string, id: string): string {
  return `${scimBaseUrl}/Groups/${encodeURIComponent(id)}`;
}

export function projectMember(row: MemberRow, scimBaseUrl: string): GroupMember {
  const value = String(row.id);
  return { value, $ref: userLocation(scimBaseUrl, value), display: `${row.first_name} ${row.last_name}` };
}

/** `members` undefined: not loaded (excluded by the request), so absent from the resource. */
export function projectGroup(row: GroupRow, members: GroupMember[] | undefined, scimBaseUrl: string): Record<string, unknown> {
  const group: Record<string, unknown> = { schemas: [GROUP_URN], id: row.id, displayName: row.display_name };
  if (members) group.members = members;
  group.meta = {
    resourceType: "Group",
    created: new Date(row.created).toISOString(),
    lastModified: new Date(row.last_modified).toISOString(),
    location: groupLocation(scimBaseUrl, row.id),
    version: groupVersion(row),
  };
  return group;
}

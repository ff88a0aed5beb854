// The permissions a token can carry (docs/BEHAVIOUR.md section 6). Reading users and enabled groups needs none.
// hr:write makes an HR token: it feeds the HR API (/hr/v1) and nothing else, and no SCIM token
// reaches /hr/v1, so an HR system's credential and an identity provider's never overlap.
export const PERMISSIONS = ["users:write", "future-employees:read", "hr:write"] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const HR_WRITE: Permission = "hr:write";

export function isPermission(value: string): value is Permission {
  return (PERMISSIONS as readonly string[]).includes(value);
}

export function canWriteUsers(permissions: readonly string[]): boolean {
  return permissions.includes("users:write");
}

export function canSeeFutureEmployees(permissions: readonly string[]): boolean {
  return permissions.includes("future-employees:read");
}

/** An HR token: it may use /hr/v1, and is refused on /scim/v2. */
export function isHrToken(permissions: readonly string[]): boolean {
  return permissions.includes(HR_WRITE);
}

/** Why a set of permissions cannot be one token's, or null: hr:write goes alone. */
export function permissionConflict(permissions: readonly string[]): string | null {
  if (isHrToken(permissions) && permissions.some((p) => p !== HR_WRITE)) {
    return "hr:write goes alone: an HR token holds hr:write and nothing else (issue a separate token for SCIM clients)";
  }
  return null;
}

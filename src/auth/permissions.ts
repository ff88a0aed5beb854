// The permissions a token can carry (docs/BEHAVIOUR.md section 6). Reading users and enabled groups needs none.
export const PERMISSIONS = ["users:write", "future-employees:read"] as const;
export type Permission = (typeof PERMISSIONS)[number];

export function isPermission(value: string): value is Permission {
  return (PERMISSIONS as readonly string[]).includes(value);
}

export function canWriteUsers(permissions: readonly string[]): boolean {
  return permissions.includes("users:write");
}

export function canSeeFutureEmployees(permissions: readonly string[]): boolean {
  return permissions.includes("future-employees:read");
}

// Who may administer what (issue 13): an admin key holds one or both roles and may be limited to
// one tenant. integration-admin manages tokens (without granting permissions), tenant settings and
// the Entra connector; security-admin grants and withdraws token permissions and reads the
// integration log and the admin audit. The CLI acts as an operator with both roles on every tenant.
import { AdminProblem } from "./problems.js";

export const ADMIN_ROLES = ["integration-admin", "security-admin"] as const;
export type AdminRole = (typeof ADMIN_ROLES)[number];

export function isAdminRole(value: string): value is AdminRole {
  return (ADMIN_ROLES as readonly string[]).includes(value);
}

/** Who performs an admin action, as recorded in the admin audit. */
export interface AdminActor {
  /** The admin key's id, or null for the CLI. */
  keyId: string | null;
  /** Recorded as actor: `admin:<key name> (<key id>)` or `cli:<OS user>`. */
  label: string;
  roles: readonly AdminRole[];
  /** The one tenant the key may act on; null: every tenant. */
  tenantId: number | null;
}

export function cliActor(label: string): AdminActor {
  return { keyId: null, label, roles: ADMIN_ROLES, tenantId: null };
}

export function hasRole(actor: AdminActor, role: AdminRole): boolean {
  return actor.roles.includes(role);
}

/** A 403 problem unless the actor holds one of the roles. */
export function requireRole(actor: AdminActor, ...roles: AdminRole[]): void {
  if (roles.some((r) => hasRole(actor, r))) return;
  throw new AdminProblem(403, "Forbidden", `This needs the ${roles.join(" or ")} role; the admin key holds ${actor.roles.join(" and ") || "none"}.`);
}

/** Whether the actor may act on the tenant (a tenant-limited key sees no other tenant, as if it did not exist). */
export function mayActOn(actor: AdminActor, tenantId: number): boolean {
  return actor.tenantId === null || actor.tenantId === tenantId;
}

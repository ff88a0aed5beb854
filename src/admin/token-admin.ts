// API tokens as administrators manage them (CLI and admin API alike): issue, rotate with an
// optional overlap, revoke, and toggle permissions, each with its admin audit row. Role rules:
// issuing, rotating and revoking need integration-admin (revoking also security-admin); granting or
// withdrawing users:write or future-employees:read needs security-admin, so an integration-admin
// issues tokens without them (hr:write, the HR import's token, is the integration-admin's).
import type { Knex } from "knex";
import { isPermission, permissionConflict, PERMISSIONS, type Permission } from "../auth/permissions.js";
import { issueToken, setTokenPermission, toRecord, type TokenRecord } from "../auth/tokens.js";
import { forgetVerifiedTokens } from "../auth/verified-token-cache.js";
import { recordAdminAction } from "./admin-audit.js";
import { badInput, notFoundProblem } from "./problems.js";
import { hasRole, requireRole, type AdminActor } from "./roles.js";
import { isLive } from "../auth/credential-record.js";

const DAY_MS = 24 * 60 * 60 * 1000;
/** The longest overlap a rotation may leave the old secret working. */
export const MAX_ROTATION_OVERLAP_SECONDS = 30 * 24 * 60 * 60;

export type TokenStatus = "active" | "expired" | "revoked";

export function tokenStatus(t: TokenRecord, now: Date): TokenStatus {
  if (t.revokedAt) return "revoked";
  return isLive(t, now) ? "active" : "expired";
}

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);

/** A token as administrators see it: never its secret or hash. */
export function tokenView(t: TokenRecord, now: Date) {
  return {
    id: t.id, name: t.name, prefix: t.prefix, permissions: t.permissions, status: tokenStatus(t, now), createdBy: t.createdBy,
    createdAt: iso(t.createdAt), lastUsedAt: iso(t.lastUsedAt), expiresAt: iso(t.expiresAt), revokedAt: iso(t.revokedAt),
  };
}

export async function listTenantTokens(db: Knex, tenantId: number): Promise<TokenRecord[]> {
  return (await db("api_tokens").where({ tenant_id: tenantId }).orderBy("created_at").orderBy("id")).map(toRecord);
}

export function parsePermissions(value: unknown): Permission[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw badInput(`permissions must be an array of ${PERMISSIONS.join(", ")}`);
  for (const p of value) {
    if (typeof p !== "string" || !isPermission(p)) throw badInput(`Unknown permission ${JSON.stringify(p)}; expected ${PERMISSIONS.join(" or ")}`);
  }
  return [...new Set(value as Permission[])];
}

export function parseTokenName(value: unknown): string {
  if (typeof value !== "string" || !value.trim() || value.length > 200) throw badInput("name must be a non-blank string of at most 200 characters");
  return value.trim();
}

export function parseExpiresInDays(value: unknown): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > 36500) throw badInput("expiresInDays must be a whole number of days from 1 to 36500");
  return value;
}

export interface IssueInput { name: string; permissions: Permission[]; expiresInDays: number | null }

export async function issueTenantToken(db: Knex, actor: AdminActor, tenantId: number, input: IssueInput, now: Date): Promise<{ token: string; record: TokenRecord }> {
  requireRole(actor, "integration-admin");
  if (input.permissions.some(needsSecurityAdmin)) requireRole(actor, "security-admin");
  const conflict = permissionConflict(input.permissions);
  if (conflict) throw badInput(conflict);
  const expiresAt = input.expiresInDays === null ? null : new Date(now.getTime() + input.expiresInDays * DAY_MS);
  return db.transaction(async (trx) => {
    const issued = await issueToken(trx, { tenantId, name: input.name, permissions: input.permissions, createdBy: actor.label, expiresAt, now });
    await recordAdminAction(trx, { tenantId, at: now, actor: actor.label, action: "token.issue", target: issued.record.id, after: tokenView(issued.record, now) });
    return issued;
  });
}

/**
 * A new secret with the old one's name, permissions and expiry. The old secret stops at once, or
 * after `overlapSeconds` (its expiry is brought forward), so that a client can be switched first.
 */
export async function rotateTenantToken(db: Knex, actor: AdminActor, tenantId: number, id: string, overlapSeconds: number, now: Date): Promise<{ token: string; record: TokenRecord; old: TokenRecord }> {
  requireRole(actor, "integration-admin");
  if (!Number.isInteger(overlapSeconds) || overlapSeconds < 0 || overlapSeconds > MAX_ROTATION_OVERLAP_SECONDS) {
    throw badInput(`overlapSeconds must be a whole number from 0 to ${MAX_ROTATION_OVERLAP_SECONDS}`);
  }
  const rotated = await db.transaction(async (trx) => {
    const row = await trx("api_tokens").where({ tenant_id: tenantId, id }).forUpdate().first();
    if (!row) throw notFoundProblem(`No token ${id} in this tenant`);
    const old = toRecord(row);
    if (tokenStatus(old, now) !== "active") throw badInput(`Token ${id} is ${tokenStatus(old, now)}: only an active token can be rotated; issue a new one`);
    const issued = await issueToken(trx, { tenantId, name: old.name, permissions: old.permissions as Permission[], createdBy: actor.label, expiresAt: old.expiresAt, now });
    const stop = new Date(now.getTime() + overlapSeconds * 1000);
    const change = overlapSeconds === 0 ? { revoked_at: now } : { expires_at: old.expiresAt && new Date(old.expiresAt) < stop ? old.expiresAt : stop };
    const [updated] = await trx("api_tokens").where({ tenant_id: tenantId, id }).update(change).returning("*");
    await recordAdminAction(trx, {
      tenantId, at: now, actor: actor.label, action: "token.rotate", target: id,
      before: tokenView(old, now), after: { old: tokenView(toRecord(updated), now), new: tokenView(issued.record, now), overlapSeconds },
    });
    return { ...issued, old: toRecord(updated) };
  });
  forgetVerifiedTokens({ tokenId: id });
  return rotated;
}

export async function revokeTenantToken(db: Knex, actor: AdminActor, tenantId: number, id: string, now: Date): Promise<TokenRecord> {
  requireRole(actor, "integration-admin", "security-admin");
  const revoked = await db.transaction(async (trx) => {
    const row = await trx("api_tokens").where({ tenant_id: tenantId, id }).forUpdate().first();
    if (!row) throw notFoundProblem(`No token ${id} in this tenant`);
    const before = toRecord(row);
    if (before.revokedAt) return before;
    const [updated] = await trx("api_tokens").where({ tenant_id: tenantId, id }).update({ revoked_at: now }).returning("*");
    const after = toRecord(updated);
    await recordAdminAction(trx, { tenantId, at: now, actor: actor.label, action: "token.revoke", target: id, before: tokenView(before, now), after: tokenView(after, now) });
    return after;
  });
  forgetVerifiedTokens({ tokenId: id });
  return revoked;
}

/** Whether granting or withdrawing the permission is the security-admin's (it opens write-back or future employees). */
export function needsSecurityAdmin(permission: string): boolean {
  return permission === "users:write" || permission === "future-employees:read";
}

/** Grants or withdraws one permission (security-admin for users:write and future-employees:read); also recorded in token_permission_changes. */
export async function setTenantTokenPermission(db: Knex, actor: AdminActor, tenantId: number, id: string, permission: string, enabled: boolean, now: Date): Promise<TokenRecord> {
  if (!isPermission(permission)) throw badInput(`Unknown permission ${JSON.stringify(permission.slice(0, 50))}; expected ${PERMISSIONS.join(", ")}`);
  requireRole(actor, needsSecurityAdmin(permission) ? "security-admin" : "integration-admin");
  const after = await setTokenPermission(db, id, permission, enabled, actor.label, now, {
    tenantId,
    refuse: (next) => {
      const conflict = permissionConflict(next);
      return conflict ? badInput(conflict) : null;
    },
    audit: (trx, before, updated) => recordAdminAction(trx, {
      tenantId, at: now, actor: actor.label, action: enabled ? "token.permission.grant" : "token.permission.withdraw", target: id,
      before: { permissions: before.permissions }, after: { permissions: updated.permissions, permission },
    }),
  });
  if (!after) throw notFoundProblem(`No token ${id} in this tenant`);
  return after;
}

/** What a permission opens, as the console's confirmation says it. */
export const PERMISSION_EFFECTS: Record<Permission, string> = {
  "users:write": "lets this token change employees through PUT and PATCH /Users (write-back of identity-provider fields such as the email or the login)",
  "future-employees:read": "lets this token see employees whose contract starts in the future (their names, emails and start dates) before their first day",
  "hr:write": "makes this an HR token: it may create, change and erase employees and organisation through the HR API (/hr/v1) and CSV imports, and can no longer use /scim/v2",
};

export { hasRole };

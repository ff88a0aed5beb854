// API tokens: issued at random, shown once, stored only as a SHA-256 hash (they carry 256 bits of
// entropy, so a slow hash adds nothing). The tenant id is part of the token so that the lookup
// uses the tenant-led (tenant_id, secret_hash) index.
import crypto from "node:crypto";
import type { Knex } from "knex";
import { toTenant, type Tenant } from "../hr/tenants.js";
import type { Permission } from "./permissions.js";
import { forgetVerifiedTokens, type VerifiedTokenCache } from "./verified-token-cache.js";
import { credentialFields, isLive, usedWithin, type CredentialRecord } from "./credential-record.js";

const TOKEN_PATTERN = /^hrscim_(\d+)_([A-Za-z0-9_-]{43})$/;

export interface TokenRecord extends CredentialRecord {
  tenantId: number;
  permissions: string[];
  /** The primary's WAL position after this token's last write (kept only with a read replica). */
  lastWriteLsn: string | null;
}

export function hashSecret(token: string): string {
  return crypto.createHash("sha256").update(token, "utf8").digest("hex");
}

/** A token row as a TokenRecord (exported for the admin services, which lock rows in their own transactions). */
export function toRecord(row: Record<string, any>): TokenRecord {
  return { ...credentialFields(row), tenantId: row.tenant_id, permissions: row.permissions ?? [], lastWriteLsn: row.last_write_lsn ?? null };
}

export interface IssueTokenInput {
  tenantId: number;
  name: string;
  permissions: Permission[];
  createdBy: string;
  expiresAt?: Date | null;
  now: Date;
}

export async function issueToken(db: Knex, input: IssueTokenInput): Promise<{ token: string; record: TokenRecord }> {
  const token = `hrscim_${input.tenantId}_${crypto.randomBytes(32).toString("base64url")}`;
  const [row] = await db("api_tokens").insert({
    tenant_id: input.tenantId,
    id: crypto.randomUUID(),
    name: input.name,
    prefix: token.slice(0, `hrscim_${input.tenantId}_`.length + 6),
    secret_hash: hashSecret(token),
    permissions: [...new Set(input.permissions)],
    created_by: input.createdBy,
    created_at: input.now,
    expires_at: input.expiresAt ?? null,
  }).returning("*");
  return { token, record: toRecord(row) };
}

/** The live token for a bearer secret, or null when unknown, revoked or expired. */
export async function verifyToken(db: Knex, token: string, now: Date): Promise<TokenRecord | null> {
  return (await verifyTokenWithTenant(db, token, now))?.record ?? null;
}

/**
 * The live token for a bearer secret and its tenant, in one statement (a request's first, on every
 * request, unless `cache` verified it less than its TTL ago): null when the token is unknown,
 * revoked or expired. Only live tokens are cached; expiry is checked against `now` on every call.
 */
export async function verifyTokenWithTenant(
  db: Knex, token: string, now: Date, cache?: VerifiedTokenCache,
): Promise<{ record: TokenRecord; tenant: Tenant | null } | null> {
  const match = TOKEN_PATTERN.exec(token);
  if (!match) return null;
  const tenantId = Number(match[1]);
  if (!Number.isSafeInteger(tenantId) || tenantId > 2147483647) return null;
  const secretHash = hashSecret(token);
  const nowMs = now.getTime();
  const cached = cache?.get(secretHash, nowMs);
  if (cached) return isLive(cached.record, now) ? cached : null;
  const mark = cache?.mark() ?? 0;
  const row = await db({ t: "api_tokens" })
    .leftJoin({ n: "tenants" }, "n.id", "t.tenant_id")
    .where({ "t.tenant_id": tenantId, "t.secret_hash": secretHash })
    .first("t.*", {
      tenant_row_id: "n.id", tenant_slug: "n.slug", tenant_name: "n.name", tenant_time_zone: "n.time_zone",
      tenant_settings: "n.settings", tenant_settings_changed_at: "n.settings_changed_at",
    });
  if (!row) return null;
  const record = toRecord(row);
  if (!isLive(record, now)) return null;
  const tenant = row.tenant_row_id == null ? null : toTenant({
    id: row.tenant_row_id, slug: row.tenant_slug, name: row.tenant_name, time_zone: row.tenant_time_zone,
    settings: row.tenant_settings, settings_changed_at: row.tenant_settings_changed_at,
  });
  if (tenant) cache?.set(secretHash, { record, tenant }, nowMs, mark);
  return { record, tenant };
}

/** Best effort, at most once a minute per token, so that reads do not each write. */
export async function touchToken(db: Knex, record: TokenRecord, now: Date): Promise<void> {
  if (usedWithin(record, now, 60_000)) return;
  // The record may be a cached one (verified-token-cache.ts): the next requests see the touch.
  record.lastUsedAt = now;
  await db("api_tokens").where({ tenant_id: record.tenantId, id: record.id }).update({ last_used_at: now });
}

/** Remembers the primary's WAL position now, after a write of the token committed (read-routing.ts). */
export async function recordTokenWrite(db: Knex, tenantId: number, tokenId: string): Promise<string> {
  const [row] = await db("api_tokens").where({ tenant_id: tenantId, id: tokenId })
    .update({ last_write_lsn: db.raw("pg_current_wal_lsn()") }).returning(db.raw("last_write_lsn::text as lsn"));
  return row?.lsn;
}

export async function listTokens(db: Knex, tenantId: number): Promise<TokenRecord[]> {
  const rows = await db("api_tokens").where({ tenant_id: tenantId }).orderBy("created_at").orderBy("id");
  return rows.map(toRecord);
}

export async function findTokenById(db: Knex, id: string): Promise<TokenRecord | null> {
  const row = await db("api_tokens").where({ id }).first();
  return row ? toRecord(row) : null;
}

export async function revokeToken(db: Knex, id: string, now: Date): Promise<TokenRecord | null> {
  const [row] = await db("api_tokens").where({ id }).whereNull("revoked_at").update({ revoked_at: now }).returning("*");
  forgetVerifiedTokens({ tokenId: id });
  return row ? toRecord(row) : findTokenById(db, id);
}

/**
 * Toggles one permission and records who did it, in one transaction; `tenantId` narrows the lookup
 * (the admin API), and `audit` writes the caller's own record of it in the same transaction.
 */
export async function setTokenPermission(
  db: Knex, id: string, permission: Permission, enabled: boolean, changedBy: string, now: Date,
  options: {
    tenantId?: number;
    /** An error when the token may not hold `next` (checked under the row's lock, so that two changes cannot both pass). */
    refuse?: (next: string[]) => Error | null;
    audit?: (trx: Knex.Transaction, before: TokenRecord, after: TokenRecord) => Promise<void>;
  } = {},
): Promise<TokenRecord | null> {
  const updated = await db.transaction(async (trx) => {
    const row = await trx("api_tokens").where(options.tenantId === undefined ? { id } : { tenant_id: options.tenantId, id }).forUpdate().first();
    if (!row) return null;
    const current: string[] = row.permissions ?? [];
    const next = enabled ? [...new Set([...current, permission])] : current.filter((p) => p !== permission);
    const refusal = options.refuse?.(next);
    if (refusal) throw refusal;
    const [updated] = await trx("api_tokens").where({ tenant_id: row.tenant_id, id }).update({ permissions: next }).returning("*");
    await trx("token_permission_changes").insert({
      tenant_id: row.tenant_id, token_id: id, permission, enabled, changed_by: changedBy, changed_at: now,
    });
    await options.audit?.(trx, toRecord(row), toRecord(updated));
    return toRecord(updated);
  });
  forgetVerifiedTokens({ tokenId: id });
  return updated;
}

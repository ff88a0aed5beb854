// Admin keys: issued at random by the CLI (or at the first run for the demo tenant), shown once,
// stored only as a SHA-256 hash like API tokens (src/auth/tokens.ts: 256 bits of entropy need no
// slow hash). Each holds roles and may be limited to one tenant. Every change is in the admin audit.
import crypto from "node:crypto";
import type { Knex } from "knex";
import { credentialFields, isLive, usedWithin, type CredentialRecord } from "../auth/credential-record.js";
import { hashSecret } from "../auth/tokens.js";
import { recordAdminAction } from "./admin-audit.js";
import type { AdminActor, AdminRole } from "./roles.js";

const KEY_PATTERN = /^hrscimadm_[A-Za-z0-9_-]{43}$/;

export interface AdminKeyRecord extends CredentialRecord {
  roles: AdminRole[];
  tenantId: number | null;
}

function toRecord(row: Record<string, any>): AdminKeyRecord {
  return { ...credentialFields(row), roles: row.roles ?? [], tenantId: row.tenant_id ?? null };
}

/** What the admin audit keeps of a key (never its hash). */
export function adminKeyJson(k: AdminKeyRecord) {
  return {
    id: k.id, name: k.name, roles: k.roles, tenantId: k.tenantId, prefix: k.prefix, createdBy: k.createdBy,
    createdAt: k.createdAt.toISOString(), lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
    expiresAt: k.expiresAt?.toISOString() ?? null, revokedAt: k.revokedAt?.toISOString() ?? null,
  };
}

export interface CreateAdminKeyInput {
  name: string;
  roles: AdminRole[];
  tenantId: number | null;
  actor: string;
  now: Date;
  expiresAt?: Date | null;
}

async function insertKey(trx: Knex.Transaction, input: CreateAdminKeyInput): Promise<{ key: string; record: AdminKeyRecord }> {
  const key = `hrscimadm_${crypto.randomBytes(32).toString("base64url")}`;
  const [row] = await trx("admin_keys").insert({
    id: crypto.randomUUID(), name: input.name, roles: [...new Set(input.roles)], tenant_id: input.tenantId,
    prefix: key.slice(0, "hrscimadm_".length + 6), secret_hash: hashSecret(key), created_by: input.actor,
    created_at: input.now, expires_at: input.expiresAt ?? null,
  }).returning("*");
  return { key, record: toRecord(row) };
}

export function createAdminKey(db: Knex, input: CreateAdminKeyInput): Promise<{ key: string; record: AdminKeyRecord }> {
  return db.transaction(async (trx) => {
    const created = await insertKey(trx, input);
    await recordAdminAction(trx, { tenantId: input.tenantId, at: input.now, actor: input.actor, action: "admin-key.create", target: created.record.id, after: adminKeyJson(created.record) });
    return created;
  });
}

/** The live key for a secret, or null when unknown, revoked or expired. */
export async function verifyAdminKey(db: Knex, key: string, now: Date): Promise<AdminKeyRecord | null> {
  if (!KEY_PATTERN.test(key)) return null;
  const row = await db("admin_keys").where({ secret_hash: hashSecret(key) }).first();
  if (!row) return null;
  const record = toRecord(row);
  return isLive(record, now) ? record : null;
}


/** Best effort, at most once a minute per key. */
export async function touchAdminKey(db: Knex, k: AdminKeyRecord, now: Date): Promise<void> {
  if (usedWithin(k, now, 60_000)) return;
  await db("admin_keys").where({ id: k.id }).update({ last_used_at: now });
}

export function actorOfKey(k: AdminKeyRecord): AdminActor {
  return { keyId: k.id, label: `admin:${k.name} (${k.id})`, roles: k.roles, tenantId: k.tenantId };
}

export async function listAdminKeys(db: Knex): Promise<AdminKeyRecord[]> {
  return (await db("admin_keys").orderBy("created_at").orderBy("id")).map(toRecord);
}

export async function findAdminKey(db: Knex, id: string): Promise<AdminKeyRecord | null> {
  const row = await db("admin_keys").where({ id }).first();
  return row ? toRecord(row) : null;
}

export function revokeAdminKey(db: Knex, id: string, actor: string, now: Date): Promise<AdminKeyRecord | null> {
  return db.transaction(async (trx) => {
    const row = await trx("admin_keys").where({ id }).forUpdate().first();
    if (!row) return null;
    const before = toRecord(row);
    if (before.revokedAt) return before;
    const [updated] = await trx("admin_keys").where({ id }).update({ revoked_at: now }).returning("*");
    await trx("admin_sessions").where({ admin_key_id: id }).delete();
    const after = toRecord(updated);
    await recordAdminAction(trx, { tenantId: before.tenantId, at: now, actor, action: "admin-key.revoke", target: id, before: adminKeyJson(before), after: adminKeyJson(after) });
    return after;
  });
}

/** A new key with the same name, roles and tenant; the old one is revoked at once (with its sessions). */
export function rotateAdminKey(db: Knex, id: string, actor: string, now: Date): Promise<{ key: string; record: AdminKeyRecord } | null> {
  return db.transaction(async (trx) => {
    const row = await trx("admin_keys").where({ id }).forUpdate().first();
    if (!row) return null;
    const old = toRecord(row);
    if (old.revokedAt) return null;
    const created = await insertKey(trx, { name: old.name, roles: old.roles, tenantId: old.tenantId, actor, now, expiresAt: old.expiresAt });
    await trx("admin_keys").where({ id }).update({ revoked_at: now });
    await trx("admin_sessions").where({ admin_key_id: id }).delete();
    await recordAdminAction(trx, { tenantId: old.tenantId, at: now, actor, action: "admin-key.rotate", target: id, before: adminKeyJson(old), after: adminKeyJson(created.record) });
    return created;
  });
}

// Console sessions: signing in with an admin key makes a random session id, sent to the browser in
// an httpOnly SameSite=Strict cookie and stored only as its hash; the key itself is not kept by the
// browser. The CSRF token the console sends with each write is an HMAC of the session id under a
// key derived from the deployment's secret key, so it needs no storage and dies with the session.
import crypto from "node:crypto";
import type { Knex } from "knex";
import { hashSecret } from "../auth/tokens.js";
import { isLive } from "../auth/credential-record.js";
import { findAdminKey, type AdminKeyRecord } from "./admin-keys.js";

export const SESSION_HOURS = 12;

export interface Session { key: AdminKeyRecord; expiresAt: Date }

export async function createSession(db: Knex, key: AdminKeyRecord, now: Date): Promise<{ id: string; expiresAt: Date }> {
  const id = crypto.randomBytes(32).toString("base64url");
  const expiresAt = new Date(now.getTime() + SESSION_HOURS * 3600_000);
  await db("admin_sessions").insert({ id_hash: hashSecret(id), admin_key_id: key.id, created_at: now, expires_at: expiresAt });
  // Expired sessions of any key go when a new one starts: the table stays small without a job.
  await db("admin_sessions").where("expires_at", "<", now).delete();
  return { id, expiresAt };
}

export async function findSession(db: Knex, id: string, now: Date): Promise<Session | null> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(id)) return null;
  const row = await db("admin_sessions").where({ id_hash: hashSecret(id) }).first();
  if (!row || new Date(row.expires_at) <= now) return null;
  const key = await findAdminKey(db, row.admin_key_id);
  if (!key || !isLive(key, now)) return null;
  return { key, expiresAt: new Date(row.expires_at) };
}

export async function deleteSession(db: Knex, id: string): Promise<void> {
  await db("admin_sessions").where({ id_hash: hashSecret(id) }).delete();
}

export function csrfToken(csrfKey: Buffer, sessionId: string): string {
  return crypto.createHmac("sha256", csrfKey).update(sessionId).digest("base64url");
}

export function csrfMatches(csrfKey: Buffer, sessionId: string, given: string | undefined): boolean {
  if (!given) return false;
  const expected = Buffer.from(csrfToken(csrfKey, sessionId));
  const actual = Buffer.from(given);
  return actual.length === expected.length && crypto.timingSafeEqual(actual, expected);
}

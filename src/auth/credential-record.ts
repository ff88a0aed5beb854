// What API tokens (auth/tokens.ts) and admin keys (admin/admin-keys.ts) have in common: a secret
// shown once and stored as a hash, named, dated, possibly expiring, revocable.
export interface CredentialRecord {
  id: string;
  name: string;
  /** The first characters of the secret, shown in lists to tell credentials apart. */
  prefix: string;
  createdBy: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
}

/** Neither revoked nor expired at `now`. */
export function isLive(credential: Pick<CredentialRecord, "revokedAt" | "expiresAt">, now: Date): boolean {
  return !credential.revokedAt && !(credential.expiresAt && credential.expiresAt <= now);
}

const dateOrNull = (value: unknown): Date | null => (value ? new Date(value as string | Date) : null);

/** The common columns of an `api_tokens` or `admin_keys` row. */
export function credentialFields(row: Record<string, any>): CredentialRecord {
  return {
    id: row.id, name: row.name, prefix: row.prefix, createdBy: row.created_by, createdAt: new Date(row.created_at),
    lastUsedAt: dateOrNull(row.last_used_at), expiresAt: dateOrNull(row.expires_at), revokedAt: dateOrNull(row.revoked_at),
  };
}

/** Whether the credential was last used less than `ms` before `now` (its last use is stamped at most that often). */
export function usedWithin(record: Pick<CredentialRecord, "lastUsedAt">, now: Date, ms: number): boolean {
  return record.lastUsedAt !== null && now.getTime() - record.lastUsedAt.getTime() < ms;
}

// READ_DATABASE_URL: SCIM reads go to a streaming replica, unless that would show a token less than
// it has seen. After each write a token makes, the primary's WAL position is stored on the token
// (api_tokens.last_write_lsn, read with the token on every request, so every process knows it); the
// token's reads go to the primary until the replica has replayed past that position. A process also
// remembers, per token, the position its last read was served at, so that a token's reads through it
// never go back in time when the replica lags (across processes only the token's own writes are
// ordered so). A read the replica cannot serve (it needs a write: the stored lifecycle was stale)
// runs again on the primary.
import type { Knex } from "knex";

/** A WAL position ("16/B374D848") as a number; null for none. */
export function parseLsn(text: string | null | undefined): bigint | null {
  if (!text) return null;
  const match = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/.exec(text.trim());
  if (!match) return null;
  return (BigInt(`0x${match[1]}`) << 32n) + BigInt(`0x${match[2]}`);
}

/**
 * Where a token's read goes: the replica when it has replayed at least up to every position the
 * token must see (its last write, and what its last read showed), else the primary. An unknown
 * replica position (it cannot be asked, or it is not replaying) sends reads that need any position
 * to the primary.
 */
export function chooseReader(input: { mustSee: (bigint | null)[]; replicaReplayed: bigint | null }): "replica" | "primary" {
  const needed = input.mustSee.reduce<bigint | null>((max, lsn) => (lsn !== null && (max === null || lsn > max) ? lsn : max), null);
  if (needed === null) return "replica";
  if (input.replicaReplayed === null) return "primary";
  return input.replicaReplayed >= needed ? "replica" : "primary";
}

/** SQLSTATE of a write attempted on a replica (read-only transaction). */
const READ_ONLY_TRANSACTION = "25006";

/** Tokens whose last served position this process remembers at most (the oldest are forgotten). */
const REMEMBERED_TOKENS = 10_000;

export interface TokenReadState {
  tokenId: string;
  /** api_tokens.last_write_lsn, as read with the token (a RequestContext is one). */
  lastWriteLsn?: string | null;
}

export class ReadRouting {
  /** The highest replay position seen on the replica (it only moves forward). */
  private replicaReplayed: bigint | null = null;
  private readonly servedAt = new Map<string, bigint>();

  constructor(readonly primary: Knex, readonly replica?: Knex) {}

  get hasReplica(): boolean {
    return this.replica !== undefined;
  }

  /** Runs `read` on the store the token may read from now (see chooseReader). */
  async read<T>(token: TokenReadState, read: (db: Knex) => Promise<T>): Promise<T> {
    if (!this.replica) return read(this.primary);
    const mustSee = [parseLsn(token.lastWriteLsn), this.servedAt.get(token.tokenId) ?? null];
    let target = chooseReader({ mustSee, replicaReplayed: this.replicaReplayed });
    if (target === "primary") {
      await this.refreshReplicaPosition();
      target = chooseReader({ mustSee, replicaReplayed: this.replicaReplayed });
    }
    if (target === "replica") {
      const at = this.replicaReplayed;
      try {
        const result = await read(this.replica);
        if (at !== null) this.remember(token.tokenId, at);
        return result;
      } catch (error) {
        if ((error as { code?: unknown } | null)?.code !== READ_ONLY_TRANSACTION) throw error;
      }
    }
    // On the primary: what this read shows is at least its current position.
    // Taken after the read: at or past every commit the read could see.
    const result = await read(this.primary);
    const position = await this.primaryPosition();
    if (position !== null) this.remember(token.tokenId, position);
    return result;
  }

  /** After a token's write committed: stores the primary's position on the token (with a replica only). */
  async recordWrite(tenantId: number, tokenId: string, write: (db: Knex, tenantId: number, tokenId: string) => Promise<string>): Promise<void> {
    if (!this.replica) return;
    const lsn = parseLsn(await write(this.primary, tenantId, tokenId));
    if (lsn !== null) this.remember(tokenId, lsn);
  }

  private remember(tokenId: string, lsn: bigint): void {
    const known = this.servedAt.get(tokenId);
    if (known !== undefined && known >= lsn) return;
    this.servedAt.delete(tokenId);
    this.servedAt.set(tokenId, lsn);
    if (this.servedAt.size > REMEMBERED_TOKENS) this.servedAt.delete(this.servedAt.keys().next().value!);
  }

  private async refreshReplicaPosition(): Promise<void> {
    try {
      const result = await this.replica!.raw("select pg_last_wal_replay_lsn()::text as lsn");
      const lsn = parseLsn(result.rows[0]?.lsn);
      if (lsn !== null && (this.replicaReplayed === null || lsn > this.replicaReplayed)) this.replicaReplayed = lsn;
    } catch {
      // Unreachable replica: the read goes to the primary.
    }
  }

  private async primaryPosition(): Promise<bigint | null> {
    try {
      const result = await this.primary.raw("select pg_current_wal_lsn()::text as lsn");
      return parseLsn(result.rows[0]?.lsn);
    } catch {
      return null;
    }
  }
}

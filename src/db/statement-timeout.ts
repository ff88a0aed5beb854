// Per-transaction statement bounds. Every PostgreSQL connection starts with the server's bound
// (DatabaseLimits.statementTimeoutMs, 10 s by default); work that legitimately runs longer, such as
// an HR import, a batch or a migration, raises it for its own transaction only.
import type { Knex } from "knex";

/**
 * The bound of writes that rewrite a whole tenant or file in one transaction: an HR import, or a
 * settings change that every employee's stored state follows (about 12 s at 200,000 employees).
 */
export const BULK_WRITE_STATEMENT_TIMEOUT_MS = 300_000;

/**
 * Sets statement_timeout for the rest of the transaction `trx` (`set local`: it ends with the
 * transaction, so the pooled connection goes back with the server's bound). `ms` 0 removes the
 * bound. PGlite accepts it but enforces no statement timeout.
 */
export async function withStatementTimeout(trx: Knex.Transaction, ms: number): Promise<void> {
  if (!Number.isInteger(ms) || ms < 0) throw new Error(`statement timeout must be a whole number of milliseconds, got ${ms}`);
  await trx.raw("select set_config('statement_timeout', ?, true)", [String(ms)]);
}

// One HR write transaction: who writes (recorded by the change feed's triggers), at which instant
// (the writer's clock: rows' updated_at and the changes' time), and the tenant's change counter
// taken first, so that the triggers and the rows are always locked in the same order (the counter
// serialises the tenant's HR writers until commit: see migration 20261202_002).
import type { Knex } from "knex";

export interface HrWriter {
  tenantId: number;
  /** token:<id>, cli:<operator>, seed, ... */
  actor: string;
  now: Date;
}

/** Marks `trx` as the writer's: actor, clock and the tenant's feed lock. */
export async function beginHrWrite(trx: Knex.Transaction, writer: HrWriter): Promise<void> {
  await trx.raw("select set_config('hr.actor', ?, true), set_config('hr.now', ?, true)", [writer.actor, writer.now.toISOString()]);
  await trx.raw("select hr_feed_lock(?::integer)", [writer.tenantId]);
}

/** Runs `work` in one transaction marked as the writer's. */
export function hrTransaction<T>(db: Knex, writer: HrWriter, work: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
  return db.transaction(async (trx) => {
    await beginHrWrite(trx, writer);
    return work(trx);
  });
}

/** Rows in chunks, so that a statement's bindings stay far below PostgreSQL's 65,535. */
export function chunked<T>(rows: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

export type WriteStatus = "created" | "updated" | "unchanged";

// Deletes of many old rows go in bounded batches, each its own statement, so that a first purge of
// a large table neither runs past the statement bound nor holds one long transaction.

export const DELETE_BATCH_ROWS = 5000;

/**
 * Calls `deleteBatch(limit)` until it deletes fewer than `limit` rows; returns how many it deleted
 * in all. `deleteBatch` deletes at most `limit` rows and returns how many.
 */
export async function deleteInBatches(deleteBatch: (limit: number) => Promise<number>, limit = DELETE_BATCH_ROWS): Promise<number> {
  let total = 0;
  for (;;) {
    const deleted = await deleteBatch(limit);
    total += deleted;
    if (deleted < limit) return total;
  }
}

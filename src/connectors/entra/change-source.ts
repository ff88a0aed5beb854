// Where the connector learns which employees changed: the one place that knows. Today it is the
// people query's `last_modified` (meta.lastModified: row changes and lifecycle transitions) above an
// acknowledged watermark, stored as the connection's change cursor (an ISO instant). When the HR
// change feed lands, this module reads the feed instead and the cursor becomes a feed position;
// nothing else changes.
//
// The watermark a run acknowledges is its planning instant minus a margin, so that an HR
// transaction that committed just after planning, with an earlier timestamp, is still seen by the
// next run; employees seen twice are skipped by their payload hash.
import type { SqlFragment } from "../../db/sql-fragment.js";

const MARGIN_MS = 5_000;

export interface ChangeWindow {
  /** SQL boolean over the people query `u`: changed after the cursor. */
  condition: SqlFragment;
}

/** The changes after `cursor` (null: everything, as for a first run). */
export function changesAfter(cursor: string | null): ChangeWindow {
  if (cursor === null) return { condition: { sql: "true", bindings: [] } };
  return { condition: { sql: "u.last_modified > ?::timestamptz", bindings: [cursor] } };
}

/** The cursor a run planned at `plannedAt` acknowledges once all it planned is sent. */
export function cursorAt(plannedAt: Date): string {
  return new Date(plannedAt.getTime() - MARGIN_MS).toISOString();
}

/** SQL aggregate columns over `u` within a window: when the pending changes happened (debounce). */
export const CHANGE_TIMES = { oldest: "min(u.last_modified)", newest: "max(u.last_modified)" };

// The one rule of who a token may see (product.md section 2): employees whose employment has
// started (current and former), and future employees only with future-employees:read.
// Users, group members and member counts all go through it.

import type { SqlFragment } from "../db/sql-fragment";

export interface VisibilityParams {
  seesFutureEmployees: boolean;
}

/** SQL boolean over the contract summary `lc` (hr/lifecycle contractSummaryJoin). */
export function visibleEmployeeCondition(v: VisibilityParams): SqlFragment {
  return {
    sql: `(coalesce(lc.started, false) or (?::boolean and coalesce(lc.upcoming, false)))`,
    bindings: [v.seesFutureEmployees],
  };
}

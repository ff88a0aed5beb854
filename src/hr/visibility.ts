// The one rule of who a token may see (docs/BEHAVIOUR.md section 2): employees whose employment has
// started (current and former), and future employees only with future-employees:read.
// Users, group members and member counts all go through it.

import type { SqlFragment } from "../db/sql-fragment.js";

export interface VisibilityParams {
  seesFutureEmployees: boolean;
}

/**
 * SQL boolean over an employee alias: a contract has started, or (with the permission) any contract
 * exists, i.e. an upcoming one. The SQL twin of hasStarted || (sees && isFutureEmployee).
 */
export function visibleEmployeeCondition(v: VisibilityParams, today: string, employee = "e"): SqlFragment {
  return {
    sql: `exists (select 1 from contracts c where c.tenant_id = ${employee}.tenant_id and c.employee_id = ${employee}.id and (c.start_date <= ?::date or ?::boolean))`,
    bindings: [today, v.seesFutureEmployees],
  };
}

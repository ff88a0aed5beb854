// The one rule of who a token may see (docs/BEHAVIOUR.md section 2): employees whose employment has
// started (current and former), and future employees only with future-employees:read.
// Users, group members and member counts all go through it.

import type { SqlFragment } from "../db/sql-fragment.js";

export interface VisibilityParams {
  seesFutureEmployees: boolean;
}

/**
 * SQL boolean over an employee alias: a contract has started, or (with the permission) any contract
 * exists, i.e. an upcoming one. The SQL twin of hasStarted || (sees && isFutureEmployee), as one
 * indexed comparison on the stored first start (employees.visible_from, migration 005): with the
 * permission the date compared is 'infinity', so both tokens share one statement shape. An employee
 * without any contract (visible_from null) is visible to no token.
 */
export function visibleEmployeeCondition(v: VisibilityParams, today: string, employee = "e"): SqlFragment {
  return { sql: `(${employee}.visible_from <= ?::date) is true`, bindings: [visibleUntil(v, today)] };
}

/** The last first-contract date the token sees: today, or 'infinity' with future-employees:read. */
export function visibleUntil(v: VisibilityParams, today: string): string {
  return v.seesFutureEmployees ? "infinity" : today;
}

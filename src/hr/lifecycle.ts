// Lifecycle (docs/BEHAVIOUR.md section 2): who is active, who is future, when the last and the next
// transition happen. The pure functions are the reference: the stored lifecycle (migration 005,
// hr/lifecycle-state.ts) that lists filter and sort on is held to them by a property test. The SQL
// expressions state the same rules over the contracts table, tested against the pure twins. All
// "today" computations use the tenant's time zone.
import { DateTime } from "luxon";
import type { SqlFragment } from "../db/sql-fragment.js";

export interface Contract { start: string; end: string | null } // ISO calendar dates, local to the tenant

/** Per zone, the last local date computed and the instants [from, to) it spans: most calls fall in it. */
const lastLocalDay = new Map<string, { from: number; to: number; date: string }>();

/** The tenant-local calendar date (YYYY-MM-DD) of an instant. */
export function localDate(at: Date, timeZone: string): string {
  const ms = at.getTime();
  const known = lastLocalDay.get(timeZone);
  if (known && ms >= known.from && ms < known.to) return known.date;
  const local = DateTime.fromJSDate(at, { zone: timeZone });
  const date = local.toISODate()!;
  const from = local.startOf("day").toMillis();
  const to = local.startOf("day").plus({ days: 1 }).toMillis();
  // Kept only when the span checks out at both ends (a zone whose midnight falls in a DST gap included).
  const dateAt = (instant: number) => DateTime.fromMillis(instant, { zone: timeZone }).toISODate();
  if (from <= ms && ms < to && dateAt(from) === date && dateAt(to - 1) === date) {
    if (lastLocalDay.size >= 1_000) lastLocalDay.clear();
    lastLocalDay.set(timeZone, { from, to, date });
  }
  return date;
}

/** The instant of local midnight starting a calendar date in a zone (DST-aware). */
export function localMidnight(date: string, timeZone: string): Date {
  return DateTime.fromISO(date, { zone: timeZone }).startOf("day").toJSDate();
}

function nextDay(date: string): string {
  return DateTime.fromISO(date, { zone: "UTC" }).plus({ days: 1 }).toISODate()!;
}

export function coversDate(c: Contract, today: string): boolean {
  return c.start <= today && (c.end === null || today <= c.end);
}

export function hasStarted(contracts: Contract[], today: string): boolean {
  return contracts.some((c) => c.start <= today);
}

/** No contract has started yet, one starts later. */
export function isFutureEmployee(contracts: Contract[], today: string): boolean {
  return !hasStarted(contracts, today) && contracts.some((c) => c.start > today);
}

export function isActive(contracts: Contract[], today: string, futureEmployeesActive = false): boolean {
  return contracts.some((c) => coversDate(c, today)) || (futureEmployeesActive && isFutureEmployee(contracts, today));
}

/** The latest transition already passed: a start's 00:00 or an end's next 00:00, local time. */
export function lastTransition(contracts: Contract[], today: string, timeZone: string): Date | null {
  let latest: string | null = null;
  for (const c of contracts) {
    const candidate = c.end !== null && c.end < today ? nextDay(c.end) : c.start <= today ? c.start : null;
    if (candidate && (latest === null || candidate > latest)) latest = candidate;
  }
  return latest ? localMidnight(latest, timeZone) : null;
}

/** The next transition not yet reached: the earliest start or end's next day after today, at 00:00 local time. */
export function nextTransition(contracts: Contract[], today: string, timeZone: string): Date | null {
  let earliest: string | null = null;
  for (const c of contracts) {
    const candidate = c.start > today ? c.start : c.end !== null && c.end >= today ? nextDay(c.end) : null;
    if (candidate && (earliest === null || candidate < earliest)) earliest = candidate;
  }
  return earliest ? localMidnight(earliest, timeZone) : null;
}

/**
 * The contract a User shows (dtContractStart, dtContractEnd): the one covering today (the latest
 * start first), else the next upcoming one, else the latest past one; between two of the same start,
 * the later end (an open end last of all).
 */
export function shownContract(contracts: Contract[], today: string): Contract | null {
  const rank = (c: Contract) => (coversDate(c, today) ? 0 : c.start > today ? 1 : 2);
  const endKey = (c: Contract) => c.end ?? "9999-99-99";
  const sorted = [...contracts].sort((a, b) =>
    rank(a) - rank(b)
    || (rank(a) === 1 ? a.start.localeCompare(b.start) : b.start.localeCompare(a.start))
    || endKey(b).localeCompare(endKey(a)));
  return sorted[0] ?? null;
}

export function lastModified(updatedAt: Date, contracts: Contract[], today: string, timeZone: string): Date {
  const transition = lastTransition(contracts, today, timeZone);
  return transition && transition > updatedAt ? transition : updatedAt;
}

/** Parameters the lifecycle SQL needs, computed once per request. */
export interface LifecycleParams {
  today: string;
  timeZone: string;
  futureEmployeesActive: boolean;
  /** ISO instant of the tenant's last settings change (Tenant.settingsChangedAt), if any: part of every lastModified. */
  settingsChangedAt?: string | null;
}

// The SQL twins are scalar subqueries over the employee alias (not lateral joins): a query that does
// not reference a lifecycle column does not compute it, and a count or a page of ids stays cheap.
function contractsOf(employee: string): string {
  return `from contracts c where c.tenant_id = ${employee}.tenant_id and c.employee_id = ${employee}.id`;
}

/** SQL boolean: some contract covers today (twin of coversDate). */
export function coveringExpression(p: LifecycleParams, employee = "e"): SqlFragment {
  return {
    sql: `exists (select 1 ${contractsOf(employee)} and c.start_date <= ?::date and (c.end_date is null or c.end_date >= ?::date))`,
    bindings: [p.today, p.today],
  };
}

/** SQL boolean: some contract has started (twin of hasStarted). */
export function startedExpression(p: LifecycleParams, employee = "e"): SqlFragment {
  return { sql: `exists (select 1 ${contractsOf(employee)} and c.start_date <= ?::date)`, bindings: [p.today] };
}

/** SQL boolean: the employee is active (twin of isActive). */
export function activeExpression(p: LifecycleParams, employee = "e"): SqlFragment {
  const covering = coveringExpression(p, employee);
  if (!p.futureEmployeesActive) return covering;
  const started = startedExpression(p, employee);
  return {
    sql: `(${covering.sql} or (not ${started.sql} and exists (select 1 ${contractsOf(employee)} and c.start_date > ?::date)))`,
    bindings: [...covering.bindings, ...started.bindings, p.today],
  };
}

/** SQL timestamptz or null: the last transition already passed (twin of lastTransition). */
export function lastTransitionExpression(p: LifecycleParams, employee = "e"): SqlFragment {
  return {
    sql: `((select max(case when c.end_date < ?::date then c.end_date + 1
                           when c.start_date <= ?::date then c.start_date end) ${contractsOf(employee)})::timestamp at time zone ?)`,
    bindings: [p.today, p.today, p.timeZone],
  };
}

/** SQL timestamptz: the later of the row changes and the last transition (twin of lastModified). */
export function lastModifiedExpression(p: LifecycleParams, rowTimestamps: string[], employee = "e"): SqlFragment {
  const transition = lastTransitionExpression(p, employee);
  const settings = settingsChangedExpression(p);
  return { sql: `greatest(${rowTimestamps.join(", ")}, ${transition.sql}${settings.sql})`, bindings: [...transition.bindings, ...settings.bindings] };
}

/** `, ?::timestamptz` for the tenant's settings change (to append to a greatest(...)), or nothing. */
export function settingsChangedExpression(p: LifecycleParams): SqlFragment {
  return p.settingsChangedAt ? { sql: ", ?::timestamptz", bindings: [p.settingsChangedAt] } : { sql: "", bindings: [] };
}

/**
 * SQL text (YYYY-MM-DD) of the start or end of the contract shown as dtContractStart/dtContractEnd:
 * the one covering today, else the next upcoming one, else the latest past one.
 */
export function currentContractDateExpression(p: LifecycleParams, which: "start" | "end", employee = "e"): SqlFragment {
  return {
    sql: `(select to_char(c.${which}_date, 'YYYY-MM-DD') ${contractsOf(employee)}
            order by case when c.start_date <= ?::date and (c.end_date is null or c.end_date >= ?::date) then 0
                          when c.start_date > ?::date then 1 else 2 end,
                     case when c.start_date > ?::date then c.start_date end asc,
                     c.start_date desc
            limit 1)`,
    bindings: [p.today, p.today, p.today, p.today],
  };
}

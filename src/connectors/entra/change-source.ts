// Where the connector learns which employees changed: the one place that knows. It follows the HR
// change feed (hr/changes.ts, migration 20261202_002): a run acknowledges the feed position it read
// before planning, and the next change run sends the employees whose payload a later change can
// have moved. Every position read is final (a tenant's HR writers commit in the order of their
// numbers), so no change that commits late can fall behind an acknowledged cursor.
//
// A change moves the payload of:
// - an employee (its row or its contracts): that employee, and its direct reports (their manager's
//   employee number);
// - a department or an establishment: its employees; a legal unit: its establishments' employees.
// A change of the tenant's settings (the property mapping decides the payload) moves everyone;
// employees whose payload did not move are skipped by their hash, so a wide window costs reads,
// not calls.
//
// The cursor is `feed:<seq>:<settings stamp>`. A cursor stored before the feed existed is an ISO
// instant (meta.lastModified watermark): it is read once the old way, and the run acknowledges a
// feed position.
import type { Knex } from "knex";
import type { SqlFragment } from "../../db/sql-fragment.js";
import type { Tenant } from "../../hr/tenants.js";

const FEED = /^feed:(\d+):(.*)$/;
const LEGACY_MARGIN_MS = 5_000;

interface FeedCursor { seq: string; settingsAt: string }

function parse(cursor: string): FeedCursor | null {
  const m = FEED.exec(cursor);
  return m ? { seq: m[1], settingsAt: m[2] } : null;
}

const settingsStamp = (tenant: Tenant): string => tenant.settingsChangedAt?.toISOString() ?? "";

function settingsMoved(tenant: Tenant, since: FeedCursor): boolean {
  const stamp = settingsStamp(tenant);
  return stamp !== "" && stamp !== since.settingsAt;
}

/** The cursor of everything committed so far: taken before a run plans, acknowledged when it ends. */
export async function currentCursor(db: Knex, tenant: Tenant): Promise<string> {
  const row = await db("hr_change_counters").where("tenant_id", tenant.id).first("last_seq");
  return `feed:${row ? String(row.last_seq) : "0"}:${settingsStamp(tenant)}`;
}

/** SQL boolean over the people query `u`: its payload may have moved after `cursor` (null: everyone). */
export function changedSince(tenant: Tenant, cursor: string | null): SqlFragment {
  if (cursor === null) return { sql: "true", bindings: [] };
  const since = parse(cursor);
  if (!since) {
    return { sql: "u.last_modified > ?::timestamptz", bindings: [new Date(new Date(cursor).getTime() - LEGACY_MARGIN_MS).toISOString()] };
  }
  if (settingsMoved(tenant, since)) return { sql: "true", bindings: [] };
  // The changed records, read once from the feed's range; each branch joins its kind of record.
  const of = (entity: string) => `where ch.entity = '${entity}'`;
  /** The employees whose `column` is the id of the changed organisation unit of `table`. */
  const membersOf = (entity: string, table: string, column: string) => `select e.id from ch
       join ${table} o on o.tenant_id = ch.tenant_id and o.key = ch.key
       join employees e on e.tenant_id = o.tenant_id and e.${column} = o.id ${of(entity)}`;
  const affected = [
    `select e.id from ch
       join employees e on e.tenant_id = ch.tenant_id and e.employee_number = ch.key ${of("employee")}`,
    `select r.id from ch
       join employees m on m.tenant_id = ch.tenant_id and m.employee_number = ch.key
       join employees r on r.tenant_id = m.tenant_id and r.manager_id = m.id ${of("employee")}`,
    membersOf("department", "departments", "department_id"),
    membersOf("establishment", "establishments", "establishment_id"),
    `select e.id from ch
       join legal_units l on l.tenant_id = ch.tenant_id and l.key = ch.key
       join establishments s on s.tenant_id = l.tenant_id and s.legal_unit_id = l.id
       join employees e on e.tenant_id = s.tenant_id and e.establishment_id = s.id ${of("legalUnit")}`,
  ];
  return {
    sql: `u.id in (with ch as (select distinct tenant_id, entity, key from hr_changes where tenant_id = ? and seq > ?)
      ${affected.join(" union ")})`,
    bindings: [tenant.id, since.seq],
  };
}

export interface PendingChanges { count: number; oldest: Date | null; newest: Date | null }

/**
 * The feed's changes after `cursor` (counted over the feed alone, so that the check every few
 * seconds stays an index range scan): how many, and when the oldest and newest were made (the
 * debounce). Changes of employees out of scope count too: their run sends nothing and is not logged.
 */
export async function pendingChanges(db: Knex, tenant: Tenant, cursor: string): Promise<PendingChanges | "legacy"> {
  const since = parse(cursor);
  if (!since) return "legacy";
  const row = await db("hr_changes").where("tenant_id", tenant.id).andWhere("seq", ">", since.seq)
    .first(db.raw("count(*)::integer as n"), db.raw("min(at) as oldest"), db.raw("max(at) as newest"));
  const times = row?.n ? [new Date(row.oldest), new Date(row.newest)] : [];
  const moved = settingsMoved(tenant, since);
  if (moved) times.push(tenant.settingsChangedAt!);
  if (times.length === 0) return { count: 0, oldest: null, newest: null };
  const ms = times.map((t) => t.getTime());
  return { count: (row?.n ?? 0) + (moved ? 1 : 0), oldest: new Date(Math.min(...ms)), newest: new Date(Math.max(...ms)) };
}

/** SQL aggregate columns over `u` for a legacy (lastModified) cursor: the debounce's times. */
export const LEGACY_CHANGE_TIMES = { oldest: "min(u.last_modified)", newest: "max(u.last_modified)" };

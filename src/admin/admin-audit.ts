// The admin audit: one row per admin action (who, when, what, the state before and after), written
// in the transaction of the action itself, so that an action without its row does not happen.
import type { Knex } from "knex";
import { badInput } from "./problems.js";

export interface AdminAuditEntry {
  tenantId: number | null;
  at: Date;
  actor: string;
  action: string;
  target?: string | null;
  before?: unknown;
  after?: unknown;
}

export interface AdminAuditRecord extends Required<AdminAuditEntry> { id: string }

export async function recordAdminAction(db: Knex | Knex.Transaction, entry: AdminAuditEntry): Promise<void> {
  await db("admin_audit").insert({
    tenant_id: entry.tenantId, at: entry.at, actor: entry.actor, action: entry.action, target: entry.target ?? null,
    before: entry.before === undefined ? null : JSON.stringify(entry.before),
    after: entry.after === undefined ? null : JSON.stringify(entry.after),
  });
}

export interface AuditQuery {
  /** The tenant's rows; null with `global` for rows about no tenant (admin keys). */
  tenantId: number | null;
  from?: Date;
  to?: Date;
  limit: number;
  /** The id of the last row of the previous page (rows come newest first). */
  after?: string;
}

export async function listAdminAudit(db: Knex, q: AuditQuery): Promise<{ rows: AdminAuditRecord[]; next: string | null }> {
  if (q.after !== undefined && !/^\d{1,18}$/.test(q.after)) throw badInput("cursor must be the next value of a previous page");
  let query = db("admin_audit");
  query = q.tenantId === null ? query.whereNull("tenant_id") : query.where({ tenant_id: q.tenantId });
  if (q.from) query = query.where("at", ">=", q.from);
  if (q.to) query = query.where("at", "<", q.to);
  if (q.after) query = query.where("id", "<", q.after);
  const rows = await query.orderBy("id", "desc").limit(q.limit + 1);
  const page = rows.slice(0, q.limit).map((r: Record<string, any>) => ({
    id: String(r.id), tenantId: r.tenant_id, at: new Date(r.at), actor: r.actor, action: r.action, target: r.target, before: r.before, after: r.after,
  }));
  return { rows: page, next: rows.length > q.limit ? page[page.length - 1].id : null };
}

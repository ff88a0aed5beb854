// The integration log of the Entra pushes: runs, the employees each run planned (its items), and
// every HTTP call to bulkUpload with Graph's answer. A batch's items become `sent` in the same
// transaction that stores the accepted call and what Entra now has of each employee: nothing counts
// as sent until Graph answered 202, and nothing acknowledged is sent again by a resumed run.
import crypto from "node:crypto";
import type { Knex } from "knex";
import { toCount } from "../../db/database.js";
import { toFragment } from "../../db/sql-fragment.js";
import { dateText } from "./connection-store.js";
import type { AttemptReport } from "./graph-client.js";

export type RunKind = "full" | "changes" | "midnight";
export type RunStatus = "running" | "waiting" | "failed" | "succeeded" | "cancelled";

export interface RunRecord {
  id: string;
  tenantId: number;
  kind: RunKind;
  trigger: string;
  status: RunStatus;
  startedAt: Date;
  finishedAt: Date | null;
  resumeAfter: Date | null;
  planned: number;
  sent: number;
  unchanged: number;
  requests: number;
  failed: number;
  retried: number;
  cursorTarget: string | null;
  lifecycleTarget: string | null;
  error: string | null;
  notes: string[];
}

function toRun(row: Record<string, any>): RunRecord {
  return {
    id: row.id, tenantId: row.tenant_id, kind: row.kind, trigger: row.trigger, status: row.status,
    startedAt: new Date(row.started_at), finishedAt: row.finished_at ? new Date(row.finished_at) : null,
    resumeAfter: row.resume_after ? new Date(row.resume_after) : null,
    planned: row.planned, sent: row.sent, unchanged: row.unchanged, requests: row.requests, failed: row.failed, retried: row.retried,
    cursorTarget: row.cursor_target ?? null, lifecycleTarget: dateText(row.lifecycle_target), error: row.error ?? null,
    notes: Array.isArray(row.notes) ? row.notes : typeof row.notes === "string" ? JSON.parse(row.notes) : [],
  };
}

export async function findRun(db: Knex, tenantId: number, runId: string): Promise<RunRecord | null> {
  const row = await db("entra_runs").where({ tenant_id: tenantId, id: runId }).first();
  return row ? toRun(row) : null;
}

/** The tenant's run that has not finished (running, waiting for budget, or failed and to retry). */
export async function openRun(db: Knex, tenantId: number): Promise<RunRecord | null> {
  const row = await db("entra_runs").where({ tenant_id: tenantId }).whereIn("status", ["running", "waiting", "failed"])
    .orderBy("started_at").first();
  return row ? toRun(row) : null;
}

export async function recentRuns(db: Knex, tenantId: number, limit: number): Promise<RunRecord[]> {
  return (await db("entra_runs").where({ tenant_id: tenantId }).orderBy("started_at", "desc").orderBy("id", "desc").limit(limit)).map(toRun);
}

export interface NewRun {
  tenantId: number;
  kind: RunKind;
  trigger: string;
  now: Date;
  cursorTarget: string | null;
  lifecycleTarget: string | null;
  /** The employees to send, as a query selecting `u.id` (never loaded into memory). */
  employees: Knex.QueryBuilder;
}

/** Creates a run and its items (one per employee, in employee id order) in one transaction. */
export async function planRun(db: Knex, input: NewRun): Promise<RunRecord> {
  const id = crypto.randomUUID();
  const ids = toFragment(input.employees);
  return db.transaction(async (trx) => {
    await trx("entra_runs").insert({
      tenant_id: input.tenantId, id, kind: input.kind, trigger: input.trigger, status: "running", started_at: input.now,
      cursor_target: input.cursorTarget, lifecycle_target: input.lifecycleTarget,
    });
    await trx.raw(
      `insert into entra_run_items (tenant_id, run_id, seq, employee_id, state)
       select ?, ?, row_number() over (order by x.id), x.id, 'pending' from (${ids.sql}) x`,
      [input.tenantId, id, ...ids.bindings],
    );
    const counted = await trx("entra_run_items").where({ tenant_id: input.tenantId, run_id: id }).count({ n: "*" }).first();
    const [row] = await trx("entra_runs").where({ tenant_id: input.tenantId, id }).update({ planned: toCount(counted?.n) }).returning("*");
    return toRun(row);
  });
}

export interface PendingItem { seq: number; employeeId: number }

export async function pendingItems(db: Knex, tenantId: number, runId: string, afterSeq: number, limit: number): Promise<PendingItem[]> {
  const rows = await db("entra_run_items").where({ tenant_id: tenantId, run_id: runId, state: "pending" }).andWhere("seq", ">", afterSeq)
    .orderBy("seq").limit(limit).select("seq", "employee_id");
  return rows.map((r: { seq: number; employee_id: number }) => ({ seq: r.seq, employeeId: r.employee_id }));
}

export async function pendingCount(db: Knex, tenantId: number, runId: string): Promise<number> {
  const row = await db("entra_run_items").where({ tenant_id: tenantId, run_id: runId, state: "pending" }).count({ n: "*" }).first();
  return toCount(row?.n);
}

/** Items that need no call: employees gone from the store, or whose data Entra already has. */
export async function settleItems(db: Knex, tenantId: number, runId: string, seqs: number[], state: "gone" | "unchanged"): Promise<void> {
  if (seqs.length === 0) return;
  await db.transaction(async (trx) => {
    await trx("entra_run_items").where({ tenant_id: tenantId, run_id: runId, state: "pending" }).whereIn("seq", seqs).update({ state });
    if (state === "unchanged") await trx("entra_runs").where({ tenant_id: tenantId, id: runId }).increment("unchanged", seqs.length);
  });
}

export interface BatchMember { seq: number; employeeId: number; externalId: string; hash: string; active: boolean }

/**
 * Stores one HTTP call to bulkUpload; for an accepted one, its batch becomes sent and Entra's view
 * of each employee is updated, atomically: one statement (one round trip, one commit per call).
 * Its commit does not wait for the WAL flush (synchronous_commit off for that statement's
 * transaction only): should the database server itself crash within that fraction of a second,
 * the record is lost and the batch is sent again, which Entra takes as the same upsert. Nothing is
 * ever lost, and a batch is never marked sent before Graph's 202.
 */
export async function recordAttempt(
  db: Knex, tenantId: number, runId: string, batch: number, members: BatchMember[], report: AttemptReport,
): Promise<void> {
  const request = [
    tenantId, runId, batch, report.attempt, report.at, report.httpStatus, report.outcome, members.length,
    members.map((m) => m.externalId), report.durationMs, report.retryAfterMs, report.clientRequestId,
    report.graphRequestId?.slice(0, 200) ?? null, report.location?.slice(0, 2000) ?? null, report.error?.slice(0, 2000) ?? null,
  ];
  // set_config(..., true) inside the statement: local to its own (implicit) transaction.
  const insertRequest = `insert into entra_requests (tenant_id, run_id, batch, attempt, at, http_status, outcome, users, employee_numbers,
      duration_ms, retry_after_ms, client_request_id, graph_request_id, location, error)
    select ?, ?, ?, ?, ?, ?, ?, ?, ?::text[], ?, ?, ?, ?, ?, ? from (select set_config('synchronous_commit', 'off', true)) as no_flush_wait
    returning id`;
  const accepted = report.outcome === "accepted";
  const countRun = `update entra_runs set requests = requests + 1, retried = retried + ?, sent = sent + ? where tenant_id = ? and id = ?`;
  const runBindings = [report.attempt > 1 ? 1 : 0, accepted ? members.length : 0, tenantId, runId];
  if (!accepted) {
    await db.raw(`with req as (${insertRequest}) ${countRun}`, [...request, ...runBindings]);
    return;
  }
  await db.raw(
    `with req as (${insertRequest}),
     items as (
       update entra_run_items set state = 'sent', request_id = (select id from req)
        where tenant_id = ? and run_id = ? and state = 'pending' and seq = any(?::int[])
       returning 1),
     known as (
       insert into entra_employee_state (tenant_id, employee_id, external_id, payload_hash, active, last_sent_at, last_run_id)
       select ?, x.employee_id, x.external_id, x.payload_hash, x.active, ?, ?
         from unnest(?::int[], ?::text[], ?::text[], ?::boolean[]) as x(employee_id, external_id, payload_hash, active)
       on conflict (tenant_id, employee_id) do update
         set external_id = excluded.external_id, payload_hash = excluded.payload_hash, active = excluded.active,
             last_sent_at = excluded.last_sent_at, last_run_id = excluded.last_run_id
       returning 1)
     ${countRun}`,
    [
      ...request,
      tenantId, runId, members.map((m) => m.seq),
      tenantId, report.at, runId, members.map((m) => m.employeeId), members.map((m) => m.externalId), members.map((m) => m.hash), members.map((m) => m.active),
      ...runBindings,
    ],
  );
}

/** Payload hashes Entra acknowledged, by employee id. */
export async function acknowledgedHashes(db: Knex, tenantId: number, employeeIds: number[]): Promise<Map<number, string>> {
  if (employeeIds.length === 0) return new Map();
  const rows = await db("entra_employee_state").where({ tenant_id: tenantId }).whereIn("employee_id", employeeIds).select("employee_id", "payload_hash");
  return new Map(rows.map((r: { employee_id: number; payload_hash: string }) => [r.employee_id, r.payload_hash]));
}

export async function updateRun(
  db: Knex, tenantId: number, runId: string,
  values: Partial<{ status: RunStatus; finishedAt: Date | null; resumeAfter: Date | null; failed: number; error: string | null }>,
): Promise<void> {
  const row: Record<string, unknown> = {};
  if (values.status !== undefined) row.status = values.status;
  if (values.finishedAt !== undefined) row.finished_at = values.finishedAt;
  if (values.resumeAfter !== undefined) row.resume_after = values.resumeAfter;
  if (values.failed !== undefined) row.failed = values.failed;
  if (values.error !== undefined) row.error = values.error;
  await db("entra_runs").where({ tenant_id: tenantId, id: runId }).update(row);
}

export async function addRunNote(db: Knex, tenantId: number, runId: string, note: string): Promise<void> {
  await db("entra_runs").where({ tenant_id: tenantId, id: runId })
    .update({ notes: db.raw("notes || ?::jsonb", [JSON.stringify([note])]) });
}

/** A run that found nothing to send is not worth a line in the log (scheduled change runs). */
export async function deleteRun(db: Knex, tenantId: number, runId: string): Promise<void> {
  await db.transaction(async (trx) => {
    await trx("entra_run_items").where({ tenant_id: tenantId, run_id: runId }).delete();
    await trx("entra_runs").where({ tenant_id: tenantId, id: runId }).delete();
  });
}

export interface RequestRecord {
  batch: number;
  attempt: number;
  at: Date;
  httpStatus: number | null;
  outcome: string;
  users: number;
  employeeNumbers: string[];
  durationMs: number;
  retryAfterMs: number | null;
  graphRequestId: string | null;
  location: string | null;
  error: string | null;
}

export async function runRequests(db: Knex, tenantId: number, runId: string): Promise<RequestRecord[]> {
  const rows = await db("entra_requests").where({ tenant_id: tenantId, run_id: runId }).orderBy("id");
  return rows.map((r: Record<string, any>) => ({
    batch: r.batch, attempt: r.attempt, at: new Date(r.at), httpStatus: r.http_status, outcome: r.outcome, users: r.users,
    employeeNumbers: r.employee_numbers ?? [], durationMs: r.duration_ms, retryAfterMs: r.retry_after_ms,
    graphRequestId: r.graph_request_id, location: r.location, error: r.error,
  }));
}

// A push of a tenant's employees to Entra: `syncTenant(ctx, tenantId, request)`, a plain function
// of the store, the tenant and the context's clock, which the CLI and the scheduler call alike.
//
// Under the tenant's lease (one run per tenant across processes), it first resumes the run left
// unfinished (crashed, waiting for the daily budget, or failed), then plans the one asked for:
// - full: every employee in scope (also when no full run ever succeeded);
// - changes: employees in scope changed since the acknowledged change cursor (change-source.ts);
// - midnight: employees whose lifecycle turned on the local midnights since the last one handled.
// Planning writes the employees as items; sending reads them 500 at a time, builds their payloads
// from the current HR rows, skips (except in full runs) those whose payload Entra already has, and
// posts batches of at most 50, paced and within the daily budget. A run acknowledges its cursor or
// midnight only when every item is settled.
import crypto from "node:crypto";
import { findTenantById, type Tenant } from "../../hr/tenants.js";
import { changedSince, currentCursor } from "./change-source.js";
import { openClientSecret, UnreadableSecretError } from "./client-secret.js";
import { findConnection, updateSyncState, type EntraConnection } from "./connection-store.js";
import { graphClientFor, type EntraContext } from "./context.js";
import { GraphRefusedError, GraphUnavailableError } from "./graph-client.js";
import { acquireLease, type Lease } from "./lease.js";
import { Pacer } from "./pacer.js";
import { buildUserData, bulkRequestBody, loadPayloadRows, payloadHash } from "./payload.js";
import { runFailedProblem, RUN_PROBLEM_PREFIX } from "./problems.js";
import {
  acknowledgedHashes, addRunNote, deleteRun, findRun, openRun, pendingCount, pendingItems, planRun, recordAttempt,
  settleItems, updateRun, type BatchMember, type RunKind, type RunRecord,
} from "./run-log.js";
import { currentEntraScope, entraPeople, inScopeCondition, lifecycleTurnedCondition, numberExclusions, type EntraScope } from "./scope.js";
import { MAX_OPERATIONS_PER_REQUEST } from "./settings.js";

export type SyncKind = "auto" | "full" | "changes" | "midnight";

export interface SyncRequest {
  /** auto: full when no full run has succeeded yet, else changes. */
  kind: SyncKind;
  /** Who asked: "cli", "schedule". A scheduled call leaves a waiting or failed run alone until its resume time. */
  trigger: string;
}

export interface SyncResult {
  /** Another process holds the tenant's lease: nothing was done. */
  busy: boolean;
  /** The runs this call executed (a resumed one first), as they ended. */
  runs: RunRecord[];
}

export class NotConnectedError extends Error {}
class BudgetExhaustedError extends Error {
  constructor(readonly freesAt: Date | null) { super("daily budget exhausted"); }
}
class LeaseLostError extends Error {}
class StopRequestedError extends Error {}

export async function syncTenant(ctx: EntraContext, tenantId: number, request: SyncRequest): Promise<SyncResult> {
  const { db } = ctx;
  const conn = await findConnection(db, tenantId);
  if (!conn) throw new NotConnectedError("The tenant has no Entra connection: run `entra connect` first");
  const tenant = await findTenantById(db, tenantId);
  if (!tenant) throw new NotConnectedError(`Unknown tenant ${tenantId}`);
  // A process whose secret key is not the one the secret was sealed with must leave the tenant's
  // runs alone (not fail them): the operator has to fix the key, or reconnect.
  try {
    openClientSecret(ctx.secretKey, tenantId, conn.clientSecretSealed);
  } catch (e) {
    if (!(e instanceof UnreadableSecretError)) throw e;
    if (request.trigger !== "schedule") throw new NotConnectedError(e.message);
    ctx.logger.error("entra secret unreadable", { tenant: tenantId, error: e.message });
    return { busy: false, runs: [] };
  }
  const now = ctx.http.now();
  const lease = await acquireLease(db, tenantId, `${ctx.instanceId}:${crypto.randomUUID()}`, now, ctx.leaseMs);
  if (!lease) return { busy: true, runs: [] };
  let release = true;
  try {
    const runs: RunRecord[] = [];
    const open = await openRun(db, tenantId);
    if (open) {
      if (request.trigger === "schedule" && open.resumeAfter && open.resumeAfter > now) return { busy: false, runs };
      const resumed = await executeRun(ctx, tenant, open, lease);
      runs.push(resumed);
      if (resumed.status !== "succeeded") return { busy: false, runs };
    }
    const current = (await findConnection(db, tenantId))!;
    const kind: RunKind = request.kind === "full" || !current.fullSyncedAt ? "full" : request.kind === "auto" ? "changes" : request.kind;
    // A full run just resumed answers any request but a midnight one (the changes made while it
    // ran are for the next change run).
    if (open?.kind === "full" && request.kind !== "midnight") return { busy: false, runs };
    const run = await planRunOfKind(ctx, tenant, current, kind, request.trigger);
    if (!run) return { busy: false, runs };
    const done = await executeRun(ctx, tenant, run, lease);
    if (request.trigger === "schedule" && done.kind !== "full" && done.status === "succeeded" && done.requests === 0) {
      await deleteRun(db, tenantId, done.id); // nothing to send: not worth a line in the log
    } else {
      runs.push(done);
    }
    return { busy: false, runs };
  } catch (e) {
    // Anything unexpected is a crash: the lease stays until it expires, and the run resumes then.
    release = false;
    throw e;
  } finally {
    if (release) await lease.release();
  }
}

async function planRunOfKind(ctx: EntraContext, tenant: Tenant, conn: EntraConnection, kind: RunKind, trigger: string): Promise<RunRecord | null> {
  const { db } = ctx;
  const now = ctx.http.now();
  const scope = await currentEntraScope(db, tenant, conn, now);
  const inScope = inScopeCondition(scope);
  const employees = entraPeople(db, scope).whereRaw(inScope.sql, inScope.bindings).select("u.id");
  let cursorTarget: string | null = null;
  let lifecycleTarget: string | null = null;
  if (kind === "full") {
    cursorTarget = await currentCursor(db, tenant);
    lifecycleTarget = scope.today;
  } else if (kind === "changes") {
    // The cursor is read before the changes it covers are: a change committed in between is in
    // this run and, once more, in the next (skipped there by its hash).
    cursorTarget = await currentCursor(db, tenant);
    const window = changedSince(tenant, conn.changeCursor);
    employees.whereRaw(window.sql, window.bindings);
  } else {
    const after = conn.lifecycleThrough;
    if (!after || after >= scope.today) return null;
    const turned = lifecycleTurnedCondition(scope, after, scope.today);
    employees.whereRaw(turned.sql, turned.bindings);
    lifecycleTarget = scope.today;
  }
  const started = performance.now();
  const run = await planRun(db, { tenantId: tenant.id, kind, trigger, now, cursorTarget, lifecycleTarget, employees });
  const plannedMs = Math.round(performance.now() - started);
  if (kind === "full") await noteFullRunFacts(ctx, tenant, scope, run);
  ctx.logger.info("entra run planned", { tenant: tenant.id, run: run.id, kind, planned: run.planned, planMs: plannedMs, notesMs: Math.round(performance.now() - started) - plannedMs });
  return run;
}

async function noteFullRunFacts(ctx: EntraContext, tenant: Tenant, scope: EntraScope, run: RunRecord): Promise<void> {
  const { db } = ctx;
  const { noNumber } = await numberExclusions(db, scope);
  if (noNumber) {
    await addRunNote(db, tenant.id, run.id, `${noNumber} employee(s) without an employee number from HR (hr-scim shows them as ID-<id>) are not sent: Entra matches users by employee number (externalId), so give each employee one in HR.`);
  }
  const calls = Math.ceil(run.planned / MAX_OPERATIONS_PER_REQUEST);
  const pacer = new Pacer(db, tenant.id, { ratePerSecond: null, dailyBudget: ctx.dailyBudget }, { now: ctx.http.now, sleep: ctx.http.sleep });
  const budget = await pacer.budget(ctx.http.now());
  if (calls > budget.left) {
    const days = 1 + Math.ceil((calls - budget.left) / ctx.dailyBudget);
    await addRunNote(db, tenant.id, run.id, `This full run sends ${run.planned} users in ${calls} bulkUpload calls, but Microsoft Graph allows ${ctx.dailyBudget} calls per 24 hours and ${budget.left} are left now: it spreads over about ${days} days, sending again as the budget frees up.`);
  }
}

/** Sends a run's pending items; returns the run as it ended (succeeded, waiting, failed). */
async function executeRun(ctx: EntraContext, tenant: Tenant, run: RunRecord, lease: Lease): Promise<RunRecord> {
  const { db } = ctx;
  const t = tenant.id;
  const conn = (await findConnection(db, t))!;
  await updateRun(db, t, run.id, { status: "running", resumeAfter: null, error: null });
  const scope = await currentEntraScope(db, tenant, conn, ctx.http.now());
  const graph = graphClientFor(ctx, conn);
  const pacer = new Pacer(db, t, { ratePerSecond: ctx.pacing ? conn.ratePerSecond : null, dailyBudget: ctx.dailyBudget }, { now: ctx.http.now, sleep: ctx.http.sleep });
  const lastBatch = await db("entra_requests").where({ tenant_id: t, run_id: run.id }).max("batch as b").first();
  let batch = (lastBatch?.b ?? 0) + 1;
  let renewedAt = ctx.http.now().getTime();
  // Pages are read and built ahead: the next page's query runs while this page's batches are sent.
  const loadPage = async (afterSeq: number) => {
    const items = await pendingItems(db, t, run.id, afterSeq, ctx.pageSize);
    const members = items.length ? await buildMembers(ctx, tenant, scope, run, items) : [];
    return { items, members };
  };
  let next: Promise<Awaited<ReturnType<typeof loadPage>>> = loadPage(0);
  // An accepted batch is recorded while the next one is on its way to Graph (at most one record
  // in flight): the commit's latency does not add to every call. Nothing counts as sent before
  // its record is stored, and the run ends only once every record is.
  let recording: Promise<void> | null = null;
  const settleRecording = async () => {
    if (!recording) return;
    const r = recording;
    recording = null;
    await r;
  };
  try {
    for (;;) {
      const page = await next;
      if (page.items.length === 0) break;
      next = loadPage(page.items[page.items.length - 1].seq);
      const { members } = page;
      for (let i = 0; i < members.length; i += MAX_OPERATIONS_PER_REQUEST) {
        const chunk = members.slice(i, i + MAX_OPERATIONS_PER_REQUEST);
        const body = bulkRequestBody(chunk.map((m) => ({ bulkId: String(m.employeeId), dataJson: m.json })));
        const batchNo = batch++;
        await graph.bulkUpload(body, {
          beforeAttempt: async () => {
            const budget = await pacer.budget(ctx.http.now());
            if (budget.left <= 0) throw new BudgetExhaustedError(budget.freesAt);
            await pacer.takeSlot();
          },
          onAttempt: async (report) => {
            await settleRecording();
            if (report.outcome !== "accepted") return recordAttempt(db, t, run.id, batchNo, chunk, report);
            recording = recordAttempt(db, t, run.id, batchNo, chunk, report);
            recording.catch(() => undefined); // observed by settleRecording
          },
        });
        if (ctx.stopping.requested) throw new StopRequestedError();
        const now = ctx.http.now().getTime();
        if (now - renewedAt > ctx.leaseMs / 4) {
          if (!(await lease.renew(new Date(now)))) throw new LeaseLostError();
          renewedAt = now;
        }
      }
    }
    await settleRecording();
  } catch (e) {
    await next.catch(() => undefined);
    let failure = e;
    try { await settleRecording(); } catch (recordError) { failure = recordError; }
    return stopRun(ctx, tenant, conn, run, failure);
  }
  return completeRun(ctx, tenant, run);
}

type Member = BatchMember & { json: string };

/** The payloads of a page of items; settles items of employees gone or unchanged. */
async function buildMembers(ctx: EntraContext, tenant: Tenant, scope: EntraScope, run: RunRecord, items: { seq: number; employeeId: number }[]): Promise<Member[]> {
  const { db } = ctx;
  const rows = await loadPayloadRows(db, scope, items.map((i) => i.employeeId));
  const byId = new Map(rows.map((r) => [r.id, r]));
  const gone: number[] = [];
  const members: Member[] = [];
  for (const item of items) {
    const row = byId.get(item.employeeId);
    if (!row || !row.employee_number) { gone.push(item.seq); continue; }
    const data = buildUserData(row, tenant);
    const json = JSON.stringify(data);
    members.push({ seq: item.seq, employeeId: item.employeeId, externalId: row.employee_number, hash: payloadHash(json), active: data.active === true, json });
  }
  await settleItems(db, tenant.id, run.id, gone, "gone");
  if (run.kind === "full") return members;
  const known = await acknowledgedHashes(db, tenant.id, members.map((m) => m.employeeId));
  const unchanged = members.filter((m) => known.get(m.employeeId) === m.hash);
  await settleItems(db, tenant.id, run.id, unchanged.map((m) => m.seq), "unchanged");
  return members.filter((m) => known.get(m.employeeId) !== m.hash);
}

async function completeRun(ctx: EntraContext, tenant: Tenant, run: RunRecord): Promise<RunRecord> {
  const { db } = ctx;
  const now = ctx.http.now();
  await updateRun(db, tenant.id, run.id, { status: "succeeded", finishedAt: now, failed: 0, error: null, resumeAfter: null });
  const state: Parameters<typeof updateSyncState>[2] = {};
  if (run.cursorTarget) state.changeCursor = run.cursorTarget;
  if (run.lifecycleTarget) state.lifecycleThrough = run.lifecycleTarget;
  if (run.kind === "full") state.fullSyncedAt = now;
  await updateSyncState(db, tenant.id, state);
  await ctx.notifier.resolve(tenant.id, RUN_PROBLEM_PREFIX);
  const done = (await findRun(db, tenant.id, run.id))!;
  ctx.logger.info("entra run finished", { tenant: tenant.id, run: run.id, kind: run.kind, status: done.status, sent: done.sent, requests: done.requests, retried: done.retried });
  return done;
}

async function stopRun(ctx: EntraContext, tenant: Tenant, conn: EntraConnection, run: RunRecord, e: unknown): Promise<RunRecord> {
  const { db } = ctx;
  const now = ctx.http.now();
  const left = await pendingCount(db, tenant.id, run.id);
  if (e instanceof BudgetExhaustedError) {
    const resumeAfter = e.freesAt ?? new Date(now.getTime() + 60 * 60 * 1000);
    await updateRun(db, tenant.id, run.id, { status: "waiting", resumeAfter, failed: 0 });
    await addRunNote(db, tenant.id, run.id, `${now.toISOString()}: the daily budget of ${ctx.dailyBudget} bulkUpload calls per 24 hours is used up; ${left} users are left to send, from ${resumeAfter.toISOString()} on.`);
  } else if (e instanceof GraphUnavailableError && e.resumeAt) {
    await updateRun(db, tenant.id, run.id, { status: "waiting", resumeAfter: e.resumeAt, failed: 0, error: e.message });
  } else if (e instanceof GraphRefusedError || e instanceof GraphUnavailableError) {
    await updateRun(db, tenant.id, run.id, { status: "failed", finishedAt: now, resumeAfter: new Date(now.getTime() + ctx.failedRetryMs), failed: left, error: e.message });
    await ctx.notifier.raise(tenant, { emails: conn.notifyEmails, webhookUrl: conn.notifyWebhookUrl }, runFailedProblem(tenant, conn, e, left));
  } else if (e instanceof StopRequestedError) {
    await updateRun(db, tenant.id, run.id, { status: "waiting", resumeAfter: now });
    await addRunNote(db, tenant.id, run.id, `${now.toISOString()}: stopped with the process; ${left} users left to send, resumed by the next process.`);
  } else if (e instanceof LeaseLostError) {
    ctx.logger.warn("entra run lease lost", { tenant: tenant.id, run: run.id });
  } else {
    throw e;
  }
  const stopped = (await findRun(db, tenant.id, run.id))!;
  ctx.logger.warn("entra run stopped", { tenant: tenant.id, run: run.id, status: stopped.status, sent: stopped.sent, left });
  return stopped;
}

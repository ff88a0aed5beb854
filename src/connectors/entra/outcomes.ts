// What Entra did with the employees it was sent, read back from its provisioning logs (API
// reference "List provisioningObjectSummary": GET /auditLogs/provisioning, $filter on jobId and
// activityDateTime, paged by @odata.nextLink; needs ProvisioningLog.Read.All). Graph processes
// bulk uploads asynchronously and writes the logs 5 to 10 minutes later, so each read goes back
// OVERLAP before the last entry seen, and entries are stored once by their id. Each entry is
// matched to the employee by sourceIdentity.id (= externalId = employee number) and recorded as
// created, updated, disabled, deleted, skipped or failed, with Entra's error text. A failure to
// create an employee, or to disable one who left, is notified.
import type { Knex } from "knex";
import { findTenantById, type Tenant } from "../../hr/tenants.js";
import { openClientSecret } from "./client-secret.js";
import { findConnection, updateSyncState, type EntraConnection } from "./connection-store.js";
import { graphClientFor, type EntraContext } from "./context.js";
import { oneLine } from "./http.js";
import { LOGS_PROBLEM_KEY, logsUnreadableProblem, outcomeFailedProblem, outcomeProblemPrefix } from "./problems.js";

const OVERLAP_MS = 60 * 60 * 1000;
const PAGE_SIZE = 500;
const MAX_PAGES = 200;

export type OutcomeResult = "created" | "updated" | "disabled" | "deleted" | "skipped" | "failed" | "other";

export interface OutcomeEntry {
  logId: string;
  activityAt: Date;
  externalId: string;
  action: string;
  status: string;
  result: OutcomeResult;
  errorCode: string | null;
  errorReason: string | null;
}

const str = (v: unknown): string | null => (typeof v === "string" && v !== "" ? v : null);
const obj = (v: unknown): Record<string, unknown> | null => (v && typeof v === "object" && !Array.isArray(v) ? v as Record<string, unknown> : null);

/** One provisioningObjectSummary as an outcome, or null when it is not about a user we can name. */
export function parseOutcome(raw: unknown): OutcomeEntry | null {
  const entry = obj(raw);
  if (!entry) return null;
  const logId = str(entry.id);
  const at = str(entry.activityDateTime);
  const externalId = str(obj(entry.sourceIdentity)?.id);
  if (!logId || !at || !externalId || !Number.isFinite(Date.parse(at))) return null;
  const action = str(entry.provisioningAction) ?? "other";
  const statusInfo = obj(entry.provisioningStatusInfo);
  const status = str(statusInfo?.status) ?? "unknown";
  // The reference names it errorInformation in examples and errorInfo in its property table.
  const error = obj(statusInfo?.errorInformation) ?? obj(statusInfo?.errorInfo);
  return {
    logId, activityAt: new Date(at), externalId, action, status, result: resultOf(action, status, entry.modifiedProperties),
    errorCode: str(error?.errorCode), errorReason: str(error?.reason) ? oneLine(str(error?.reason)!, 2000) : null,
  };
}

function resultOf(action: string, status: string, modified: unknown): OutcomeResult {
  if (status === "failure") return "failed";
  if (status === "skipped") return "skipped";
  switch (action.toLowerCase()) {
    case "create": return "created";
    case "disable": return "disabled";
    case "delete": case "stageddelete": return "deleted";
    case "update": {
      // Inbound provisioning disables an account by updating accountEnabled to False.
      const props = Array.isArray(modified) ? modified : [];
      const disabled = props.some((p) => {
        const o = obj(p);
        return str(o?.displayName)?.toLowerCase() === "accountenabled" && str(o?.newValue)?.toLowerCase() === "false";
      });
      return disabled ? "disabled" : "updated";
    }
    default: return "other";
  }
}

/** The first page's URL: this job's entries after `since`, oldest first. */
export function provisioningLogsUrl(conn: Pick<EntraConnection, "graphUrl" | "jobId">, since: Date): string {
  const filter = `jobId eq '${conn.jobId.replace(/'/g, "''")}' and activityDateTime gt ${since.toISOString()}`;
  return `${conn.graphUrl}/v1.0/auditLogs/provisioning?$filter=${encodeURIComponent(filter)}&$top=${PAGE_SIZE}`;
}

export interface OutcomeReadResult {
  read: number;
  recorded: number;
  failures: number;
  error: string | null;
}

export async function readOutcomes(ctx: EntraContext, tenantId: number): Promise<OutcomeReadResult> {
  const { db } = ctx;
  const conn = await findConnection(db, tenantId);
  const tenant = await findTenantById(db, tenantId);
  if (!conn || !tenant) return { read: 0, recorded: 0, failures: 0, error: "not connected" };
  try {
    openClientSecret(ctx.secretKey, tenantId, conn.clientSecretSealed);
  } catch (e) {
    return { read: 0, recorded: 0, failures: 0, error: (e as Error).message };
  }
  const now = ctx.http.now();
  const from = conn.outcomesReadThrough ?? conn.fullSyncedAt ?? conn.createdAt;
  const since = new Date(from.getTime() - OVERLAP_MS);
  const graph = graphClientFor(ctx, conn);
  const origin = new URL(conn.graphUrl).origin;
  let url: string | null = provisioningLogsUrl(conn, since);
  let read = 0, recorded = 0, failures = 0;
  let latest = conn.outcomesReadThrough?.getTime() ?? 0;
  await updateSyncState(db, tenant.id, { outcomesCheckedAt: now });
  for (let page = 0; url && page < MAX_PAGES; page++) {
    const res = await graph.getJson(url);
    if (res.status !== 200) {
      const detail = res.status === 403 ? "Graph answered 403 Forbidden" : `HTTP ${res.status || "network failure"}${res.error ? `: ${res.error}` : ""}`;
      if (res.status === 403) await ctx.notifier.raise(tenant, { emails: conn.notifyEmails, webhookUrl: conn.notifyWebhookUrl }, logsUnreadableProblem(tenant, conn, detail));
      return { read, recorded, failures, error: detail };
    }
    const body = obj(res.body);
    const entries = (Array.isArray(body?.value) ? body!.value : []).map(parseOutcome).filter((e): e is OutcomeEntry => e !== null);
    read += entries.length;
    const stored = await storeOutcomes(db, tenant, entries, now);
    recorded += stored.length;
    for (const e of entries) latest = Math.max(latest, e.activityAt.getTime());
    failures += await notifyOutcomes(ctx, tenant, conn, stored);
    // Follow nextLink only to the configured Graph: it carries our token.
    const next = str(body?.["@odata.nextLink"]);
    url = next && sameOrigin(next, origin) ? next : null;
  }
  await ctx.notifier.resolve(tenant.id, LOGS_PROBLEM_KEY);
  if (latest > 0) await updateSyncState(db, tenant.id, { outcomesReadThrough: new Date(latest) });
  return { read, recorded, failures, error: null };
}

function sameOrigin(url: string, origin: string): boolean {
  try { return new URL(url).origin === origin; } catch { return false; }
}

interface StoredOutcome extends OutcomeEntry { employeeId: number | null; lastSentActive: boolean | null }

/** Stores the entries not seen before; returns them with the employee they concern. */
async function storeOutcomes(db: Knex, tenant: Tenant, entries: OutcomeEntry[], now: Date): Promise<StoredOutcome[]> {
  if (entries.length === 0) return [];
  const externalIds = [...new Set(entries.map((e) => e.externalId))];
  const states = await db("entra_employee_state").where({ tenant_id: tenant.id }).whereIn("external_id", externalIds)
    .select("external_id", "employee_id", "active", "last_run_id");
  const byExternal = new Map(states.map((s: Record<string, any>) => [s.external_id as string, s]));
  const employees = await db("employees").where({ tenant_id: tenant.id }).whereIn("employee_number", externalIds.filter((x) => !byExternal.has(x)))
    .select("id", "employee_number");
  const employeeOf = new Map(employees.map((e: Record<string, any>) => [e.employee_number as string, e.id as number]));
  const stored: StoredOutcome[] = [];
  for (const e of entries) {
    const state = byExternal.get(e.externalId);
    const [row] = await db("entra_outcomes").insert({
      tenant_id: tenant.id, log_id: e.logId.slice(0, 200), activity_at: e.activityAt, external_id: e.externalId.slice(0, 200),
      employee_id: state?.employee_id ?? employeeOf.get(e.externalId) ?? null, run_id: state?.last_run_id ?? null,
      action: e.action.slice(0, 50), status: e.status.slice(0, 50), result: e.result, error_code: e.errorCode?.slice(0, 200) ?? null,
      error_reason: e.errorReason, recorded_at: now,
    }).onConflict(["tenant_id", "log_id"]).ignore().returning("log_id");
    if (row) stored.push({ ...e, employeeId: state?.employee_id ?? null, lastSentActive: state ? state.active : null });
  }
  return stored;
}

/** Notifies failed creations and failed disables of leavers; a later success resolves them. */
async function notifyOutcomes(ctx: EntraContext, tenant: Tenant, conn: EntraConnection, outcomes: StoredOutcome[]): Promise<number> {
  let failures = 0;
  for (const o of [...outcomes].sort((a, b) => a.activityAt.getTime() - b.activityAt.getTime())) {
    if (o.result !== "failed") {
      if (o.status === "success") await ctx.notifier.resolve(tenant.id, outcomeProblemPrefix(o.externalId));
      continue;
    }
    failures++;
    const action = o.action.toLowerCase();
    const intent = action === "create" ? "create" : action === "disable" || o.lastSentActive === false ? "disable" : null;
    if (intent) {
      await ctx.notifier.raise(tenant, { emails: conn.notifyEmails, webhookUrl: conn.notifyWebhookUrl }, outcomeFailedProblem(tenant, o.externalId, intent, o.errorCode, o.errorReason));
    }
  }
  return failures;
}

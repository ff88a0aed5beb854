// The Entra connector as administrators see it (admin API; the CLI shares the view): the
// connection without its secret, connecting with the secret write-only (kept when not given again),
// and the runs with each employee's outcome. Connecting is audited (never the secret).
import type { Knex } from "knex";
import { openClientSecret } from "../connectors/entra/client-secret.js";
import { findConnection, saveConnection, type EntraConnection } from "../connectors/entra/connection-store.js";
import { recentRuns, type RunRecord } from "../connectors/entra/run-log.js";
import {
  DEFAULT_GRAPH_URL, DEFAULT_LOGIN_URL, InvalidEntraSettingError, MAX_RATE_PER_SECOND, maskWebhookUrl, validateBaseUrl, validateDays,
  validateDirectoryId, validateDomain, validateEmail, validateGuid, validateJobId, validateRate, validateWebhookUrl, type EntraSettings,
} from "../connectors/entra/settings.js";
import type { Tenant } from "../hr/tenants.js";
import { recordAdminAction } from "./admin-audit.js";
import { badInput } from "./problems.js";
import { requireRole, type AdminActor } from "./roles.js";

const iso = (d: Date | null | undefined) => (d ? new Date(d).toISOString() : null);

export function entraConnectionView(c: EntraConnection, tenant: Tenant, open: RunRecord | null) {
  return {
    tenant: tenant.slug,
    directoryId: c.directoryId,
    clientId: c.clientId,
    clientSecret: "stored encrypted (never shown)",
    servicePrincipalId: c.servicePrincipalId,
    jobId: c.jobId,
    graphUrl: c.graphUrl,
    loginUrl: c.loginUrl,
    ratePerSecond: c.ratePerSecond,
    futureDays: c.futureDays,
    domains: c.domains ?? tenant.settings.allowedEmailDomains,
    domainsFrom: c.domains ? "connection" : "tenant allowedEmailDomains",
    leaverDays: c.leaverDays,
    notifyEmails: c.notifyEmails,
    notifyWebhook: maskWebhookUrl(c.notifyWebhookUrl),
    connectedBy: c.connectedBy,
    createdAt: iso(c.createdAt),
    updatedAt: iso(c.updatedAt),
    state: {
      fullSyncedAt: iso(c.fullSyncedAt),
      changeCursor: c.changeCursor,
      lifecycleThrough: c.lifecycleThrough,
      outcomesReadThrough: iso(c.outcomesReadThrough),
      openRun: open ? { id: open.id, kind: open.kind, status: open.status, resumeAfter: iso(open.resumeAfter), error: open.error } : null,
    },
  };
}

export function entraRunView(r: RunRecord) {
  return {
    runId: r.id, kind: r.kind, trigger: r.trigger, status: r.status, startedAt: iso(r.startedAt), finishedAt: iso(r.finishedAt),
    resumeAfter: iso(r.resumeAfter), planned: r.planned, sent: r.sent, unchanged: r.unchanged, requests: r.requests,
    failed: r.failed, retried: r.retried, error: r.error, notes: r.notes,
  };
}

const str = (body: Record<string, unknown>, name: string): string | undefined => {
  const v = Object.prototype.hasOwnProperty.call(body, name) ? body[name] : undefined;
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string") throw badInput(`${name} must be a string`);
  return v;
};
const num = (body: Record<string, unknown>, name: string): string | undefined => {
  const v = Object.prototype.hasOwnProperty.call(body, name) ? body[name] : undefined;
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "number") throw badInput(`${name} must be a number`);
  return String(v);
};
const list = (body: Record<string, unknown>, name: string): string[] | undefined => {
  const v = Object.prototype.hasOwnProperty.call(body, name) ? body[name] : undefined;
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || !v.every((x) => typeof x === "string")) throw badInput(`${name} must be an array of strings`);
  return v as string[];
};
const required = (value: string | undefined, name: string) => {
  if (value === undefined) throw badInput(`${name} is required`);
  return value;
};

export const ENTRA_MEMBERS = ["directoryId", "clientId", "clientSecret", "servicePrincipalId", "jobId", "graphUrl", "loginUrl", "ratePerSecond", "futureDays", "domains", "leaverDays", "notifyEmails", "notifyWebhookUrl"];

/** The settings of an admin API body, checked by the validators `entra connect` uses. */
export function entraSettingsFromBody(body: Record<string, unknown>): EntraSettings {
  for (const key of Object.keys(body)) if (!ENTRA_MEMBERS.includes(key)) throw badInput(`Unknown member ${JSON.stringify(key.slice(0, 100))}; expected ${ENTRA_MEMBERS.join(", ")}`);
  try {
    const rate = num(body, "ratePerSecond");
    const future = num(body, "futureDays");
    const leaver = num(body, "leaverDays");
    const webhook = str(body, "notifyWebhookUrl");
    const domains = list(body, "domains");
    return {
      directoryId: validateDirectoryId(required(str(body, "directoryId"), "directoryId"), "directoryId"),
      clientId: validateGuid("clientId", required(str(body, "clientId"), "clientId"), "App registrations > your app > Overview > Application (client) ID"),
      servicePrincipalId: validateGuid("servicePrincipalId", required(str(body, "servicePrincipalId"), "servicePrincipalId"), "the part after /servicePrincipals/ in the Provisioning API Endpoint URL"),
      jobId: validateJobId(required(str(body, "jobId"), "jobId"), "jobId"),
      graphUrl: validateBaseUrl("graphUrl", str(body, "graphUrl") ?? DEFAULT_GRAPH_URL),
      loginUrl: validateBaseUrl("loginUrl", str(body, "loginUrl") ?? DEFAULT_LOGIN_URL),
      ratePerSecond: rate === undefined ? MAX_RATE_PER_SECOND : validateRate(rate, "ratePerSecond"),
      futureDays: future === undefined ? 0 : validateDays("futureDays", future),
      domains: domains && domains.length ? [...new Set(domains.map((d) => validateDomain(d, "domains")))] : null,
      leaverDays: leaver === undefined ? null : validateDays("leaverDays", leaver),
      notifyEmails: [...new Set((list(body, "notifyEmails") ?? []).map((e) => validateEmail(e, "notifyEmails")))],
      notifyWebhookUrl: webhook === undefined || webhook === "" ? null : validateWebhookUrl(webhook, "notifyWebhookUrl"),
    };
  } catch (e) {
    if (e instanceof InvalidEntraSettingError) throw badInput(`${e.setting} ${e.reason}`);
    throw e;
  }
}

/** Connects (or reconnects) the tenant; without clientSecret, an existing connection keeps its secret. */
export async function connectEntra(
  db: Knex, actor: AdminActor, tenant: Tenant, body: Record<string, unknown>, secretKey: Buffer, now: Date,
): Promise<{ connection: EntraConnection; created: boolean; reset: boolean }> {
  requireRole(actor, "integration-admin");
  const settings = entraSettingsFromBody(body);
  const given = str(body, "clientSecret");
  const existing = await findConnection(db, tenant.id);
  let clientSecret: string;
  if (given !== undefined) {
    if (!given.trim() || /[\r\n]/.test(given) || given.length > 4096) throw badInput("clientSecret must be the client secret value, on one line");
    clientSecret = given;
  } else if (existing) {
    clientSecret = openClientSecret(secretKey, tenant.id, existing.clientSecretSealed);
  } else {
    throw badInput("clientSecret is required to connect (it is stored encrypted and never shown again)");
  }
  const saved = await saveConnection(db, { tenantId: tenant.id, settings, clientSecret, secretKey, actor: actor.label, now });
  await recordAdminAction(db, {
    tenantId: tenant.id, at: now, actor: actor.label, action: saved.created ? "entra.connect" : "entra.update", target: tenant.slug,
    before: existing ? entraConnectionView(existing, tenant, null) : null,
    after: { ...entraConnectionView(saved.connection, tenant, null), secretChanged: given !== undefined },
  });
  return saved;
}

/** The tenant's latest runs, with each employee's outcome as Entra reported it. */
export async function entraRunsWithOutcomes(db: Knex, tenantId: number, limit: number) {
  const runs = await recentRuns(db, tenantId, limit);
  const out = [];
  for (const r of runs) {
    const outcomes = await db("entra_outcomes").where({ tenant_id: tenantId, run_id: r.id }).orderBy("activity_at").limit(500)
      .select("external_id", "result", "action", "status", "error_code", "error_reason", "activity_at");
    out.push({
      ...entraRunView(r),
      outcomes: outcomes.map((o: Record<string, any>) => ({ externalId: o.external_id, result: o.result, action: o.action, status: o.status, errorCode: o.error_code, error: o.error_reason, at: iso(o.activity_at) })),
    });
  }
  return out;
}

// A tenant's Entra connection in the store: its settings, the sealed client secret and the sync
// state (change cursor, last midnight handled, provisioning logs read so far). The secret is sealed
// on the way in and only ever leaves this module sealed.
import type { Knex } from "knex";
import { sealClientSecret } from "./client-secret.js";
import type { EntraSettings } from "./settings.js";

export interface EntraConnection extends EntraSettings {
  tenantId: number;
  clientSecretSealed: string;
  connectedBy: string;
  createdAt: Date;
  updatedAt: Date;
  fullSyncedAt: Date | null;
  /** Position of the change source acknowledged so far (change-source.ts owns its meaning). */
  changeCursor: string | null;
  /** Last local date whose midnight transitions were sent (YYYY-MM-DD). */
  lifecycleThrough: string | null;
  outcomesReadThrough: Date | null;
  /** When the provisioning logs were last read (successfully or not). */
  outcomesCheckedAt: Date | null;
}

/** A `date` column as YYYY-MM-DD (pg gives a local-midnight Date, PGlite may give text). */
export function dateText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "string") return value.slice(0, 10);
  const d = value as Date;
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
}

function toConnection(row: Record<string, any>): EntraConnection {
  return {
    tenantId: row.tenant_id,
    directoryId: row.directory_id,
    clientId: row.client_id,
    clientSecretSealed: row.client_secret_sealed,
    servicePrincipalId: row.service_principal_id,
    jobId: row.job_id,
    graphUrl: row.graph_url,
    loginUrl: row.login_url,
    ratePerSecond: Number(row.rate_per_second),
    futureDays: row.future_days,
    domains: row.domains ?? null,
    leaverDays: row.leaver_days ?? null,
    notifyEmails: row.notify_emails ?? [],
    notifyWebhookUrl: row.notify_webhook_url ?? null,
    connectedBy: row.connected_by,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
    fullSyncedAt: row.full_synced_at ? new Date(row.full_synced_at) : null,
    changeCursor: row.change_cursor ?? null,
    lifecycleThrough: dateText(row.lifecycle_through),
    outcomesReadThrough: row.outcomes_read_through ? new Date(row.outcomes_read_through) : null,
    outcomesCheckedAt: row.outcomes_checked_at ? new Date(row.outcomes_checked_at) : null,
  };
}

export async function findConnection(db: Knex, tenantId: number): Promise<EntraConnection | null> {
  const row = await db("entra_connections").where({ tenant_id: tenantId }).first();
  return row ? toConnection(row) : null;
}

/** Tenants with a connection, for the scheduler. */
export async function connectedTenantIds(db: Knex): Promise<number[]> {
  return (await db("entra_connections").select("tenant_id").orderBy("tenant_id")).map((r: { tenant_id: number }) => r.tenant_id);
}

export interface SaveConnectionInput {
  tenantId: number;
  settings: EntraSettings;
  /** The client secret in clear, sealed here. */
  clientSecret: string;
  secretKey: Buffer;
  actor: string;
  now: Date;
}

/**
 * Creates or replaces the connection. Pointing it at another directory, service principal or job
 * forgets what was sent (the new job has seen nothing): the next run is a full one.
 */
export async function saveConnection(db: Knex, input: SaveConnectionInput): Promise<{ connection: EntraConnection; created: boolean; reset: boolean }> {
  return db.transaction(async (trx) => {
    const existing = await trx("entra_connections").where({ tenant_id: input.tenantId }).forUpdate().first();
    const s = input.settings;
    const values = {
      directory_id: s.directoryId, client_id: s.clientId,
      client_secret_sealed: sealClientSecret(input.secretKey, input.tenantId, input.clientSecret),
      service_principal_id: s.servicePrincipalId, job_id: s.jobId, graph_url: s.graphUrl, login_url: s.loginUrl,
      rate_per_second: s.ratePerSecond, future_days: s.futureDays, domains: s.domains, leaver_days: s.leaverDays,
      notify_emails: s.notifyEmails, notify_webhook_url: s.notifyWebhookUrl, connected_by: input.actor, updated_at: input.now,
    };
    if (!existing) {
      const [row] = await trx("entra_connections").insert({ tenant_id: input.tenantId, ...values, created_at: input.now }).returning("*");
      return { connection: toConnection(row), created: true, reset: false };
    }
    const retarget = existing.directory_id !== s.directoryId || existing.service_principal_id !== s.servicePrincipalId
      || existing.job_id !== s.jobId || existing.graph_url !== s.graphUrl;
    if (retarget) await forgetSyncState(trx, input.tenantId, input.now);
    const reset = retarget ? { full_synced_at: null, change_cursor: null, lifecycle_through: null, outcomes_read_through: null, outcomes_checked_at: null } : {};
    const [row] = await trx("entra_connections").where({ tenant_id: input.tenantId }).update({ ...values, ...reset }).returning("*");
    return { connection: toConnection(row), created: false, reset: retarget };
  });
}

/** Cancels open runs and forgets what Entra acknowledged (a new target has seen nothing). */
async function forgetSyncState(trx: Knex.Transaction, tenantId: number, now: Date): Promise<void> {
  await trx("entra_runs").where({ tenant_id: tenantId }).whereIn("status", ["running", "waiting", "failed"])
    .update({ status: "cancelled", finished_at: now, error: "The Entra connection was changed or removed" });
  await trx("entra_run_items").where({ tenant_id: tenantId, state: "pending" }).update({ state: "gone" });
  await trx("entra_employee_state").where({ tenant_id: tenantId }).delete();
}

/** Removes the connection (its secret with it); the integration log of past runs stays. */
export async function deleteConnection(db: Knex, tenantId: number, now: Date): Promise<boolean> {
  return db.transaction(async (trx) => {
    await forgetSyncState(trx, tenantId, now);
    return (await trx("entra_connections").where({ tenant_id: tenantId }).delete().returning("tenant_id")).length > 0;
  });
}

export async function updateSyncState(
  db: Knex, tenantId: number,
  state: Partial<{ fullSyncedAt: Date; changeCursor: string; lifecycleThrough: string; outcomesReadThrough: Date; outcomesCheckedAt: Date }>,
): Promise<void> {
  const values: Record<string, unknown> = {};
  if (state.fullSyncedAt !== undefined) values.full_synced_at = state.fullSyncedAt;
  if (state.changeCursor !== undefined) values.change_cursor = state.changeCursor;
  if (state.lifecycleThrough !== undefined) values.lifecycle_through = state.lifecycleThrough;
  if (state.outcomesReadThrough !== undefined) values.outcomes_read_through = state.outcomesReadThrough;
  if (state.outcomesCheckedAt !== undefined) values.outcomes_checked_at = state.outcomesCheckedAt;
  if (Object.keys(values).length) await db("entra_connections").where({ tenant_id: tenantId }).update(values);
}

// Tenants: lookup and creation. A tenant's settings are normalised once when it is loaded.
import type { Knex } from "knex";
import { IANAZone } from "luxon";
import { applySetting, changesRepresentation, normaliseSettings, type TenantSettings } from "./tenant-settings.js";
import { forgetVerifiedTokens } from "../auth/verified-token-cache.js";
import { BULK_WRITE_STATEMENT_TIMEOUT_MS, withStatementTimeout } from "../db/statement-timeout.js";

export interface Tenant {
  id: number;
  slug: string;
  name: string;
  timeZone: string;
  settings: TenantSettings;
  /** Last change of settings or time zone after creation: every resource's representation changed then. */
  settingsChangedAt: Date | null;
}

export function toTenant(row: Record<string, any>): Tenant {
  return {
    id: row.id, slug: row.slug, name: row.name, timeZone: row.time_zone, settings: normaliseSettings(row.settings),
    settingsChangedAt: row.settings_changed_at ? new Date(row.settings_changed_at) : null,
  };
}

export function isValidTimeZone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

export async function findTenantById(db: Knex, id: number): Promise<Tenant | null> {
  const row = await db("tenants").where({ id }).first();
  return row ? toTenant(row) : null;
}

export async function findTenantBySlug(db: Knex, slug: string): Promise<Tenant | null> {
  const row = await db("tenants").where({ slug }).first();
  return row ? toTenant(row) : null;
}

export async function createTenant(
  db: Knex, input: { slug: string; name: string; timeZone?: string; settings?: Record<string, unknown> },
): Promise<Tenant> {
  const [row] = await db("tenants").insert({
    slug: input.slug, name: input.name, time_zone: input.timeZone ?? "Europe/Paris", settings: JSON.stringify(input.settings ?? {}),
  }).returning("*");
  return toTenant(row);
}

export class UnknownTenantError extends Error {}

/**
 * `tenant set`: one setting (or `timeZone`) of a tenant, validated by applySetting and by `check`
 * (the SCIM layer checks the names of the property mapping against its catalogue; InvalidSettingError),
 * stamping settings_changed_at so that every User and Group shows as changed to delta readers.
 */
export async function updateTenantSetting(
  db: Knex, slug: string, setting: string, value: string, now: Date, check: (settings: TenantSettings) => void = () => {},
): Promise<Tenant> {
  return (await updateTenantSettings(db, slug, [[setting, value]], now, check)).after;
}

/**
 * Several settings at once, in one transaction: all are applied or none. `onChange` runs in the
 * transaction with the tenant before and after (the admin audit).
 */
export async function updateTenantSettings(
  db: Knex, slug: string, changes: [setting: string, value: string][], now: Date, check: (settings: TenantSettings) => void = () => {},
  onChange?: (trx: Knex.Transaction, before: Tenant, after: Tenant) => Promise<void>,
): Promise<{ before: Tenant; after: Tenant }> {
  const result = await db.transaction(async (trx) => {
    const row = await trx("tenants").where({ slug }).forUpdate().first();
    if (!row) throw new UnknownTenantError(`Unknown tenant "${slug}"`);
    let settings: Record<string, unknown> = row.settings ?? {};
    const change: Record<string, unknown> = {};
    let stamp = false;
    for (const [setting, value] of changes) {
      if (setting === "timeZone") change.time_zone = value;
      else settings = applySetting(settings, setting, value);
      stamp ||= changesRepresentation(setting);
    }
    if (changes.some(([s]) => s !== "timeZone")) {
      check(normaliseSettings(settings));
      change.settings = JSON.stringify(settings);
    }
    // The zone, futureEmployeesActive and the representation settings rewrite every employee's
    // stored state (migration 005's tenant trigger): seconds on a large tenant, past a request's bound.
    if (stamp || change.time_zone !== undefined) await withStatementTimeout(trx, BULK_WRITE_STATEMENT_TIMEOUT_MS);
    const [updated] = await trx("tenants").where({ id: row.id }).update({ ...change, updated_at: now, ...(stamp ? { settings_changed_at: now } : {}) }).returning("*");
    const result = { before: toTenant(row), after: toTenant(updated) };
    await onChange?.(trx, result.before, result.after);
    return result;
  });
  // Tokens verified with the old settings are kept with their tenant (auth/verified-token-cache.ts).
  forgetVerifiedTokens({ tenantId: result.after.id });
  return result;
}

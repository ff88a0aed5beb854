// Tenants: lookup and creation. A tenant's settings are normalised once when it is loaded.
import type { Knex } from "knex";
import { IANAZone } from "luxon";
import { applySetting, changesRepresentation, normaliseSettings, type TenantSettings } from "./tenant-settings.js";

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
  return db.transaction(async (trx) => {
    const row = await trx("tenants").where({ slug }).forUpdate().first();
    if (!row) throw new UnknownTenantError(`Unknown tenant "${slug}"`);
    let change: Record<string, unknown>;
    if (setting === "timeZone") change = { time_zone: value };
    else {
      const next = applySetting(row.settings ?? {}, setting, value);
      check(normaliseSettings(next));
      change = { settings: JSON.stringify(next) };
    }
    const stamp = changesRepresentation(setting) ? { settings_changed_at: now } : {};
    const [updated] = await trx("tenants").where({ id: row.id }).update({ ...change, updated_at: now, ...stamp }).returning("*");
    return toTenant(updated);
  });
}

// Tenants: lookup and creation. A tenant's settings are normalised once when it is loaded.
import type { Knex } from "knex";
import { IANAZone } from "luxon";
import { normaliseSettings, type TenantSettings } from "./tenant-settings";

export interface Tenant {
  id: number;
  slug: string;
  name: string;
  timeZone: string;
  settings: TenantSettings;
}

function toTenant(row: Record<string, any>): Tenant {
  return { id: row.id, slug: row.slug, name: row.name, timeZone: row.time_zone, settings: normaliseSettings(row.settings) };
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

// Tenant settings as administrators change them (admin API and `tenant set`): the values checked by
// hr/tenant-settings.ts and the SCIM catalogue (scim/services/tenant-settings.ts), stored in one
// transaction with the admin audit row (the effective settings before and after).
import type { Knex } from "knex";
import { InvalidSettingError, SETTING_NAMES } from "../hr/tenant-settings.js";
import { isValidTimeZone, UnknownTenantError, type Tenant } from "../hr/tenants.js";
import { effectiveSettings, lockedAttributes, setTenantSettings } from "../scim/services/tenant-settings.js";
import { recordAdminAction } from "./admin-audit.js";
import { badInput, notFoundProblem } from "./problems.js";
import { requireRole, type AdminActor } from "./roles.js";

export function tenantSettingsView(t: Tenant) {
  return { tenant: t.slug, name: t.name, timeZone: t.timeZone, ...effectiveSettings(t.settings) };
}

/** A JSON value as the text `tenant set` takes (hr/tenant-settings.ts applySetting). */
function settingText(name: string, value: unknown): string {
  if (name === "rateLimit" && value === null) return "default";
  if (typeof value === "string") {
    if (name === "groupTypes" || name === "allowedEmailDomains") throw badInput(`${name} must be an array of strings`);
    return value;
  }
  if (typeof value === "boolean" || typeof value === "number") return String(value);
  if (Array.isArray(value)) {
    if (!value.every((v) => typeof v === "string")) throw badInput(`${name} must be an array of strings`);
    return JSON.stringify(value);
  }
  if (value && typeof value === "object") return JSON.stringify(value);
  throw badInput(`${name} cannot be ${JSON.stringify(value)}`);
}

/**
 * Parses an admin API body of settings ({"timeZone": ..., "groupTypes": [...], ...}) into the
 * changes `tenant set` would make; unknown names and locked attributes are refused.
 */
export function parseSettingChanges(body: unknown): [string, string][] {
  if (!body || typeof body !== "object" || Array.isArray(body)) throw badInput("The body must be a JSON object of settings");
  const changes: [string, string][] = [];
  for (const [name, value] of Object.entries(body as Record<string, unknown>)) {
    if (!(SETTING_NAMES as readonly string[]).includes(name)) throw badInput(`Unknown setting ${JSON.stringify(name.slice(0, 100))}; expected some of ${SETTING_NAMES.join(", ")}`);
    if (name === "timeZone" && (typeof value !== "string" || !isValidTimeZone(value))) throw badInput(`Unknown time zone ${JSON.stringify(value)}: expected an IANA name such as Europe/Paris`);
    if (name === "propertyMapping" && value && typeof value === "object" && Array.isArray((value as { attributes?: unknown }).attributes)) {
      const locked = ((value as { attributes: unknown[] }).attributes).filter((a) => typeof a === "string" && lockedAttributes().includes(a));
      if (locked.length) throw badInput(`${locked.join(", ")} ${locked.length > 1 ? "are" : "is"} always exposed (locked): list only optional attributes in propertyMapping.attributes`);
    }
    changes.push([name, settingText(name, value)]);
  }
  if (changes.length === 0) throw badInput("No setting given");
  return changes;
}

export async function changeTenantSettings(db: Knex, actor: AdminActor, slug: string, changes: [string, string][], now: Date): Promise<Tenant> {
  requireRole(actor, "integration-admin");
  try {
    const { after } = await setTenantSettings(db, slug, changes, now, (trx, before, updated) => recordAdminAction(trx, {
      tenantId: before.id, at: now, actor: actor.label, action: "tenant.settings", target: slug,
      before: pick(tenantSettingsView(before), changes), after: pick(tenantSettingsView(updated), changes),
    }));
    return after;
  } catch (e) {
    if (e instanceof UnknownTenantError) throw notFoundProblem(e.message);
    if (e instanceof InvalidSettingError) throw badInput(e.message);
    if (e instanceof SyntaxError) throw badInput(`Invalid JSON for ${changes.length === 1 ? changes[0][0] : "a setting"}: ${e.message}`);
    throw e;
  }
}

function pick(view: Record<string, unknown>, changes: [string, string][]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name] of changes) out[name] = view[name];
  return out;
}

// Tenant settings as the SCIM layer sees them: the property mapping checked against the attribute
// catalogue (validation/json-schemas.ts) before it is stored, and the settings with the catalogue's
// defaults spelled out, for display. The CLI and the admin API change settings through here.
import type { Knex } from "knex";
import { InvalidSettingError, type TenantSettings } from "../../hr/tenant-settings.js";
import { updateTenantSetting, type Tenant } from "../../hr/tenants.js";
import { customNamespace, exposedKeys } from "../catalogue/catalogue.js";
import { propertyMappingProblems } from "../validation/validate.js";

/** Refuses settings whose property mapping names what the catalogue does not offer (InvalidSettingError). */
export function checkTenantSettings(settings: TenantSettings): void {
  const problems = propertyMappingProblems(settings.propertyMapping);
  if (problems.length) throw new InvalidSettingError(problems.join("; "));
}

/** One setting of a tenant (`tenant set`), checked here and in hr/tenant-settings.ts, then stored. */
export function setTenantSetting(db: Knex, slug: string, setting: string, value: string, now: Date): Promise<Tenant> {
  return updateTenantSetting(db, slug, setting, value, now, checkTenantSettings);
}

/** The settings with the defaults a null stands for (the exposed attributes, the custom namespace) written out. */
export function effectiveSettings(settings: TenantSettings): TenantSettings {
  const mapping = settings.propertyMapping;
  return { ...settings, propertyMapping: { ...mapping, attributes: [...exposedKeys(mapping)], namespace: customNamespace(mapping) } };
}

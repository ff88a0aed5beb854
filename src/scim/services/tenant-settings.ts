// Tenant settings as the SCIM layer sees them: the property mapping checked against the attribute
// catalogue (validation/json-schemas.ts) before it is stored, and the settings with the catalogue's
// defaults spelled out, for display. The CLI and the admin API change settings through here.
import type { Knex } from "knex";
import { InvalidSettingError, type TenantSettings } from "../../hr/tenant-settings.js";
import { updateTenantSetting, updateTenantSettings, type Tenant } from "../../hr/tenants.js";
import { customNamespace, exposedKeys } from "../catalogue/catalogue.js";
import { USER_SPECS } from "../catalogue/user.js";
import { ENTERPRISE_URN, USER_URN } from "../schema/urns.js";
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

/** Several settings at once (the admin API), checked as one; all stored or none. */
export function setTenantSettings(
  db: Knex, slug: string, changes: [string, string][], now: Date,
  onChange?: (trx: Knex.Transaction, before: Tenant, after: Tenant) => Promise<void>,
): Promise<{ before: Tenant; after: Tenant }> {
  return updateTenantSettings(db, slug, changes, now, checkTenantSettings, onChange);
}

export interface MappingChecklistItem {
  /** The property-mapping key (null for the attributes every tenant exposes). */
  key: string | null;
  /** The attribute path an identity provider's admin types (Okta's "external namespace" + name). */
  scimAttribute: string;
  /** The schema URN it lives in. */
  namespace: string;
  exposed: boolean;
  /** Always exposed: userName, name, emails, active. */
  locked: boolean;
}

/** The property mapping as a checklist: each attribute with the SCIM path and namespace it appears under. */
export function propertyMappingChecklist(settings: TenantSettings): MappingChecklistItem[] {
  const mapping = settings.propertyMapping;
  const exposed = exposedKeys(mapping);
  const urnOf = (slot: string, urn?: string) => urn ?? (slot === "core" ? USER_URN : slot === "enterprise" ? ENTERPRISE_URN : customNamespace(mapping));
  const items: MappingChecklistItem[] = [];
  for (const spec of USER_SPECS) {
    if (spec.name === "id") continue;
    const namespace = urnOf(spec.slot, spec.urn);
    const scimAttribute = namespace === USER_URN ? spec.name : `${namespace}:${spec.name}`;
    if (spec.exposure.kind === "always") items.push({ key: null, scimAttribute, namespace, exposed: true, locked: true });
    else if (spec.exposure.kind === "mapped") items.push({ key: spec.exposure.key, scimAttribute, namespace, exposed: exposed.has(spec.exposure.key), locked: false });
  }
  for (const name of Object.keys(mapping.extendedFields)) {
    const namespace = customNamespace(mapping);
    items.push({ key: null, scimAttribute: `${namespace}:${name}`, namespace, exposed: true, locked: false });
  }
  return items;
}

/** The attributes every tenant exposes (locked in the property mapping). */
export function lockedAttributes(): string[] {
  return USER_SPECS.filter((s) => s.exposure.kind === "always" && s.name !== "id").map((s) => s.name);
}

// A tenant's catalogue: the User (or Group) entries placed in their schemas (the custom namespace
// resolved to the tenant's URN, its extended fields and groups added), each marked exposed or not by
// the tenant's settings. Built once per distinct settings and cached. Every per-attribute decision
// (filter, sort, projection, selection, /Schemas, PATCH and PUT, the columns a page reads) reads it,
// through resolvePath (catalogue/resolve.ts).
import type { PropertyMapping, TenantSettings } from "../../hr/tenant-settings.js";
import { ENTERPRISE_URN, GROUP_URN, LUCCA_URN, USER_URN } from "../schema/urns.js";
import { groupSpecs } from "./group.js";
import type { CatalogueEntry, Column, WriteRule } from "./types.js";
import { extendedFieldSpec, groupsSpec, USER_META, USER_SPECS, type EntrySpec } from "./user.js";

export interface Catalogue {
  resourceType: "User" | "Group";
  coreUrn: string;
  /** Every entry, parents before their sub-attributes, in schema order. */
  entries: readonly CatalogueEntry[];
  /** Top-level entries in order. */
  topLevel: readonly CatalogueEntry[];
  /** The extension schema URNs that exposed attributes of this tenant live in, in order. */
  extensionUrns: readonly string[];
  /** Every schema URN a resource of this type may be addressed with (core, enterprise, custom namespace). */
  knownUrns: readonly string[];
  /** Stable default order and keyset tie-breaker. */
  idColumn: Column;
  /** Write-back fields by name ("givenName", "workEmail"), with their column and rules. */
  fields: ReadonlyMap<string, WriteRule>;
  /** The employees columns the entries show or write (what the people table must pass through). */
  hrColumns: readonly string[];
  isExposed(entry: CatalogueEntry): boolean;
  /** The direct sub-attributes of an entry. */
  children(entry: CatalogueEntry): readonly CatalogueEntry[];
  /** The entry of a canonical path, compared ignoring case (resolvePath is the way in for client text). */
  byPath(lowerPath: string): CatalogueEntry | undefined;
}

/** The property-mapping keys a tenant may expose, and whether each is exposed by default. */
export function mappableAttributes(): { key: string; exposedByDefault: boolean }[] {
  const out: { key: string; exposedByDefault: boolean }[] = [];
  for (const spec of USER_SPECS) if (spec.exposure.kind === "mapped") out.push({ key: spec.exposure.key, exposedByDefault: !!spec.exposedByDefault });
  return out;
}

/** The mapped attributes a tenant exposes: its own list, or the default one. */
export function exposedKeys(mapping: PropertyMapping): ReadonlySet<string> {
  return new Set(mapping.attributes ?? mappableAttributes().filter((a) => a.exposedByDefault).map((a) => a.key));
}

/** The custom namespaces a tenant may choose (docs/BEHAVIOUR.md section 3); the first is the default. */
export const NAMESPACES = [ENTERPRISE_URN, LUCCA_URN] as const;

/** The URN of the tenant's custom namespace (the enterprise one by default: what Okta admins are told to type). */
export function customNamespace(mapping: PropertyMapping): string {
  return mapping.namespace ?? NAMESPACES[0];
}

function build(resourceType: "User" | "Group", coreUrn: string, specs: EntrySpec[], namespace: string, exposedTop: (spec: EntrySpec) => boolean, knownUrns: string[]): Catalogue {
  const entries: CatalogueEntry[] = [];
  const exposed = new Set<CatalogueEntry>();
  const childrenOf = new Map<CatalogueEntry, CatalogueEntry[]>();
  const index = new Map<string, CatalogueEntry>();
  const slotUrn = (slot: EntrySpec["slot"]) => (slot === "core" ? coreUrn : slot === "enterprise" ? ENTERPRISE_URN : namespace);

  const place = (spec: EntrySpec, parent: CatalogueEntry | null, parentExposed: boolean) => {
    const urn = parent ? parent.urn : spec.urn ?? slotUrn(spec.slot);
    const path = parent ? `${parent.path}.${spec.name}` : urn === coreUrn ? spec.name : `${urn}:${spec.name}`;
    const { subs, slot: _slot, exposedByDefault: _default, urn: _urn, ...rest } = spec;
    const entry: CatalogueEntry = { ...rest, path, urn, parent: parent?.path ?? null };
    entries.push(entry);
    index.set(path.toLowerCase(), entry);
    const isExposed = parentExposed && (parent !== null || exposedTop(spec));
    if (isExposed) exposed.add(entry);
    if (parent) childrenOf.set(parent, [...(childrenOf.get(parent) ?? []), entry]);
    for (const sub of subs ?? []) place(sub, entry, isExposed);
  };
  for (const spec of specs) place(spec, null, true);

  const fields = new Map<string, WriteRule>();
  const rule = (r: WriteRule) => { if (!fields.has(r.field)) fields.set(r.field, r); };
  for (const entry of entries) {
    if (entry.write) rule(entry.write);
    for (const element of entry.elements ?? []) for (const r of Object.values(element.writes ?? {})) rule(r);
  }
  const hrColumns = [...new Set([...entries.flatMap((e) => (e.hr ? [e.hr.column] : [])), ...[...fields.values()].map((f) => f.column)])];
  const topLevel = entries.filter((e) => e.parent === null);
  const extensionUrns = [...new Set(topLevel.filter((e) => exposed.has(e) && e.urn !== coreUrn).map((e) => e.urn))];
  return {
    resourceType, coreUrn, entries, topLevel, extensionUrns, knownUrns, fields, hrColumns,
    idColumn: index.get("id")!.column!,
    isExposed: (entry) => exposed.has(entry),
    children: (entry) => childrenOf.get(entry) ?? [],
    byPath: (lowerPath) => index.get(lowerPath),
  };
}

/**
 * A catalogue of the given entries, all exposed (for resource types or test maps that are not a
 * tenant's User or Group catalogue). The custom-namespace slot resolves to `namespace`.
 */
export function catalogueFromSpecs(resourceType: "User" | "Group", coreUrn: string, specs: EntrySpec[], namespace = ENTERPRISE_URN): Catalogue {
  const urns = [...new Set([coreUrn, ENTERPRISE_URN, namespace, ...specs.flatMap((s) => (s.urn ? [s.urn] : []))])];
  return build(resourceType, coreUrn, specs, namespace, () => true, urns);
}

/** The User entries with the tenant's userName source applied to the write rules. */
function userSpecs(settings: TenantSettings): EntrySpec[] {
  const specs = [...USER_SPECS, groupsSpec(settings.groupTypes)];
  for (const [name, key] of Object.entries(settings.propertyMapping.extendedFields)) specs.push(extendedFieldSpec(name, key));
  specs.push(USER_META);
  if (settings.userNameSource !== "workEmail") return specs;
  // userName is the work email: a userName write lands on the work email, which becomes required.
  const email = USER_SPECS.find((s) => s.name === "emails")!.subs!.find((s) => s.name === "value")!.write!;
  const required: WriteRule = { ...email, required: true };
  const withRule = (spec: EntrySpec): EntrySpec => {
    if (spec.name === "userName" && spec.slot === "core" && spec.write) return { ...spec, write: required };
    if (spec.name === "emails") {
      return {
        ...spec,
        subs: spec.subs!.map((s) => (s.name === "value" ? { ...s, write: required } : s)),
        elements: spec.elements!.map((e) => ({ ...e, writes: { ...e.writes, value: required } })),
      };
    }
    return spec;
  };
  return specs.map(withRule);
}

/**
 * Catalogues built once per distinct settings: looked up first by the settings object (a tenant's
 * settings are never changed in place, a change makes a new object, and a tenant kept with its
 * verified token keeps its object, so most requests skip the key), then by the key of what the
 * catalogue depends on.
 */
class CatalogueCache {
  private readonly bySettings = new WeakMap<TenantSettings, Catalogue>();
  private readonly byKey = new Map<string, Catalogue>();

  constructor(private readonly keyOf: (settings: TenantSettings) => string, private readonly make: (settings: TenantSettings) => Catalogue) {}

  get(settings: TenantSettings): Catalogue {
    let catalogue = this.bySettings.get(settings);
    if (catalogue) return catalogue;
    const key = this.keyOf(settings);
    catalogue = this.byKey.get(key);
    if (!catalogue) {
      catalogue = this.make(settings);
      if (this.byKey.size > 1000) this.byKey.clear();
      this.byKey.set(key, catalogue);
    }
    this.bySettings.set(settings, catalogue);
    return catalogue;
  }
}

const userCatalogues = new CatalogueCache(
  ({ propertyMapping, groupTypes, userNameSource }) => JSON.stringify([propertyMapping, [...groupTypes].sort(), userNameSource]),
  (settings) => {
    const { propertyMapping: mapping, groupTypes } = settings;
    const keys = exposedKeys(mapping);
    const exposedTop = (spec: EntrySpec) => {
      switch (spec.exposure.kind) {
        case "always": return true;
        case "mapped": return keys.has(spec.exposure.key);
        case "groups": return groupTypes.length > 0;
        case "extended": return true;
      }
    };
    const namespace = customNamespace(mapping);
    return build("User", USER_URN, userSpecs(settings), namespace, exposedTop, [...new Set([USER_URN, ENTERPRISE_URN, LUCCA_URN, namespace])]);
  },
);

const groupCatalogues = new CatalogueCache(
  (settings) => JSON.stringify([...settings.groupTypes].sort()),
  (settings) => build("Group", GROUP_URN, groupSpecs(settings.groupTypes), GROUP_URN, () => true, [GROUP_URN]),
);

/** A tenant's User catalogue, for its property mapping, group types and userName source. */
export function userCatalogue(settings: TenantSettings): Catalogue {
  return userCatalogues.get(settings);
}

/** A tenant's Group catalogue, for its enabled group types. */
export function groupCatalogue(settings: TenantSettings): Catalogue {
  return groupCatalogues.get(settings);
}

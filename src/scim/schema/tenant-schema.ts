// The schemas one tenant exposes (RFC 7643 section 7, docs/BEHAVIOUR.md section 3), read from its
// catalogue: exactly the attributes resources, filters and sorting use, with their mutability; the
// Group schema when the tenant's groups are served.
import type { TenantSettings } from "../../hr/tenant-settings.js";
import { groupCatalogue, userCatalogue, type Catalogue } from "../catalogue/catalogue.js";
import type { CatalogueEntry } from "../catalogue/types.js";
import type { AttributeDefinition, SchemaResource } from "./attribute-definition.js";
import { ENTERPRISE_URN, GROUP_URN, LUCCA_URN, SCHEMA_URN, USER_URN } from "./urns.js";

export interface TenantSchemaOptions {
  /** Whether the tenant's groups are served (Group schema, User `groups`). */
  groupsEnabled: boolean;
  /** Absolute SCIM base URL for `meta.location`; without it the location is relative (`/Schemas/<urn>`). */
  baseUrl?: string;
}

const SCHEMA_NAMES: Record<string, { name: string; description: string }> = {
  [USER_URN]: { name: "User", description: "An employee of the tenant, with the attributes its property mapping exposes" },
  [ENTERPRISE_URN]: { name: "EnterpriseUser", description: "Enterprise User: HR organisation data of the employee, read-only" },
  [LUCCA_URN]: { name: "LuccaUser", description: "HR properties without a standard SCIM attribute, read-only" },
  [GROUP_URN]: { name: "Group", description: "A group of the organisation (department, establishment, legal unit or country), read-only" },
};

/** An entry and its exposed sub-attributes as an RFC 7643 attribute definition. */
function definitionOf(catalogue: Catalogue, entry: CatalogueEntry): AttributeDefinition {
  const subs = catalogue.children(entry).filter((c) => catalogue.isExposed(c));
  return { name: entry.name, ...structuredClone(entry.definition), ...(subs.length ? { subAttributes: subs.map((s) => definitionOf(catalogue, s)) } : {}) };
}

function schemaResource(urn: string, attributes: AttributeDefinition[], baseUrl = ""): SchemaResource {
  return {
    schemas: [SCHEMA_URN],
    id: urn,
    ...SCHEMA_NAMES[urn],
    attributes,
    meta: { resourceType: "Schema", location: `${baseUrl}/Schemas/${urn}` },
  };
}

/** One Schema resource per schema URN of the catalogue's exposed top-level attributes, core first. */
function catalogueSchemas(catalogue: Catalogue, baseUrl?: string): SchemaResource[] {
  const byUrn = new Map<string, AttributeDefinition[]>([[catalogue.coreUrn, []]]);
  for (const entry of catalogue.topLevel) {
    if (!catalogue.isExposed(entry) || entry.common) continue;
    byUrn.set(entry.urn, [...(byUrn.get(entry.urn) ?? []), definitionOf(catalogue, entry)]);
  }
  return [...byUrn].map(([urn, attributes]) => schemaResource(urn, attributes, baseUrl));
}

/**
 * The Schema resources of a tenant (RFC 7643 section 7): the core User schema with the attributes
 * its catalogue exposes, each extension schema that carries at least one exposed attribute (custom
 * attributes join the enterprise schema or form the lucca one, per `propertyMapping.namespace`),
 * and the Group schema when groups are served.
 */
export function tenantSchemas(settings: TenantSettings, opts: TenantSchemaOptions): SchemaResource[] {
  const result = catalogueSchemas(userCatalogue(settings), opts.baseUrl);
  if (opts.groupsEnabled) result.push(...catalogueSchemas(groupCatalogue(settings), opts.baseUrl));
  return result;
}

/** The core User URN and the extension URNs this tenant's users may carry (ResourceType schemaExtensions). */
export function userSchemaUrns(settings: TenantSettings): string[] {
  return [USER_URN, ...userCatalogue(settings).extensionUrns];
}

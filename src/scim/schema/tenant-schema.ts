// The schemas one tenant exposes (RFC 7643 section 7, product.md section 3): the User attributes
// of the tenant's user map and nothing else, so /Schemas describes exactly what resources,
// filters and sorting use; plus the Group schema when the tenant's groups are served.
import { ENTERPRISE_URN, LUCCA_URN, type TenantSettings } from "../../hr/tenant-settings.js";
import { userMap } from "../mapping/user-map.js";
import { attribute, complex, readOnly, type AttributeDefinition, type SchemaResource } from "./attribute-definition.js";
import { GROUP_URN, SCHEMA_URN, USER_URN } from "./urns.js";
import {
  CUSTOM_ATTRIBUTE_DEFINITIONS, ENTERPRISE_ATTRIBUTES, extendedFieldDefinition, userCoreAttributes, type CustomAttribute,
} from "./user-schema.js";

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

/** The Group schema (RFC 7643 section 4.2) as hr-scim serves it: everything read-only. */
const GROUP_ATTRIBUTES: AttributeDefinition[] = [
  attribute("id", "string", "\"<TYPE>-<hr id>\", e.g. \"LUCCA_DEPT-12\" or \"LUCCA_COUNTRY-FR\".", {
    caseExact: true, returned: "always", uniqueness: "server",
  }),
  attribute("externalId", "string", "Identifier of the group in the identity provider.", { caseExact: true }),
  attribute("displayName", "string", "\"<TYPE> <name>\", e.g. \"LUCCA_DEPT Engineering\"; unique per tenant.", {
    required: true, uniqueness: "server",
  }),
  complex("members", "Users in the group that the calling token can see.", [
    attribute("value", "string", "id of the member User.", { caseExact: true }),
    attribute("$ref", "reference", "URI of the member User.", { referenceTypes: ["User"], caseExact: true }),
    attribute("display", "string", "displayName of the member User."),
    attribute("type", "string", "Always \"User\".", { canonicalValues: ["User"] }),
  ], { multiValued: true }),
].map(readOnly);

function schemaResource(urn: string, attributes: AttributeDefinition[], baseUrl = ""): SchemaResource {
  return {
    schemas: [SCHEMA_URN],
    id: urn,
    ...SCHEMA_NAMES[urn],
    // A copy: the definitions are shared module data, and callers may decorate what they get.
    attributes: structuredClone(attributes),
    meta: { resourceType: "Schema", location: `${baseUrl}/Schemas/${urn}` },
  };
}

/** Splits a map path `<URN>:<attr>[.<sub>]` into the URN and the top-level attribute name. */
function splitExtensionPath(path: string): { urn: string; name: string } {
  const colon = path.lastIndexOf(":");
  return { urn: path.slice(0, colon), name: path.slice(colon + 1).split(".")[0] };
}

function extensionDefinition(urn: string, name: string, settings: TenantSettings): AttributeDefinition {
  const enterprise = urn === ENTERPRISE_URN ? ENTERPRISE_ATTRIBUTES.find((a) => a.name === name) : undefined;
  if (enterprise) return enterprise;
  if (Object.hasOwn(CUSTOM_ATTRIBUTE_DEFINITIONS, name)) return CUSTOM_ATTRIBUTE_DEFINITIONS[name as CustomAttribute];
  if (Object.hasOwn(settings.propertyMapping.extendedFields, name)) return extendedFieldDefinition(name);
  // The user map and these definitions must move together; a gap is a bug, not a client error.
  throw new Error(`No schema definition for mapped attribute ${urn}:${name}`);
}

/**
 * The Schema resources of a tenant (RFC 7643 section 7): the core User schema with the attributes
 * its user map exposes, each extension schema that carries at least one exposed attribute (custom
 * attributes join the enterprise schema or form the lucca one, per `propertyMapping.namespace`),
 * and the Group schema when groups are served.
 */
export function tenantSchemas(settings: TenantSettings, opts: TenantSchemaOptions): SchemaResource[] {
  const map = userMap(settings.propertyMapping);
  const paths = [...map.attributes.values()].map((e) => e.path);
  const lowered = new Set(paths.map((p) => p.toLowerCase()));
  const mapped = (name: string) => {
    const key = name.toLowerCase();
    return lowered.has(key) || [...lowered].some((p) => p.startsWith(`${key}.`));
  };

  const core = userCoreAttributes(opts).filter((a) => a.name === "groups" || mapped(a.name));
  const extensions = new Map<string, AttributeDefinition[]>();
  for (const path of paths) {
    if (!path.startsWith("urn:")) continue;
    const { urn, name } = splitExtensionPath(path);
    const list = extensions.get(urn) ?? [];
    if (!list.some((a) => a.name === name)) list.push(extensionDefinition(urn, name, settings));
    extensions.set(urn, list);
  }

  const result = [schemaResource(USER_URN, core, opts.baseUrl)];
  for (const [urn, attributes] of extensions) result.push(schemaResource(urn, attributes, opts.baseUrl));
  if (opts.groupsEnabled) result.push(schemaResource(GROUP_URN, GROUP_ATTRIBUTES, opts.baseUrl));
  return result;
}

/** The core User URN and the extension URNs this tenant's users may carry (ResourceType schemaExtensions). */
export function userSchemaUrns(settings: TenantSettings): string[] {
  return [USER_URN, ...userMap(settings.propertyMapping).extensionSchemas];
}

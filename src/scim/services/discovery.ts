// Discovery endpoints (RFC 7644 section 4, RFC 7643 sections 5-7): what this server supports and
// what one tenant exposes. Pure functions of the base URL and tenant settings; the routes wrap
// lists in a ListResponse and answer 404 where a lookup returns undefined.
import type { TenantSettings } from "../../hr/tenant-settings.js";
import { CURSOR_TIMEOUT_SECONDS } from "../cursor.js";
import type { SchemaResource } from "../schema/attribute-definition.js";
import { tenantSchemas, userSchemaUrns } from "../schema/tenant-schema.js";
import { GROUP_URN, RESOURCE_TYPE_URN, SERVICE_PROVIDER_CONFIG_URN, USER_URN } from "../schema/urns.js";

export interface PagingLimits {
  maxPageSize: number;
  defaultPageSize: number;
  /** Most resources one filtered request returns; defaults to maxPageSize. */
  maxFilterResults?: number;
}

export interface DiscoveryOptions {
  /** Whether the tenant's groups are served. */
  groupsEnabled: boolean;
}

export interface ResourceTypeResource {
  schemas: string[];
  id: string;
  name: string;
  endpoint: string;
  description: string;
  schema: string;
  schemaExtensions: { schema: string; required: boolean }[];
  meta: { resourceType: "ResourceType"; location: string };
}

/**
 * The ServiceProviderConfig (RFC 7643 section 5, with the RFC 9865 section 4 `pagination` block),
 * honest about today: PATCH on Users (write-back, for tokens with users:write), ETags, no bulk,
 * no password change.
 */
export function serviceProviderConfig(base: string, limits: PagingLimits) {
  return {
    schemas: [SERVICE_PROVIDER_CONFIG_URN],
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: limits.maxFilterResults ?? limits.maxPageSize },
    changePassword: { supported: false },
    sort: { supported: true },
    etag: { supported: true },
    authenticationSchemes: [{
      type: "oauthbearertoken",
      name: "OAuth Bearer Token",
      description: "Per-tenant API token in the Authorization: Bearer header",
      specUri: "https://www.rfc-editor.org/rfc/rfc6750",
      primary: true,
    }],
    pagination: {
      cursor: true,
      index: true,
      defaultPaginationMethod: "index",
      defaultPageSize: limits.defaultPageSize,
      maxPageSize: limits.maxPageSize,
      cursorTimeout: CURSOR_TIMEOUT_SECONDS,
    },
    meta: { resourceType: "ServiceProviderConfig", location: `${base}/ServiceProviderConfig` },
  };
}

export type ServiceProviderConfig = ReturnType<typeof serviceProviderConfig>;

/** The ResourceTypes (RFC 7643 section 6): User with the tenant's extensions, Group when served. */
export function resourceTypes(base: string, settings: TenantSettings, opts: DiscoveryOptions): ResourceTypeResource[] {
  const [, ...extensions] = userSchemaUrns(settings);
  const meta = (id: string) => ({ resourceType: "ResourceType" as const, location: `${base}/ResourceTypes/${id}` });
  const types: ResourceTypeResource[] = [{
    schemas: [RESOURCE_TYPE_URN],
    id: "User",
    name: "User",
    endpoint: "/Users",
    description: "Employees of the tenant, projected from HR",
    schema: USER_URN,
    schemaExtensions: extensions.map((schema) => ({ schema, required: false })),
    meta: meta("User"),
  }];
  if (opts.groupsEnabled) {
    types.push({
      schemas: [RESOURCE_TYPE_URN],
      id: "Group",
      name: "Group",
      endpoint: "/Groups",
      description: "Groups of the organisation (departments, establishments, legal units, countries), read-only",
      schema: GROUP_URN,
      schemaExtensions: [],
      meta: meta("Group"),
    });
  }
  return types;
}

/** The Schemas (RFC 7643 section 7) of the tenant, with absolute locations under `base`. */
export function schemas(base: string, settings: TenantSettings, opts: DiscoveryOptions): SchemaResource[] {
  return tenantSchemas(settings, { ...opts, baseUrl: base });
}

/** GET /ResourceTypes/{id}; the id is matched case-insensitively. undefined -> 404. */
export function findResourceType(base: string, settings: TenantSettings, opts: DiscoveryOptions, id: string): ResourceTypeResource | undefined {
  return resourceTypes(base, settings, opts).find((t) => t.id.toLowerCase() === id.toLowerCase());
}

/** GET /Schemas/{urn}; URNs are matched case-insensitively. undefined -> 404. */
export function findSchema(base: string, settings: TenantSettings, opts: DiscoveryOptions, id: string): SchemaResource | undefined {
  return schemas(base, settings, opts).find((s) => s.id.toLowerCase() === id.toLowerCase());
}

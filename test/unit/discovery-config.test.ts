// /ServiceProviderConfig and /ResourceTypes: honest about what is supported today, and about what
// one tenant exposes.
import { describe, expect, it } from "vitest";
import { defaultSettings, type TenantSettings } from "../../src/hr/tenant-settings.js";
import { ENTERPRISE_URN, GROUP_URN, LUCCA_URN, RESOURCE_TYPE_URN, SERVICE_PROVIDER_CONFIG_URN, USER_URN } from "../../src/scim/schema/urns.js";
import { findResourceType, findSchema, resourceTypes, serviceProviderConfig } from "../../src/scim/services/discovery.js";

const BASE = "https://scim.example.com/scim/v2";
const LIMITS = { maxPageSize: 1000, defaultPageSize: 100 };

function settingsWith(mapping: Partial<TenantSettings["propertyMapping"]>): TenantSettings {
  const settings = defaultSettings();
  return { ...settings, propertyMapping: { ...settings.propertyMapping, ...mapping } };
}

describe("serviceProviderConfig", () => {
  const spc = serviceProviderConfig(BASE, LIMITS);

  it("announces the RFC 9865 pagination block with index paging as the default", () => {
    expect(spc.pagination).toEqual({
      cursor: true, index: true, defaultPaginationMethod: "index", defaultPageSize: 100, maxPageSize: 1000, cursorTimeout: 3600,
    });
  });

  it("says PATCH is supported (write-back) and bulk and password changes are not", () => {
    expect(spc.patch).toEqual({ supported: true });
    expect(spc.bulk).toEqual({ supported: false, maxOperations: 0, maxPayloadSize: 0 });
    expect(spc.changePassword).toEqual({ supported: false });
  });

  it("says filter, sort and etag are supported, with the page size cap as the filter cap", () => {
    expect(spc.filter).toEqual({ supported: true, maxResults: 1000 });
    expect(spc.sort).toEqual({ supported: true });
    expect(spc.etag).toEqual({ supported: true });
    expect(serviceProviderConfig(BASE, { ...LIMITS, maxFilterResults: 200 }).filter.maxResults).toBe(200);
  });

  it("describes bearer token authentication as the primary scheme", () => {
    expect(spc.authenticationSchemes).toEqual([expect.objectContaining({ type: "oauthbearertoken", name: "OAuth Bearer Token", primary: true })]);
  });

  it("carries its schema and an absolute location", () => {
    expect(spc.schemas).toEqual([SERVICE_PROVIDER_CONFIG_URN]);
    expect(spc.meta).toEqual({ resourceType: "ServiceProviderConfig", location: `${BASE}/ServiceProviderConfig` });
    expect(spc).not.toHaveProperty("documentationUri");
  });
});

describe("resourceTypes", () => {
  it("serves User with the enterprise extension the default mapping exposes", () => {
    expect(resourceTypes(BASE, defaultSettings(), { groupsEnabled: false })).toEqual([{
      schemas: [RESOURCE_TYPE_URN], id: "User", name: "User", endpoint: "/Users",
      description: expect.any(String), schema: USER_URN,
      schemaExtensions: [{ schema: ENTERPRISE_URN, required: false }],
      meta: { resourceType: "ResourceType", location: `${BASE}/ResourceTypes/User` },
    }]);
  });

  it("lists no extension when the tenant exposes none", () => {
    const [user] = resourceTypes(BASE, settingsWith({ attributes: [], extendedFields: {} }), { groupsEnabled: false });
    expect(user.schemaExtensions).toEqual([]);
  });

  it("lists the lucca extension when custom attributes live there", () => {
    const [user] = resourceTypes(BASE, settingsWith({ attributes: ["dtContractStart"], namespace: LUCCA_URN }), { groupsEnabled: false });
    expect(user.schemaExtensions).toEqual([{ schema: LUCCA_URN, required: false }]);
  });

  it("serves Group only when groups are enabled", () => {
    expect(resourceTypes(BASE, defaultSettings(), { groupsEnabled: false }).map((t) => t.id)).toEqual(["User"]);
    const group = resourceTypes(BASE, defaultSettings(), { groupsEnabled: true })[1];
    expect(group).toMatchObject({
      id: "Group", name: "Group", endpoint: "/Groups", schema: GROUP_URN, schemaExtensions: [],
      meta: { resourceType: "ResourceType", location: `${BASE}/ResourceTypes/Group` },
    });
  });
});

describe("findResourceType and findSchema", () => {
  const settings = defaultSettings();

  it("find by id, case-insensitively", () => {
    expect(findResourceType(BASE, settings, { groupsEnabled: false }, "user")?.id).toBe("User");
    expect(findSchema(BASE, settings, { groupsEnabled: false }, USER_URN.toLowerCase())?.id).toBe(USER_URN);
    expect(findSchema(BASE, settings, { groupsEnabled: false }, ENTERPRISE_URN)?.id).toBe(ENTERPRISE_URN);
  });

  it("return undefined for what the tenant does not serve", () => {
    expect(findResourceType(BASE, settings, { groupsEnabled: false }, "Group")).toBeUndefined();
    expect(findResourceType(BASE, settings, { groupsEnabled: false }, "Nope")).toBeUndefined();
    expect(findSchema(BASE, settings, { groupsEnabled: false }, GROUP_URN)).toBeUndefined();
    expect(findSchema(BASE, settings, { groupsEnabled: false }, LUCCA_URN)).toBeUndefined();
    expect(findSchema(BASE, settings, { groupsEnabled: true }, GROUP_URN)?.id).toBe(GROUP_URN);
  });
});

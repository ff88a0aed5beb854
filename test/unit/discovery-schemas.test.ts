// /Schemas describes exactly what a tenant exposes (docs/BEHAVIOUR.md section 3), with the
// mutability of write-back, and agrees with the user map that filters, sorts and projects.
import { describe, expect, it } from "vitest";
import { defaultSettings, type TenantSettings } from "../../src/hr/tenant-settings.js";
import { mappableAttributes, userCatalogue } from "../../src/scim/catalogue/catalogue.js";
import type { AttributeDefinition, SchemaResource } from "../../src/scim/schema/attribute-definition.js";
import { tenantSchemas, userSchemaUrns } from "../../src/scim/schema/tenant-schema.js";
import { ENTERPRISE_URN, GROUP_URN, LUCCA_URN, SCHEMA_URN, USER_URN } from "../../src/scim/schema/urns.js";
import { findSchema, schemas } from "../../src/scim/services/discovery.js";

const BASE = "https://scim.example.com/scim/v2";

function settingsWith(mapping: Partial<TenantSettings["propertyMapping"]>, rest: Partial<TenantSettings> = {}): TenantSettings {
  const settings = defaultSettings();
  return { ...settings, ...rest, propertyMapping: { ...settings.propertyMapping, ...mapping } };
}

const OPTIONAL_ATTRIBUTES = mappableAttributes().map((a) => a.key);

const demo = settingsWith({ attributes: [...OPTIONAL_ATTRIBUTES], extendedFields: {} });
const minimal = settingsWith({ attributes: [], extendedFields: {} });

const schemaOf = (list: SchemaResource[], urn: string) => list.find((s) => s.id === urn);
const names = (schema: SchemaResource | undefined) => schema?.attributes.map((a) => a.name);

/** Every attribute and sub-attribute as `path -> definition`, paths as in the user map. */
function flatten(list: SchemaResource[]): Map<string, AttributeDefinition> {
  const out = new Map<string, AttributeDefinition>();
  for (const schema of list) {
    const prefix = schema.id === USER_URN || schema.id === GROUP_URN ? "" : `${schema.id}:`;
    for (const a of schema.attributes) {
      out.set(`${prefix}${a.name}`, a);
      for (const sub of a.subAttributes ?? []) out.set(`${prefix}${a.name}.${sub.name}`, sub);
    }
  }
  return out;
}

describe("tenantSchemas with every optional attribute (the demo mapping)", () => {
  const list = tenantSchemas(demo, { groupsEnabled: false });
  const flat = flatten(list);

  it("serves the core User schema and the enterprise schema, nothing else", () => {
    expect(list.map((s) => s.id)).toEqual([USER_URN, ENTERPRISE_URN]);
  });

  it("lists every core attribute hr-scim projects, in RFC 7643 order", () => {
    expect(names(schemaOf(list, USER_URN))).toEqual([
      "id", "externalId", "userName", "name", "displayName", "emails", "phoneNumbers", "addresses", "title", "preferredLanguage", "active",
    ]);
  });

  it("puts the enterprise and custom attributes into the enterprise schema", () => {
    expect(names(schemaOf(list, ENTERPRISE_URN))).toEqual([
      "employeeNumber", "costCenter", "organization", "division", "department", "manager",
      "dtContractStart", "dtContractEnd", "establishment", "legalUnit", "countryCode",
    ]);
  });

  it("puts an extended field into the custom namespace, after the built-in attributes", () => {
    const withField = tenantSchemas(settingsWith({ attributes: ["dtContractStart"], extendedFields: { badge: "badge_id" } }), { groupsEnabled: false });
    expect(names(schemaOf(withField, ENTERPRISE_URN))).toEqual(["dtContractStart", "badge"]);
  });

  it.each([
    ["id", "readOnly"],
    ["externalId", "readWrite"],
    ["userName", "readWrite"],
    ["name", "readWrite"],
    ["name.givenName", "readWrite"],
    ["name.familyName", "readWrite"],
    ["name.formatted", "readOnly"],
    ["displayName", "readOnly"],
    ["emails", "readWrite"],
    ["emails.value", "readWrite"],
    ["emails.type", "readOnly"],
    ["emails.primary", "readOnly"],
    ["phoneNumbers", "readWrite"],
    ["phoneNumbers.value", "readWrite"],
    ["phoneNumbers.type", "readWrite"],
    ["addresses", "readOnly"],
    ["addresses.streetAddress", "readOnly"],
    ["title", "readWrite"],
    ["preferredLanguage", "readWrite"],
    ["active", "readOnly"],
    [`${ENTERPRISE_URN}:employeeNumber`, "readOnly"],
    [`${ENTERPRISE_URN}:organization`, "readOnly"],
    [`${ENTERPRISE_URN}:division`, "readOnly"],
    [`${ENTERPRISE_URN}:department`, "readOnly"],
    [`${ENTERPRISE_URN}:manager`, "readOnly"],
    [`${ENTERPRISE_URN}:manager.value`, "readOnly"],
    [`${ENTERPRISE_URN}:manager.$ref`, "readOnly"],
    [`${ENTERPRISE_URN}:manager.displayName`, "readOnly"],
    [`${ENTERPRISE_URN}:dtContractStart`, "readOnly"],
    [`${ENTERPRISE_URN}:dtContractEnd`, "readOnly"],
    [`${ENTERPRISE_URN}:establishment`, "readOnly"],
    [`${ENTERPRISE_URN}:legalUnit`, "readOnly"],
    [`${ENTERPRISE_URN}:countryCode`, "readOnly"],
    [`${ENTERPRISE_URN}:costCenter`, "readOnly"],
  ])("describes %s as %s", (path, mutability) => {
    expect(flat.get(path)?.mutability).toBe(mutability);
  });

  it("describes id as case-exact, unique, always returned", () => {
    expect(flat.get("id")).toMatchObject({ caseExact: true, uniqueness: "server", mutability: "readOnly", returned: "always" });
  });

  it("describes userName as required, unique and case-insensitive", () => {
    expect(flat.get("userName")).toMatchObject({ required: true, uniqueness: "server", caseExact: false, returned: "default" });
  });

  it("describes the custom attributes as strings", () => {
    for (const attr of ["dtContractStart", "dtContractEnd", "establishment", "legalUnit", "countryCode", "costCenter"]) {
      expect(flat.get(`${ENTERPRISE_URN}:${attr}`)?.type).toBe("string");
    }
  });

  it("describes manager as {value, $ref, displayName} with a User reference", () => {
    const manager = flat.get(`${ENTERPRISE_URN}:manager`);
    expect(manager?.subAttributes?.map((a) => a.name)).toEqual(["value", "$ref", "displayName"]);
    expect(flat.get(`${ENTERPRISE_URN}:manager.$ref`)).toMatchObject({ type: "reference", referenceTypes: ["User"] });
  });

  it("gives each schema its Schema resource envelope", () => {
    const [user] = schemas(BASE, demo, { groupsEnabled: false });
    expect(user).toMatchObject({
      schemas: [SCHEMA_URN], id: USER_URN, name: "User",
      meta: { resourceType: "Schema", location: `${BASE}/Schemas/${USER_URN}` },
    });
  });

  it("leaves meta and schemas out of the attributes (common attributes, RFC 7643 section 3.1)", () => {
    expect(flat.has("meta")).toBe(false);
    expect(flat.has("schemas")).toBe(false);
  });
});

describe("tenantSchemas with no optional attribute", () => {
  const list = tenantSchemas(minimal, { groupsEnabled: false });

  it("shows only the mandatory attributes and their computed companions", () => {
    expect(names(schemaOf(list, USER_URN))).toEqual(["id", "userName", "name", "displayName", "emails", "active"]);
  });

  it("serves no enterprise schema", () => {
    expect(list.map((s) => s.id)).toEqual([USER_URN]);
    expect(userSchemaUrns(minimal)).toEqual([USER_URN]);
    expect(findSchema(BASE, minimal, { groupsEnabled: false }, ENTERPRISE_URN)).toBeUndefined();
  });
});

describe("tenantSchemas with the lucca namespace", () => {
  it("puts the custom attributes into their own schema, next to the enterprise one", () => {
    const settings = settingsWith({ attributes: ["employeeNumber", "dtContractStart"], namespace: LUCCA_URN, extendedFields: { badge: "cc" } });
    const list = tenantSchemas(settings, { groupsEnabled: false });
    expect(list.map((s) => s.id)).toEqual([USER_URN, ENTERPRISE_URN, LUCCA_URN]);
    expect(names(schemaOf(list, ENTERPRISE_URN))).toEqual(["employeeNumber"]);
    expect(names(schemaOf(list, LUCCA_URN))).toEqual(["dtContractStart", "badge"]);
    expect(schemaOf(list, LUCCA_URN)?.attributes[0]).toMatchObject({ type: "string", mutability: "readOnly" });
    expect(userSchemaUrns(settings)).toEqual([USER_URN, ENTERPRISE_URN, LUCCA_URN]);
  });

  it("serves no enterprise schema when only custom attributes are mapped", () => {
    const settings = settingsWith({ attributes: ["dtContractStart", "dtContractEnd"], namespace: LUCCA_URN });
    expect(tenantSchemas(settings, { groupsEnabled: false }).map((s) => s.id)).toEqual([USER_URN, LUCCA_URN]);
  });

  it("serves no lucca schema when nothing lives in it", () => {
    const settings = settingsWith({ attributes: ["employeeNumber"], namespace: LUCCA_URN, extendedFields: {} });
    expect(tenantSchemas(settings, { groupsEnabled: false }).map((s) => s.id)).toEqual([USER_URN, ENTERPRISE_URN]);
  });
});

describe("tenantSchemas and groups", () => {
  it("has no Group schema and no User groups attribute while groups are not served", () => {
    const list = tenantSchemas(demo, { groupsEnabled: false });
    expect(schemaOf(list, GROUP_URN)).toBeUndefined();
    expect(names(schemaOf(list, USER_URN))).not.toContain("groups");
  });

  it("adds the read-only Group schema and User groups attribute when groups are served", () => {
    const list = tenantSchemas({ ...minimal, groupTypes: ["LUCCA_DEPT"] }, { groupsEnabled: true });
    const flat = flatten(list);
    expect(list.map((s) => s.id)).toEqual([USER_URN, GROUP_URN]);
    expect(names(schemaOf(list, GROUP_URN))).toEqual(["id", "externalId", "displayName", "members"]);
    expect(flat.get("members")?.subAttributes?.map((a) => a.name)).toEqual(["value", "$ref", "display", "type"]);
    for (const path of ["externalId", "displayName", "members", "members.value", "members.$ref", "members.display"]) {
      expect(flat.get(path)?.mutability, path).toBe("readOnly");
    }
    const groups = schemaOf(list, USER_URN)?.attributes.find((a) => a.name === "groups");
    expect(groups).toMatchObject({ multiValued: true, mutability: "readOnly" });
    expect(groups?.subAttributes?.map((a) => a.name)).toEqual(["value", "$ref", "display", "type"]);
  });
});

describe("schema definitions", () => {
  const mappings: [string, TenantSettings][] = [
    ["demo", demo],
    ["minimal", minimal],
    ["lucca", settingsWith({ attributes: [...OPTIONAL_ATTRIBUTES], namespace: LUCCA_URN, extendedFields: { badge: "badge_id" } })],
  ];

  it.each(mappings)("agree with the %s catalogue's filter columns on every exposed path and its caseExact", (_, settings) => {
    const flat = flatten(tenantSchemas(settings, { groupsEnabled: false }));
    const catalogue = userCatalogue(settings);
    for (const entry of catalogue.entries) {
      if (!catalogue.isExposed(entry) || entry.common || entry.path.startsWith("meta.")) continue;
      if (entry.column) expect(flat.get(entry.path)?.caseExact, entry.path).toBe(entry.column.caseExact);
      for (const [sub, source] of Object.entries(entry.elements?.[0]?.sub ?? {})) {
        expect(flat.get(`${entry.path}.${sub}`)?.caseExact, `${entry.path}.${sub}`).toBe(source.column.caseExact);
      }
    }
  });

  it.each(mappings)("carry every RFC 7643 section 7 characteristic (%s)", (_, settings) => {
    const check = (a: AttributeDefinition) => {
      expect(Object.keys(a)).toEqual(expect.arrayContaining([
        "name", "type", "multiValued", "description", "required", "caseExact", "mutability", "returned", "uniqueness",
      ]));
      if (a.type === "complex") expect(a.subAttributes?.length, a.name).toBeGreaterThan(0);
      else expect(a.subAttributes, a.name).toBeUndefined();
      if (a.type === "reference") expect(a.referenceTypes?.length, a.name).toBeGreaterThan(0);
      a.subAttributes?.forEach(check);
    };
    for (const schema of tenantSchemas(settings, { groupsEnabled: true })) schema.attributes.forEach(check);
  });

  it.each(OPTIONAL_ATTRIBUTES.map((a) => [a]))("show %s only when it is mapped", (attribute: string) => {
    const on = flatten(tenantSchemas(settingsWith({ attributes: [attribute] }), { groupsEnabled: false }));
    const off = flatten(tenantSchemas(minimal, { groupsEnabled: false }));
    const matches = (flat: Map<string, AttributeDefinition>) =>
      [...flat.keys()].filter((p) => p === attribute || p === `${ENTERPRISE_URN}:${attribute}`);
    expect(matches(on)).toHaveLength(1);
    expect(matches(off)).toHaveLength(0);
  });
});

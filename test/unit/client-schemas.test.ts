// What clients send, checked by ajv against JSON Schemas generated from the catalogue before any HR
// code runs: the forms Okta and Entra send pass (docs/CLIENTS.md items 24 and 25), wrong shapes are
// 400 with the offending path, refusals that are mutability keep that scimType, and tenant settings
// name only what the catalogue offers.
import { describe, expect, it } from "vitest";
import { defaultSettings } from "../../src/hr/tenant-settings.js";
import { userCatalogue } from "../../src/scim/catalogue/catalogue.js";
import { ScimError } from "../../src/scim/errors.js";
import { applyPatch, applyPut, writableUserFromRow } from "../../src/scim/patch/index.js";
import { ENTERPRISE_URN, LUCCA_URN } from "../../src/scim/schema/urns.js";
import { checkTenantSettings } from "../../src/scim/services/tenant-settings.js";
import { checkSearchRequest, propertyMappingProblems } from "../../src/scim/validation/validate.js";
import { settingsWith } from "./filter-maps.js";

const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const catalogue = userCatalogue(defaultSettings());
const user = writableUserFromRow(catalogue, {
  login: "ada", first_name: "Ada", last_name: "Lovelace", work_email: "ada@demo.example", work_phone: null, mobile_phone: null,
  job_title: null, preferred_language: null, external_id: null,
});
const patch = (...operations: unknown[]) => ({ schemas: [PATCH_OP], Operations: operations });

function refusal(run: () => unknown): ScimError {
  try { run(); } catch (e) { if (e instanceof ScimError) return e; throw e; }
  throw new Error("accepted");
}

describe("PATCH values", () => {
  it.each([
    ["Entra's path-less value with dotted and URN keys", { op: "Replace", value: { "name.givenName": "A", "urn:ietf:params:scim:schemas:core:2.0:User:title": "CTO" } }],
    ["explicit nulls", { op: "replace", path: "title", value: null }],
    ["booleans as strings in an element", { op: "add", path: "emails", value: [{ value: "a@demo.example", type: "work", primary: "True" }] }],
    ["an element's value as a bare string through a value filter", { op: "replace", path: 'phoneNumbers[type eq "mobile"]', value: "+33 6" }],
    ["sub-attribute names in any case", { op: "replace", path: "phoneNumbers", value: [{ Value: "+33 6", TYPE: "mobile" }] }],
  ])("accepts %s", (_, operation) => {
    expect(() => applyPatch(user, patch(operation), catalogue)).not.toThrow();
  });

  it.each([
    ["a number for a string", { op: "replace", path: "title", value: 5 }, "invalidValue", '"title" must be a string'],
    ["an object for name.givenName", { op: "replace", value: { name: { givenName: { x: 1 } } } }, "invalidValue", '"name.givenName" must be a string'],
    ["a non-boolean primary", { op: "add", path: "emails", value: [{ value: "a@demo.example", primary: "yes" }] }, "invalidValue", '"emails.primary" must be a boolean'],
    ["a sub-attribute hr-scim does not store", { op: "add", path: "emails", value: [{ value: "a@demo.example", label: "x" }] }, "invalidPath", '"emails.label"'],
    ["a number for an emails list", { op: "replace", path: "emails", value: 7 }, "invalidValue", '"emails" must be an array'],
  ])("refuses %s", (_, operation, scimType, detail) => {
    const error = refusal(() => applyPatch(user, patch(operation), catalogue));
    expect(error.scimType).toBe(scimType);
    expect(error.detail).toContain(detail);
  });

  it("keeps mutability for read-only attributes whatever their value's shape (Entra's manager array)", () => {
    const error = refusal(() => applyPatch(user, patch({ op: "replace", path: `${ENTERPRISE_URN}:manager`, value: [{ value: "1", $ref: "x" }] }), catalogue));
    expect(error.scimType).toBe("mutability");
  });
});

describe("PUT bodies", () => {
  it("accepts Okta's whole object with read-only attributes of any shape", () => {
    const body = { schemas: ["x"], id: "1", meta: { version: 'W/"x"' }, active: "yes", groups: "none", userName: "ada", name: { givenName: "Ada", familyName: "Lovelace", formatted: 3 } };
    expect(applyPut(user, body, catalogue).changes).toEqual([]);
  });

  it("refuses a writable attribute of the wrong type, naming it", () => {
    const error = refusal(() => applyPut(user, { userName: ["ada"] }, catalogue));
    expect(error.scimType).toBe("invalidValue");
    expect(error.detail).toContain('"userName" must be a string');
  });
});

describe("SearchRequest bodies", () => {
  it("accepts members in any case and numbers as strings", () => {
    expect(checkSearchRequest({ Filter: 'userName eq "a"', COUNT: "5", startindex: 1, attributes: ["userName"] })).toMatchObject({ filter: 'userName eq "a"', count: "5" });
  });

  it.each([
    [{ filter: 3 }, "filter"],
    [{ count: "many" }, "count"],
    [{ schemas: ["urn:nothing"] }, "SearchRequest"],
    [{ sortOrder: "sideways" }, "sortOrder"],
  ])("refuses %j with invalidSyntax", (body, detail) => {
    const error = refusal(() => checkSearchRequest(body));
    expect(error.scimType).toBe("invalidSyntax");
    expect(error.detail).toContain(detail);
  });
});

describe("tenant settings: the property mapping", () => {
  it("accepts the catalogue's attributes, namespaces and extended fields", () => {
    expect(propertyMappingProblems({ attributes: ["title", "costCenter", "manager"], namespace: LUCCA_URN, extendedFields: { badge: "badge_id" } })).toEqual([]);
    expect(propertyMappingProblems({ attributes: null, namespace: null, extendedFields: {} })).toEqual([]);
  });

  it.each([
    [{ attributes: ["shoeSize"], namespace: null, extendedFields: {} }, "shoeSize"],
    [{ attributes: [], namespace: "urn:example:x", extendedFields: {} }, "namespace"],
    [{ attributes: [], namespace: null, extendedFields: { Title: "t" } }, "Title"],
    [{ attributes: [], namespace: null, extendedFields: { costcenter: "t" } }, "costcenter"],
    [{ attributes: [], namespace: null, extendedFields: { x: "bad key" } }, "extendedFields.x"],
    [{ attributes: [], namespace: null, extendedFields: {}, extra: 1 }, "extra"],
  ])("refuses %j", (mapping, detail) => {
    const problems = propertyMappingProblems(mapping);
    expect(problems.join(" ")).toContain(detail);
    expect(() => checkTenantSettings(settingsWith(mapping as never))).toThrow();
  });
});

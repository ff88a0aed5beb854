// PATCH on the writable HR fields of a user (RFC 7644 section 3.5.2 and Entra's dialect,
// docs/CLIENTS.md item 25): what each operation changes, what is refused with which scimType, and
// atomicity.
import { describe, expect, it } from "vitest";
import { defaultSettings } from "../../src/hr/tenant-settings.js";
import { userCatalogue, type Catalogue } from "../../src/scim/catalogue/catalogue.js";
import { ENTERPRISE_URN, LUCCA_URN } from "../../src/scim/schema/urns.js";
import { settingsWith } from "./filter-maps.js";
import { refusal } from "./scim-refusal.js";
import { applyPatch, type WritableUser } from "../../src/scim/patch/index.js";

const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const CORE = "urn:ietf:params:scim:schemas:core:2.0:User";

const ADA: WritableUser = {
  externalId: "ext-ada",
  userName: "ada.lovelace",
  givenName: "Ada",
  familyName: "Lovelace",
  workEmail: "ada.lovelace@demo.example",
  workPhone: "+33 1 23 45 67 89",
  mobilePhone: null,
  title: "CTO",
  preferredLanguage: "en-GB",
};

/** The default property mapping: everything writable is exposed. */
const LOGIN: Catalogue = userCatalogue(defaultSettings());
/** userName is the work email. */
const BY_EMAIL: Catalogue = userCatalogue({ ...defaultSettings(), userNameSource: "workEmail" });
/** Only the four mandatory attributes exposed. */
const MINIMAL: Catalogue = userCatalogue(settingsWith({ attributes: [], namespace: LUCCA_URN, extendedFields: { badge: "badge_id" } }));

const patch = (...operations: unknown[]) => ({ schemas: [PATCH_OP], Operations: operations });

interface Case {
  name: string;
  operations: unknown[];
  user?: Partial<WritableUser>;
  tenant?: Catalogue;
  /** The fields that change, with their new values; {} for none. */
  changes: Partial<WritableUser>;
}

function runCases(cases: Case[]) {
  it.each(cases)("$name", ({ operations, user: overrides, tenant, changes }) => {
    const user = { ...ADA, ...overrides } as WritableUser;
    const result = applyPatch(user, patch(...operations), tenant ?? LOGIN);
    expect(Object.fromEntries(result.changes.map((c) => [c.field, c.after]))).toEqual(changes);
    expect(result.changes.every((c) => c.before === user[c.field])).toBe(true);
    expect(result.next).toEqual({ ...user, ...changes });
  });
}

describe("applyPatch: Entra's dialect (docs/CLIENTS.md item 25)", () => {
  runCases([
    { name: "accepts Replace with a capital letter", operations: [{ op: "Replace", path: "name.givenName", value: "Augusta" }], changes: { givenName: "Augusta" } },
    { name: "accepts Add with a capital letter", operations: [{ op: "Add", path: "title", value: "Countess" }], changes: { title: "Countess" } },
    { name: "accepts Remove with a capital letter", operations: [{ op: "Remove", path: "title" }], changes: { title: null } },
    { name: "accepts op names in any case", operations: [{ op: "rEPLACE", path: "preferredLanguage", value: "fr-FR" }], changes: { preferredLanguage: "fr-FR" } },
    {
      name: "chooses the untyped email marked primary with the string \"True\" among others marked \"False\"",
      operations: [{ op: "Add", path: "emails", value: [{ value: "a@demo.example", primary: "False" }, { value: "b@demo.example", primary: "True" }] }],
      changes: { workEmail: "b@demo.example" },
    },
    { name: "matches the bare boolean True in a path filter", operations: [{ op: "Replace", path: "emails[primary eq True].value", value: "ada@demo.example" }], changes: { workEmail: "ada@demo.example" } },
    { name: "matches the string \"true\" against the primary phone number", operations: [{ op: "Replace", path: 'phoneNumbers[primary eq "true"].value', value: "+33 1 00 00 00 00" }], changes: { workPhone: "+33 1 00 00 00 00" } },
    { name: "accepts \"False\" for the computed primary flag and ignores it", operations: [{ op: "Replace", path: 'phoneNumbers[type eq "work"].primary', value: "False" }], changes: {} },
    {
      name: "applies a path-less replace with simple keys",
      operations: [{ op: "Replace", value: { title: "Countess", preferredLanguage: "en-US", externalId: "ext-2" } }],
      changes: { title: "Countess", preferredLanguage: "en-US", externalId: "ext-2" },
    },
    {
      name: "applies a path-less replace with dotted keys",
      operations: [{ op: "Replace", value: { "name.givenName": "Augusta", "name.familyName": "King" } }],
      changes: { givenName: "Augusta", familyName: "King" },
    },
    {
      name: "applies a path-less replace with URN-qualified core keys",
      operations: [{ op: "replace", value: { [`${CORE}:userName`]: "ada.king", [`${CORE}:name.givenName`]: "Augusta" } }],
      changes: { userName: "ada.king", givenName: "Augusta" },
    },
    {
      name: "applies a path-less add whose keys are value-filtered paths",
      operations: [{ op: "Add", value: { 'emails[type eq "work"].value': "ada.king@demo.example", 'phoneNumbers[type eq "mobile"].value': "+33 6 12 34 56 78" } }],
      changes: { workEmail: "ada.king@demo.example", mobilePhone: "+33 6 12 34 56 78" },
    },
    { name: "adds the work email through its filter when the user has none", user: { workEmail: null }, operations: [{ op: "Add", path: 'emails[type eq "work"].value', value: "ada@demo.example" }], changes: { workEmail: "ada@demo.example" } },
    { name: "replaces the work email through its filter when the user has none", user: { workEmail: null }, operations: [{ op: "Replace", path: 'emails[type eq "work"].value', value: "ada@demo.example" }], changes: { workEmail: "ada@demo.example" } },
    { name: "replaces the existing work email through its filter", operations: [{ op: "Replace", path: 'emails[type eq "work"].value', value: "ada.king@demo.example" }], changes: { workEmail: "ada.king@demo.example" } },
    { name: "adds a mobile number when no element matches yet", operations: [{ op: "Add", path: 'phoneNumbers[type eq "mobile"].value', value: "+33 6 12 34 56 78" }], changes: { mobilePhone: "+33 6 12 34 56 78" } },
    { name: "replaces a mobile number when no element matches yet", operations: [{ op: "Replace", path: 'phoneNumbers[type eq "mobile"].value', value: "+33 6 12 34 56 78" }], changes: { mobilePhone: "+33 6 12 34 56 78" } },
    { name: "adds a work number when the user has no phone at all", user: { workPhone: null }, operations: [{ op: "Add", path: 'phoneNumbers[type eq "work"].value', value: "+49 30 1234" }], changes: { workPhone: "+49 30 1234" } },
    { name: "clears the title with an explicit null value", operations: [{ op: "Replace", path: "title", value: null }], changes: { title: null } },
    { name: "clears the mobile number with an explicit null value", user: { mobilePhone: "+33 6 00" }, operations: [{ op: "Replace", path: 'phoneNumbers[type eq "mobile"].value', value: null }], changes: { mobilePhone: null } },
    { name: "clears attributes given as explicit nulls in a path-less value", operations: [{ op: "Replace", value: { title: null, externalId: null, "name.givenName": "Augusta" } }], changes: { title: null, externalId: null, givenName: "Augusta" } },
    { name: "clears the work email with an explicit null emails value", operations: [{ op: "Replace", path: "emails", value: null }], changes: { workEmail: null } },
    { name: "ignores a write to DisplayName in any case", operations: [{ op: "Replace", path: "DisplayName", value: "Countess Lovelace" }], changes: {} },
    { name: "ignores displayName in a path-less value and applies the rest", operations: [{ op: "Replace", value: { displayName: "Augusta King", "name.givenName": "Augusta" } }], changes: { givenName: "Augusta" } },
    { name: "ignores name.formatted", operations: [{ op: "Replace", path: "name", value: { formatted: "Augusta King", familyName: "King" } }], changes: { familyName: "King" } },
  ]);
});

describe("applyPatch: RFC 7644 section 3.5.2 operations", () => {
  runCases([
    { name: "adds emails from an array value, taking the work element and skipping the home one", operations: [{ op: "add", path: "emails", value: [{ type: "home", value: "babs@jensen.org" }, { type: "work", value: "bjensen@example.com" }] }], changes: { workEmail: "bjensen@example.com" } },
    { name: "takes the only untyped element of emails as the work email", operations: [{ op: "add", value: { emails: [{ value: "babs@jensen.org" }] } }], changes: { workEmail: "babs@jensen.org" } },
    { name: "keeps the work email when add gives an empty emails array", operations: [{ op: "add", path: "emails", value: [] }], changes: {} },
    { name: "clears the work email when replace gives an empty emails array", operations: [{ op: "replace", path: "emails", value: [] }], changes: { workEmail: null } },
    { name: "replaces only the name sub-attributes given", operations: [{ op: "replace", path: "name", value: { givenName: "Barbara" } }], changes: { givenName: "Barbara" } },
    { name: "replaces a filtered element with a complex value", operations: [{ op: "replace", path: 'emails[type eq "work"]', value: { type: "work", value: "bjensen@example.com", primary: true } }], changes: { workEmail: "bjensen@example.com" } },
    { name: "removes a filtered element", operations: [{ op: "remove", path: 'phoneNumbers[type eq "work"]' }], changes: { workPhone: null } },
    { name: "removes the element matching a filter joined with and", operations: [{ op: "remove", path: 'emails[type eq "work" and value ew "demo.example"]' }], changes: { workEmail: null } },
    { name: "removes a filtered element's value", operations: [{ op: "remove", path: 'emails[type eq "work"].value' }], changes: { workEmail: null } },
    { name: "removes nothing when the filter matches nothing", operations: [{ op: "remove", path: 'phoneNumbers[type eq "mobile"]' }], changes: {} },
    { name: "removes nothing when a value filter names another address", operations: [{ op: "remove", path: 'emails[value eq "someone@else.example"]' }], changes: {} },
    { name: "clears both phone numbers when phoneNumbers is removed", user: { mobilePhone: "+33 6 00" }, operations: [{ op: "remove", path: "phoneNumbers" }], changes: { workPhone: null, mobilePhone: null } },
    { name: "clears the work email when emails is removed", operations: [{ op: "remove", path: "emails" }], changes: { workEmail: null } },
    { name: "removes only the numbers a remove lists in its value", user: { mobilePhone: "+33 6 00" }, operations: [{ op: "remove", path: "phoneNumbers", value: [{ value: "+33 6 00" }] }], changes: { mobilePhone: null } },
    { name: "merges phone numbers on add, keeping the types not given", operations: [{ op: "add", path: "phoneNumbers", value: [{ value: "+33 6 12", type: "mobile" }] }], changes: { mobilePhone: "+33 6 12" } },
    { name: "makes phone numbers the whole list on replace, clearing the types not given", operations: [{ op: "replace", path: "phoneNumbers", value: [{ value: "+33 6 12", type: "Mobile", primary: true }] }], changes: { workPhone: null, mobilePhone: "+33 6 12" } },
    { name: "writes the work email through emails.value", operations: [{ op: "replace", path: "emails.value", value: "ada.king@demo.example" }], changes: { workEmail: "ada.king@demo.example" } },
    { name: "moves a number when a filtered element is replaced with another type", operations: [{ op: "replace", path: 'phoneNumbers[type eq "work"]', value: { type: "mobile", value: "+33 6 99" } }], changes: { workPhone: null, mobilePhone: "+33 6 99" } },
    { name: "moves a number when its type is replaced", operations: [{ op: "replace", path: 'phoneNumbers[type eq "work"].type', value: "mobile" }], changes: { workPhone: null, mobilePhone: ADA.workPhone } },
    { name: "applies operations in order", operations: [{ op: "replace", path: "title", value: "A" }, { op: "replace", path: "title", value: "B" }], changes: { title: "B" } },
    { name: "lets a later remove undo an earlier add", operations: [{ op: "add", path: "title", value: "Countess" }, { op: "remove", path: "title" }], changes: { title: null } },
    { name: "applies a value object to a path that is the core schema URN", operations: [{ op: "replace", path: CORE, value: { title: "Countess" } }], changes: { title: "Countess" } },
    { name: "applies a path-less value nested under the core schema URN", operations: [{ op: "replace", value: { [CORE]: { title: "Countess", name: { givenName: "Augusta" } } } }], changes: { title: "Countess", givenName: "Augusta" } },
    { name: "applies a path-less value with a nested name object", operations: [{ op: "add", value: { userName: "bjensen", name: { familyName: "Jensen" } } }], changes: { userName: "bjensen", familyName: "Jensen" } },
    { name: "reports a replace by the same value as no change", operations: [{ op: "replace", path: "name.givenName", value: "Ada" }], changes: {} },
    { name: "clears an optional attribute given an empty string", operations: [{ op: "replace", path: "title", value: "" }], changes: { title: null } },
    { name: "keeps strings as given, spaces included", operations: [{ op: "replace", path: "title", value: "  Countess " }], changes: { title: "  Countess " } },
  ]);
});

describe("applyPatch: attribute names and message members in any case", () => {
  runCases([
    { name: "resolves NAME.GIVENNAME", operations: [{ op: "replace", path: "NAME.GIVENNAME", value: "Augusta" }], changes: { givenName: "Augusta" } },
    { name: "resolves an upper-case filtered path", operations: [{ op: "replace", path: 'EMAILS[TYPE EQ "WORK"].VALUE', value: "ada.king@demo.example" }], changes: { workEmail: "ada.king@demo.example" } },
    { name: "resolves a URN prefix in another case", operations: [{ op: "replace", path: `${CORE.toUpperCase()}:USERNAME`, value: "ada.king" }], changes: { userName: "ada.king" } },
    { name: "resolves path-less keys in any case", operations: [{ op: "replace", value: { TITLE: "Countess", Name: { GIVENNAME: "Augusta" } } }], changes: { title: "Countess", givenName: "Augusta" } },
    { name: "resolves element sub-attributes in any case", operations: [{ op: "replace", path: "phoneNumbers", value: [{ Value: "+33 6 12", TYPE: "MOBILE" }] }], changes: { workPhone: null, mobilePhone: "+33 6 12" } },
  ]);

  it("reads operations, op, path and value members in any case", () => {
    const body = { schemas: [PATCH_OP], operations: [{ OP: "replace", Path: "title", VALUE: "Countess" }] };
    expect(applyPatch(ADA, body, LOGIN).changes).toEqual([{ field: "title", attribute: "title", before: "CTO", after: "Countess" }]);
  });
});

describe("applyPatch: userName when the tenant's userName is the work email", () => {
  runCases([
    { name: "writes a userName change into the work email and leaves the login alone", tenant: BY_EMAIL, operations: [{ op: "replace", path: "userName", value: "ada.king@demo.example" }], changes: { workEmail: "ada.king@demo.example" } },
    { name: "writes the work email as usual", tenant: BY_EMAIL, operations: [{ op: "replace", path: 'emails[type eq "work"].value', value: "ada.king@demo.example" }], changes: { workEmail: "ada.king@demo.example" } },
    { name: "lets the later of userName and the work email win within one request", tenant: BY_EMAIL, operations: [{ op: "replace", path: "userName", value: "a@demo.example" }, { op: "replace", path: "emails.value", value: "b@demo.example" }], changes: { workEmail: "b@demo.example" } },
  ]);
});

describe("applyPatch: the changes it reports", () => {
  it("lists each changed field once, in field order, with its SCIM path, before and after", () => {
    const { changes } = applyPatch(ADA, patch(
      { op: "replace", path: "title", value: "Countess" },
      { op: "add", path: 'phoneNumbers[type eq "mobile"].value', value: "+33 6 12" },
      { op: "replace", path: "name.givenName", value: "Augusta" },
      { op: "replace", path: "name.givenName", value: "Augusta Ada" },
      { op: "replace", path: 'emails[type eq "work"].value', value: "ada.king@demo.example" },
    ), LOGIN);
    expect(changes).toEqual([
      { field: "givenName", attribute: "name.givenName", before: "Ada", after: "Augusta Ada" },
      { field: "workEmail", attribute: 'emails[type eq "work"].value', before: "ada.lovelace@demo.example", after: "ada.king@demo.example" },
      { field: "mobilePhone", attribute: 'phoneNumbers[type eq "mobile"].value', before: null, after: "+33 6 12" },
      { field: "title", attribute: "title", before: "CTO", after: "Countess" },
    ]);
  });

  it("reports no change for a field set and then set back", () => {
    const { changes } = applyPatch(ADA, patch({ op: "replace", path: "title", value: "X" }, { op: "replace", path: "title", value: "CTO" }), LOGIN);
    expect(changes).toEqual([]);
  });
});

describe("applyPatch: atomicity", () => {
  it("throws on a two-operation PATCH whose second operation is invalid, and mutates neither the user nor the body", () => {
    const user = structuredClone(ADA);
    const body = patch({ op: "replace", path: "name.givenName", value: "Augusta" }, { op: "replace", path: "active", value: "False" });
    const bodyBefore = structuredClone(body);
    const error = refusal(() => applyPatch(user, body, LOGIN), "PATCH");
    expect(error.scimType).toBe("mutability");
    expect(error.detail).toContain("operation 2");
    expect(user).toEqual(ADA);
    expect(body).toEqual(bodyBefore);
  });

  it("does not modify the user it is given when it succeeds", () => {
    const user = structuredClone(ADA);
    const { next } = applyPatch(user, patch({ op: "replace", path: "title", value: "Countess" }), LOGIN);
    expect(user).toEqual(ADA);
    expect(next).not.toBe(user);
  });
});

interface Refusal {
  name: string;
  body?: unknown;
  operations?: unknown[];
  user?: Partial<WritableUser>;
  tenant?: Catalogue;
  scimType: string;
  /** Fragments the detail must contain. */
  detail: string[];
}

function runRefusals(cases: Refusal[]) {
  it.each(cases)("$name", ({ body, operations, user, tenant, scimType, detail }) => {
    const error = refusal(() => applyPatch({ ...ADA, ...user } as WritableUser, body ?? patch(...(operations ?? [])), tenant ?? LOGIN), "PATCH");
    expect(error.status).toBe(400);
    expect(error.scimType).toBe(scimType);
    for (const fragment of detail) expect(error.detail).toContain(fragment);
  });
}

describe("applyPatch refuses malformed messages", () => {
  runRefusals([
    { name: "refuses a body that is not an object", body: [{ op: "add" }], scimType: "invalidSyntax", detail: ["JSON object"] },
    { name: "refuses a body without schemas", body: { Operations: [{ op: "replace", path: "title", value: "x" }] }, scimType: "invalidSyntax", detail: [PATCH_OP] },
    { name: "refuses a body whose schemas lack the PatchOp URN", body: { schemas: [CORE], Operations: [{ op: "replace", path: "title", value: "x" }] }, scimType: "invalidSyntax", detail: [PATCH_OP] },
    { name: "refuses a body without Operations", body: { schemas: [PATCH_OP] }, scimType: "invalidSyntax", detail: ["Operations"] },
    { name: "refuses an empty Operations array", operations: [], scimType: "invalidSyntax", detail: ["non-empty"] },
    { name: "refuses more than 100 operations", operations: Array.from({ length: 101 }, () => ({ op: "replace", path: "title", value: "x" })), scimType: "invalidSyntax", detail: ["at most 100", "101", "split"] },
    { name: "refuses an unknown op", operations: [{ op: "move", path: "title", value: "x" }], scimType: "invalidSyntax", detail: ['"move"', "add", "replace", "remove"] },
    { name: "refuses an operation without op", operations: [{ path: "title", value: "x" }], scimType: "invalidSyntax", detail: ["Operation 1"] },
    { name: "refuses an operation that is not an object", operations: ["replace title"], scimType: "invalidSyntax", detail: ["Operation 1"] },
    { name: "refuses a path that is not a string", operations: [{ op: "replace", path: 7, value: "x" }], scimType: "invalidSyntax", detail: ["path"] },
    { name: "refuses an add without value", operations: [{ op: "add", path: "title" }], scimType: "invalidSyntax", detail: ['without a "value"'] },
    { name: "answers noTarget to a remove without path", operations: [{ op: "Remove", value: { title: "CTO" } }], scimType: "noTarget", detail: ["path"] },
    { name: "refuses a path-less add whose value is not an object", operations: [{ op: "add", value: "Countess" }], scimType: "invalidValue", detail: ["object value"] },
  ]);
});

describe("applyPatch refuses read-only attributes with mutability, naming them", () => {
  const ENT = ENTERPRISE_URN;
  runRefusals([
    {
      name: "refuses the docs/CLIENTS.md path-less example because employeeNumber is HR-owned",
      operations: [{ op: "replace", value: { "name.givenName": "A", [`${ENT}:employeeNumber`]: "7" } }],
      scimType: "mutability", detail: [`${ENT}:employeeNumber`, "read-only", "attribute mapping"],
    },
    { name: "refuses manager sent as an array", operations: [{ op: "Add", path: `${ENT}:manager`, value: [{ value: "42", $ref: "https://x/Users/42" }] }], scimType: "mutability", detail: [`${ENT}:manager`] },
    { name: "refuses manager sent as a plain id", operations: [{ op: "Replace", path: `${ENT}:manager`, value: "42" }], scimType: "mutability", detail: [`${ENT}:manager`] },
    { name: "refuses manager.value", operations: [{ op: "replace", path: `${ENT}:manager.value`, value: "42" }], scimType: "mutability", detail: [`${ENT}:manager.value`] },
    { name: "refuses manager as a URN key of a path-less value", operations: [{ op: "Add", value: { [`${ENT}:manager`]: [{ value: "42" }] } }], scimType: "mutability", detail: [`${ENT}:manager`] },
    { name: "refuses an enterprise attribute nested under its URN", operations: [{ op: "replace", value: { [ENT]: { department: "Sales" } } }], scimType: "mutability", detail: [`${ENT}:department`] },
    { name: "refuses an enterprise attribute sent without its URN", operations: [{ op: "replace", path: "employeeNumber", value: "7" }], scimType: "mutability", detail: [`${ENT}:employeeNumber`] },
    { name: "refuses the removal of the whole enterprise extension", operations: [{ op: "remove", path: ENT }], scimType: "mutability", detail: [ENT] },
    { name: "refuses the organization and division attributes", operations: [{ op: "replace", path: `${ENT}:organization`, value: "x" }, { op: "replace", path: `${ENT}:division`, value: "y" }], scimType: "mutability", detail: ["organization"] },
    { name: "refuses contract dates in the tenant's namespace", operations: [{ op: "replace", path: `${ENT}:dtContractEnd`, value: "2030-01-01" }], scimType: "mutability", detail: [`${ENT}:dtContractEnd`] },
    { name: "refuses custom attributes in the lucca namespace", operations: [{ op: "replace", path: `${LUCCA_URN}:dtContractStart`, value: "2030-01-01" }], scimType: "mutability", detail: [`${LUCCA_URN}:dtContractStart`] },
    { name: "refuses a tenant's extended field", tenant: MINIMAL, operations: [{ op: "replace", path: "badge", value: "B-1" }], scimType: "mutability", detail: [`${LUCCA_URN}:badge`] },
    { name: "refuses active in a path-less value (Entra's disable)", operations: [{ op: "Replace", value: { active: false } }], scimType: "mutability", detail: ['"active"', "contracts"] },
    { name: "refuses active with the string \"False\"", operations: [{ op: "Replace", path: "active", value: "False" }], scimType: "mutability", detail: ['"active"'] },
    { name: "refuses id", operations: [{ op: "replace", path: "id", value: "7" }], scimType: "mutability", detail: ['"id"'] },
    { name: "refuses meta sub-attributes", operations: [{ op: "replace", path: "meta.lastModified", value: "2020-01-01T00:00:00Z" }], scimType: "mutability", detail: ['"meta.lastModified"'] },
    { name: "refuses schemas", operations: [{ op: "replace", path: "schemas", value: [CORE] }], scimType: "mutability", detail: ['"schemas"'] },
    { name: "refuses groups", operations: [{ op: "add", path: "groups", value: [{ value: "LUCCA_DEPT-1" }] }], scimType: "mutability", detail: ['"groups"'] },
    { name: "refuses addresses, filtered or not", operations: [{ op: "replace", path: 'addresses[type eq "work"].locality', value: "Lyon" }], scimType: "mutability", detail: ['"addresses.locality"'] },
    { name: "refuses addresses even when the tenant does not expose them", tenant: MINIMAL, operations: [{ op: "remove", path: "addresses" }], scimType: "mutability", detail: ['"addresses"'] },
    { name: "refuses emails.type, which is always work", operations: [{ op: "replace", path: 'emails[type eq "work"].type', value: "home" }], scimType: "mutability", detail: ['"emails.type"'] },
  ]);
});

describe("applyPatch refuses attributes the tenant does not expose with invalidPath", () => {
  runRefusals([
    { name: "refuses title when the mapping lacks it", tenant: MINIMAL, operations: [{ op: "replace", path: "title", value: "CTO" }], scimType: "invalidPath", detail: ['"title"', "not exposed for this tenant"] },
    { name: "refuses a mobile number when phoneNumbers is not exposed", tenant: MINIMAL, operations: [{ op: "Add", path: 'phoneNumbers[type eq "mobile"].value', value: "+33 6" }], scimType: "invalidPath", detail: ['"phoneNumbers"', "not exposed for this tenant"] },
    { name: "refuses externalId when the mapping lacks it", tenant: MINIMAL, operations: [{ op: "replace", value: { externalId: "x" } }], scimType: "invalidPath", detail: ['"externalId"', "not exposed for this tenant"] },
    { name: "refuses preferredLanguage when the mapping lacks it", tenant: MINIMAL, operations: [{ op: "remove", path: "preferredLanguage" }], scimType: "invalidPath", detail: ['"preferredLanguage"'] },
    { name: "refuses an attribute hr-scim does not store", operations: [{ op: "add", value: { nickName: "Babs" } }], scimType: "invalidPath", detail: ['"nickName"', "not exposed for this tenant"] },
    { name: "refuses a name part hr-scim does not store", operations: [{ op: "replace", path: "name.middleName", value: "Augusta" }], scimType: "invalidPath", detail: ['"name.middleName"'] },
    { name: "refuses an unknown name part inside a name value", operations: [{ op: "replace", path: "name", value: { givenName: "A", honorificPrefix: "Lady" } }], scimType: "invalidPath", detail: ['"name.honorificPrefix"'] },
    { name: "refuses an attribute of an unknown extension", operations: [{ op: "replace", path: "urn:ietf:params:scim:schemas:extension:custom:2.0:User:worksiteId", value: "180" }], scimType: "invalidPath", detail: ["worksiteId"] },
    { name: "refuses a sub-attribute of a simple attribute", operations: [{ op: "replace", path: "title.value", value: "x" }], scimType: "invalidPath", detail: ['"title.value"'] },
    { name: "refuses a value filter on a single-valued attribute", operations: [{ op: "replace", path: 'title[value eq "CTO"]', value: "x" }], scimType: "invalidPath", detail: ["not multi-valued"] },
    { name: "refuses phoneNumbers.value without a filter on add", operations: [{ op: "add", path: "phoneNumbers.value", value: "+33 6" }], scimType: "invalidPath", detail: ['phoneNumbers[type eq "work"].value'] },
    { name: "refuses an unknown sub-attribute in an element", operations: [{ op: "add", path: "emails", value: [{ value: "a@demo.example", type: "work", label: "x" }] }], scimType: "invalidPath", detail: ['"emails.label"'] },
    { name: "refuses a malformed path", operations: [{ op: "replace", path: "name..givenName", value: "x" }], scimType: "invalidPath", detail: ["name..givenName"] },
    { name: "answers invalidFilter for an unknown sub-attribute in a filter", operations: [{ op: "replace", path: 'emails[kind eq "work"].value', value: "x" }], scimType: "invalidFilter", detail: ['"kind"'] },
  ]);
});

describe("applyPatch answers noTarget when a filter matches nothing it could create", () => {
  runRefusals([
    { name: "refuses a fax number", operations: [{ op: "Add", path: 'phoneNumbers[type eq "fax"].value', value: "+33 1" }], scimType: "noTarget", detail: ["phoneNumbers", 'type eq "fax"', "work and mobile"] },
    { name: "refuses a home email", operations: [{ op: "Replace", path: 'emails[type eq "home"].value', value: "a@home.example" }], scimType: "noTarget", detail: ["only the work email"] },
    { name: "refuses a replace on a value that matches no email", operations: [{ op: "replace", path: 'emails[value eq "other@demo.example"].value', value: "x@demo.example" }], scimType: "noTarget", detail: ["emails"] },
  ]);
});

describe("applyPatch refuses values of the wrong type or removals of required attributes with invalidValue", () => {
  runRefusals([
    { name: "refuses a number for givenName", operations: [{ op: "replace", path: "name.givenName", value: 42 }], scimType: "invalidValue", detail: ['"name.givenName"', "string", "number"] },
    { name: "refuses an object for userName", operations: [{ op: "replace", path: "userName", value: { value: "ada" } }], scimType: "invalidValue", detail: ['"userName"', "an object"] },
    { name: "refuses an array for title", operations: [{ op: "replace", value: { title: ["CTO"] } }], scimType: "invalidValue", detail: ['"title"', "an array"] },
    { name: "refuses a boolean for externalId", operations: [{ op: "replace", path: "externalId", value: true }], scimType: "invalidValue", detail: ['"externalId"'] },
    { name: "refuses a string for name", operations: [{ op: "replace", path: "name", value: "Ada Lovelace" }], scimType: "invalidValue", detail: ['"name"', "object"] },
    { name: "refuses a string where emails wants an array", operations: [{ op: "replace", path: "emails", value: "ada@demo.example" }], scimType: "invalidValue", detail: ['"emails"', "array"] },
    { name: "refuses a phone number of an unsupported type", operations: [{ op: "add", path: "phoneNumbers", value: [{ value: "+33 1", type: "home" }] }], scimType: "invalidValue", detail: ['"home"', "work and mobile"] },
    { name: "refuses a phone number without type", operations: [{ op: "add", path: "phoneNumbers", value: [{ value: "+33 1" }] }], scimType: "invalidValue", detail: ['"type"'] },
    { name: "refuses two work phone numbers", operations: [{ op: "replace", path: "phoneNumbers", value: [{ value: "1", type: "work" }, { value: "2", type: "Work" }] }], scimType: "invalidValue", detail: ["two numbers"] },
    { name: "refuses a primary flag that is not a boolean", operations: [{ op: "add", path: "emails", value: [{ value: "a@demo.example", primary: "yes" }] }], scimType: "invalidValue", detail: ['"emails.primary"', "boolean"] },
    { name: "refuses emails with no work, primary or single element", operations: [{ op: "add", path: "emails", value: [{ value: "a@x.example" }, { value: "b@x.example" }] }], scimType: "invalidValue", detail: ['"type": "work"'] },
    { name: "never takes a home address for the work email", operations: [{ op: "add", path: "emails", value: [{ value: "a@home.example", type: "home" }] }], scimType: "invalidValue", detail: ['"home"', '"type": "work"'] },
    { name: "refuses two work addresses", operations: [{ op: "replace", path: "emails", value: [{ value: "a@x.example", type: "work" }, { value: "b@x.example", type: "Work" }] }], scimType: "invalidValue", detail: ['"work"'] },
    { name: "refuses an email of another type written through the work filter", operations: [{ op: "replace", path: 'emails[type eq "work"]', value: { type: "home", value: "a@home.example" } }], scimType: "invalidValue", detail: ["work email"] },
    { name: "refuses the removal of userName as required", operations: [{ op: "remove", path: "userName" }], scimType: "invalidValue", detail: ['"userName"', "required"] },
    { name: "refuses the removal of name.givenName as required", operations: [{ op: "Remove", path: "name.givenName" }], scimType: "invalidValue", detail: ['"name.givenName"', "required"] },
    { name: "refuses the removal of name.familyName as required", operations: [{ op: "remove", path: "name.familyName" }], scimType: "invalidValue", detail: ['"name.familyName"', "required"] },
    { name: "refuses the removal of name as required", operations: [{ op: "remove", path: "name" }], scimType: "invalidValue", detail: ['"name"', "required"] },
    { name: "refuses an explicit null userName as required", operations: [{ op: "Replace", path: "userName", value: null }], scimType: "invalidValue", detail: ['"userName"', "required"] },
    { name: "refuses an empty userName", operations: [{ op: "replace", path: "userName", value: "" }], scimType: "invalidValue", detail: ['"userName"', "required"] },
    { name: "refuses a blank familyName", operations: [{ op: "replace", path: "name", value: { familyName: "   " } }], scimType: "invalidValue", detail: ['"name.familyName"'] },
    { name: "refuses an explicit null givenName in a path-less value", operations: [{ op: "Replace", value: { "name.givenName": null } }], scimType: "invalidValue", detail: ['"name.givenName"', "required"] },
    { name: "refuses the removal of emails when the work email is the userName", tenant: BY_EMAIL, operations: [{ op: "remove", path: "emails" }], scimType: "invalidValue", detail: ["userName", "required"] },
    { name: "refuses a null work email when it is the userName", tenant: BY_EMAIL, operations: [{ op: "replace", path: 'emails[type eq "work"].value', value: null }], scimType: "invalidValue", detail: ["userName", "required"] },
    { name: "names the failing operation in the detail", operations: [{ op: "replace", path: "title", value: "x" }, { op: "replace", path: "title", value: 1 }], scimType: "invalidValue", detail: ['operation 2: replace "title"'] },
  ]);
});

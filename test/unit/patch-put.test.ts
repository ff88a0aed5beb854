// PUT on the writable HR fields of a user (RFC 7644 section 3.5.1 as docs/BEHAVIOUR.md section 5
// amends it): Okta's read-modify-write flow, read-only attributes ignored, absent attributes kept,
// explicit empty values clearing, and the refusals.
import { describe, expect, it } from "vitest";
import type { PersonRow } from "../../src/hr/people.js";
import { defaultSettings } from "../../src/hr/tenant-settings.js";
import { userCatalogue, type Catalogue } from "../../src/scim/catalogue/catalogue.js";
import { projectResource } from "../../src/scim/projection/project.js";
import { ENTERPRISE_URN } from "../../src/scim/schema/urns.js";
import { settingsWith } from "./filter-maps.js";
import { refusal } from "./scim-refusal.js";
import { applyPut, writableUserFromRow, type WritableUser } from "../../src/scim/patch/index.js";

const LOGIN: Catalogue = userCatalogue(defaultSettings());
const BY_EMAIL: Catalogue = userCatalogue({ ...defaultSettings(), userNameSource: "workEmail" });
const MINIMAL: Catalogue = userCatalogue(settingsWith({ attributes: [], namespace: ENTERPRISE_URN, extendedFields: {} }));
const projectUser = (row: PersonRow, catalogue: Catalogue) => projectResource(catalogue, row as never, { scimBaseUrl: "https://hr.example/scim/v2" });

const GRACE_ROW: PersonRow = {
  id: 2, user_name: "grace.hopper", login: "grace.hopper", first_name: "Grace", last_name: "Hopper",
  work_email: "grace.hopper@demo.example", work_phone: "+49 30 1234", mobile_phone: "+49 170 5678",
  job_title: "Staff Engineer", employee_number: "E0002", preferred_language: "en-US", external_id: "okta-00u2",
  extended_data: null, created_at: new Date("2020-01-01T00:00:00Z"), version: 3,
  department_id: 5, department_name: "Platform", department_group_name: "Platform", establishment_id: 3, establishment_name: "Berlin", establishment_group_name: "Berlin",
  street: "Unter den Linden 1", postal_code: "10117", city: "Berlin", address_country: "DE",
  legal_unit_id: 2, legal_unit_name: "Demo GmbH", legal_unit_group_name: "Demo GmbH", country_code: "DE",
  manager_id: 1, manager_first_name: "Ada", manager_last_name: "Lovelace", manager_visible: true,
  contract_start: "2018-03-01", contract_end: null, active: true, last_modified: new Date("2026-01-02T00:00:00Z"),
};
const GRACE = writableUserFromRow(LOGIN, GRACE_ROW as never);

/** What Okta read with GET /Users/2: the whole resource, read-only attributes included. */
function oktaRead(): Record<string, unknown> {
  return { ...projectUser(GRACE_ROW, LOGIN), groups: [{ value: "LUCCA_DEPT-5", display: "LUCCA_DEPT Platform" }] };
}

describe("applyPut: Okta's read-modify-write flow (docs/CLIENTS.md item 24)", () => {
  it("applies only the givenName change of a user read, deactivated, stripped of phoneNumbers and put back", () => {
    const body = oktaRead();
    (body.name as Record<string, unknown>).givenName = "Amazing Grace";
    body.active = false;
    delete body.phoneNumbers;
    const { next, changes } = applyPut(GRACE, body, LOGIN);
    expect(changes).toEqual([{ field: "givenName", attribute: "name.givenName", before: "Grace", after: "Amazing Grace" }]);
    expect(next).toEqual({ ...GRACE, givenName: "Amazing Grace" });
  });

  it("changes nothing when the resource read is put back as is", () => {
    expect(applyPut(GRACE, oktaRead(), LOGIN).changes).toEqual([]);
  });

  it("puts back HR values the checks for new values would refuse (control characters, a free-text language, spaces) unchanged", () => {
    const odd: PersonRow = { ...GRACE_ROW, job_title: "Staff\u000bEngineer", preferred_language: "French", login: "grace.hopper ", user_name: "grace.hopper " };
    const read = projectUser(odd, LOGIN);
    const result = applyPut(writableUserFromRow(LOGIN, odd as never), { ...read, name: { givenName: "Amazing", familyName: "Hopper" } }, LOGIN);
    expect(result.changes.map((c) => [c.field, c.after])).toEqual([["givenName", "Amazing"]]);
  });

  it("ignores changed read-only attributes: id, meta, active, groups, addresses, the enterprise extension", () => {
    const body = oktaRead();
    Object.assign(body, {
      id: "999", active: false, meta: { resourceType: "User", version: 'W/"x"' }, groups: [],
      addresses: [{ type: "work", locality: "Paris" }], schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
      [ENTERPRISE_URN]: { employeeNumber: "X", department: "Sales", manager: [{ value: "7", $ref: "https://x/Users/7" }], dtContractEnd: "2030-01-01" },
      displayName: "Someone Else",
    });
    (body.name as Record<string, unknown>).formatted = "Someone Else";
    expect(applyPut(GRACE, body, LOGIN).changes).toEqual([]);
  });

  it("does not modify the user or the body it is given", () => {
    const user = structuredClone(GRACE);
    const body = { ...oktaRead(), title: "Rear Admiral" };
    const bodyBefore = structuredClone(body);
    applyPut(user, body, LOGIN);
    expect(user).toEqual(GRACE);
    expect(body).toEqual(bodyBefore);
  });
});

describe("applyPut: present, absent and empty attributes", () => {
  const cases: { name: string; body: Record<string, unknown>; user?: Partial<WritableUser>; tenant?: Catalogue; changes: Partial<WritableUser> }[] = [
    { name: "leaves every field alone for a body with no writable attribute", body: { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"] }, changes: {} },
    { name: "leaves userName alone when it is absent", body: { title: "Rear Admiral" }, changes: { title: "Rear Admiral" } },
    { name: "writes userName when present", body: { userName: "amazing.grace" }, changes: { userName: "amazing.grace" } },
    { name: "writes only the name parts present", body: { name: { familyName: "Murray Hopper" } }, changes: { familyName: "Murray Hopper" } },
    { name: "clears the title given an empty string", body: { title: "" }, changes: { title: null } },
    { name: "clears the title given null", body: { title: null }, changes: { title: null } },
    { name: "clears externalId and preferredLanguage given null", body: { externalId: null, preferredLanguage: null }, changes: { externalId: null, preferredLanguage: null } },
    { name: "leaves the work email alone when emails is absent", body: { title: "x" }, changes: { title: "x" } },
    { name: "clears the work email given an empty emails array", body: { emails: [] }, changes: { workEmail: null } },
    { name: "clears the work email given a null emails", body: { emails: null }, changes: { workEmail: null } },
    { name: "takes the work element of emails", body: { emails: [{ value: "g@home.example", type: "home" }, { value: "grace@demo.example", type: "work", primary: true }] }, changes: { workEmail: "grace@demo.example" } },
    { name: "takes the untyped primary element of emails marked with the string \"True\"", body: { emails: [{ value: "g@x.example" }, { value: "grace@demo.example", primary: "True" }] }, changes: { workEmail: "grace@demo.example" } },
    { name: "skips a home address beside the work one", body: { emails: [{ value: "g@home.example", type: "home", primary: true }, { value: "grace@demo.example", type: "work" }] }, changes: { workEmail: "grace@demo.example" } },
    { name: "clears both numbers given an empty phoneNumbers array", body: { phoneNumbers: [] }, changes: { workPhone: null, mobilePhone: null } },
    { name: "clears both numbers given a null phoneNumbers", body: { phoneNumbers: null }, changes: { workPhone: null, mobilePhone: null } },
    { name: "writes the phone types it carries and leaves the mobile number it lacks unchanged", body: { phoneNumbers: [{ value: "+49 30 9999", type: "work" }] }, changes: { workPhone: "+49 30 9999" } },
    { name: "writes a mobile number alone without erasing the work number", body: { phoneNumbers: [{ value: "+49 170 0000", type: "mobile" }] }, changes: { mobilePhone: "+49 170 0000" } },
    { name: "skips phone numbers of types hr-scim does not store", body: { phoneNumbers: [{ value: "+49 30 1234", type: "work" }, { value: "+49 170 5678", type: "MOBILE" }, { value: "+49 30 0000", type: "fax" }] }, changes: {} },
    { name: "clears a number given with a null value", body: { phoneNumbers: [{ value: "+49 30 1234", type: "work" }, { value: null, type: "mobile" }] }, changes: { mobilePhone: null } },
    { name: "ignores displayName and name.formatted", body: { displayName: "X Y", name: { formatted: "X Y", givenName: "Grace" } }, changes: {} },
    { name: "reads attribute names in any case", body: { USERNAME: "amazing.grace", Name: { GivenName: "Amazing" }, TITLE: "Rear Admiral" }, changes: { userName: "amazing.grace", givenName: "Amazing", title: "Rear Admiral" } },
    { name: "ignores attributes the tenant does not expose", tenant: MINIMAL, body: { title: "Rear Admiral", phoneNumbers: [], externalId: "x", name: { givenName: "Amazing" } }, changes: { givenName: "Amazing" } },
    { name: "ignores attributes hr-scim does not store", body: { nickName: "Amazing", locale: "en-US", "urn:example:custom:2.0:User": { badge: "7" } }, changes: {} },
    { name: "keeps strings as given, spaces included", body: { title: " Rear Admiral " }, changes: { title: " Rear Admiral " } },
    { name: "writes a userName change into the work email when it is the userName, even with the old emails beside it", tenant: BY_EMAIL, body: { userName: "amazing.grace@demo.example", emails: [{ value: "grace.hopper@demo.example", type: "work", primary: true }] }, changes: { workEmail: "amazing.grace@demo.example" } },
    { name: "writes an emails change when it is the userName, even with the old userName beside it", tenant: BY_EMAIL, body: { userName: "grace.hopper@demo.example", emails: [{ value: "amazing.grace@demo.example", type: "work" }] }, changes: { workEmail: "amazing.grace@demo.example" } },
    { name: "accepts userName and emails changed to the same value when they are one field", tenant: BY_EMAIL, body: { userName: "g@demo.example", emails: [{ value: "g@demo.example", type: "work" }] }, changes: { workEmail: "g@demo.example" } },
  ];
  it.each(cases)("$name", ({ body, user: overrides, tenant, changes }) => {
    const user = { ...GRACE, ...overrides } as WritableUser;
    const result = applyPut(user, body, tenant ?? LOGIN);
    expect(Object.fromEntries(result.changes.map((c) => [c.field, c.after]))).toEqual(changes);
    expect(result.next).toEqual({ ...user, ...changes });
  });
});

describe("applyPut refusals", () => {
  const cases: { name: string; body: unknown; tenant?: Catalogue; scimType: string; detail: string[] }[] = [
    { name: "refuses a body that is not an object", body: [], scimType: "invalidSyntax", detail: ["JSON object"] },
    { name: "refuses a PatchOp message sent with PUT", body: { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [] }, scimType: "invalidSyntax", detail: ["PATCH"] },
    { name: "refuses a number for givenName", body: { name: { givenName: 7 } }, scimType: "invalidValue", detail: ['"name.givenName"', "string"] },
    { name: "refuses a string for name", body: { name: "Grace Hopper" }, scimType: "invalidValue", detail: ['"name"', "object"] },
    { name: "refuses a null name, whose parts are required", body: { name: null }, scimType: "invalidValue", detail: ['"name"', "required"] },
    { name: "refuses an object for userName", body: { userName: { value: "g" } }, scimType: "invalidValue", detail: ['"userName"', "an object"] },
    { name: "refuses an empty userName", body: { userName: "" }, scimType: "invalidValue", detail: ['"userName"', "required"] },
    { name: "refuses a null userName", body: { userName: null }, scimType: "invalidValue", detail: ['"userName"', "required"] },
    { name: "refuses a null givenName", body: { name: { givenName: null, familyName: "Hopper" } }, scimType: "invalidValue", detail: ['"name.givenName"', "required"] },
    { name: "refuses a number for title", body: { title: 3 }, scimType: "invalidValue", detail: ['"title"'] },
    { name: "refuses emails given as a string", body: { emails: "grace@demo.example" }, scimType: "invalidValue", detail: ['"emails"', "array"] },
    { name: "refuses a phone number without type", body: { phoneNumbers: [{ value: "+49 30 1" }] }, scimType: "invalidValue", detail: ['"type"'] },
    { name: "refuses two mobile numbers", body: { phoneNumbers: [{ value: "1", type: "mobile" }, { value: "2", type: "mobile" }] }, scimType: "invalidValue", detail: ["two numbers"] },
    { name: "refuses phoneNumbers of only types hr-scim does not store, which would otherwise clear both", body: { phoneNumbers: [{ value: "+1 555", type: "fax" }] }, scimType: "invalidValue", detail: ['"fax"', "work", "mobile"] },
    { name: "refuses emails of only a home address, never taken for the work email", body: { emails: [{ value: "g@home.example", type: "home" }] }, scimType: "invalidValue", detail: ['"home"', '"type": "work"'] },
    { name: "refuses two work addresses", body: { emails: [{ value: "a@demo.example", type: "work" }, { value: "b@demo.example", type: "work" }] }, scimType: "invalidValue", detail: ['"work"'] },
    { name: "refuses an empty emails array when the work email is the userName", tenant: BY_EMAIL, body: { emails: [] }, scimType: "invalidValue", detail: ["userName", "required"] },
    {
      name: "refuses userName and emails changed to two different values when they are one field",
      tenant: BY_EMAIL, body: { userName: "a@demo.example", emails: [{ value: "b@demo.example", type: "work" }] },
      scimType: "invalidValue", detail: ["userName and emails", '"a@demo.example"', '"b@demo.example"'],
    },
  ];
  it.each(cases)("$name", ({ body, tenant, scimType, detail }) => {
    const error = refusal(() => applyPut(GRACE, body, tenant ?? LOGIN), "PUT");
    expect(error.status).toBe(400);
    expect(error.scimType).toBe(scimType);
    for (const fragment of detail) expect(error.detail).toContain(fragment);
  });
});

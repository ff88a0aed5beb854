// The User attributes hr-scim can project, as RFC 7643 section 7 definitions: the core schema
// (RFC 7643 section 4.1 subset), the enterprise extension (section 4.3) and the HR properties
// without a standard attribute (product.md section 3). Mutability follows product.md section 3:
// only what write-back may change is readWrite. Which of these a tenant exposes is decided by
// tenant-schema.ts from the tenant's user map.
import type { OptionalAttribute } from "../../hr/tenant-settings.js";
import { attribute, complex, readOnly, type AttributeDefinition } from "./attribute-definition.js";

const text = (name: string, description: string, extra: Parameters<typeof attribute>[3] = {}) =>
  attribute(name, "string", description, extra);

const id = text("id", "Unique, stable identifier of the employee, assigned by the HR system; never reused.", {
  caseExact: true, mutability: "readOnly", returned: "always", uniqueness: "server",
});

const externalId = text("externalId", "Identifier of the user in the identity provider, stored in HR as given.", {
  caseExact: true,
});

const userName = text("userName", "Login of the employee (or the work email, per tenant setting); unique per tenant, compared case-insensitively.", {
  required: true, uniqueness: "server",
});

const name = complex("name", "The employee's name.", [
  text("formatted", "\"givenName familyName\", computed.", { mutability: "readOnly" }),
  text("familyName", "Last name."),
  text("givenName", "First name."),
]);

const displayName = text("displayName", "\"givenName familyName\", computed; writes have no effect.", { mutability: "readOnly" });

const emails = complex("emails", "The work email; only its value can be written.", [
  text("value", "Work email address."),
  text("type", "Always \"work\".", { mutability: "readOnly", canonicalValues: ["work"] }),
  attribute("primary", "boolean", "Always true.", { mutability: "readOnly" }),
], { multiValued: true });

const phoneNumbers = complex("phoneNumbers", "Work and mobile phone numbers.", [
  text("value", "Phone number."),
  text("type", "\"work\" or \"mobile\"; selects which HR phone number the value is.", { canonicalValues: ["work", "mobile"] }),
  attribute("primary", "boolean", "True for the work number, or for the mobile number when there is no work number; computed.", { mutability: "readOnly" }),
], { multiValued: true });

const addresses = readOnly(complex("addresses", "Work address of the employee's establishment.", [
  text("type", "Always \"work\".", { canonicalValues: ["work"] }),
  text("streetAddress", "Street of the establishment."),
  text("locality", "City of the establishment."),
  text("postalCode", "Postal code of the establishment."),
  text("country", "ISO 3166-1 alpha-2 country code of the establishment."),
  text("formatted", "\"street, postalCode city, country\", computed."),
  attribute("primary", "boolean", "Always true."),
], { multiValued: true }));

const title = text("title", "Job title.");

const preferredLanguage = text("preferredLanguage", "Preferred language as a BCP 47 tag, e.g. \"fr-FR\".");

const active = attribute("active", "boolean", "Whether a contract covers today in the tenant's time zone; computed from contracts, never written by clients.", {
  mutability: "readOnly",
});

/** Served only once the tenant has group types enabled and Groups are served. */
const groups = readOnly(complex("groups", "Organisation groups the employee belongs to (department, establishment, legal unit, country).", [
  text("value", "Group id.", { caseExact: true }),
  attribute("$ref", "reference", "URI of the Group.", { referenceTypes: ["Group"], caseExact: true }),
  text("display", "Group displayName."),
  text("type", "Always \"direct\": groups do not nest.", { canonicalValues: ["direct"] }),
], { multiValued: true }));

/**
 * The core User attributes in RFC 7643 section 4.1 order; `groups` only when the tenant's groups
 * are served. `meta` and `schemas` are common attributes (RFC 7643 section 3.1), not listed.
 */
export function userCoreAttributes(opts: { groupsEnabled: boolean }): AttributeDefinition[] {
  return [
    id, externalId, userName, name, displayName, emails, phoneNumbers, addresses, title, preferredLanguage, active,
    ...(opts.groupsEnabled ? [groups] : []),
  ];
}

/** The enterprise extension attributes hr-scim projects (RFC 7643 section 4.3), all HR-owned. */
export const ENTERPRISE_ATTRIBUTES: readonly AttributeDefinition[] = [
  text("employeeNumber", "Employee number in HR."),
  text("organization", "Name of the legal unit of the employee's establishment."),
  text("division", "Name of the employee's establishment."),
  text("department", "Name of the employee's department."),
  complex("manager", "The employee's manager.", [
    text("value", "id of the manager's User.", { caseExact: true }),
    attribute("$ref", "reference", "URI of the manager's User.", { referenceTypes: ["User"], caseExact: true }),
    text("displayName", "\"givenName familyName\" of the manager."),
  ]),
].map(readOnly);

export type CustomAttribute = Extract<OptionalAttribute, "dtContractStart" | "dtContractEnd" | "establishment" | "legalUnit" | "countryCode">;

/** HR properties without a standard attribute; they live in the tenant's chosen namespace. */
export const CUSTOM_ATTRIBUTE_DEFINITIONS: Readonly<Record<CustomAttribute, AttributeDefinition>> = {
  dtContractStart: readOnly(text("dtContractStart", "Start date (YYYY-MM-DD) of the current contract, or of the next one when none covers today.", { caseExact: true })),
  dtContractEnd: readOnly(text("dtContractEnd", "End date (YYYY-MM-DD) of that contract; absent when open-ended.", { caseExact: true })),
  establishment: readOnly(text("establishment", "Name of the employee's establishment.")),
  legalUnit: readOnly(text("legalUnit", "Name of the legal unit of the employee's establishment.")),
  countryCode: readOnly(text("countryCode", "ISO 3166-1 alpha-2 country code of the employee's legal unit.")),
};

/** A tenant-defined field from the employee's extended data: a read-only, case-exact string. */
export function extendedFieldDefinition(fieldName: string): AttributeDefinition {
  return readOnly(text(fieldName, "Tenant-defined HR field.", { caseExact: true }));
}

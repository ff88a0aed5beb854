// Employee row -> SCIM User resource (RFC 7643 section 4.1 and the enterprise extension), with
// exactly the attributes the tenant exposes.
import { groupsOfPerson } from "../../hr/membership.js";
import type { PersonRow } from "../../hr/people.js";
import { ENTERPRISE_URN, type GroupType, type OptionalAttribute, type PropertyMapping } from "../../hr/tenant-settings.js";
import { USER_URN } from "../schema/urns.js";

export interface UserProjectionOptions {
  mapping: PropertyMapping;
  scimBaseUrl: string;
  /** Enabled group types: the read-only `groups` attribute lists the person's groups of these types. */
  groupTypes?: readonly GroupType[];
}

function dateString(value: string | Date | null): string | null {
  if (value === null || value === undefined) return null;
  return typeof value === "string" ? value : value.toISOString().slice(0, 10);
}

function fullName(first: string | null, last: string | null): string {
  return [first, last].filter(Boolean).join(" ");
}

/** Weak ETag of a user: changes with every write and every lifecycle transition. */
export function userVersion(row: Pick<PersonRow, "version" | "last_modified">): string {
  return `W/"${row.version}-${new Date(row.last_modified).getTime().toString(36)}"`;
}

export function userLocation(scimBaseUrl: string, id: number | string): string {
  return `${scimBaseUrl}/Users/${id}`;
}

export function projectUser(row: PersonRow, options: UserProjectionOptions): Record<string, unknown> {
  const { mapping, scimBaseUrl } = options;
  const exposed = (a: OptionalAttribute) => mapping.attributes.includes(a);
  const id = String(row.id);
  const displayName = fullName(row.first_name, row.last_name);
  const user: Record<string, unknown> = { schemas: [USER_URN], id };
  if (exposed("externalId") && row.external_id !== null) user.externalId = row.external_id;
  user.userName = row.user_name;
  user.name = { formatted: displayName, familyName: row.last_name, givenName: row.first_name };
  user.displayName = displayName;
  if (row.work_email) user.emails = [{ value: row.work_email, type: "work", primary: true }];
  if (exposed("phoneNumbers")) {
    const phones = [];
    if (row.work_phone) phones.push({ value: row.work_phone, type: "work", primary: true });
    if (row.mobile_phone) phones.push({ value: row.mobile_phone, type: "mobile", primary: !row.work_phone });
    if (phones.length) user.phoneNumbers = phones;
  }
  if (exposed("addresses") && row.establishment_id !== null) {
    const address: Record<string, unknown> = { type: "work", primary: true };
    if (row.street) address.streetAddress = row.street;
    if (row.city) address.locality = row.city;
    if (row.postal_code) address.postalCode = row.postal_code;
    if (row.address_country) address.country = row.address_country;
    address.formatted = [row.street, [row.postal_code, row.city].filter(Boolean).join(" "), row.address_country].filter(Boolean).join(", ");
    user.addresses = [address];
  }
  if (exposed("title") && row.job_title) user.title = row.job_title;
  if (exposed("preferredLanguage") && row.preferred_language) user.preferredLanguage = row.preferred_language;
  user.active = row.active === true;
  if (options.groupTypes?.length) {
    // Computed from the person's own columns (hr/membership groupsOfPerson): no query per user.
    const groups = groupsOfPerson(row, options.groupTypes);
    if (groups.length) {
      user.groups = groups.map((g) => ({ value: g.id, $ref: `${scimBaseUrl}/Groups/${encodeURIComponent(g.id)}`, display: g.displayName, type: "direct" }));
    }
  }

  const extensions = new Map<string, Record<string, unknown>>();
  const put = (urn: string, name: string, value: unknown) => {
    if (value === null || value === undefined || value === "") return;
    if (!extensions.has(urn)) extensions.set(urn, {});
    extensions.get(urn)![name] = value;
  };
  if (exposed("employeeNumber")) put(ENTERPRISE_URN, "employeeNumber", row.employee_number);
  if (exposed("organization")) put(ENTERPRISE_URN, "organization", row.legal_unit_name);
  if (exposed("division")) put(ENTERPRISE_URN, "division", row.establishment_name);
  if (exposed("department")) put(ENTERPRISE_URN, "department", row.department_name);
  if (exposed("manager") && row.manager_id !== null && row.manager_visible !== false) {
    put(ENTERPRISE_URN, "manager", {
      value: String(row.manager_id),
      $ref: userLocation(scimBaseUrl, row.manager_id),
      displayName: fullName(row.manager_first_name, row.manager_last_name),
    });
  }
  const ns = mapping.namespace;
  if (exposed("dtContractStart")) put(ns, "dtContractStart", dateString(row.contract_start));
  if (exposed("dtContractEnd")) put(ns, "dtContractEnd", dateString(row.contract_end));
  if (exposed("establishment")) put(ns, "establishment", row.establishment_name);
  if (exposed("legalUnit")) put(ns, "legalUnit", row.legal_unit_name);
  if (exposed("countryCode")) put(ns, "countryCode", row.country_code);
  for (const [name, key] of Object.entries(mapping.extendedFields)) {
    const data = row.extended_data;
    const value = data && Object.hasOwn(data, key) ? data[key] : null;
    put(ns, name, value === null || value === undefined ? null : typeof value === "object" ? JSON.stringify(value) : String(value));
  }
  for (const [urn, values] of extensions) {
    (user.schemas as string[]).push(urn);
    user[urn] = values;
  }

  user.meta = {
    resourceType: "User",
    created: new Date(row.created_at).toISOString(),
    lastModified: new Date(row.last_modified).toISOString(),
    location: userLocation(scimBaseUrl, id),
    version: userVersion(row),
  };
  return user;
}

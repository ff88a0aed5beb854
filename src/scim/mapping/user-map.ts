// The User mapping (product.md section 3): SCIM attribute -> SQL over the visible-people table `u`
// (hr/people.ts). Only the attributes a tenant exposes are in its map, so an unmapped attribute
// cannot be filtered or sorted on, and is not projected or described either.
import { personGroupsValues } from "../../hr/membership.js";
import { ENTERPRISE_URN, type GroupType, type OptionalAttribute, type PropertyMapping } from "../../hr/tenant-settings.js";
import { USER_URN } from "../schema/urns.js";
import type { Column, MappedAttribute, MultiEntry, RelatedEntry, ResourceMap, SimpleEntry } from "./types.js";

const str = (sql: string, caseExact = false): Column => ({ sql, type: "string", caseExact });
const literal = (value: string): Column => ({ sql: `'${value}'::text`, type: "string", caseExact: false });
const bool = (sql: string): Column => ({ sql, type: "boolean", caseExact: false });

function simple(path: string, column: Column, sortable = true): SimpleEntry {
  return { kind: "simple", path, column, sortable };
}

/** The custom namespace attributes (HR properties without a standard SCIM attribute). */
export const CUSTOM_ATTRIBUTES: Partial<Record<OptionalAttribute, Column>> = {
  dtContractStart: str("u.contract_start", true),
  dtContractEnd: str("u.contract_end", true),
  establishment: str("u.establishment_name"),
  legalUnit: str("u.legal_unit_name"),
  countryCode: str("u.country_code"),
};

/** SQL for an extended-data field; the key is validated by tenant settings (letters, digits, _ . -). */
export function extendedFieldColumn(key: string): Column {
  return str(`(u.extended_data ->> '${key.replace(/'/g, "''")}')`, true);
}

const emails: MultiEntry = {
  kind: "multi", path: "emails", defaultSub: "value",
  elements: [{ present: "u.work_email is not null", sub: { value: str("u.work_email"), type: literal("work"), primary: bool("true") } }],
};

const phoneNumbers: MultiEntry = {
  kind: "multi", path: "phoneNumbers", defaultSub: "value",
  elements: [
    { present: "u.work_phone is not null", sub: { value: str("u.work_phone"), type: literal("work"), primary: bool("true") } },
    { present: "u.mobile_phone is not null", sub: { value: str("u.mobile_phone"), type: literal("mobile"), primary: bool("(u.work_phone is null)") } },
  ],
};

const addresses: MultiEntry = {
  kind: "multi", path: "addresses", defaultSub: "formatted",
  elements: [{
    present: "u.establishment_id is not null",
    sub: {
      type: literal("work"),
      streetAddress: str("u.street"),
      locality: str("u.city"),
      postalCode: str("u.postal_code"),
      country: str("u.address_country"),
      formatted: str("concat_ws(', ', u.street, concat_ws(' ', u.postal_code, u.city), u.address_country)"),
      primary: bool("true"),
    },
  }],
};

const ID_COLUMN: Column = { sql: "u.id", type: "string", caseExact: true, integerId: true };

/** Which optional attributes a tenant exposes, resolved once per mapping. */
export function isExposed(mapping: PropertyMapping, attribute: OptionalAttribute): boolean {
  return mapping.attributes.includes(attribute);
}

/** The User's read-only `groups` (groups of the enabled types the person belongs to), for `groups.value eq "LUCCA_DEPT-3"`. */
function groupsEntry(groupTypes: readonly GroupType[]): RelatedEntry {
  const values = personGroupsValues(groupTypes);
  return {
    kind: "related",
    path: "groups",
    from: { sql: `from ${values.sql} where ug.value is not null`, bindings: values.bindings },
    defaultSub: "value",
    sub: {
      value: str("ug.value", true),
      display: str("ug.display"),
      type: literal("direct"),
    },
  };
}

function buildUserMap(mapping: PropertyMapping, groupTypes: readonly GroupType[]): ResourceMap {
  const entries: MappedAttribute[] = [
    simple("id", ID_COLUMN),
    simple("userName", str("u.user_name")),
    simple("name.givenName", str("u.first_name")),
    simple("name.familyName", str("u.last_name")),
    simple("name.formatted", str("(u.first_name || ' ' || u.last_name)")),
    simple("displayName", str("(u.first_name || ' ' || u.last_name)")),
    emails,
    simple("active", bool("u.active")),
    simple("meta.created", { sql: "u.created_at", type: "dateTime", caseExact: false }),
    simple("meta.lastModified", { sql: "u.last_modified", type: "dateTime", caseExact: false }),
    simple("meta.resourceType", literal("User"), false),
  ];
  if (groupTypes.length > 0) entries.push(groupsEntry(groupTypes));
  const exposed = (a: OptionalAttribute) => isExposed(mapping, a);
  if (exposed("externalId")) entries.push(simple("externalId", str("u.external_id", true)));
  if (exposed("phoneNumbers")) entries.push(phoneNumbers);
  if (exposed("addresses")) entries.push(addresses);
  if (exposed("title")) entries.push(simple("title", str("u.job_title")));
  if (exposed("preferredLanguage")) entries.push(simple("preferredLanguage", str("u.preferred_language")));
  const ent = (attr: string) => `${ENTERPRISE_URN}:${attr}`;
  if (exposed("employeeNumber")) entries.push(simple(ent("employeeNumber"), str("u.employee_number")));
  if (exposed("organization")) entries.push(simple(ent("organization"), str("u.legal_unit_name")));
  if (exposed("division")) entries.push(simple(ent("division"), str("u.establishment_name")));
  if (exposed("department")) entries.push(simple(ent("department"), str("u.department_name")));
  if (exposed("manager")) {
    entries.push(simple(ent("manager.value"), { sql: "u.manager_id", type: "string", caseExact: true, integerId: true }));
    entries.push(simple(ent("manager.displayName"), str("(u.manager_first_name || ' ' || u.manager_last_name)")));
  }
  const ns = (attr: string) => `${mapping.namespace}:${attr}`;
  for (const [attr, column] of Object.entries(CUSTOM_ATTRIBUTES)) {
    if (exposed(attr as OptionalAttribute)) entries.push(simple(ns(attr), column!));
  }
  for (const [name, key] of Object.entries(mapping.extendedFields)) entries.push(simple(ns(name), extendedFieldColumn(key)));

  const extensionSchemas = [...new Set(entries.map((e) => e.path).filter((p) => p.startsWith("urn:")).map((p) => p.slice(0, p.lastIndexOf(":"))))];
  return {
    resourceType: "User",
    coreSchema: USER_URN,
    extensionSchemas,
    attributes: new Map(entries.map((e) => [e.path.toLowerCase(), e])),
    idColumn: ID_COLUMN,
  };
}

const cache = new Map<string, ResourceMap>();

/** The tenant's User map; built once per distinct property mapping and set of enabled group types. */
export function userMap(mapping: PropertyMapping, groupTypes: readonly GroupType[] = []): ResourceMap {
  const key = JSON.stringify([mapping, [...groupTypes].sort()]);
  let map = cache.get(key);
  if (!map) {
    map = buildUserMap(mapping, groupTypes);
    if (cache.size > 1000) cache.clear();
    cache.set(key, map);
  }
  return map;
}

// The User catalogue (docs/BEHAVIOUR.md section 3): every attribute hr-scim can serve for a User,
// in RFC 7643 order, over the visible-people table `u` (hr/people.ts). Each entry says what it is
// (RFC 7643 section 7), what exposes it, how it filters, sorts and projects, which HR column it shows
// and, when identity providers may write it back, how. Adding an attribute is adding an entry here.
import { groupNameSql } from "../../hr/group-names.js";
import { enabledTypes, groupsOfPerson } from "../../hr/membership.js";
import { countryNameSql } from "../../hr/countries.js";
import type { GroupType } from "../../hr/tenant-settings.js";
import { characteristics, column, flag, fromColumn, fullName, fullNameSql, literal, readOnlyText, text } from "./define.js";
import type { CatalogueEntry, Element, LeafSource, Related, Row, WriteRule } from "./types.js";

/** Where an entry's schema is: the core User schema, the enterprise extension, or the tenant's namespace. */
export type SchemaSlot = "core" | "enterprise" | "namespace";

/** An entry before it is placed in a tenant's catalogue: its schema slot and its sub-attributes inline. */
export interface EntrySpec extends Omit<CatalogueEntry, "path" | "urn" | "parent" | "name"> {
  name: string;
  slot: SchemaSlot;
  subs?: EntrySpec[];
  /** For a mapped attribute: exposed when a tenant's property mapping does not say (the default mapping). */
  exposedByDefault?: boolean;
  /** An explicit schema URN instead of the slot's (catalogues of other resource types). */
  urn?: string;
}

const u = (name: string, options: Parameters<typeof column>[2] = {}) => fromColumn("u", name, options);
const always = { kind: "always" } as const;
const mapped = (key: string) => ({ kind: "mapped", key }) as const;

const SERVER_OWNED = "the server assigns it";
const HR_OWNED = "HR owns it";

/** A single-valued leaf entry from one source. */
function leaf(slot: SchemaSlot, name: string, definition: CatalogueEntry["definition"], source: LeafSource, rest: Partial<EntrySpec> = {}): EntrySpec {
  return {
    name, slot, definition, exposure: always, column: source.column, value: source.value, sortable: true,
    project: (row, env) => emptyToUndefined(source.value(row, env)), ...rest,
  };
}

function emptyToUndefined(value: unknown): unknown {
  return value === null || value === undefined || value === "" ? undefined : value;
}

function dateString(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return value instanceof Date ? value.toISOString().slice(0, 10) : String(value);
}

export function userLocation(scimBaseUrl: string, id: number | string): string {
  return `${scimBaseUrl}/Users/${id}`;
}

/** Weak ETag of a user: changes with every write and every lifecycle transition. */
export function userVersion(row: { version: unknown; last_modified: unknown }): string {
  return `W/"${row.version}-${new Date(row.last_modified as string).getTime().toString(36)}"`;
}

const fullNameSource: LeafSource = {
  column: { sql: fullNameSql("u.first_name", "u.last_name"), type: "string", caseExact: false },
  value: (row) => fullName(row.first_name, row.last_name),
};

/** Sub-attribute specs of a multi-valued attribute with fixed elements; their columns live in `elements`. */
function elementSub(name: string, definition: CatalogueEntry["definition"], rest: Partial<EntrySpec> = {}): EntrySpec {
  return { name, slot: "core", definition, exposure: always, sortable: false, ...rest };
}

/** Projects fixed elements: each present element with its sub-attributes (empty ones left out). */
function projectElements(elements: Element[], order: string[]): (row: Row, env: { scimBaseUrl: string }) => unknown {
  return (row, env) => {
    const list = elements.filter((e) => e.present.test(row)).map((e) => {
      const out: Record<string, unknown> = {};
      for (const name of order) {
        const v = e.sub[name]?.value(row, env);
        if (v !== null && v !== undefined && v !== "") out[name] = v;
      }
      return out;
    });
    return list.length ? list : undefined;
  };
}

const WORK_EMAIL: WriteRule = { field: "workEmail", column: "work_email", auditPath: 'emails[type eq "work"].value', check: "email" };
const WORK_PHONE: WriteRule = { field: "workPhone", column: "work_phone", auditPath: 'phoneNumbers[type eq "work"].value' };
const MOBILE_PHONE: WriteRule = { field: "mobilePhone", column: "mobile_phone", auditPath: 'phoneNumbers[type eq "mobile"].value' };

const EMAIL_ELEMENTS: Element[] = [{
  type: "work",
  present: { sql: "u.work_email is not null", test: (row) => !!row.work_email },
  sub: { value: u("work_email"), type: literal("work"), primary: flag("true", () => true) },
  writes: { value: WORK_EMAIL },
}];

const PHONE_ELEMENTS: Element[] = [
  {
    type: "work",
    present: { sql: "u.work_phone is not null", test: (row) => !!row.work_phone },
    sub: { value: u("work_phone"), type: literal("work"), primary: flag("true", () => true) },
    writes: { value: WORK_PHONE },
  },
  {
    type: "mobile",
    present: { sql: "u.mobile_phone is not null", test: (row) => !!row.mobile_phone },
    sub: { value: u("mobile_phone"), type: literal("mobile"), primary: flag("(u.work_phone is null)", (row) => !row.work_phone) },
    writes: { value: MOBILE_PHONE },
  },
];

const ADDRESS_FORMATTED: LeafSource = {
  column: { sql: "concat_ws(', ', u.street, concat_ws(' ', u.postal_code, u.city), u.address_country)", type: "string", caseExact: false },
  value: (row) => [row.street, [row.postal_code, row.city].filter(Boolean).join(" "), row.address_country].filter(Boolean).join(", "),
};

const ADDRESS_ELEMENTS: Element[] = [{
  type: "work",
  present: { sql: "u.establishment_id is not null", test: (row) => row.establishment_id !== null && row.establishment_id !== undefined },
  sub: {
    type: literal("work"),
    streetAddress: u("street"),
    locality: u("city"),
    postalCode: u("postal_code"),
    country: u("address_country"),
    formatted: ADDRESS_FORMATTED,
    primary: flag("true", () => true),
  },
}];

/**
 * The groups of a person for filters on the User's `groups`: per enabled type, the person's key
 * column and the tenant's groups of that type with the value and display the projection shows
 * (hr/group-names: a shared name takes the HR id). Compiled as `u.<key> in (select ...)`, which
 * PostgreSQL hashes once per query.
 */
function personGroups(groupTypes: readonly GroupType[]): Related {
  const types = enabledTypes(groupTypes);
  return {
    sub: {
      value: { sql: "ug.value", type: "string", caseExact: true },
      display: { sql: "ug.display", type: "string", caseExact: false },
      type: { sql: "'direct'::text", type: "string", caseExact: false },
    },
    sql: (scope) => ({
      kind: "keyed",
      sources: types.map((type) => {
        const t = Number(scope.tenantId);
        switch (type) {
          case "LUCCA_DEPT":
            {
            const name = groupNameSql("departments", "d", t);
            return { key: "u.department_id", elementKey: "ug.key", rows: { sql: `select d.id as key, 'LUCCA_DEPT-' || d.id as value, 'LUCCA_DEPT ' || ${name.sql} as display from departments d where d.tenant_id = ?`, bindings: [...name.bindings, t] } };
          }
          case "LUCCA_ETS":
            {
            const name = groupNameSql("establishments", "est", t);
            return { key: "u.establishment_id", elementKey: "ug.key", rows: { sql: `select est.id as key, 'LUCCA_ETS-' || est.id as value, 'LUCCA_ETS ' || ${name.sql} as display from establishments est where est.tenant_id = ?`, bindings: [...name.bindings, t] } };
          }
          case "LUCCA_LU":
            {
            const name = groupNameSql("legal_units", "lu", t);
            return { key: "u.legal_unit_id", elementKey: "ug.key", rows: { sql: `select lu.id as key, 'LUCCA_LU-' || lu.id as value, 'LUCCA_LU ' || ${name.sql} as display from legal_units lu where lu.tenant_id = ?`, bindings: [...name.bindings, t] } };
          }
          case "LUCCA_COUNTRY": {
            const name = countryNameSql("c.code");
            return {
              key: "(u.country_code)::text", elementKey: "ug.key",
              rows: {
                sql: `select c.code as key, 'LUCCA_COUNTRY-' || c.code as value, 'LUCCA_COUNTRY ' || ${name.sql} as display from (select distinct (lu.country_code)::text as code from legal_units lu where lu.tenant_id = ?) c`,
                bindings: [...name.bindings, t],
              },
            };
          }
        }
      }),
    }),
  };
}

function extendedValue(row: Row, key: string): string | null {
  const data = row.extended_data as Record<string, unknown> | null | undefined;
  const value = data && typeof data === "object" && Object.hasOwn(data, key) ? data[key] : null;
  return value === null || value === undefined ? null : typeof value === "object" ? JSON.stringify(value) : String(value);
}

/** A tenant-defined field of the employee's extended data: a read-only, case-exact string in the tenant's namespace. */
export function extendedFieldSpec(name: string, key: string): EntrySpec {
  const source: LeafSource = {
    column: { sql: `(u.extended_data ->> '${key.replace(/'/g, "''")}')`, type: "string", caseExact: true },
    value: (row) => extendedValue(row, key),
  };
  return leaf("namespace", name, readOnlyText("Tenant-defined HR field.", { caseExact: true }), source, { exposure: { kind: "extended", key }, readOnlyReason: HR_OWNED });
}

/** The User's read-only `groups` (groups of the enabled types the person belongs to). */
export function groupsSpec(groupTypes: readonly GroupType[]): EntrySpec {
  const ro = { mutability: "readOnly" } as const;
  return {
    name: "groups", slot: "core", exposure: { kind: "groups" }, sortable: false, defaultSub: "value",
    readOnlyReason: "group membership follows the organisation in HR",
    definition: characteristics("complex", "Organisation groups the employee belongs to (department, establishment, legal unit, country).", { multiValued: true, ...ro }),
    related: personGroups(groupTypes),
    project: (row, env) => {
      // Computed from the person's own columns (hr/membership groupsOfPerson): no query per user.
      const groups = groupsOfPerson(row as never, groupTypes);
      return groups.length
        ? groups.map((g) => ({ value: g.id, $ref: `${env.scimBaseUrl}/Groups/${encodeURIComponent(g.id)}`, display: g.displayName, type: "direct" }))
        : undefined;
    },
    subs: [
      elementSub("value", text("Group id.", { caseExact: true, ...ro })),
      elementSub("$ref", characteristics("reference", "URI of the Group.", { referenceTypes: ["Group"], caseExact: true, ...ro })),
      elementSub("display", text("Group displayName.", ro)),
      elementSub("type", text("Always \"direct\": groups do not nest.", { canonicalValues: ["direct"], ...ro })),
    ],
  };
}

const managerVisible = "u.manager_visible";
const managerValue: LeafSource = {
  column: { sql: "u.manager_id", type: "string", caseExact: true, integerId: true, guard: managerVisible },
  value: (row) => (row.manager_id !== null && row.manager_id !== undefined && row.manager_visible !== false ? String(row.manager_id) : null),
};
const managerName: LeafSource = {
  column: { sql: fullNameSql("u.manager_first_name", "u.manager_last_name"), type: "string", caseExact: false, guard: managerVisible },
  value: (row) => (row.manager_id !== null && row.manager_visible !== false ? fullName(row.manager_first_name, row.manager_last_name) : null),
};

/**
 * Every User attribute, in RFC 7643 order (core, then enterprise, then the custom namespace).
 * `groups` and extended fields depend on the tenant and are added by the tenant catalogue.
 */
export const USER_SPECS: readonly EntrySpec[] = [
  leaf("core", "id", readOnlyText("Unique, stable identifier of the employee, assigned by the HR system; never reused.", { caseExact: true, returned: "always", uniqueness: "server" }),
    u("id", { integerId: true, caseExact: true }), { project: (row) => String(row.id), readOnlyReason: SERVER_OWNED }),
  leaf("core", "externalId", text("Identifier of the user in the identity provider, stored in HR as given.", { caseExact: true }),
    u("external_id", { caseExact: true }), {
      exposure: mapped("externalId"), exposedByDefault: true,
      hr: { field: "externalId", column: "external_id" },
      write: { field: "externalId", column: "external_id", auditPath: "externalId" },
    }),
  leaf("core", "userName", text("Login of the employee (or the work email, per tenant setting); unique per tenant, compared case-insensitively.", { required: true, uniqueness: "server" }),
    u("user_name"), {
      hr: { field: "login", column: "login" },
      // The tenant catalogue points this at the work email when userNameSource is workEmail.
      write: { field: "userName", column: "login", auditPath: "userName", required: true, check: "identifier" },
    }),
  {
    name: "name", slot: "core", exposure: always, sortable: false,
    definition: characteristics("complex", "The employee's name."),
    project: (row) => ({ formatted: fullName(row.first_name, row.last_name), familyName: row.last_name, givenName: row.first_name }),
    subs: [
      leaf("core", "formatted", readOnlyText("\"givenName familyName\", computed."), fullNameSource, { computed: true }),
      leaf("core", "familyName", text("Last name."), u("last_name"), {
        hr: { field: "lastName", column: "last_name" },
        write: { field: "familyName", column: "last_name", auditPath: "name.familyName", required: true },
      }),
      leaf("core", "givenName", text("First name."), u("first_name"), {
        hr: { field: "firstName", column: "first_name" },
        write: { field: "givenName", column: "first_name", auditPath: "name.givenName", required: true },
      }),
    ],
  },
  leaf("core", "displayName", readOnlyText("\"givenName familyName\", computed; writes have no effect."), fullNameSource, { computed: true }),
  {
    name: "emails", slot: "core", exposure: always, sortable: true, defaultSub: "value", elements: EMAIL_ELEMENTS,
    definition: characteristics("complex", "The work email; only its value can be written.", { multiValued: true }),
    storesNote: "hr-scim stores only the work email (type \"work\")",
    project: projectElements(EMAIL_ELEMENTS, ["value", "type", "primary"]),
    hr: { field: "workEmail", column: "work_email" },
    subs: [
      elementSub("value", text("Work email address."), { write: WORK_EMAIL }),
      elementSub("type", readOnlyText("Always \"work\".", { canonicalValues: ["work"] }), { readOnlyReason: "the one email hr-scim stores is always of type \"work\"" }),
      elementSub("primary", characteristics("boolean", "Always true.", { mutability: "readOnly" }), { computed: true }),
    ],
  },
  {
    name: "phoneNumbers", slot: "core", exposure: mapped("phoneNumbers"), exposedByDefault: true, sortable: true, defaultSub: "value", elements: PHONE_ELEMENTS,
    definition: characteristics("complex", "Work and mobile phone numbers.", { multiValued: true }),
    storesNote: "hr-scim stores only the work and mobile phone numbers (types \"work\" and \"mobile\")",
    project: projectElements(PHONE_ELEMENTS, ["value", "type", "primary"]),
    subs: [
      elementSub("value", text("Phone number.")),
      elementSub("type", text("\"work\" or \"mobile\"; selects which HR phone number the value is.", { canonicalValues: ["work", "mobile"] })),
      elementSub("primary", characteristics("boolean", "True for the work number, or for the mobile number when there is no work number; computed.", { mutability: "readOnly" }), { computed: true }),
    ],
  },
  {
    name: "addresses", slot: "core", exposure: mapped("addresses"), exposedByDefault: true, sortable: true, defaultSub: "formatted", elements: ADDRESS_ELEMENTS,
    readOnlyReason: "it is the address of the employee's establishment in HR",
    definition: characteristics("complex", "Work address of the employee's establishment.", { multiValued: true, mutability: "readOnly" }),
    project: projectElements(ADDRESS_ELEMENTS, ["type", "primary", "streetAddress", "locality", "postalCode", "country", "formatted"]),
    subs: [
      elementSub("type", readOnlyText("Always \"work\".", { canonicalValues: ["work"] })),
      elementSub("streetAddress", readOnlyText("Street of the establishment.")),
      elementSub("locality", readOnlyText("City of the establishment.")),
      elementSub("postalCode", readOnlyText("Postal code of the establishment.")),
      elementSub("country", readOnlyText("ISO 3166-1 alpha-2 country code of the establishment.")),
      elementSub("formatted", readOnlyText("\"street, postalCode city, country\", computed.")),
      elementSub("primary", characteristics("boolean", "Always true.", { mutability: "readOnly" })),
    ],
  },
  leaf("core", "title", text("Job title."), u("job_title"), {
    exposure: mapped("title"), exposedByDefault: true,
    hr: { field: "jobTitle", column: "job_title" },
    write: { field: "title", column: "job_title", auditPath: "title" },
  }),
  leaf("core", "preferredLanguage", text("Preferred language as a BCP 47 tag, e.g. \"fr-FR\"."), u("preferred_language"), {
    exposure: mapped("preferredLanguage"), exposedByDefault: true,
    hr: { field: "preferredLanguage", column: "preferred_language" },
    write: { field: "preferredLanguage", column: "preferred_language", auditPath: "preferredLanguage", check: "languageTag" },
  }),
  leaf("core", "active", characteristics("boolean", "Whether a contract covers today in the tenant's time zone; computed from contracts, never written by clients.", { mutability: "readOnly" }),
    { column: { sql: "u.active", type: "boolean", caseExact: false }, value: (row) => row.active === true },
    { project: (row) => row.active === true, readOnlyReason: "it follows the employee's contracts in HR" }),

  leaf("enterprise", "employeeNumber", readOnlyText("Employee number in HR."), u("employee_number"), {
    exposure: mapped("employeeNumber"), exposedByDefault: true, readOnlyReason: HR_OWNED, hr: { field: "employeeNumber", column: "employee_number" },
  }),
  leaf("enterprise", "costCenter", readOnlyText("Cost center of the employee in HR."), u("cost_center"), {
    exposure: mapped("costCenter"), readOnlyReason: HR_OWNED, hr: { field: "costCenter", column: "cost_center" },
  }),
  leaf("enterprise", "organization", readOnlyText("Name of the legal unit of the employee's establishment."), u("legal_unit_name"), {
    exposure: mapped("organization"), exposedByDefault: true, readOnlyReason: HR_OWNED,
  }),
  leaf("enterprise", "division", readOnlyText("Name of the employee's establishment."), u("establishment_name"), {
    exposure: mapped("division"), exposedByDefault: true, readOnlyReason: HR_OWNED,
  }),
  leaf("enterprise", "department", readOnlyText("Name of the employee's department."), u("department_name"), {
    exposure: mapped("department"), exposedByDefault: true, readOnlyReason: HR_OWNED,
  }),
  {
    name: "manager", slot: "enterprise", exposure: mapped("manager"), exposedByDefault: true, sortable: false, readOnlyReason: HR_OWNED,
    definition: characteristics("complex", "The employee's manager.", { mutability: "readOnly" }),
    project: (row, env) => {
      const value = managerValue.value(row, env);
      return value === null ? undefined : { value, $ref: userLocation(env.scimBaseUrl, value as string), displayName: managerName.value(row, env) };
    },
    subs: [
      leaf("enterprise", "value", readOnlyText("id of the manager's User.", { caseExact: true }), managerValue),
      {
        name: "$ref", slot: "enterprise", exposure: always, sortable: false,
        definition: characteristics("reference", "URI of the manager's User.", { referenceTypes: ["User"], caseExact: true, mutability: "readOnly" }),
      },
      leaf("enterprise", "displayName", readOnlyText("\"givenName familyName\" of the manager."), managerName),
    ],
  },

  leaf("namespace", "dtContractStart", readOnlyText("Start date (YYYY-MM-DD) of the current contract, or of the next one when none covers today.", { caseExact: true }),
    { column: column("u", "contract_start", { caseExact: true }), value: (row) => dateString(row.contract_start) },
    { exposure: mapped("dtContractStart"), exposedByDefault: true, readOnlyReason: HR_OWNED }),
  leaf("namespace", "dtContractEnd", readOnlyText("End date (YYYY-MM-DD) of that contract; absent when open-ended.", { caseExact: true }),
    { column: column("u", "contract_end", { caseExact: true }), value: (row) => dateString(row.contract_end) },
    { exposure: mapped("dtContractEnd"), exposedByDefault: true, readOnlyReason: HR_OWNED }),
  leaf("namespace", "establishment", readOnlyText("Name of the employee's establishment."), u("establishment_name"), {
    exposure: mapped("establishment"), readOnlyReason: HR_OWNED,
  }),
  leaf("namespace", "legalUnit", readOnlyText("Name of the legal unit of the employee's establishment."), u("legal_unit_name"), {
    exposure: mapped("legalUnit"), readOnlyReason: HR_OWNED,
  }),
  leaf("namespace", "countryCode", readOnlyText("ISO 3166-1 alpha-2 country code of the employee's legal unit."), u("country_code"), {
    exposure: mapped("countryCode"), readOnlyReason: HR_OWNED,
    project: (row) => (row.country_code ? String(row.country_code).trim() || undefined : undefined),
  }),
];

/** meta (RFC 7643 section 3.1): a common attribute, not listed in /Schemas; created and lastModified filter and sort. */
export const USER_META: EntrySpec = {
  name: "meta", slot: "core", exposure: always, sortable: false, common: true, readOnlyReason: SERVER_OWNED,
  definition: characteristics("complex", "Resource metadata.", { mutability: "readOnly" }),
  project: (row, env) => ({
    resourceType: "User",
    created: new Date(row.created_at as string).toISOString(),
    lastModified: new Date(row.last_modified as string).toISOString(),
    location: userLocation(env.scimBaseUrl, String(row.id)),
    version: userVersion(row as { version: unknown; last_modified: unknown }),
  }),
  subs: [
    leaf("core", "resourceType", readOnlyText("\"User\"."), literal("User"), { sortable: false }),
    leaf("core", "created", characteristics("dateTime", "When the employee was created in HR.", { mutability: "readOnly" }), u("created_at", { type: "dateTime" })),
    leaf("core", "lastModified", characteristics("dateTime", "The later of the last change and the last lifecycle transition.", { mutability: "readOnly" }), u("last_modified", { type: "dateTime" })),
    { name: "location", slot: "core", exposure: always, sortable: false, definition: characteristics("reference", "URI of the resource.", { mutability: "readOnly", caseExact: true }) },
    { name: "version", slot: "core", exposure: always, sortable: false, definition: readOnlyText("Weak ETag of the resource.", { caseExact: true }) },
  ],
};


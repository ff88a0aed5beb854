// What a User attribute path means for write-back: which HR field it writes, or why it cannot be
// written (read-only, computed, not exposed for the tenant). The canonical schema PATCH and PUT share;
// mutabilities follow product.md section 3 and scim/schema/user-schema.ts.
import { mutability, invalidPath, type ScimError } from "../errors.js";
import { ENTERPRISE_URN, LUCCA_URN, USER_URN } from "../schema/urns.js";
import type { OptionalAttribute } from "../../hr/tenant-settings.js";
import { KNOWN_SCHEMA_URNS } from "./path.js";
import { userNameField, type WritableField, type WriteTenant } from "./writable-user.js";

export type MultiValuedAttribute = "emails" | "phoneNumbers";

export type AttributeTarget =
  /** A single-valued string attribute stored in one HR field. */
  | { kind: "field"; field: WritableField; name: string }
  /** The complex `name` as a whole (givenName and familyName). */
  | { kind: "name"; name: "name" }
  /** emails or phoneNumbers; the sub-attribute, if any, is interpreted by multi-valued.ts. */
  | { kind: "multi"; attribute: MultiValuedAttribute; name: string }
  /** displayName, name.formatted: computed from the names, writes have no effect (product.md section 5). */
  | { kind: "computed"; name: string }
  | { kind: "readOnly"; name: string; why: string }
  /**
   * Not served for this tenant: an optional attribute the mapping lacks (`mapped`, named by its
   * top-level name, which is what an administrator exposes), or one hr-scim never stores.
   */
  | { kind: "notExposed"; name: string; mapped: boolean; unknownSchema?: string };

const SERVER_OWNED = "the server assigns it";
const HR_OWNED = "HR owns it";
const READ_ONLY_CORE: Record<string, { name: string; why: string }> = {
  id: { name: "id", why: SERVER_OWNED },
  meta: { name: "meta", why: SERVER_OWNED },
  schemas: { name: "schemas", why: SERVER_OWNED },
  active: { name: "active", why: "it follows the employee's contracts in HR" },
  groups: { name: "groups", why: "group membership follows the organisation in HR" },
  addresses: { name: "addresses", why: "it is the address of the employee's establishment in HR" },
};

/** Enterprise extension attributes (RFC 7643 section 4.3), accepted without their URN too. */
const ENTERPRISE_NAMES = ["employeeNumber", "costCenter", "organization", "division", "department", "manager"];
const CUSTOM_NAMES = ["dtContractStart", "dtContractEnd", "establishment", "legalUnit", "countryCode"];

const OPTIONAL_CORE: Record<string, { name: string; field: WritableField; option: OptionalAttribute }> = {
  externalid: { name: "externalId", field: "externalId", option: "externalId" },
  title: { name: "title", field: "title", option: "title" },
  preferredlanguage: { name: "preferredLanguage", field: "preferredLanguage", option: "preferredLanguage" },
};

function lowerFind(names: readonly string[], wanted: string): string | undefined {
  const lower = wanted.toLowerCase();
  return names.find((n) => n.toLowerCase() === lower);
}

const withSub = (name: string, sub: string | null) => (sub === null ? name : `${name}.${sub}`);

/**
 * Resolves `[urn:]attribute[.subAttribute]` against the tenant's User schema (RFC 7644 section
 * 3.10: names are case-insensitive; RFC 7643 section 3.3: core attributes may carry the core URN).
 * Enterprise and custom-namespace attributes are all HR-owned (product.md section 3) and read-only,
 * whatever their name and whether or not the tenant exposes them; they are recognised without
 * their URN as well, so that a client that omits it is told the true reason.
 */
export function resolveAttribute(urn: string | null, attribute: string, subAttribute: string | null, tenant: WriteTenant): AttributeTarget {
  if (urn === ENTERPRISE_URN || urn === LUCCA_URN) return { kind: "readOnly", name: withSub(`${urn}:${attribute}`, subAttribute), why: HR_OWNED };
  if (urn !== null && urn !== USER_URN) return { kind: "notExposed", name: withSub(`${urn}:${attribute}`, subAttribute), mapped: false, unknownSchema: urn };

  const key = attribute.toLowerCase();
  const sub = subAttribute?.toLowerCase() ?? null;
  const exposed = (a: OptionalAttribute) => tenant.mapping.attributes.includes(a);

  const readOnlyCore = Object.hasOwn(READ_ONLY_CORE, key) ? READ_ONLY_CORE[key] : undefined;
  if (readOnlyCore) return { kind: "readOnly", name: withSub(readOnlyCore.name, subAttribute), why: readOnlyCore.why };

  if (key === "username" || Object.hasOwn(OPTIONAL_CORE, key)) {
    const entry = key === "username" ? { name: "userName", field: userNameField(tenant), option: null } : OPTIONAL_CORE[key];
    if (entry.option && !exposed(entry.option)) return { kind: "notExposed", name: entry.name, mapped: true };
    if (sub !== null) return { kind: "notExposed", name: withSub(entry.name, subAttribute), mapped: false };
    return { kind: "field", field: entry.field, name: entry.name };
  }
  if (key === "name") {
    if (sub === null) return { kind: "name", name: "name" };
    if (sub === "givenname") return { kind: "field", field: "givenName", name: "name.givenName" };
    if (sub === "familyname") return { kind: "field", field: "familyName", name: "name.familyName" };
    if (sub === "formatted") return { kind: "computed", name: "name.formatted" };
    return { kind: "notExposed", name: withSub("name", subAttribute), mapped: false };
  }
  if (key === "displayname") return { kind: "computed", name: "displayName" };
  if (key === "emails") return { kind: "multi", attribute: "emails", name: "emails" };
  if (key === "phonenumbers") {
    if (!exposed("phoneNumbers")) return { kind: "notExposed", name: "phoneNumbers", mapped: true };
    return { kind: "multi", attribute: "phoneNumbers", name: "phoneNumbers" };
  }

  const enterprise = lowerFind(ENTERPRISE_NAMES, attribute);
  if (enterprise) return { kind: "readOnly", name: withSub(`${ENTERPRISE_URN}:${enterprise}`, subAttribute), why: HR_OWNED };
  const custom = lowerFind([...CUSTOM_NAMES, ...Object.keys(tenant.mapping.extendedFields)], attribute);
  if (custom) return { kind: "readOnly", name: withSub(`${tenant.mapping.namespace}:${custom}`, subAttribute), why: HR_OWNED };
  return { kind: "notExposed", name: withSub(attribute, subAttribute), mapped: false };
}

/** The error a PATCH gets for a target it may not write (RFC 7644 section 3.5.2: mutability; 3.12: invalidPath). */
export function unwritableError(target: Extract<AttributeTarget, { kind: "readOnly" | "notExposed" }>): ScimError {
  if (target.kind === "readOnly") {
    return mutability(`Attribute "${target.name}" is read-only: ${target.why}, and identity providers cannot change it. Remove it from the attribute mapping of your provisioning app; nothing was changed.`);
  }
  if (target.unknownSchema !== undefined) {
    return invalidPath(`Attribute "${target.name}" names the schema "${target.unknownSchema}", which hr-scim Users do not have; their schemas are ${KNOWN_SCHEMA_URNS.join(", ")}. Write "<schema URN>:<attribute>"; nothing was changed.`);
  }
  return target.mapped
    ? invalidPath(`Attribute "${target.name}" is not exposed for this tenant, so it cannot be written. Remove it from the attribute mapping of your provisioning app, or ask the tenant administrator to expose it; nothing was changed.`)
    : invalidPath(`Attribute "${target.name}" is not exposed for this tenant: hr-scim does not store it. Remove it from the attribute mapping of your provisioning app; nothing was changed.`);
}

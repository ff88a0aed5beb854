// emails and phoneNumbers as hr-scim stores them: fixed slots (the work email; the work and mobile
// numbers), each one HR field. Reads the element lists clients send and applies PATCH operations on
// whole attributes, on sub-attributes and on value-filtered elements (RFC 7644 section 3.5.2).
import { invalidFilter, invalidPath, invalidValue, mutability, noTarget } from "../errors.js";
import type { MultiValuedAttribute } from "./user-attributes.js";
import { filterAttributes, matchesValueFilter, type FilterElement, type ValueFilter } from "./value-filter.js";
import { describeValue, isPlainObject, readBoolean, readString, writeField } from "./values.js";
import type { WritableUser, WriteTenant } from "./writable-user.js";

export type PatchOpName = "add" | "replace" | "remove";

interface Slot {
  type: "work" | "mobile";
  field: "workEmail" | "workPhone" | "mobilePhone";
}

const WORK_EMAIL: Slot = { type: "work", field: "workEmail" };
const WORK_PHONE: Slot = { type: "work", field: "workPhone" };
const MOBILE_PHONE: Slot = { type: "mobile", field: "mobilePhone" };
const SLOTS: Record<MultiValuedAttribute, readonly Slot[]> = { emails: [WORK_EMAIL], phoneNumbers: [WORK_PHONE, MOBILE_PHONE] };
const SUB_ATTRIBUTES = ["value", "type", "primary", "display"];

const STORES: Record<MultiValuedAttribute, string> = {
  emails: "hr-scim stores only the work email (type \"work\")",
  phoneNumbers: "hr-scim stores only the work and mobile phone numbers (types \"work\" and \"mobile\")",
};

/** One element of a list value, its sub-attribute names matched case-insensitively. */
export interface ElementValue {
  hasValue: boolean;
  value: string | null;
  /** Lower-cased. */
  type: string | null;
  primary: boolean | null;
}

/**
 * Reads one element of an emails or phoneNumbers value. `display` is accepted and ignored (computed);
 * any other unknown sub-attribute is 400 invalidPath.
 */
export function readElement(raw: unknown, attribute: MultiValuedAttribute): ElementValue {
  if (!isPlainObject(raw)) {
    throw invalidValue(`Each element of "${attribute}" must be an object such as {"value": "...", "type": "work"}, but the request gives ${describeValue(raw)}.`);
  }
  const element: ElementValue = { hasValue: false, value: null, type: null, primary: null };
  for (const [key, value] of Object.entries(raw)) {
    switch (key.toLowerCase()) {
      case "value": element.hasValue = true; element.value = readString(value, `${attribute}.value`); break;
      case "type": element.type = readString(value, `${attribute}.type`)?.toLowerCase() ?? null; break;
      case "primary": element.primary = readBoolean(value, `${attribute}.primary`); break;
      case "display": readString(value, `${attribute}.display`); break;
      default:
        throw invalidPath(`Attribute "${attribute}.${key}" is not exposed for this tenant: hr-scim does not store it. Send only value, type and primary.`);
    }
  }
  return element;
}

function readElements(raw: unknown, attribute: MultiValuedAttribute): ElementValue[] {
  const list = Array.isArray(raw) ? raw : isPlainObject(raw) ? [raw] : undefined;
  if (!list) throw invalidValue(`Attribute "${attribute}" must be an array of objects such as [{"value": "...", "type": "work"}], but the request gives ${describeValue(raw)}.`);
  return list.map((e) => readElement(e, attribute));
}

/**
 * The work email of an emails value (RFC 7643 section 4.1.2): the element of type "work", else the
 * untyped one (the only one, or the one marked primary). Addresses of other types ("home") are
 * skipped, never taken for the work email; a list of only such addresses is 400 invalidValue.
 * Returns "empty" for an empty list.
 */
export function readWorkEmail(raw: unknown): { value: string | null } | "empty" {
  const elements = readElements(raw, "emails");
  if (elements.length === 0) return "empty";
  const candidates = elements.filter((e) => e.type === null || e.type === "work");
  const work = candidates.filter((e) => e.type === "work");
  if (work.length > 1) throw invalidValue(`"emails" holds ${work.length} addresses of type "work": ${STORES.emails}. Send one.`);
  const chosen = work[0] ?? (candidates.length === 1 ? candidates[0] : candidates.find((e) => e.primary === true));
  if (!chosen) {
    throw invalidValue(candidates.length === 0
      ? `"emails" holds no work address, only ${elements.map((e) => `"${e.type}"`).join(", ")}: ${STORES.emails}. Send the work address with "type": "work"; nothing was changed.`
      : `"emails" holds ${candidates.length} addresses, none of type "work" or primary: ${STORES.emails}. Mark the work address with "type": "work".`);
  }
  if (!chosen.hasValue) throw invalidValue(`The work element of "emails" has no "value"; send {"value": "...", "type": "work"}.`);
  return { value: chosen.value };
}

function phoneSlot(type: string | null, label: string): Slot {
  if (type === "work") return WORK_PHONE;
  if (type === "mobile") return MOBILE_PHONE;
  throw invalidValue(type === null
    ? `Each element of "${label}" needs a "type", "work" or "mobile": ${STORES.phoneNumbers}.`
    : `Phone number type "${type}" cannot be written: ${STORES.phoneNumbers}. Map only those in your provisioning app.`);
}

/**
 * The work and mobile numbers of a phoneNumbers value (RFC 7643 section 4.1.2), by type. Each
 * element needs a type "work" or "mobile" (any case) and a value; a type given twice is 400 invalidValue.
 * Other types ("home", "fax") are 400 invalidValue, or skipped with `ignoreOtherTypes` (PUT) as long
 * as a work or mobile number remains: a list of only other types would otherwise clear both numbers.
 */
export function readPhoneNumbers(raw: unknown, options: { ignoreOtherTypes?: boolean } = {}): { workPhone?: string | null; mobilePhone?: string | null } {
  const result: { workPhone?: string | null; mobilePhone?: string | null } = {};
  const elements = readElements(raw, "phoneNumbers");
  const storable = (e: { type: string | null }) => e.type === null || e.type === "work" || e.type === "mobile";
  if (options.ignoreOtherTypes && elements.length > 0 && !elements.some(storable)) {
    throw invalidValue(`"phoneNumbers" holds only numbers of type ${elements.map((e) => `"${e.type}"`).join(", ")}: ${STORES.phoneNumbers}. Map only those in your provisioning app; nothing was changed.`);
  }
  for (const element of elements) {
    if (options.ignoreOtherTypes && !storable(element)) continue;
    const slot = phoneSlot(element.type, "phoneNumbers");
    if (!element.hasValue) throw invalidValue(`The "${slot.type}" element of "phoneNumbers" has no "value"; send {"value": "...", "type": "${slot.type}"}.`);
    if (Object.hasOwn(result, slot.field)) throw invalidValue(`"phoneNumbers" holds two numbers of type "${slot.type}"; send at most one work and one mobile number.`);
    result[slot.field as "workPhone" | "mobilePhone"] = element.value;
  }
  return result;
}

/** The element a slot holds, as a value filter sees it; `primary` follows the projection (scim/projection/user.ts). */
function slotElement(user: WritableUser, attribute: MultiValuedAttribute, slot: Slot, value: string | null | undefined): FilterElement {
  const primary = attribute === "emails" || slot.type === "work" || user.workPhone === null;
  return { value, type: slot.type, primary, display: undefined };
}

export interface MultiValuedOperation {
  op: PatchOpName;
  attribute: MultiValuedAttribute;
  filter: ValueFilter | null;
  filterText: string | null;
  subAttribute: string | null;
  /** The path as sent (or the path-less key), for error details. */
  label: string;
  value: unknown;
  /** Whether the operation carried a value (remove usually does not). */
  hasValue: boolean;
}

/**
 * Applies one PATCH operation to emails or phoneNumbers (RFC 7644 sections 3.5.2.1 to 3.5.2.3):
 * - whole attribute: add merges the elements given, replace makes them the whole list, remove
 *   clears every element (or, with a value, the elements it lists); an explicit null clears;
 * - `attr.value`: the work email; for phoneNumbers only remove (which number to set is ambiguous);
 * - `attr[filter]` and `attr[filter].sub`: the elements the filter matches. Following Entra, add and
 *   replace on a filter that matches nothing create the element when a slot can satisfy the filter
 *   (`[type eq "mobile"]`), else 400 noTarget; remove on nothing is a no-op.
 * `primary` and `display` are computed: writes to them are checked and ignored.
 */
export function applyMultiValued(user: WritableUser, tenant: WriteTenant, operation: MultiValuedOperation): void {
  const { op, attribute, filter, subAttribute, label, value } = operation;
  const slots = SLOTS[attribute];
  const write = (slot: Slot, v: unknown) => writeField(user, slot.field, v, label, tenant);
  const sub = subAttribute?.toLowerCase() ?? null;

  if (sub !== null && !SUB_ATTRIBUTES.includes(sub)) {
    throw invalidPath(`Attribute "${attribute}.${subAttribute}" is not exposed for this tenant: hr-scim does not store it. Use value, type or primary.`);
  }
  for (const name of filter === null ? [] : filterAttributes(filter)) {
    if (!SUB_ATTRIBUTES.includes(name)) throw invalidFilter(`"${name}" is not a sub-attribute of ${attribute} in the value filter [${operation.filterText}]; use type, value or primary.`);
  }
  if (sub === "primary" || sub === "display") {
    if (op !== "remove") (sub === "primary" ? readBoolean : readString)(value, `${attribute}.${sub}`);
    return;
  }
  if (sub === "type" && attribute === "emails") {
    throw mutability(`Attribute "emails.type" is read-only: the one email hr-scim stores is always of type "work". Write emails[type eq "work"].value instead; nothing was changed.`);
  }

  if (filter === null) {
    if (sub === "value") {
      if (attribute === "emails") return op === "remove" ? write(WORK_EMAIL, null) : write(WORK_EMAIL, value);
      if (op === "remove") return slots.forEach((s) => write(s, null));
      throw invalidPath(`The path "${label}" does not say which phone number to write; use phoneNumbers[type eq "work"].value or phoneNumbers[type eq "mobile"].value.`);
    }
    if (sub === "type") throw invalidPath(`The path "${label}" does not say which phone number to retype; use phoneNumbers[type eq "work"].type.`);
    return applyWhole(user, operation, slots, write);
  }

  let targets = slots.filter((s) => user[s.field] !== null && matchesValueFilter(filter, slotElement(user, attribute, s, user[s.field])));
  if (targets.length === 0) {
    if (op === "remove") return;
    const creatable = slots.find((s) => user[s.field] === null && matchesValueFilter(filter, slotElement(user, attribute, s, undefined)));
    if (!creatable) throw noTarget(`No element of "${attribute}" matches [${operation.filterText}], and none can be created: ${STORES[attribute]}.`);
    targets = [creatable];
  }

  for (const slot of targets) {
    if (sub === "value") {
      write(slot, op === "remove" ? null : value);
    } else if (sub === "type") {
      if (op === "remove") throw invalidValue(`"${label}": the type says which phone number this is and cannot be removed; remove the element instead.`);
      const destination = phoneSlot(readString(value, label)?.toLowerCase() ?? null, label);
      moveSlot(slot, destination, user[slot.field], write);
    } else if (op === "remove" || value === null) {
      write(slot, null);
    } else if (typeof value === "string") {
      write(slot, value); // a bare value for the element: Entra-style leniency
    } else {
      if (!isPlainObject(value)) throw invalidValue(`"${label}" takes an element such as {"value": "..."} (or its value as a string), but the request gives ${describeValue(value)}.`);
      const element = readElement(value, attribute);
      if (attribute === "emails") {
        if (element.type !== null && element.type !== "work") throw invalidValue(`"${label}": ${STORES.emails}; an email of type "${element.type}" cannot be written.`);
        if (element.hasValue) write(slot, element.value);
      } else {
        const destination = element.type === null ? slot : phoneSlot(element.type, label);
        moveSlot(slot, destination, element.hasValue ? element.value : user[slot.field], write);
      }
    }
  }
}

function moveSlot(from: Slot, to: Slot, value: string | null, write: (slot: Slot, v: unknown) => void): void {
  if (from !== to) write(from, null);
  write(to, value);
}

function applyWhole(user: WritableUser, operation: MultiValuedOperation, slots: readonly Slot[], write: (slot: Slot, v: unknown) => void): void {
  const { op, attribute, value } = operation;
  if (op === "remove") {
    if (!operation.hasValue || value === null) return slots.forEach((s) => write(s, null));
    // A remove that lists elements removes those (as Entra removes group members by value).
    const listed = readElements(value, attribute);
    for (const slot of slots) {
      const current = user[slot.field];
      if (current === null) continue;
      const hit = listed.some((e) => (e.type === null || e.type === slot.type) && (!e.hasValue || e.value?.toLowerCase() === current.toLowerCase()));
      if (hit) write(slot, null);
    }
    return;
  }
  if (value === null) return slots.forEach((s) => write(s, null));
  if (attribute === "emails") {
    const email = readWorkEmail(value);
    if (email === "empty") return op === "replace" ? write(WORK_EMAIL, null) : undefined;
    return write(WORK_EMAIL, email.value);
  }
  const phones = readPhoneNumbers(value);
  for (const slot of slots) {
    if (Object.hasOwn(phones, slot.field)) write(slot, phones[slot.field as "workPhone" | "mobilePhone"]);
    else if (op === "replace") write(slot, null);
  }
}

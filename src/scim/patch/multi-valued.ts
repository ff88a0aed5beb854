// Multi-valued attributes as hr-scim stores them (emails, phoneNumbers): fixed slots, one per element
// the catalogue lists (the work email; the work and mobile numbers), each one HR field. Reads the
// element lists clients send and applies PATCH operations on whole attributes, on sub-attributes and
// on value-filtered elements (RFC 7644 section 3.5.2). An attribute with one slot (emails) takes the
// untyped or primary element as that slot and has a read-only type; one with several (phoneNumbers)
// places each element by its type, which can be written.
import type { Catalogue } from "../catalogue/catalogue.js";
import type { CatalogueEntry, Row } from "../catalogue/types.js";
import { invalidFilter, invalidPath, invalidValue, mutability, noTarget } from "../errors.js";
import type { FilterNode } from "../filter/parse.js";
import { matchesElement, elementFilterNames, type FilterElement } from "./element-filter.js";
import { describeValue, isPlainObject, readBoolean, readString, writeField } from "./values.js";
import type { WritableUser } from "./writable-user.js";

export type PatchOpName = "add" | "replace" | "remove";

interface Slot {
  /** The element's type (lower case). */
  type: string;
  /** The write-back field of its value. */
  field: string;
}

/** A multi-valued attribute with fixed slots, read from its catalogue entry. */
export interface MultiAttribute {
  entry: CatalogueEntry;
  name: string;
  slots: readonly Slot[];
  /** What hr-scim stores of it, for error details. */
  stores: string;
  single: boolean;
}

const SUB_ATTRIBUTES = ["value", "type", "primary", "display"];

export function multiAttribute(entry: CatalogueEntry): MultiAttribute {
  const slots = (entry.elements ?? []).filter((e) => e.writes?.value).map((e) => ({ type: e.type.toLowerCase(), field: e.writes!.value.field }));
  const types = slots.map((s) => `"${s.type}"`);
  const stores = entry.storesNote ?? `hr-scim stores only ${entry.name} of type ${types.join(" and ")}`;
  return { entry, name: entry.name, slots, stores, single: slots.length === 1 };
}

/** One element of a list value, its sub-attribute names matched case-insensitively. */
export interface ElementValue {
  hasValue: boolean;
  value: string | null;
  /** Lower-cased. */
  type: string | null;
  primary: boolean | null;
}

/**
 * Reads one element of a list value. `display` is accepted and ignored (computed); any other
 * unknown sub-attribute is 400 invalidPath.
 */
export function readElement(raw: unknown, attribute: string): ElementValue {
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

function readElements(raw: unknown, attribute: string): ElementValue[] {
  const list = Array.isArray(raw) ? raw : isPlainObject(raw) ? [raw] : undefined;
  if (!list) throw invalidValue(`Attribute "${attribute}" must be an array of objects such as [{"value": "...", "type": "work"}], but the request gives ${describeValue(raw)}.`);
  return list.map((e) => readElement(e, attribute));
}

/**
 * The value of a one-slot list (RFC 7643 section 4.1.2 emails): the element of the slot's type, else
 * the untyped one (the only one, or the one marked primary). Elements of other types ("home") are
 * skipped, never taken for the slot; a list of only such elements is 400 invalidValue.
 * Returns "empty" for an empty list.
 */
export function readSingleSlot(raw: unknown, attribute: MultiAttribute): { value: string | null } | "empty" {
  const { name, stores } = attribute;
  const type = attribute.slots[0].type;
  const elements = readElements(raw, name);
  if (elements.length === 0) return "empty";
  const candidates = elements.filter((e) => e.type === null || e.type === type);
  const typed = candidates.filter((e) => e.type === type);
  if (typed.length > 1) throw invalidValue(`"${name}" holds ${typed.length} addresses of type "${type}": ${stores}. Send one.`);
  const chosen = typed[0] ?? (candidates.length === 1 ? candidates[0] : candidates.find((e) => e.primary === true));
  if (!chosen) {
    throw invalidValue(candidates.length === 0
      ? `"${name}" holds no ${type} address, only ${elements.map((e) => `"${e.type}"`).join(", ")}: ${stores}. Send the ${type} address with "type": "${type}"; nothing was changed.`
      : `"${name}" holds ${candidates.length} addresses, none of type "${type}" or primary: ${stores}. Mark the ${type} address with "type": "${type}".`);
  }
  if (!chosen.hasValue) throw invalidValue(`The ${type} element of "${name}" has no "value"; send {"value": "...", "type": "${type}"}.`);
  return { value: chosen.value };
}

function slotOf(attribute: MultiAttribute, type: string | null, label: string): Slot {
  const slot = attribute.slots.find((s) => s.type === type);
  if (slot) return slot;
  const types = attribute.slots.map((s) => `"${s.type}"`).join(" or ");
  throw invalidValue(type === null
    ? `Each element of "${label}" needs a "type", ${types}: ${attribute.stores}.`
    : `Phone number type "${type}" cannot be written: ${attribute.stores}. Map only those in your provisioning app.`);
}

/**
 * The values of a typed list (RFC 7643 section 4.1.2 phoneNumbers), by slot field. Each element needs
 * a type among the slots' (any case) and a value; a type given twice is 400 invalidValue. Other types
 * ("home", "fax") are 400 invalidValue, or skipped with `ignoreOtherTypes` (PUT) as long as an element
 * of a stored type remains: a list of only other types would otherwise clear every slot.
 */
export function readTypedSlots(raw: unknown, attribute: MultiAttribute, options: { ignoreOtherTypes?: boolean } = {}): Record<string, string | null> {
  const { name, stores } = attribute;
  const result: Record<string, string | null> = {};
  const elements = readElements(raw, name);
  const storable = (e: { type: string | null }) => e.type === null || attribute.slots.some((s) => s.type === e.type);
  if (options.ignoreOtherTypes && elements.length > 0 && !elements.some(storable)) {
    throw invalidValue(`"${name}" holds only numbers of type ${elements.map((e) => `"${e.type}"`).join(", ")}: ${stores}. Map only those in your provisioning app; nothing was changed.`);
  }
  for (const element of elements) {
    if (options.ignoreOtherTypes && !storable(element)) continue;
    const slot = slotOf(attribute, element.type, name);
    if (!element.hasValue) throw invalidValue(`The "${slot.type}" element of "${name}" has no "value"; send {"value": "...", "type": "${slot.type}"}.`);
    if (Object.hasOwn(result, slot.field)) throw invalidValue(`"${name}" holds two numbers of type "${slot.type}"; send at most one ${attribute.slots.map((s) => s.type).join(" and one ")} number.`);
    result[slot.field] = element.value;
  }
  return result;
}

/** The user's fields as a row of the people table (field -> catalogue column), for the catalogue's projectors. */
function asRow(catalogue: Catalogue, user: WritableUser): Row {
  const row: Row = {};
  for (const [field, rule] of catalogue.fields) row[rule.column] = user[field] ?? null;
  return row;
}

/** The element a slot holds, as a value filter sees it; `primary` as the projection computes it. */
function slotElement(catalogue: Catalogue, user: WritableUser, attribute: MultiAttribute, slot: Slot, value: string | null | undefined): FilterElement {
  const element = attribute.entry.elements!.find((e) => e.type.toLowerCase() === slot.type)!;
  const primary = element.sub.primary ? element.sub.primary.value(asRow(catalogue, user), { scimBaseUrl: "" }) === true : false;
  return { value, type: slot.type, primary, display: undefined };
}

export interface MultiValuedOperation {
  op: PatchOpName;
  attribute: MultiAttribute;
  filter: FilterNode | null;
  filterText: string | null;
  subAttribute: string | null;
  /** The path as sent (or the path-less key), for error details. */
  label: string;
  value: unknown;
  /** Whether the operation carried a value (remove usually does not). */
  hasValue: boolean;
}

/**
 * Applies one PATCH operation to a multi-valued attribute (RFC 7644 sections 3.5.2.1 to 3.5.2.3):
 * - whole attribute: add merges the elements given, replace makes them the whole list, remove
 *   clears every element (or, with a value, the elements it lists); an explicit null clears;
 * - `attr.value`: the value of a one-slot attribute; for several slots only remove (which to set is ambiguous);
 * - `attr[filter]` and `attr[filter].sub`: the elements the filter matches. Following Entra, add and
 *   replace on a filter that matches nothing create the element when a slot can satisfy the filter
 *   (`[type eq "mobile"]`), else 400 noTarget; remove on nothing is a no-op.
 * `primary` and `display` are computed: writes to them are checked and ignored.
 */
export function applyMultiValued(user: WritableUser, catalogue: Catalogue, operation: MultiValuedOperation): void {
  const { op, attribute, filter, subAttribute, label, value } = operation;
  const { slots, name } = attribute;
  const write = (slot: Slot, v: unknown) => writeField(user, slot.field, v, label, catalogue);
  const sub = subAttribute?.toLowerCase() ?? null;

  if (sub !== null && !SUB_ATTRIBUTES.includes(sub)) {
    throw invalidPath(`Attribute "${name}.${subAttribute}" is not exposed for this tenant: hr-scim does not store it. Use value, type or primary.`);
  }
  for (const n of filter === null ? [] : elementFilterNames(filter)) {
    if (!SUB_ATTRIBUTES.includes(n)) throw invalidFilter(`"${n}" is not a sub-attribute of ${name} in the value filter [${operation.filterText}]; use type, value or primary.`);
  }
  if (sub === "primary" || sub === "display") {
    if (op !== "remove") (sub === "primary" ? readBoolean : readString)(value, `${name}.${sub}`);
    return;
  }
  if (sub === "type" && attribute.single) {
    throw mutability(`Attribute "${name}.type" is read-only: the one ${name === "emails" ? "email" : "element"} hr-scim stores is always of type "${slots[0].type}". Write ${name}[type eq "${slots[0].type}"].value instead; nothing was changed.`);
  }

  if (filter === null) {
    if (sub === "value") {
      if (attribute.single) return op === "remove" ? write(slots[0], null) : write(slots[0], value);
      if (op === "remove") return slots.forEach((s) => write(s, null));
      throw invalidPath(`The path "${label}" does not say which ${name} element to write; use ${slots.map((s) => `${name}[type eq "${s.type}"].value`).join(" or ")}.`);
    }
    if (sub === "type") throw invalidPath(`The path "${label}" does not say which ${name} element to retype; use ${name}[type eq "${slots[0].type}"].type.`);
    return applyWhole(user, operation, write);
  }

  let targets = slots.filter((s) => user[s.field] !== null && user[s.field] !== undefined && matchesElement(filter, slotElement(catalogue, user, attribute, s, user[s.field])));
  if (targets.length === 0) {
    if (op === "remove") return;
    const creatable = slots.find((s) => (user[s.field] ?? null) === null && matchesElement(filter, slotElement(catalogue, user, attribute, s, undefined)));
    if (!creatable) throw noTarget(`No element of "${name}" matches [${operation.filterText}], and none can be created: ${attribute.stores}.`);
    targets = [creatable];
  }

  for (const slot of targets) {
    if (sub === "value") {
      write(slot, op === "remove" ? null : value);
    } else if (sub === "type") {
      if (op === "remove") throw invalidValue(`"${label}": the type says which ${name} element this is and cannot be removed; remove the element instead.`);
      const destination = slotOf(attribute, readString(value, label)?.toLowerCase() ?? null, label);
      moveSlot(slot, destination, user[slot.field] ?? null, write);
    } else if (op === "remove" || value === null) {
      write(slot, null);
    } else if (typeof value === "string") {
      write(slot, value); // a bare value for the element: Entra-style leniency
    } else {
      if (!isPlainObject(value)) throw invalidValue(`"${label}" takes an element such as {"value": "..."} (or its value as a string), but the request gives ${describeValue(value)}.`);
      const element = readElement(value, name);
      if (attribute.single) {
        if (element.type !== null && element.type !== slots[0].type) throw invalidValue(`"${label}": ${attribute.stores}; an email of type "${element.type}" cannot be written.`);
        if (element.hasValue) write(slot, element.value);
      } else {
        const destination = element.type === null ? slot : slotOf(attribute, element.type, label);
        moveSlot(slot, destination, element.hasValue ? element.value : user[slot.field] ?? null, write);
      }
    }
  }
}

function moveSlot(from: Slot, to: Slot, value: string | null, write: (slot: Slot, v: unknown) => void): void {
  if (from !== to) write(from, null);
  write(to, value);
}

function applyWhole(user: WritableUser, operation: MultiValuedOperation, write: (slot: Slot, v: unknown) => void): void {
  const { op, attribute, value } = operation;
  const { slots, name } = attribute;
  if (op === "remove") {
    if (!operation.hasValue || value === null) return slots.forEach((s) => write(s, null));
    // A remove that lists elements removes those (as Entra removes group members by value).
    const listed = readElements(value, name);
    for (const slot of slots) {
      const current = user[slot.field] ?? null;
      if (current === null) continue;
      const hit = listed.some((e) => (e.type === null || e.type === slot.type) && (!e.hasValue || e.value?.toLowerCase() === current.toLowerCase()));
      if (hit) write(slot, null);
    }
    return;
  }
  if (value === null) return slots.forEach((s) => write(s, null));
  if (attribute.single) {
    const single = readSingleSlot(value, attribute);
    if (single === "empty") return op === "replace" ? write(slots[0], null) : undefined;
    return write(slots[0], single.value);
  }
  const values = readTypedSlots(value, attribute);
  for (const slot of slots) {
    if (Object.hasOwn(values, slot.field)) write(slot, values[slot.field]);
    else if (op === "replace") write(slot, null);
  }
}

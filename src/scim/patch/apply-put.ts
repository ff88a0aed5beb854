// PUT on a User (RFC 7644 section 3.5.1 as docs/BEHAVIOUR.md section 5 amends it): the writable
// attributes present in a whole User resource are applied; read-only and absent ones change nothing.
import type { Catalogue } from "../catalogue/catalogue.js";
import { invalidSyntax, invalidValue } from "../errors.js";
import { PATCH_OP_URN } from "../schema/urns.js";
import { multiAttribute, readSingleSlot, readTypedSlots } from "./multi-valued.js";
import { checkAttributeValue } from "../validation/validate.js";
import { memberIgnoringCase } from "./patch-request.js";
import { describeValue, isPlainObject, writeField } from "./values.js";
import { diffWritableUsers, fieldAttribute, type WritableUser, type WriteResult } from "./writable-user.js";
import { resolveMemberTarget, resolveWriteTarget } from "./write-target.js";

interface Proposal {
  attribute: string;
  value: unknown;
}

/**
 * Applies a PUT body, a whole User resource as the client read it (RFC 7644 section 3.5.1), to
 * the writable fields of one user. Okta's write-back sends back everything it read (docs/CLIENTS.md item 24):
 * - read-only attributes (id, meta, schemas, active, groups, addresses, every extension), computed
 *   ones (displayName, name.formatted) and attributes the tenant does not expose are ignored;
 * - an ABSENT attribute is left unchanged, userName included: a documented deviation from section
 *   3.5.1, so that an incomplete attribute mapping never erases HR data;
 * - an explicit empty value (null, "", []) clears an optional attribute; a required one (userName,
 *   name.givenName, name.familyName) cannot be cleared (400 invalidValue);
 * - `emails`, when present, gives the work email (type "work", else the untyped primary or only
 *   element; [] clears it; other types are skipped, and a list of only other types is 400);
 *   `phoneNumbers`, when present, writes the work and mobile numbers it carries and leaves a type
 *   it lacks unchanged ([] or null clears both); other types are skipped, and a list of only other
 *   types is 400;
 * - with userNameSource "workEmail", userName and the work email are one field: when both are sent
 *   with different values, the one that differs from HR wins (the one the client changed); if both
 *   differ from HR and from each other, 400 invalidValue.
 * Values of the wrong type are 400 invalidValue; a body that is not an object is 400 invalidSyntax.
 * Pure: `current` is not modified. The caller checks userName uniqueness and the email domain.
 */
export function applyPut(current: WritableUser, body: unknown, catalogue: Catalogue): WriteResult {
  if (!isPlainObject(body)) throw invalidSyntax(`A PUT body must be the whole User resource as a JSON object, not ${describeValue(body)}.`);
  const schemas = memberIgnoringCase(body, "schemas").value;
  if (Array.isArray(schemas) && schemas.some((s) => typeof s === "string" && s.toLowerCase() === PATCH_OP_URN.toLowerCase())) {
    throw invalidSyntax("This body is a PatchOp message: send it with PATCH, or send the whole User resource with PUT.");
  }

  const proposals = new Map<string, Proposal[]>();
  const propose = (field: string, attribute: string, value: unknown) => {
    proposals.set(field, [...(proposals.get(field) ?? []), { attribute, value }]);
  };

  for (const [key, value] of Object.entries(body)) {
    if (/^urn:/i.test(key)) continue; // extension objects: all read-only (docs/BEHAVIOUR.md section 3)
    const target = resolveWriteTarget(catalogue, key);
    if (target.kind === "field" || target.kind === "complex" || (target.kind === "multi" && target.sub === null)) {
      checkAttributeValue(catalogue, target.entry, value, target.name);
    }
    switch (target.kind) {
      case "field":
        propose(target.field, target.name, value);
        break;
      case "complex":
        if (value === null) throw invalidValue(`Attribute "${target.name}" is required (name.givenName and name.familyName): it cannot be null.`);
        if (!isPlainObject(value)) throw invalidValue(`Attribute "${target.name}" must be an object such as {"givenName": "Ada", "familyName": "Lovelace"}, but the request gives ${describeValue(value)}.`);
        for (const [sub, subValue] of Object.entries(value)) {
          const subTarget = resolveMemberTarget(catalogue, target.entry, sub);
          if (subTarget.kind === "field") propose(subTarget.field, subTarget.name, subValue);
        }
        break;
      case "multi": {
        if (target.sub !== null) break; // a dotted key such as "emails.value" is not an attribute of a resource
        const attribute = multiAttribute(target.entry);
        if (attribute.single) {
          const single = value === null ? "empty" : readSingleSlot(value, attribute);
          propose(attribute.slots[0].field, target.name, single === "empty" ? null : single.value);
        } else {
          // Only the types the list carries are written: a mapping of the mobile number alone must
          // not erase the work number. null or [] clears them all.
          const values = value === null ? {} : readTypedSlots(value, attribute, { ignoreOtherTypes: true });
          const clearAll = value === null || (Array.isArray(value) && value.length === 0);
          for (const slot of attribute.slots) {
            if (clearAll || Object.hasOwn(values, slot.field)) propose(slot.field, target.name, values[slot.field] ?? null);
          }
        }
        break;
      }
      default:
        break; // read-only, computed or not exposed: ignored in a PUT (RFC 7644 section 3.5.1)
    }
  }

  const next: WritableUser = { ...current };
  for (const [field, list] of proposals) next[field] = settle(current, field, list, catalogue);
  return { next, changes: diffWritableUsers(catalogue, current, next) };
}

/** The value a field takes from one or more proposals; see applyPut on conflicts. */
function settle(current: WritableUser, field: string, list: Proposal[], catalogue: Catalogue): string | null {
  const values = list.map((p) => {
    const scratch = { ...current };
    writeField(scratch, field, p.value, p.attribute, catalogue);
    return scratch[field] ?? null;
  });
  const distinct = [...new Set(values)];
  if (distinct.length === 1) return distinct[0];
  const changed = distinct.filter((v) => v !== (current[field] ?? null));
  if (changed.length === 1) return changed[0];
  const names = [...new Set(list.map((p) => p.attribute))].join(" and ");
  throw invalidValue(`${names} set ${fieldAttribute(catalogue, field)} to different values (${changed.map((v) => JSON.stringify(v)).join(", ")}); for this tenant they are the same HR field. Send one value.`);
}

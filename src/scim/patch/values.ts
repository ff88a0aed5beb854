// Values as clients send them (RFC 7643 section 2.3 types, with Entra's string booleans) and the one
// way a value is written into an HR field: type checks, explicit null or "" clears, required fields.
import { invalidValue } from "../errors.js";
import { isStorableText } from "../../db/storable-text.js";
import type { Catalogue } from "../catalogue/catalogue.js";
import type { WriteRule } from "../catalogue/types.js";
import { isRequiredField, type WritableUser } from "./writable-user.js";

export { describeValue } from "../validation/validate.js";
import { describeValue } from "../validation/validate.js";

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Longest string an HR field takes; longer values are refused rather than stored. */
export const MAX_FIELD_LENGTH = 1024;

/**
 * A string attribute value (RFC 7643 section 2.3.1); null and undefined mean "no value". Refuses,
 * with 400 invalidValue, other types and text PostgreSQL cannot store or that no HR field holds:
 * a NUL or other control character, an unpaired UTF-16 surrogate, more than MAX_FIELD_LENGTH characters.
 */
export function readString(value: unknown, attribute: string): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== "string") throw invalidValue(`Attribute "${attribute}" must be a string, but the request gives ${describeValue(value)}.`);
  if (!isStorableText(value)) {
    throw invalidValue(`Attribute "${attribute}" contains a control character or malformed Unicode; send plain text.`);
  }
  if (value.length > MAX_FIELD_LENGTH) throw invalidValue(`Attribute "${attribute}" is longer than ${MAX_FIELD_LENGTH} characters.`);
  return value;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@.]+$/;
const LANGUAGE_TAG = /^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*$/;

/**
 * Identifiers are compared by people as they read them (the catalogue's `check` of each field):
 * surrounding spaces are dropped from userName and the work email (" ada.lovelace " would otherwise
 * pass as a second ada.lovelace), the work email must be one address, and preferredLanguage a
 * language tag (BCP 47, "fr-FR").
 */
function normalise(rule: WriteRule | undefined, text: string, attribute: string): string {
  const check = rule?.check;
  if (check === "identifier" || check === "email") text = text.trim();
  if (check === "email" && text !== "" && !EMAIL.test(text)) {
    throw invalidValue(`Attribute "${attribute}" must be one email address such as "ada@example.com", but the request gives ${JSON.stringify(text)}.`);
  }
  if (check === "languageTag" && text !== "" && !LANGUAGE_TAG.test(text)) {
    throw invalidValue(`Attribute "${attribute}" must be a language tag (BCP 47) such as "fr-FR" or "en", but the request gives ${JSON.stringify(text)}.`);
  }
  return text;
}

/**
 * A boolean attribute value (RFC 7643 section 2.3.2), also as the strings "true"/"false" in any
 * case, which Entra sends ("True", "False"). null and undefined mean "no value". Throws 400 invalidValue.
 */
export function readBoolean(value: unknown, attribute: string): boolean | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "boolean") return value;
  if (typeof value === "string" && /^(true|false)$/i.test(value.trim())) return value.trim().toLowerCase() === "true";
  throw invalidValue(`Attribute "${attribute}" must be a boolean (true or false), but the request gives ${describeValue(value)}.`);
}

/**
 * Writes a client value into an HR field: a string sets it; null, undefined or "" clears an
 * optional field (explicit nulls are removals, RFC 7644 section 3.5.2); a required field (RFC 7643
 * `required: true`) refuses to be cleared or blanked with 400 invalidValue. Strings are kept as given,
 * except that identifiers are trimmed and checked (normalise).
 */
export function writeField(user: WritableUser, field: string, value: unknown, attribute: string, catalogue: Catalogue): void {
  // A value the client echoes back unchanged (Okta's PUT sends all it read) is HR's own: it is
  // kept as it is, never refused or normalised by the checks below, which are for new values.
  if (typeof value === "string" && value === user[field]) return;
  const raw = readString(value, attribute);
  const rule = catalogue.fields.get(field);
  const text = raw === null ? null : normalise(rule, raw, attribute);
  if (isRequiredField(catalogue, field)) {
    if (text === null || text.trim() === "") {
      const alias = rule?.column === "work_email" && attribute !== "userName" ? " (it is this tenant's userName)" : "";
      throw invalidValue(`Attribute "${attribute}"${alias} is required: it cannot be removed or set to an empty value. Send a non-empty string.`);
    }
    user[field] = text;
    return;
  }
  user[field] = text === null || text === "" ? null : text;
}

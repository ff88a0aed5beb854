// The PatchOp message (RFC 7644 section 3.5.2) read into a list of operations, tolerant of what
// Entra sends (op names in any case, member names in any case) and strict about the rest.
import { readPatchMessage, type PatchOperation } from "../validation/validate.js";

/** More operations than this in one request is refused; a larger change should be split. */
export const MAX_PATCH_OPERATIONS = 100;

export type { PatchOperation };

/** The member of `object` named `name` ignoring case, exact spelling first. */
export function memberIgnoringCase(object: Record<string, unknown>, name: string): { found: boolean; value: unknown } {
  if (Object.hasOwn(object, name)) return { found: true, value: object[name] };
  const key = Object.keys(object).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? { found: false, value: undefined } : { found: true, value: object[key] };
}

/**
 * Reads a PATCH body (RFC 7644 section 3.5.2), checked by ajv against the PatchOp schema
 * (validation/json-schemas.ts): op names and member names in any case; at most
 * MAX_PATCH_OPERATIONS operations; 400 invalidSyntax or noTarget otherwise.
 */
export function readPatchRequest(body: unknown): PatchOperation[] {
  return readPatchMessage(body, MAX_PATCH_OPERATIONS);
}

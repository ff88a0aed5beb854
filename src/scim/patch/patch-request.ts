// The PatchOp message (RFC 7644 section 3.5.2) read into a list of operations, tolerant of what
// Entra sends (op names in any case, member names in any case) and strict about the rest.
import { invalidSyntax, noTarget } from "../errors.js";
import { PATCH_OP_URN } from "../schema/urns.js";
import type { PatchOpName } from "./multi-valued.js";
import { describeValue, isPlainObject } from "./values.js";

/** More operations than this in one request is refused; a larger change should be split. */
export const MAX_PATCH_OPERATIONS = 100;

export interface PatchOperation {
  op: PatchOpName;
  /** The path as sent, or null when absent. */
  path: string | null;
  /** Whether the operation had a "value" member (which may be null: an explicit null clears). */
  hasValue: boolean;
  value: unknown;
}

/** The member of `object` named `name` ignoring case, exact spelling first. */
export function memberIgnoringCase(object: Record<string, unknown>, name: string): { found: boolean; value: unknown } {
  if (Object.hasOwn(object, name)) return { found: true, value: object[name] };
  const key = Object.keys(object).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? { found: false, value: undefined } : { found: true, value: object[key] };
}

const EXAMPLE = `{"schemas": ["${PATCH_OP_URN}"], "Operations": [{"op": "replace", "path": "title", "value": "..."}]}`;

/**
 * Reads a PATCH body (RFC 7644 section 3.5.2): `schemas` must list the PatchOp URN, `Operations`
 * (any case) must be a non-empty array of at most MAX_PATCH_OPERATIONS operations, each with `op`
 * add/replace/remove in any case, an optional string `path` (required for remove: 400 noTarget) and
 * a `value` (required for add and replace; null allowed). Malformed bodies are 400 invalidSyntax.
 */
export function readPatchRequest(body: unknown): PatchOperation[] {
  if (!isPlainObject(body)) throw invalidSyntax(`A PATCH body must be a JSON object like ${EXAMPLE}.`);
  const schemas = memberIgnoringCase(body, "schemas").value;
  if (!Array.isArray(schemas) || !schemas.some((s) => typeof s === "string" && s.toLowerCase() === PATCH_OP_URN.toLowerCase())) {
    throw invalidSyntax(`A PATCH body must have "schemas": ["${PATCH_OP_URN}"].`);
  }
  const operations = memberIgnoringCase(body, "Operations").value;
  if (!Array.isArray(operations) || operations.length === 0) {
    throw invalidSyntax(`A PATCH body must have a non-empty "Operations" array, like ${EXAMPLE}.`);
  }
  if (operations.length > MAX_PATCH_OPERATIONS) {
    throw invalidSyntax(`A PATCH request may carry at most ${MAX_PATCH_OPERATIONS} operations and this one has ${operations.length}; split it into several requests.`);
  }
  return operations.map((raw, index) => readOperation(raw, index + 1));
}

function readOperation(raw: unknown, n: number): PatchOperation {
  const where = `Operation ${n}`;
  if (!isPlainObject(raw)) throw invalidSyntax(`${where} must be an object like {"op": "replace", "path": "title", "value": "..."}, not ${describeValue(raw)}.`);
  const opMember = memberIgnoringCase(raw, "op").value;
  const op = typeof opMember === "string" ? opMember.trim().toLowerCase() : undefined;
  if (op !== "add" && op !== "replace" && op !== "remove") {
    throw invalidSyntax(`${where} has "op": ${opMember === undefined ? "nothing" : JSON.stringify(opMember)}; it must be "add", "replace" or "remove".`);
  }
  const pathMember = memberIgnoringCase(raw, "path");
  if (pathMember.found && pathMember.value !== null && typeof pathMember.value !== "string") {
    throw invalidSyntax(`${where} has a "path" that is ${describeValue(pathMember.value)}; it must be a string such as "name.givenName".`);
  }
  const path = typeof pathMember.value === "string" ? pathMember.value : null;
  const valueMember = memberIgnoringCase(raw, "value");
  if (op === "remove" && path === null) {
    throw noTarget(`${where} is a "remove" without a "path": say which attribute to remove, e.g. "title" or 'phoneNumbers[type eq "mobile"]'.`);
  }
  if (op !== "remove" && !valueMember.found) {
    throw invalidSyntax(`${where} is an "${op}" without a "value"; send "value": null to clear an attribute.`);
  }
  return { op, path, hasValue: valueMember.found, value: valueMember.value };
}

// PATCH on a User (RFC 7644 section 3.5.2, with Entra's dialect from clients.md item 25): each
// operation applied in order to a copy of the writable HR fields; any error throws, so nothing applies.
import { invalidPath, invalidValue, mutability, ScimError } from "../errors.js";
import { ENTERPRISE_URN, LUCCA_URN, USER_URN } from "../schema/urns.js";
import { applyMultiValued, type PatchOpName } from "./multi-valued.js";
import { knownSchemaUrn, parsePatchPath, type PatchPath } from "./path.js";
import { readPatchRequest, type PatchOperation } from "./patch-request.js";
import { resolveAttribute, unwritableError } from "./user-attributes.js";
import { describeValue, isPlainObject, writeField } from "./values.js";
import { diffWritableUsers, type WritableUser, type WriteResult, type WriteTenant } from "./writable-user.js";

/**
 * Applies a PatchOp body (RFC 7644 section 3.5.2) to the writable fields of one user and returns
 * the user after it and the fields that changed (no-op operations change nothing). Pure: `current`
 * is not modified, and any error throws a ScimError before anything is returned, so a request
 * applies entirely or not at all (section 3.5.2: "each operation ... atomically").
 *
 * Accepts: add/replace/remove in any case; paths with sub-attributes, value filters and schema
 * URNs, attribute names in any case; path-less add/replace whose value object has simple, dotted,
 * filtered or URN-qualified keys, or nested objects (`{"name": {...}}`, `{"<extension URN>": {...}}`);
 * explicit null values (a removal); "True"/"False" where a boolean is expected; add/replace on a
 * value filter that matches no element yet (the element is created).
 *
 * Refuses (400): a read-only attribute (mutability, naming it); an attribute the tenant does not
 * expose or hr-scim does not store (invalidPath); a malformed path (invalidPath) or value filter
 * (invalidFilter); a value of the wrong type, or the removal of a required attribute (invalidValue);
 * a malformed message (invalidSyntax); remove without path (noTarget).
 * Ignores: writes to displayName and name.formatted, which are computed.
 *
 * The caller still checks what needs the database: userName uniqueness (409) and the work email's
 * domain (emailDomainAllowed). With userNameSource "workEmail", userName and the work email are one
 * field, `workEmail`: a userName change appears as a workEmail change.
 */
export function applyPatch(current: WritableUser, body: unknown, tenant: WriteTenant): WriteResult {
  const operations = readPatchRequest(body);
  const next: WritableUser = { ...current };
  operations.forEach((operation, index) => {
    try {
      applyOperation(next, operation, tenant);
    } catch (error) {
      throw error instanceof ScimError ? inOperation(error, index + 1, operation) : error;
    }
  });
  return { next, changes: diffWritableUsers(current, next) };
}

function inOperation(error: ScimError, n: number, operation: PatchOperation): ScimError {
  const where = `operation ${n}: ${operation.op}${operation.path === null ? " without path" : ` "${operation.path}"`}`;
  return new ScimError(error.status, `${error.detail} (${where})`, error.scimType, error.headers);
}

function applyOperation(user: WritableUser, operation: PatchOperation, tenant: WriteTenant): void {
  if (operation.path === null) return applyValueObject(user, tenant, operation.op, operation.value, null);
  applyAtPath(user, tenant, operation.op, parsePatchPath(operation.path), operation.value, operation.hasValue);
}

/**
 * A path-less add or replace (RFC 7644 sections 3.5.2.1 and 3.5.2.3): each member of the value
 * object is applied as if it were the path. Members named by a schema URN hold that schema's attributes.
 */
function applyValueObject(user: WritableUser, tenant: WriteTenant, op: PatchOpName, value: unknown, urn: string | null): void {
  if (!isPlainObject(value)) {
    throw invalidValue(`An "${op}" without "path" needs an object value whose members are attributes, e.g. {"name.givenName": "Ada", "title": "CTO"}; the request gives ${describeValue(value)}.`);
  }
  for (const [key, member] of Object.entries(value)) {
    const schema = knownSchemaUrn(key);
    if (schema) {
      applyAtPath(user, tenant, op, { text: key, urn: schema, attribute: null, filter: null, filterText: null, subAttribute: null }, member, true);
      continue;
    }
    const qualified = urn !== null && !/^urn:/i.test(key) ? `${urn}:${key}` : key;
    applyAtPath(user, tenant, op, parsePatchPath(qualified), member, true);
  }
}

function applyAtPath(user: WritableUser, tenant: WriteTenant, op: PatchOpName, path: PatchPath, value: unknown, hasValue: boolean): void {
  if (path.attribute === null) return applyToSchema(user, tenant, op, path, value);

  const target = resolveAttribute(path.urn, path.attribute, path.subAttribute, tenant);
  if (target.kind === "readOnly" || target.kind === "notExposed") throw unwritableError(target);
  if (path.filter !== null && target.kind !== "multi") {
    throw invalidPath(`The path "${path.text}" has a value filter, but "${path.attribute}" is not multi-valued; filters apply to emails and phoneNumbers.`);
  }
  switch (target.kind) {
    case "computed":
      return; // displayName and name.formatted follow the names (product.md section 5).
    case "field":
      return writeField(user, target.field, op === "remove" ? null : value, target.name, tenant);
    case "name":
      return applyName(user, tenant, op, value);
    case "multi":
      return applyMultiValued(user, tenant, {
        op, attribute: target.attribute, filter: path.filter, filterText: path.filterText,
        subAttribute: path.subAttribute, label: path.text, value, hasValue,
      });
  }
}

/** A path that is a schema URN alone: the whole core schema or a whole extension. */
function applyToSchema(user: WritableUser, tenant: WriteTenant, op: PatchOpName, path: PatchPath, value: unknown): void {
  if (path.urn === ENTERPRISE_URN || path.urn === LUCCA_URN) {
    // Name the first attribute sent, which is what the administrator has to unmap.
    if (op !== "remove" && isPlainObject(value)) return applyValueObject(user, tenant, op, value, path.urn);
    throw mutability(`The extension "${path.urn}" is read-only: HR owns its attributes, and identity providers cannot change them. Remove them from the attribute mapping of your provisioning app; nothing was changed.`);
  }
  if (op === "remove" || path.urn !== USER_URN) {
    throw invalidPath(`The path "${path.text}" names a whole schema; name an attribute instead, e.g. "${USER_URN}:title".`);
  }
  applyValueObject(user, tenant, op, value, USER_URN);
}

/** The complex `name` (RFC 7644 section 3.5.2.3: sub-attributes given replace, others stay). */
function applyName(user: WritableUser, tenant: WriteTenant, op: PatchOpName, value: unknown): void {
  if (op === "remove" || value === null) {
    throw invalidValue(`Attribute "name" is required (name.givenName and name.familyName): it cannot be removed. Send new values instead.`);
  }
  if (!isPlainObject(value)) {
    throw invalidValue(`Attribute "name" must be an object such as {"givenName": "Ada", "familyName": "Lovelace"}, but the request gives ${describeValue(value)}.`);
  }
  for (const [key, member] of Object.entries(value)) {
    const target = resolveAttribute(null, "name", key, tenant);
    if (target.kind === "readOnly" || target.kind === "notExposed") throw unwritableError(target);
    if (target.kind === "field") writeField(user, target.field, member, target.name, tenant);
  }
}

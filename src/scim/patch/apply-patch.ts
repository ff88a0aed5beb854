// PATCH on a User (RFC 7644 section 3.5.2, with Entra's dialect from docs/CLIENTS.md item 25): each
// operation applied in order to a copy of the writable HR fields; any error throws, so nothing applies.
import type { Catalogue } from "../catalogue/catalogue.js";
import { invalidPath, invalidValue, mutability, ScimError } from "../errors.js";
import { parsePatchPath, type ParsedPath } from "../filter/parse.js";
import { resolveSub } from "../catalogue/resolve.js";
import { checkAttributeValue } from "../validation/validate.js";
import { checkElementFilter } from "./element-filter.js";
import { applyMultiValued, multiAttribute, type PatchOpName } from "./multi-valued.js";
import { readPatchRequest, type PatchOperation } from "./patch-request.js";
import { describeValue, isPlainObject, writeField } from "./values.js";
import { diffWritableUsers, type WritableUser, type WriteResult } from "./writable-user.js";
import { resolveMemberTarget, resolveWriteTarget, unwritableError, type WriteTarget } from "./write-target.js";

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
export function applyPatch(current: WritableUser, body: unknown, catalogue: Catalogue): WriteResult {
  const operations = readPatchRequest(body);
  const next: WritableUser = { ...current };
  operations.forEach((operation, index) => {
    try {
      applyOperation(next, operation, catalogue);
    } catch (error) {
      throw error instanceof ScimError ? inOperation(error, index + 1, operation) : error;
    }
  });
  return { next, changes: diffWritableUsers(catalogue, current, next) };
}

function inOperation(error: ScimError, n: number, operation: PatchOperation): ScimError {
  const where = `operation ${n}: ${operation.op}${operation.path === null ? " without path" : ` "${operation.path}"`}`;
  return new ScimError(error.status, `${error.detail} (${where})`, error.scimType, error.headers);
}

function applyOperation(user: WritableUser, operation: PatchOperation, catalogue: Catalogue): void {
  if (operation.path === null) return applyValueObject(user, catalogue, operation.op, operation.value, null);
  const path = parsePatchPath(operation.path);
  if (path.filter !== null) checkElementFilter(path.filter, path.filterText!);
  applyAtPath(user, catalogue, operation.op, path, operation.value, operation.hasValue);
}

/** A path that names an attribute only (a member of a path-less value object). */
const plainPath = (text: string): ParsedPath => ({ text, attrPath: text, filter: null, filterText: null, subAttribute: null });

/**
 * A path-less add or replace (RFC 7644 sections 3.5.2.1 and 3.5.2.3): each member of the value
 * object is applied as if it were the path. Members named by a schema URN hold that schema's attributes.
 */
function applyValueObject(user: WritableUser, catalogue: Catalogue, op: PatchOpName, value: unknown, urn: string | null): void {
  if (!isPlainObject(value)) {
    throw invalidValue(`An "${op}" without "path" needs an object value whose members are attributes, e.g. {"name.givenName": "Ada", "title": "CTO"}; the request gives ${describeValue(value)}.`);
  }
  for (const [key, member] of Object.entries(value)) {
    const qualified = urn !== null && !/^urn:/i.test(key) ? `${urn}:${key}` : key;
    const path = /^urn:/i.test(qualified) || !/[[\]]/.test(qualified) ? plainPath(qualified) : parsePatchPath(qualified);
    if (path.filter !== null) checkElementFilter(path.filter, path.filterText!);
    applyAtPath(user, catalogue, op, path, member, true);
  }
}

function applyAtPath(user: WritableUser, catalogue: Catalogue, op: PatchOpName, path: ParsedPath, value: unknown, hasValue: boolean): void {
  const target = resolveWriteTarget(catalogue, path.attrPath);
  if (target.kind === "schema") return applyToSchema(user, catalogue, op, target.urn, path, value);
  if (target.kind === "readOnly" || target.kind === "notExposed") {
    const named = path.subAttribute !== null && (target.kind === "readOnly" || !target.mapped);
    const name = named ? `${target.name}.${path.subAttribute}` : target.name;
    throw unwritableError({ ...target, name }, catalogue.knownUrns);
  }
  if (path.filter !== null && target.kind !== "multi") {
    throw invalidPath(`The path "${path.text}" has a value filter, but "${path.attrPath}" is not multi-valued; filters apply to emails and phoneNumbers.`);
  }
  if (path.subAttribute !== null && target.kind !== "multi") {
    throw invalidPath(`The path "${path.text}" is malformed: a sub-attribute after ] applies to multi-valued attributes.`);
  }
  applyTarget(user, catalogue, op, target, path, value, hasValue);
}

/** Checks the value against the attribute's JSON Schema (validation/json-schemas.ts) before it is applied. */
function checkValue(catalogue: Catalogue, op: PatchOpName, target: WriteTarget, path: ParsedPath, value: unknown): void {
  if (op === "remove" && value === undefined) return;
  if (target.kind === "field" || target.kind === "complex") return checkAttributeValue(catalogue, target.entry, value, target.name);
  if (target.kind !== "multi") return;
  const sub = path.subAttribute ?? target.sub;
  if (sub !== null) {
    const child = resolveSub(catalogue, target.entry, sub);
    if (child) checkAttributeValue(catalogue, child, value, `${target.name}.${child.name}`);
    return;
  }
  checkAttributeValue(catalogue, target.entry, value, target.name, path.filter !== null);
}

function applyTarget(user: WritableUser, catalogue: Catalogue, op: PatchOpName, target: WriteTarget, path: ParsedPath, value: unknown, hasValue: boolean): void {
  checkValue(catalogue, op, target, path, value);
  switch (target.kind) {
    case "computed":
      return; // displayName and name.formatted follow the names (docs/BEHAVIOUR.md section 5).
    case "field":
      return writeField(user, target.field, op === "remove" ? null : value, target.name, catalogue);
    case "complex":
      return applyComplex(user, catalogue, op, target, value);
    case "multi":
      return applyMultiValued(user, catalogue, {
        op, attribute: multiAttribute(target.entry), filter: path.filter, filterText: path.filterText,
        subAttribute: path.subAttribute ?? target.sub, label: path.text, value, hasValue,
      });
    case "readOnly":
    case "notExposed":
      throw unwritableError(target, catalogue.knownUrns);
    case "schema":
      return;
  }
}

/** A path that is a schema URN alone: the whole core schema or a whole extension. */
function applyToSchema(user: WritableUser, catalogue: Catalogue, op: PatchOpName, urn: string, path: ParsedPath, value: unknown): void {
  if (urn !== catalogue.coreUrn) {
    // Name the first attribute sent, which is what the administrator has to unmap.
    if (op !== "remove" && isPlainObject(value)) return applyValueObject(user, catalogue, op, value, urn);
    throw mutability(`The extension "${urn}" is read-only: HR owns its attributes, and identity providers cannot change them. Remove them from the attribute mapping of your provisioning app; nothing was changed.`);
  }
  if (op === "remove") {
    throw invalidPath(`The path "${path.text}" names a whole schema; name an attribute instead, e.g. "${catalogue.coreUrn}:title".`);
  }
  applyValueObject(user, catalogue, op, value, catalogue.coreUrn);
}

/** A single-valued complex attribute, `name` (RFC 7644 section 3.5.2.3: sub-attributes given replace, others stay). */
function applyComplex(user: WritableUser, catalogue: Catalogue, op: PatchOpName, target: Extract<WriteTarget, { kind: "complex" }>, value: unknown): void {
  const name = target.name;
  const required = catalogue.children(target.entry).some((c) => c.write?.required);
  if (op === "remove" || value === null) {
    if (required) throw invalidValue(`Attribute "${name}" is required (${requiredMembers(catalogue, target)}): it cannot be removed. Send new values instead.`);
  }
  if (value === null) return;
  if (!isPlainObject(value)) {
    throw invalidValue(`Attribute "${name}" must be an object such as {"givenName": "Ada", "familyName": "Lovelace"}, but the request gives ${describeValue(value)}.`);
  }
  for (const [key, member] of Object.entries(value)) {
    const sub = resolveMemberTarget(catalogue, target.entry, key);
    if (sub.kind === "readOnly" || sub.kind === "notExposed") throw unwritableError(sub, catalogue.knownUrns);
    if (sub.kind === "field") writeField(user, sub.field, member, sub.name, catalogue);
  }
}

function requiredMembers(catalogue: Catalogue, target: Extract<WriteTarget, { kind: "complex" }>): string {
  return catalogue.children(target.entry).filter((c) => c.write?.required).map((c) => c.path).sort().join(" and ");
}

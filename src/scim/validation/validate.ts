// ajv over the catalogue's JSON Schemas (validation/json-schemas.ts): what a client sends is checked
// before any HR code runs, and a failure becomes a SCIM error naming the offending attribute path
// (400 invalidSyntax for a malformed message, invalidValue for a value of the wrong type,
// invalidPath for a sub-attribute hr-scim does not store). Validators are compiled once per
// catalogue (one per tenant settings version) and per schema, and cached.
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import type { Catalogue } from "../catalogue/catalogue.js";
import type { CatalogueEntry } from "../catalogue/types.js";
import { invalidPath, invalidSyntax, invalidValue, noTarget, type ScimError } from "../errors.js";
import { PATCH_OP_URN, SEARCH_REQUEST_URN } from "../schema/urns.js";
import {
  attributeValueSchema, filteredElementSchema, patchRequestSchema, propertyMappingSchema, SEARCH_REQUEST_SCHEMA, type JsonSchema,
} from "./json-schemas.js";

const ajv = new Ajv({ allErrors: false, verbose: true, strict: false });

const staticValidators = new Map<string, ValidateFunction>();
function staticValidator(key: string, schema: () => JsonSchema): ValidateFunction {
  let v = staticValidators.get(key);
  if (!v) { v = ajv.compile(schema()); staticValidators.set(key, v); }
  return v;
}

const catalogueValidators = new WeakMap<Catalogue, Map<string, ValidateFunction>>();
function entryValidator(catalogue: Catalogue, entry: CatalogueEntry, kind: "value" | "element"): ValidateFunction {
  let cache = catalogueValidators.get(catalogue);
  if (!cache) { cache = new Map(); catalogueValidators.set(catalogue, cache); }
  const key = `${kind}:${entry.path}`;
  let v = cache.get(key);
  if (!v) {
    v = ajv.compile(kind === "value" ? attributeValueSchema(catalogue, entry) : filteredElementSchema(catalogue, entry));
    cache.set(key, v);
  }
  return v;
}

/** "a number (42)", "an object", ... for error details. */
export function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  if (typeof value === "string") return `the string ${JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}...` : value)}`;
  return `a ${typeof value} (${String(value)})`;
}

/** What a schema wants, in words. */
function expected(schema: unknown): string {
  const s = (schema ?? {}) as { type?: unknown; anyOf?: unknown[]; pattern?: string; items?: unknown; properties?: Record<string, unknown> };
  const types = Array.isArray(s.type) ? s.type : s.type ? [s.type] : [];
  if (s.anyOf) {
    const kinds = s.anyOf.map((a) => expected(a)).filter((k) => k !== "null");
    if (kinds.some((k) => k.startsWith("an array"))) return kinds.find((k) => k.startsWith("an array"))!;
    return [...new Set(kinds)].join(" or ");
  }
  if (s.pattern?.includes("[Tt][Rr][Uu][Ee]")) return "a boolean (true or false)";
  if (types.includes("array")) return `an array of objects such as [{"value": "...", "type": "work"}]`;
  if (types.includes("object")) {
    const names = Object.keys(s.properties ?? {});
    return names.length ? `an object such as {${names.slice(0, 2).map((n) => `"${n}": ...`).join(", ")}}` : "an object";
  }
  if (types.includes("boolean")) return "a boolean (true or false)";
  if (types.includes("string")) return "a string";
  if (types.includes("integer")) return "an integer";
  return "null";
}

/** The deepest error of an anyOf that says the most (ajv reports the branches and then the anyOf). */
function primary(errors: ErrorObject[]): ErrorObject {
  const own = errors.filter((e) => e.keyword === "additionalProperties");
  if (own.length) return own[0];
  const deepest = [...errors].sort((a, b) => b.instancePath.length - a.instancePath.length)[0];
  const sameLevel = errors.filter((e) => e.instancePath === deepest.instancePath);
  return sameLevel.find((e) => e.keyword === "anyOf") ?? deepest;
}

/** The attribute path of an error: `label` plus the instance path as SCIM sub-attributes. */
function pathOf(label: string, error: ErrorObject): string {
  const parts = error.instancePath.split("/").slice(1).filter((p) => !/^\d+$/.test(p));
  return [label, ...parts].join(".");
}

/** A failed value check as a SCIM error (invalidPath for an unknown sub-attribute, invalidValue otherwise). */
function valueError(label: string, errors: ErrorObject[]): ScimError {
  const e = primary(errors);
  const path = pathOf(label, e);
  if (e.keyword === "additionalProperties") {
    const extra = (e.params as { additionalProperty: string }).additionalProperty;
    return invalidPath(`Attribute "${path}.${extra}" is not exposed for this tenant: hr-scim does not store it. Send only value, type and primary.`);
  }
  return invalidValue(`Attribute "${path}" must be ${expected(e.parentSchema ?? e.schema)}, but the request gives ${describeValue(e.data)}.`);
}

/**
 * The value with the member names of its objects in their canonical spelling (clients send
 * `"Value"`, `"TYPE"`: attribute names are case-insensitive, RFC 7643 section 2.1), so that the
 * schema sees what the engine will read.
 */
function canonicalValue(catalogue: Catalogue, entry: CatalogueEntry, value: unknown): unknown {
  const names = [...catalogue.children(entry).map((c) => c.name), ...(entry.elements ? ["display"] : [])];
  if (names.length === 0) return value;
  const canonical = (v: unknown) => {
    if (!isObject(v)) return v;
    const out: Record<string, unknown> = {};
    for (const [key, member] of Object.entries(v)) {
      // An own data property even for a client key such as "__proto__" (never a prototype change).
      Object.defineProperty(out, names.find((n) => n.toLowerCase() === key.toLowerCase()) ?? key, { value: member, enumerable: true, writable: true, configurable: true });
    }
    return out;
  };
  return Array.isArray(value) ? value.map(canonical) : canonical(value);
}

/** Checks the value a client writes to an attribute (PUT member, PATCH value); 400 when it has the wrong shape. */
export function checkAttributeValue(catalogue: Catalogue, entry: CatalogueEntry, value: unknown, label: string, filtered = false): void {
  const v = entryValidator(catalogue, entry, filtered ? "element" : "value");
  if (!v(canonicalValue(catalogue, entry, value))) throw valueError(label, v.errors ?? []);
}

/** Member names of a message compared ignoring case, the canonical spelling kept (own keys only). */
export function canonicalMembers(value: Record<string, unknown>, names: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, member] of Object.entries(value)) {
    const name = names.find((n) => n.toLowerCase() === key.toLowerCase());
    if (name !== undefined && !Object.hasOwn(out, name)) out[name] = member;
  }
  return out;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

export interface PatchOperation {
  op: "add" | "replace" | "remove";
  /** The path as sent, or null when absent. */
  path: string | null;
  /** Whether the operation had a "value" member (which may be null: an explicit null clears). */
  hasValue: boolean;
  value: unknown;
}

const EXAMPLE = `{"schemas": ["${PATCH_OP_URN}"], "Operations": [{"op": "replace", "path": "title", "value": "..."}]}`;

/** The PatchOp error of an ajv failure, with the message the administrator needs. */
function patchError(error: ErrorObject, operations: unknown[], max: number): ScimError {
  const at = /^\/Operations\/(\d+)/.exec(error.instancePath);
  const where = at ? `Operation ${Number(at[1]) + 1}` : "";
  const operation = at ? (operations[Number(at[1])] as Record<string, unknown> | undefined) : undefined;
  if (error.instancePath === "" && error.keyword === "required" && (error.params as { missingProperty: string }).missingProperty === "schemas") {
    return invalidSyntax(`A PATCH body must have "schemas": ["${PATCH_OP_URN}"].`);
  }
  if (error.instancePath === "/schemas") return invalidSyntax(`A PATCH body must have "schemas": ["${PATCH_OP_URN}"].`);
  if (error.instancePath === "" || error.instancePath === "/Operations") {
    if (error.keyword === "maxItems") return invalidSyntax(`A PATCH request may carry at most ${max} operations and this one has ${operations.length}; split it into several requests.`);
    return invalidSyntax(`A PATCH body must have a non-empty "Operations" array, like ${EXAMPLE}.`);
  }
  if (/^\/Operations\/\d+$/.test(error.instancePath) && error.keyword === "type") {
    return invalidSyntax(`${where} must be an object like {"op": "replace", "path": "title", "value": "..."}, not ${describeValue(error.data)}.`);
  }
  if (error.keyword === "required" && (error.params as { missingProperty: string }).missingProperty === "path") {
    return noTarget(`${where} is a "remove" without a "path": say which attribute to remove, e.g. "title" or 'phoneNumbers[type eq "mobile"]'.`);
  }
  if (error.keyword === "required" && (error.params as { missingProperty: string }).missingProperty === "value") {
    return invalidSyntax(`${where} is an "${operation?.op}" without a "value"; send "value": null to clear an attribute.`);
  }
  if (error.instancePath.endsWith("/path")) {
    return invalidSyntax(`${where} has a "path" that is ${describeValue(error.data)}; it must be a string such as "name.givenName".`);
  }
  const op = operation?.op;
  return invalidSyntax(`${where} has "op": ${op === undefined ? "nothing" : JSON.stringify(op)}; it must be "add", "replace" or "remove".`);
}

/**
 * Reads a PATCH body (RFC 7644 section 3.5.2) into its operations, member names and op names in any
 * case (Entra), after ajv checked the message: `schemas` lists the PatchOp URN, `Operations` holds
 * 1 to `max` operations of add/replace/remove, remove has a path (else 400 noTarget), add and
 * replace a value (null allowed). A malformed message is 400 invalidSyntax.
 */
export function readPatchMessage(body: unknown, max: number): PatchOperation[] {
  if (!isObject(body)) throw invalidSyntax(`A PATCH body must be a JSON object like ${EXAMPLE}.`);
  const message = canonicalMembers(body, ["schemas", "Operations"]);
  const schemas = message.schemas;
  if (Array.isArray(schemas)) message.schemas = schemas.map((s) => (typeof s === "string" && s.toLowerCase() === PATCH_OP_URN.toLowerCase() ? PATCH_OP_URN : s));
  if (Array.isArray(message.Operations)) {
    message.Operations = message.Operations.map((o: unknown) => {
      if (!isObject(o)) return o;
      const operation = canonicalMembers(o, ["op", "path", "value"]);
      if (typeof operation.op === "string") operation.op = operation.op.trim().toLowerCase();
      if (operation.path === null) delete operation.path;
      return operation;
    });
  }
  const v = staticValidator(`patch:${max}`, () => patchRequestSchema(max));
  const operations: unknown[] = Array.isArray(message.Operations) ? message.Operations : [];
  if (!v(message)) throw patchError(primaryPatchError(v.errors ?? []), operations, max);
  return (message.Operations as Record<string, unknown>[]).map((o) => ({
    op: o.op as PatchOperation["op"],
    path: typeof o.path === "string" ? o.path : null,
    hasValue: Object.hasOwn(o, "value"),
    value: o.value,
  }));
}

function primaryPatchError(errors: ErrorObject[]): ErrorObject {
  return errors.find((e) => e.keyword !== "if") ?? errors[0];
}

/** Checks a SearchRequest body (RFC 7644 section 3.4.3); member names compared ignoring case. 400 invalidSyntax. */
export function checkSearchRequest(body: unknown): Record<string, unknown> {
  if (!isObject(body)) throw invalidSyntax("The request body must be a SearchRequest JSON object");
  const names = ["schemas", "filter", "sortBy", "sortOrder", "startIndex", "count", "cursor", "attributes", "excludedAttributes"];
  const canonical = canonicalMembers(body, names);
  const lowered = Object.fromEntries(Object.entries(canonical).map(([k, v]) => [k.toLowerCase(), v]));
  const v = staticValidator("search", () => SEARCH_REQUEST_SCHEMA);
  if (!v(lowered)) {
    const e = (v.errors ?? [])[0];
    const member = names.find((n) => `/${n.toLowerCase()}` === e?.instancePath.split("/").slice(0, 2).join("/")) ?? "";
    if (member === "schemas") throw invalidSyntax(`A SearchRequest must list "${SEARCH_REQUEST_URN}" in schemas`);
    if (member === "sortOrder") throw invalidSyntax(`sortOrder must be "ascending" or "descending", got ${describeValue(e.data)}`);
    throw invalidSyntax(`The SearchRequest attribute ${member} has the wrong type: it must be ${expected(e.parentSchema ?? e.schema)}, not ${describeValue(e.data)}`);
  }
  return canonical;
}

/** Problems of a property mapping against the catalogue, one sentence each; empty when valid. */
export function propertyMappingProblems(mapping: unknown): string[] {
  const v = staticValidator("propertyMapping", propertyMappingSchema);
  if (v(mapping)) return [];
  return (v.errors ?? []).map((e) => {
    const where = e.instancePath.split("/").slice(1).join(".") || "propertyMapping";
    if (e.keyword === "enum" && e.instancePath.startsWith("/attributes/")) {
      const allowed = ((e.schema as unknown[]) ?? []).join(", ");
      return `Unknown attribute ${JSON.stringify(e.data)} in propertyMapping.attributes; expected some of ${allowed}`;
    }
    if (e.keyword === "enum" && e.instancePath === "/namespace") return `propertyMapping.namespace must be one of ${((e.schema as unknown[]) ?? []).filter(Boolean).join(", ")}`;
    if (e.keyword === "propertyNames" || e.keyword === "pattern" && e.instancePath === "") {
      return `Extended field ${JSON.stringify((e.params as { propertyName?: string }).propertyName ?? e.data)} collides with a built-in attribute or is not an attribute name`;
    }
    if (e.keyword === "additionalProperties") return `Unknown member ${JSON.stringify((e.params as { additionalProperty: string }).additionalProperty)} in propertyMapping; expected attributes, namespace and extendedFields`;
    return `propertyMapping.${where} ${e.message ?? "is invalid"}`;
  });
}

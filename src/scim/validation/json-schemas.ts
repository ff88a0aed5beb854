// JSON Schemas generated from the attribute catalogue for what clients send: the value of each
// attribute (PUT bodies, PATCH values), the PatchOp and SearchRequest messages (RFC 7644 sections
// 3.5.2 and 3.4.3), and a tenant's property mapping. They accept every form real clients send
// (Entra's "True"/"False", explicit nulls; Okta's whole-object PUT, whose read-only attributes are
// accepted as anything and then ignored, so that a refusal of them keeps its scimType mutability).
import type { Catalogue } from "../catalogue/catalogue.js";
import { mappableAttributes, NAMESPACES } from "../catalogue/catalogue.js";
import type { CatalogueEntry } from "../catalogue/types.js";
import { USER_SPECS } from "../catalogue/user.js";
import { PATCH_OP_URN, SEARCH_REQUEST_URN } from "../schema/urns.js";

export type JsonSchema = Record<string, unknown>;

/** Case-insensitive "true"/"false", as Entra sends booleans. */
const BOOLEAN_TEXT = "^\\s*(?:[Tt][Rr][Uu][Ee]|[Ff][Aa][Ll][Ss][Ee])\\s*$";
const ANYTHING: JsonSchema = {};

const nullable = (schema: JsonSchema): JsonSchema => ({ anyOf: [{ type: "null" }, schema] });
const stringValue: JsonSchema = { type: ["string", "null"] };
const booleanValue: JsonSchema = { anyOf: [{ type: "boolean" }, { type: "string", pattern: BOOLEAN_TEXT }, { type: "null" }] };

/** Whether a client may write the attribute at all (else its value is not checked: PATCH answers mutability, PUT ignores it). */
function writable(catalogue: Catalogue, entry: CatalogueEntry): boolean {
  if (entry.urn !== catalogue.coreUrn || entry.computed || entry.definition.mutability === "readOnly") return false;
  if (entry.write || entry.elements) return true;
  return catalogue.children(entry).some((c) => writable(catalogue, c));
}

function leafSchema(entry: CatalogueEntry): JsonSchema {
  switch (entry.definition.type) {
    case "boolean": return booleanValue;
    case "complex": return nullable({ type: "object" });
    default: return stringValue;
  }
}

/** One element of a multi-valued attribute with fixed elements: only the sub-attributes hr-scim reads. */
function elementSchema(catalogue: Catalogue, entry: CatalogueEntry): JsonSchema {
  const properties: Record<string, JsonSchema> = { display: stringValue };
  for (const sub of catalogue.children(entry)) properties[sub.name] = leafSchema(sub);
  return { type: "object", properties, additionalProperties: false };
}

/**
 * The schema of an attribute's value as a client writes it (`title: "CTO"`, `name: {...}`,
 * `emails: [...]`). Read-only and computed attributes accept anything here.
 */
export function attributeValueSchema(catalogue: Catalogue, entry: CatalogueEntry): JsonSchema {
  if (!writable(catalogue, entry)) return ANYTHING;
  if (entry.elements) {
    const element = elementSchema(catalogue, entry);
    return { anyOf: [{ type: "null" }, element, { type: "array", items: element }] };
  }
  if (entry.definition.type === "complex") {
    const properties: Record<string, JsonSchema> = {};
    for (const sub of catalogue.children(entry)) properties[sub.name] = attributeValueSchema(catalogue, sub);
    return nullable({ type: "object", properties });
  }
  return leafSchema(entry);
}

/** The value of a value-filtered path (`emails[type eq "work"]`): one element, or its value as a string (Entra). */
export function filteredElementSchema(catalogue: Catalogue, entry: CatalogueEntry): JsonSchema {
  if (!writable(catalogue, entry)) return ANYTHING;
  return { anyOf: [{ type: "null" }, { type: "string" }, elementSchema(catalogue, entry)] };
}

/** A PUT body: a resource object (RFC 7644 section 3.5.1); its attributes are checked one by one. */
export const RESOURCE_SCHEMA: JsonSchema = { type: "object" };

/**
 * The PatchOp message (RFC 7644 section 3.5.2), member names canonical: `schemas` with the PatchOp
 * URN, 1 to MAX operations of add/replace/remove; remove needs a path (noTarget), add and replace a
 * value (null allowed).
 */
export function patchRequestSchema(maxOperations: number): JsonSchema {
  return {
    type: "object",
    required: ["schemas", "Operations"],
    properties: {
      schemas: { type: "array", contains: { const: PATCH_OP_URN } },
      Operations: {
        type: "array", minItems: 1, maxItems: maxOperations,
        items: {
          type: "object",
          required: ["op"],
          properties: { op: { enum: ["add", "replace", "remove"] }, path: { type: ["string", "null"] } },
          allOf: [
            { if: { required: ["op"], properties: { op: { const: "remove" } } }, then: { required: ["path"], properties: { path: { type: "string" } } } },
            { if: { required: ["op"], properties: { op: { enum: ["add", "replace"] } } }, then: { required: ["value"] } },
          ],
        },
      },
    },
  };
}

const integerLike: JsonSchema = { anyOf: [{ type: "integer" }, { type: "string", pattern: "^\\s*-?\\d{1,15}\\s*$" }, { type: "null" }] };
const attributeList: JsonSchema = { anyOf: [{ type: "string" }, { type: "array", items: { type: ["string", "number"] } }, { type: "null" }] };

/** A SearchRequest (RFC 7644 section 3.4.3), member names lower-cased; other members are ignored. */
export const SEARCH_REQUEST_SCHEMA: JsonSchema = {
  type: "object",
  properties: {
    schemas: { type: "array", contains: { const: SEARCH_REQUEST_URN } },
    filter: { type: ["string", "null"] },
    sortby: { type: ["string", "null"] },
    sortorder: { anyOf: [{ type: "null" }, { type: "string", pattern: "^(?:[Aa][Ss][Cc][Ee][Nn][Dd][Ii][Nn][Gg]|[Dd][Ee][Ss][Cc][Ee][Nn][Dd][Ii][Nn][Gg])$" }] },
    startindex: integerLike,
    count: integerLike,
    cursor: { type: ["string", "null"] },
    attributes: attributeList,
    excludedattributes: attributeList,
  },
};

/** A name matched ignoring case, as a regular expression (JSON Schema has no case-insensitive enum). */
function anyCase(name: string): string {
  return [...name].map((c) => (/[a-z]/i.test(c) ? `[${c.toLowerCase()}${c.toUpperCase()}]` : c.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))).join("");
}

/**
 * A tenant's property mapping (docs/BEHAVIOUR.md section 3): the optional attributes the catalogue
 * offers, one of its namespaces, and extended fields whose names are attribute names that no
 * built-in attribute (nor a prototype key) has, each the key of an employee's extended data.
 */
export function propertyMappingSchema(): JsonSchema {
  const reserved = [...new Set([...USER_SPECS.map((s) => s.name), "groups", "meta", "schemas", "__proto__", "constructor", "prototype"])];
  return {
    type: "object",
    additionalProperties: false,
    properties: {
      attributes: { anyOf: [{ type: "null" }, { type: "array", uniqueItems: true, items: { enum: mappableAttributes().map((a) => a.key) } }] },
      namespace: { enum: [null, ...NAMESPACES] },
      extendedFields: {
        type: "object",
        propertyNames: { pattern: `^(?!(?:${reserved.map(anyCase).join("|")})$)[A-Za-z][A-Za-z0-9_-]*$` },
        additionalProperties: { type: "string", pattern: "^[A-Za-z0-9_.-]+$" },
      },
    },
  };
}

// The attribute definition of a SCIM schema (RFC 7643 section 7), as served by /Schemas and read
// by whoever needs an attribute's characteristics (mutability for PATCH, caseExact, ...).

/** RFC 7643 section 2.3 data types. */
export type ScimAttributeType = "string" | "boolean" | "decimal" | "integer" | "dateTime" | "reference" | "complex" | "binary";

export type Mutability = "readOnly" | "readWrite" | "immutable" | "writeOnly";
export type Returned = "always" | "never" | "default" | "request";
export type Uniqueness = "none" | "server" | "global";

/** One attribute or sub-attribute definition (RFC 7643 section 7, "attributes"). */
export interface AttributeDefinition {
  name: string;
  type: ScimAttributeType;
  multiValued: boolean;
  description: string;
  required: boolean;
  caseExact: boolean;
  mutability: Mutability;
  returned: Returned;
  uniqueness: Uniqueness;
  /** Only for type "complex". */
  subAttributes?: AttributeDefinition[];
  /** Only for type "reference": resource type names, "external" or "uri". */
  referenceTypes?: string[];
  canonicalValues?: string[];
}

/** A Schema resource (RFC 7643 section 7), e.g. one entry of GET /Schemas. */
export interface SchemaResource {
  schemas: string[];
  /** The schema URN. */
  id: string;
  name: string;
  description: string;
  attributes: AttributeDefinition[];
  meta: { resourceType: "Schema"; location: string };
}

type Characteristics = Partial<Omit<AttributeDefinition, "name" | "type">>;

/**
 * An attribute definition with the RFC 7643 section 2.2 defaults (single-valued, optional,
 * case-insensitive, readWrite, returned by default, not unique) overridden by `extra`.
 */
export function attribute(name: string, type: ScimAttributeType, description: string, extra: Characteristics = {}): AttributeDefinition {
  return {
    name, type, multiValued: false, description, required: false, caseExact: false,
    mutability: "readWrite", returned: "default", uniqueness: "none", ...extra,
  };
}

/** A complex attribute; sub-attributes are given whole (their mutability is not inherited). */
export function complex(name: string, description: string, subAttributes: AttributeDefinition[], extra: Characteristics = {}): AttributeDefinition {
  return attribute(name, "complex", description, { ...extra, subAttributes });
}

/** The same definition, read-only, with every sub-attribute read-only too. */
export function readOnly(definition: AttributeDefinition): AttributeDefinition {
  return {
    ...definition,
    mutability: "readOnly",
    ...(definition.subAttributes ? { subAttributes: definition.subAttributes.map(readOnly) } : {}),
  };
}

// The attribute definition of a SCIM schema (RFC 7643 section 7), as served by /Schemas and read
// by whoever needs an attribute's characteristics (mutability for PATCH, caseExact, ...).

import type { AttributeType, Characteristics } from "../catalogue/types.js";

export type { AttributeType as ScimAttributeType, Mutability, Returned, Uniqueness } from "../catalogue/types.js";

/** One attribute or sub-attribute definition (RFC 7643 section 7, "attributes"). */
export interface AttributeDefinition extends Characteristics {
  name: string;
  /** Only for type "complex". */
  subAttributes?: AttributeDefinition[];
  type: AttributeType;
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


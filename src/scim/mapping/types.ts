// The mapping table is the spine of the SCIM layer: for each attribute a tenant exposes, the SQL
// expression over the resource's derived table (alias `u` for users, `g` for groups) that filters
// and sorts on it. SQL text here is trusted, fixed text; client values are always bound.
import type { SqlFragment } from "../../db/sql-fragment.js";

export type AttributeType = "string" | "boolean" | "dateTime" | "integer" | "decimal" | "reference" | "complex";

export interface Column {
  sql: string;
  type: AttributeType;
  /** false: compared case-insensitively (RFC 7643 caseExact). */
  caseExact: boolean;
  /** The value is an integer key in SQL but an opaque string in SCIM (ids, manager.value). */
  integerId?: boolean;
}

/** A single-valued attribute or sub-attribute: `userName`, `name.givenName`, `meta.lastModified`. */
export interface SimpleEntry {
  kind: "simple";
  /** Canonical path: core attributes unqualified, extension ones as `<URN>:<attr>[.<sub>]`. */
  path: string;
  column: Column;
  sortable: boolean;
}

/** One possible element of a small multi-valued attribute (the work email; work and mobile phones). */
export interface MultiElement {
  /** SQL boolean: this element exists for the row. */
  present: string;
  /** Sub-attribute name (canonical case) -> column. */
  sub: Record<string, Column>;
}

/** A multi-valued complex attribute whose elements are a fixed set of columns (`emails`, `phoneNumbers`). */
export interface MultiEntry {
  kind: "multi";
  path: string;
  elements: MultiElement[];
  /** Sub-attribute used by `emails eq "x"` and sorting on `emails` (RFC 7644 3.4.2.2): "value". */
  defaultSub: string;
}

/**
 * A multi-valued attribute whose elements live in other rows (group members, a user's groups).
 * A condition on it compiles to `exists (select 1 <from> and <condition on sub columns>)`.
 */
export interface RelatedEntry {
  kind: "related";
  path: string;
  /** `from ... where ...` correlated to the outer alias, e.g. `from members m where m.group_id = g.id`. */
  from: SqlFragment;
  /** Sub-attribute name (canonical case) -> column over the element alias. */
  sub: Record<string, Column>;
  defaultSub: string;
}

export type MappedAttribute = SimpleEntry | MultiEntry | RelatedEntry;

export interface ResourceMap {
  resourceType: "User" | "Group";
  coreSchema: string;
  /** Extension schema URNs whose attributes appear in this map. */
  extensionSchemas: string[];
  /** Lower-cased canonical path -> entry. */
  attributes: Map<string, MappedAttribute>;
  /** Stable default order and keyset tie-breaker. */
  idColumn: Column;
}

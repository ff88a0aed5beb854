// The attribute catalogue's vocabulary: one entry per attribute path of a resource, carrying its
// RFC 7643 definition, what exposes it, how it filters and sorts (SQL over the resource's derived
// table: `u` for users, `g` for groups), how it projects from a row, and, when HR stores it in one
// column, that column and (for identity-provider write-back) the rules of writing it.
// SQL text here is trusted, fixed text; client values are always bound.
import type { SqlFragment } from "../../db/sql-fragment.js";

/** RFC 7643 section 2.3 data types. */
export type AttributeType = "string" | "boolean" | "decimal" | "integer" | "dateTime" | "reference" | "complex" | "binary";
export type Mutability = "readOnly" | "readWrite" | "immutable" | "writeOnly";
export type Returned = "always" | "never" | "default" | "request";
export type Uniqueness = "none" | "server" | "global";

/** An attribute's characteristics (RFC 7643 section 7), without its name and sub-attributes. */
export interface Characteristics {
  type: AttributeType;
  multiValued: boolean;
  description: string;
  required: boolean;
  caseExact: boolean;
  mutability: Mutability;
  returned: Returned;
  uniqueness: Uniqueness;
  referenceTypes?: string[];
  canonicalValues?: string[];
}

/** A single value as SQL sees it, for filtering and sorting. */
export interface Column {
  sql: string;
  type: AttributeType;
  /** false: compared case-insensitively (RFC 7643 caseExact). */
  caseExact: boolean;
  /** The value is an integer key in SQL but an opaque string in SCIM (ids, manager.value). */
  integerId?: boolean;
  /**
   * SQL boolean: the value exists only when it holds (a manager the token may not see has no
   * value), so that a filter never matches what the projection hides.
   */
  guard?: string;
}

/** One row of a resource's derived table, as the projection reads it. */
export type Row = Record<string, unknown>;

/** What a projector may use besides the row. */
export interface ProjectionEnv {
  /** Absolute SCIM base URL, for $ref and meta.location. */
  scimBaseUrl: string;
}

/** A leaf's value from a row, and the row columns it reads. */
export interface LeafSource {
  column: Column;
  value(row: Row, env: ProjectionEnv): unknown;
}

/** One possible element of a small multi-valued attribute (the work email; the work and mobile phones). */
export interface Element {
  /** The canonical `type` of the element. */
  type: string;
  /** SQL boolean and its pure twin: this element exists for the row. */
  present: { sql: string; test(row: Row): boolean };
  /** Sub-attribute name (canonical case) -> its source in this element. */
  sub: Record<string, LeafSource>;
  /** The write-back rule of each writable sub-attribute of this element (`value` -> the workPhone field). */
  writes?: Record<string, WriteRule>;
}

/** What related-element SQL depends on in a request: the tenant, and the people the token can see. */
export interface RelatedScope {
  tenantId: number;
  /** SQL of the people the calling token can see (group members), built when asked. */
  visiblePeople(): SqlFragment;
}

/**
 * How elements in other rows are found, for a condition over one element's columns (`sub`):
 * `exists`: `exists (select 1 <from> and <condition>)`, `from` correlated to the resource row;
 * `keyed`: for each source, `<resource key> in (select <element key> from <rows> where <condition>)`,
 * which PostgreSQL runs once per query (a hashed subplan) rather than once per resource row.
 */
export type RelatedSql =
  | { kind: "exists"; from: SqlFragment }
  | { kind: "keyed"; sources: { key: string; rows: SqlFragment; elementKey: string }[] };

/** A multi-valued attribute whose elements live in other rows (group members, a user's groups). */
export interface Related {
  /** Sub-attribute name (canonical case) -> column over the element row. */
  sub: Record<string, Column>;
  sql(scope: RelatedScope): RelatedSql;
}

/** What exposes an attribute for a tenant. */
export type Exposure =
  /** Always exposed (userName, name, the work email, ...). */
  | { kind: "always" }
  /** Exposed when the tenant's property mapping lists this key. */
  | { kind: "mapped"; key: string }
  /** Exposed when the tenant serves groups. */
  | { kind: "groups" }
  /** A tenant-defined field of the employee's extended data (propertyMapping.extendedFields). */
  | { kind: "extended"; key: string };

/** How an identity provider's write lands in HR (write-back). */
export interface WriteRule {
  /** The write-back field: its name in diffs and audit rows ("givenName", "workEmail"). */
  field: string;
  /** The employees column it writes. */
  column: string;
  /** The SCIM path recorded in the audit for this field. */
  auditPath: string;
  /** Cannot be cleared or blanked (RFC 7643 required). */
  required?: boolean;
  /** How a new value is checked and normalised before it is written. */
  check?: "identifier" | "email" | "languageTag";
}

export interface CatalogueEntry {
  /**
   * Canonical path: core attributes unqualified (`userName`, `name.givenName`), extension ones as
   * `<URN>:<attr>[.<sub>]`. Sub-attributes and multi-valued elements' sub-attributes are entries too.
   */
  path: string;
  /** The schema URN the attribute belongs to. */
  urn: string;
  /** The attribute's own name (`givenName` for `name.givenName`). */
  name: string;
  /** The parent's path for a sub-attribute, else null. */
  parent: string | null;
  definition: Characteristics;
  exposure: Exposure;
  /** Filter and sort: a single value... */
  column?: Column;
  /** ...or fixed elements (emails, phoneNumbers, addresses)... */
  elements?: Element[];
  /** ...or elements in other rows (groups, members). */
  related?: Related;
  /** Sub-attribute used by `emails eq "x"` and by sorting on `emails` (RFC 7644 section 3.4.2.2). */
  defaultSub?: string;
  sortable: boolean;
  /** Projection of a top-level attribute (complex ones build their object); undefined value: absent. */
  project?(row: Row, env: ProjectionEnv): unknown;
  /** Projection of a single-valued sub-attribute. */
  value?(row: Row, env: ProjectionEnv): unknown;
  /** The HR field this attribute shows, when it is one employees column (HR ingestion reads it). */
  hr?: { field: string; column: string };
  /** Identity-provider write-back, for writable leaves. */
  write?: WriteRule;
  /** Writes have no effect (displayName, name.formatted: computed from other attributes). */
  computed?: boolean;
  /** Why a read-only attribute is read-only, for the mutability error ("HR owns it"). */
  readOnlyReason?: string;
  /** For a multi-valued attribute with fixed elements: what hr-scim stores of it, for write errors. */
  storesNote?: string;
  /** A common attribute (RFC 7643 section 3.1: meta): served and filterable, not listed in /Schemas. */
  common?: boolean;
}

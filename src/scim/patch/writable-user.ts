// The HR fields an identity provider may write back, as the tenant's catalogue defines them (each
// writable attribute names its field, column and rules), and the attribute-level diff recorded
// for the audit.
import type { Catalogue } from "../catalogue/catalogue.js";
import type { Row } from "../catalogue/types.js";

/** The writable fields of one user, by field name ("givenName", "workEmail", ...). */
export type WritableUser = Record<string, string | null>;

/** One attribute-level change of a write, for the integration log. */
export interface FieldChange {
  field: string;
  /** SCIM path of the attribute, e.g. "name.givenName" or `emails[type eq "work"].value`. */
  attribute: string;
  before: unknown;
  after: unknown;
}

/** The result of applyPatch and applyPut: the user after the write and what changed. */
export interface WriteResult {
  next: WritableUser;
  changes: FieldChange[];
}

/** The writable fields of a people row (hr/people.ts), read from the columns the catalogue names. */
export function writableUserFromRow(catalogue: Catalogue, row: Row): WritableUser {
  const user: WritableUser = {};
  for (const [field, rule] of catalogue.fields) {
    const value = row[rule.column];
    user[field] = value === null || value === undefined ? null : String(value);
  }
  return user;
}

/** The SCIM path recorded in the audit for a field. */
export function fieldAttribute(catalogue: Catalogue, field: string): string {
  return catalogue.fields.get(field)?.auditPath ?? field;
}

/** Fields that must always hold a non-blank value (RFC 7643 required: userName, both names). */
export function isRequiredField(catalogue: Catalogue, field: string): boolean {
  return catalogue.fields.get(field)?.required === true;
}

/** The fields that differ between two users, in catalogue order. */
export function diffWritableUsers(catalogue: Catalogue, before: WritableUser, after: WritableUser): FieldChange[] {
  return [...catalogue.fields.keys()]
    .filter((f) => (before[f] ?? null) !== (after[f] ?? null))
    .map((field) => ({ field, attribute: fieldAttribute(catalogue, field), before: before[field] ?? null, after: after[field] ?? null }));
}

/** The employees columns a set of changes writes (field -> column per the catalogue). */
export function columnsOf(catalogue: Catalogue, changes: FieldChange[]): Record<string, string | null> {
  const columns: Record<string, string | null> = {};
  for (const change of changes) columns[catalogue.fields.get(change.field)!.column] = change.after as string | null;
  return columns;
}

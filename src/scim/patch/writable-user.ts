// The HR fields an identity provider may write back (product.md section 3), the tenant facts that
// decide how SCIM attributes land on them, and the attribute-level diff recorded for the audit.
import type { PersonRow } from "../../hr/people.js";
import type { PropertyMapping } from "../../hr/tenant-settings.js";

/** The HR fields an identity provider may write (product.md section 3 "write-back"). */
export interface WritableUser {
  /** Only writable when the tenant exposes externalId. */
  externalId: string | null;
  /**
   * The employee's login. SCIM `userName` writes land here when the tenant's userNameSource is
   * "login"; with "workEmail" they land on `workEmail` instead and this field is never changed.
   */
  userName: string;
  givenName: string;
  familyName: string;
  /** emails[type eq "work"].value; also the userName when userNameSource is "workEmail". */
  workEmail: string | null;
  /** phoneNumbers[type eq "work"].value (only when the tenant exposes phoneNumbers). */
  workPhone: string | null;
  /** phoneNumbers[type eq "mobile"].value (only when the tenant exposes phoneNumbers). */
  mobilePhone: string | null;
  /** Only when the tenant exposes title. */
  title: string | null;
  /** Only when the tenant exposes preferredLanguage. */
  preferredLanguage: string | null;
}

export type WritableField = keyof WritableUser;

/** One attribute-level change of a write, for the integration log. */
export interface FieldChange {
  field: WritableField;
  /** SCIM path of the attribute, e.g. "name.givenName" or `emails[type eq "work"].value`. */
  attribute: string;
  before: unknown;
  after: unknown;
}

/** What the engine needs to know about the tenant. */
export interface WriteTenant {
  mapping: PropertyMapping;
  userNameSource: "login" | "workEmail";
}

/** The result of applyPatch and applyPut: the user after the write and what changed. */
export interface WriteResult {
  next: WritableUser;
  changes: FieldChange[];
}

/** Field order of diffs (and so of audit rows). */
export const WRITABLE_FIELDS: readonly WritableField[] = [
  "externalId", "userName", "givenName", "familyName", "workEmail", "workPhone", "mobilePhone", "title", "preferredLanguage",
];

const FIELD_ATTRIBUTES: Record<WritableField, string> = {
  externalId: "externalId",
  userName: "userName",
  givenName: "name.givenName",
  familyName: "name.familyName",
  workEmail: 'emails[type eq "work"].value',
  workPhone: 'phoneNumbers[type eq "work"].value',
  mobilePhone: 'phoneNumbers[type eq "mobile"].value',
  title: "title",
  preferredLanguage: "preferredLanguage",
};

/** The SCIM path recorded in the audit for a field (the work email keeps its emails path in both userName modes). */
export function fieldAttribute(field: WritableField): string {
  return FIELD_ATTRIBUTES[field];
}

/** The field a SCIM `userName` write lands on for this tenant. */
export function userNameField(tenant: WriteTenant): "userName" | "workEmail" {
  return tenant.userNameSource === "workEmail" ? "workEmail" : "userName";
}

/**
 * Fields that must always hold a non-blank value (RFC 7643 section 4.1: userName and, here, both
 * names are required); with userNameSource "workEmail" the work email is the userName, so it is too.
 */
export function isRequiredField(field: WritableField, tenant: WriteTenant): boolean {
  return field === "userName" || field === "givenName" || field === "familyName" || field === userNameField(tenant);
}

/** The fields that differ between two users, in WRITABLE_FIELDS order. */
export function diffWritableUsers(before: WritableUser, after: WritableUser): FieldChange[] {
  return WRITABLE_FIELDS.filter((f) => before[f] !== after[f])
    .map((field) => ({ field, attribute: fieldAttribute(field), before: before[field], after: after[field] }));
}

/** The writable fields of a visible-people row (hr/people.ts); `userName` is the login in both userName modes. */
export function writableUserFromRow(row: PersonRow): WritableUser {
  return {
    externalId: row.external_id,
    userName: row.login,
    givenName: row.first_name,
    familyName: row.last_name,
    workEmail: row.work_email,
    workPhone: row.work_phone,
    mobilePhone: row.mobile_phone,
    title: row.job_title,
    preferredLanguage: row.preferred_language,
  };
}

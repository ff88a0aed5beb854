// The HR fields of each record type, as the HR API, the CSV import and the change feed name them.
// An employee's plain text fields come from the attribute catalogue (its `hr` entries: every HR
// column a SCIM attribute shows, such as costCenter), plus the phones, which the catalogue shows as
// elements; externalId is not HR's (identity providers write it back) and stays out.
import { USER_SPECS, type EntrySpec } from "../../scim/catalogue/user.js";

export interface TextField {
  /** API field name. */
  field: string;
  /** employees column. */
  column: string;
  required: boolean;
  check?: "email" | "languageTag";
}

function catalogueHrFields(specs: readonly EntrySpec[], out: Map<string, string>): Map<string, string> {
  for (const spec of specs) {
    if (spec.hr && spec.hr.field !== "externalId") out.set(spec.hr.field, spec.hr.column);
    if (spec.subs) catalogueHrFields(spec.subs, out);
  }
  return out;
}

const REQUIRED = new Set(["login", "firstName", "lastName"]);
const CHECKS: Record<string, TextField["check"]> = { workEmail: "email", preferredLanguage: "languageTag" };

/** employeeNumber is the record's key (the URL's), not a body field. */
export const EMPLOYEE_TEXT_FIELDS: readonly TextField[] = (() => {
  const columns = catalogueHrFields(USER_SPECS, new Map());
  columns.set("workPhone", "work_phone");
  columns.set("mobilePhone", "mobile_phone");
  columns.delete("employeeNumber");
  const order = ["login", "firstName", "lastName", "workEmail", "workPhone", "mobilePhone", "jobTitle", "preferredLanguage"];
  const names = [...order.filter((n) => columns.has(n)), ...[...columns.keys()].filter((n) => !order.includes(n)).sort()];
  return names.map((field) => ({ field, column: columns.get(field)!, required: REQUIRED.has(field), check: CHECKS[field] }));
})();

export const EMPLOYEE_REFERENCE_FIELDS = ["departmentKey", "establishmentKey", "managerEmployeeNumber"] as const;

/** Longest text a field takes (keys and names included). */
export const MAX_TEXT = 1000;

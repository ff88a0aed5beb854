// The demo organisation as an HR import file (one row per contract, docs/hr-sample.csv is this for
// a fixed day): importing it into an empty tenant gives the people the demo seed writes.
import { IMPORT_COLUMNS } from "../hr/import/csv-import.js";
import { demoEmployees } from "./demo-data.js";
import { DEMO_DEPARTMENTS, DEMO_ESTABLISHMENTS, DEMO_LEGAL_UNITS } from "./demo.js";

function quote(value: string, separator: string): string {
  return /["\r\n]/.test(value) || value.includes(separator) ? `"${value.replace(/"/g, "\"\"")}"` : value;
}

/** The demo tenant's people on seed day T (its local date), as CSV. */
export function demoOrganisationCsv(T: string, separator: "," | ";" = ","): string {
  const people = demoEmployees(T);
  const numberOfLogin = new Map(people.map((p) => [p.login, p.employeeNumber]));
  const lines = [IMPORT_COLUMNS.join(separator)];
  for (const p of people) {
    const est = DEMO_ESTABLISHMENTS[p.establishment];
    const lu = DEMO_LEGAL_UNITS.find((l) => l.key === est.legalUnitKey)!;
    for (const c of p.contracts) {
      const row: Record<string, string | null> = {
        employeeNumber: p.employeeNumber, login: p.login, firstName: p.firstName, lastName: p.lastName, workEmail: `${p.login}@demo.example`,
        workPhone: p.workPhone, mobilePhone: p.mobilePhone, jobTitle: p.jobTitle, preferredLanguage: p.preferredLanguage, costCenter: p.costCenter,
        departmentKey: p.department, department: DEMO_DEPARTMENTS[p.department].name,
        establishmentKey: est.key, establishment: est.name, street: est.street, postalCode: est.postalCode, city: est.city,
        legalUnitKey: lu.key, legalUnit: lu.name, countryCode: lu.countryCode,
        managerEmployeeNumber: p.manager ? numberOfLogin.get(p.manager)! : null, contractStart: c.start, contractEnd: c.end,
      };
      lines.push(IMPORT_COLUMNS.map((col) => quote(row[col] ?? "", separator)).join(separator));
    }
  }
  return `${lines.join("\r\n")}\r\n`;
}

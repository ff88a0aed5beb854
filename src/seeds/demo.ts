// The demo seed (docs/BEHAVIOUR.md section 7): recreates tenants `demo` and `other` in one transaction.
// Dates are relative to the seed day T (local date in Europe/Paris), so the seed means the same
// whatever day it runs. Always use `trx` inside the transaction (on PGlite the outer handle deadlocks).
// The HR data goes through the HR write path (hr/write), as an HR system's would, recorded as the seed's.
import type { Knex } from "knex";
import { createAdminKey } from "../admin/admin-keys.js";
import { issueToken } from "../auth/tokens.js";
import { localDate } from "../hr/lifecycle.js";
import { createTenant, findTenantBySlug } from "../hr/tenants.js";
import { GROUP_TYPES } from "../hr/tenant-settings.js";
import { mappableAttributes } from "../scim/catalogue/catalogue.js";
import { ENTERPRISE_URN } from "../scim/schema/urns.js";
import { upsertEmployees } from "../hr/write/employees.js";
import { upsertDepartments, upsertEstablishments, upsertLegalUnits } from "../hr/write/organisation.js";
import type { DepartmentRecord, EmployeeRecord, EstablishmentRecord, LegalUnitRecord } from "../hr/write/records.js";
import { beginHrWrite } from "../hr/write/session.js";
import { addDays, demoEmployees, type DepartmentKey, type EmployeeSpec, type EstablishmentKey } from "./demo-data.js";
import { forgetVerifiedTokens } from "../auth/verified-token-cache.js";

export const DEMO_SLUGS = ["demo", "other"] as const;

/** The demo organisation, by the keys an HR system would give it (the CSV sample uses the same). */
export const DEMO_LEGAL_UNITS: LegalUnitRecord[] = [
  { key: "LU-FR", name: "Demo SA", countryCode: "FR" },
  { key: "LU-DE", name: "Demo GmbH", countryCode: "DE" },
  { key: "LU-ES", name: "Demo España SL", countryCode: "ES" },
];
export const DEMO_ESTABLISHMENTS: Record<EstablishmentKey, EstablishmentRecord> = {
  paris: { key: "paris", name: "Paris HQ", legalUnitKey: "LU-FR", street: "12 rue de la Paix", postalCode: "75002", city: "Paris", countryCode: "FR" },
  lyon: { key: "lyon", name: "Lyon", legalUnitKey: "LU-FR", street: "25 quai Jean Moulin", postalCode: "69002", city: "Lyon", countryCode: "FR" },
  berlin: { key: "berlin", name: "Berlin", legalUnitKey: "LU-DE", street: "Friedrichstraße 68", postalCode: "10117", city: "Berlin", countryCode: "DE" },
  madrid: { key: "madrid", name: "Madrid", legalUnitKey: "LU-ES", street: "Calle de Alcalá 45", postalCode: "28014", city: "Madrid", countryCode: "ES" },
};
export const DEMO_DEPARTMENTS: Record<DepartmentKey, DepartmentRecord> = {
  engineering: { key: "engineering", name: "Engineering", parentKey: null },
  platform: { key: "platform", name: "Platform", parentKey: "engineering" },
  sales: { key: "sales", name: "Sales", parentKey: null },
  people: { key: "people", name: "People & Culture", parentKey: null },
  finance: { key: "finance", name: "Finance", parentKey: null },
};

/** A seed person as the HR write path takes it: references by key, the manager by employee number. */
function employeeRecord(p: EmployeeSpec | SeedPerson, domain: string, numberOfLogin: Map<string, string>): EmployeeRecord {
  return {
    employeeNumber: p.employeeNumber,
    columns: {
      login: p.login, first_name: p.firstName, last_name: p.lastName, work_email: `${p.login}@${domain}`, work_phone: p.workPhone,
      mobile_phone: p.mobilePhone, job_title: p.jobTitle, preferred_language: p.preferredLanguage, cost_center: p.costCenter,
    },
    departmentKey: p.department, establishmentKey: p.establishment,
    managerEmployeeNumber: p.manager === null ? null : numberOfLogin.get(p.manager)!,
    contracts: [...p.contracts].sort((a, b) => a.start.localeCompare(b.start)),
    extendedData: {},
  };
}

/** An employee of the other tenant; department and establishment are keys. */
type SeedPerson = Omit<EmployeeSpec, "department" | "establishment"> & { department: string; establishment: string };

/** Writes a tenant's people through the HR write path (recorded in the change feed as the seed's). */
async function writePeople(trx: Knex.Transaction, tenantId: number, now: Date, people: (EmployeeSpec | SeedPerson)[], domain: string): Promise<void> {
  const numberOfLogin = new Map(people.map((p) => [p.login, p.employeeNumber]));
  await upsertEmployees(trx, tenantId, now, people.map((p) => employeeRecord(p, domain, numberOfLogin)));
}

async function seedDemoTenant(trx: Knex.Transaction, now: Date): Promise<void> {
  const T = localDate(now, "Europe/Paris");
  const tenant = await createTenant(trx, {
    slug: "demo",
    name: "Demo",
    timeZone: "Europe/Paris",
    settings: {
      groupTypes: [...GROUP_TYPES],
      allowedEmailDomains: ["demo.example"],
      propertyMapping: { attributes: mappableAttributes().map((a) => a.key), namespace: ENTERPRISE_URN, extendedFields: {} },
    },
  });
  const t = tenant.id;
  await beginHrWrite(trx, { tenantId: t, actor: "seed", now });
  await upsertLegalUnits(trx, t, now, DEMO_LEGAL_UNITS);
  await upsertEstablishments(trx, t, now, Object.values(DEMO_ESTABLISHMENTS));
  await upsertDepartments(trx, t, now, Object.values(DEMO_DEPARTMENTS));
  await writePeople(trx, t, now, demoEmployees(T), "demo.example");
}

async function seedOtherTenant(trx: Knex.Transaction, now: Date): Promise<void> {
  const T = localDate(now, "Europe/Berlin");
  const tenant = await createTenant(trx, { slug: "other", name: "Other", timeZone: "Europe/Berlin", settings: { groupTypes: [] } });
  const t = tenant.id;
  await beginHrWrite(trx, { tenantId: t, actor: "seed", now });
  await upsertLegalUnits(trx, t, now, [{ key: "LU-DE", name: "Other GmbH", countryCode: "DE" }]);
  await upsertEstablishments(trx, t, now, [{ key: "munich", name: "Munich", legalUnitKey: "LU-DE", street: "Leopoldstraße 21", postalCode: "80802", city: "München", countryCode: "DE" }]);
  await upsertDepartments(trx, t, now, [{ key: "ops", name: "Operations", parentKey: null }]);
  const base = { department: "ops", establishment: "munich", mobilePhone: null, preferredLanguage: "de-DE", costCenter: "OT-OPS" };
  // Logins (and employee numbers) deliberately collide with demo's, to prove tenant isolation.
  const people: SeedPerson[] = [
    { ...base, login: "ada.lovelace", firstName: "Ada", lastName: "Lovelace", jobTitle: "Operations Director", employeeNumber: "E0001", manager: null, workPhone: "+49 89 3801 2201", contracts: [{ start: addDays(T, -2200), end: null }] },
    { ...base, login: "grace.hopper", firstName: "Grace", lastName: "Hopper", jobTitle: "Logistics Coordinator", employeeNumber: "E0002", manager: "ada.lovelace", workPhone: null, contracts: [{ start: addDays(T, -1500), end: null }] },
    { ...base, login: "jose.garcia", firstName: "José", lastName: "García", jobTitle: "Warehouse Lead", employeeNumber: "E0003", manager: "ada.lovelace", workPhone: null, contracts: [{ start: addDays(T, -400), end: null }] },
  ];
  await writePeople(trx, t, now, people, "other.example");
}

/** (Re)creates tenants `demo` and `other`: their previous rows (tokens included) are deleted first. */
export async function seedDemo(db: Knex, options: { now: Date }): Promise<void> {
  await db.transaction(async (trx) => {
    // Every table references tenants with on delete cascade; the self-references (managers,
    // parent departments) are deleted within the same statement, so one delete suffices.
    await trx("tenants").whereIn("slug", [...DEMO_SLUGS]).delete();
    await seedDemoTenant(trx, options.now);
    await seedOtherTenant(trx, options.now);
  });
  forgetVerifiedTokens("all"); // the tokens of the deleted tenants
}

/** Seeds only a store without any tenant; true when it seeded. */
export async function seedDemoIfEmpty(db: Knex, options: { now: Date }): Promise<boolean> {
  const any = await db("tenants").first("id");
  if (any) return false;
  await seedDemo(db, options);
  return true;
}

/** A demo token's life: it is printed on stdout, which is also where the logs go. */
export const DEMO_TOKEN_DAYS = 30;

/** Issues a read-only token named "demo" for tenant demo, valid DEMO_TOKEN_DAYS, and returns its secret (shown once). */
/** The first run's admin key: both roles, limited to the demo tenant (README "The admin console"). */
export async function issueDemoAdminKey(db: Knex, options: { now: Date }): Promise<string> {
  const tenant = await findTenantBySlug(db, "demo");
  if (!tenant) throw new Error("Tenant demo does not exist: run the demo seed first");
  const { key } = await createAdminKey(db, { name: "demo", roles: ["integration-admin", "security-admin"], tenantId: tenant.id, actor: "seed:demo", now: options.now, expiresAt: new Date(options.now.getTime() + DEMO_TOKEN_DAYS * 24 * 3600 * 1000) });
  return key;
}

export async function issueDemoToken(db: Knex, options: { now: Date }): Promise<string> {
  const tenant = await findTenantBySlug(db, "demo");
  if (!tenant) throw new Error("Tenant demo does not exist: run the demo seed first");
  const expiresAt = new Date(options.now.getTime() + DEMO_TOKEN_DAYS * 24 * 3600 * 1000);
  const { token } = await issueToken(db, { tenantId: tenant.id, name: "demo", permissions: [], createdBy: "seed:demo", now: options.now, expiresAt });
  return token;
}

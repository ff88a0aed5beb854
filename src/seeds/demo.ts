// The demo seed (docs/BEHAVIOUR.md section 7): recreates tenants `demo` and `other` in one transaction.
// Dates are relative to the seed day T (local date in Europe/Paris), so the seed means the same
// whatever day it runs. Always use `trx` inside the transaction (on PGlite the outer handle deadlocks).
import type { Knex } from "knex";
import { createAdminKey } from "../admin/admin-keys.js";
import { issueToken } from "../auth/tokens.js";
import { localDate } from "../hr/lifecycle.js";
import { createTenant, findTenantBySlug } from "../hr/tenants.js";
import { GROUP_TYPES } from "../hr/tenant-settings.js";
import { mappableAttributes } from "../scim/catalogue/catalogue.js";
import { ENTERPRISE_URN } from "../scim/schema/urns.js";
import { addDays, demoEmployees, type DepartmentKey, type EmployeeSpec, type EstablishmentKey } from "./demo-data.js";

export const DEMO_SLUGS = ["demo", "other"] as const;
const BATCH = 100;

function chunks<T>(rows: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

async function insertOne(trx: Knex.Transaction, table: string, row: Record<string, unknown>): Promise<number> {
  const [inserted] = await trx(table).insert(row).returning("id");
  return inserted.id;
}

/** An employee to insert; department and establishment are keys of EmployeeRefs' maps. */
type SeedPerson = Omit<EmployeeSpec, "department" | "establishment"> & { department: string; establishment: string };

interface EmployeeRefs {
  tenantId: number;
  departments: Record<string, number>;
  establishments: Record<string, number>;
}

/** Inserts employees (batched), then their contracts, then their managers (by login). */
async function insertEmployees(trx: Knex.Transaction, refs: EmployeeRefs, people: SeedPerson[], domain: string, now: Date): Promise<void> {
  const ids = new Map<string, number>();
  for (const batch of chunks(people, BATCH)) {
    const rows = await trx("employees").insert(batch.map((p) => ({
      tenant_id: refs.tenantId,
      login: p.login,
      first_name: p.firstName,
      last_name: p.lastName,
      work_email: `${p.login}@${domain}`,
      work_phone: p.workPhone,
      mobile_phone: p.mobilePhone,
      job_title: p.jobTitle,
      employee_number: p.employeeNumber,
      department_id: refs.departments[p.department],
      establishment_id: refs.establishments[p.establishment],
      preferred_language: p.preferredLanguage,
      cost_center: p.costCenter,
      created_at: now,
      updated_at: now,
    }))).returning(["id", "login"]);
    for (const r of rows) ids.set(r.login, r.id);
  }

  const contracts = people.flatMap((p) => p.contracts.map((c) => ({
    tenant_id: refs.tenantId, employee_id: ids.get(p.login)!, start_date: c.start, end_date: c.end,
  })));
  for (const batch of chunks(contracts, BATCH * 2)) await trx("contracts").insert(batch);
  // Contracts seeded with their employees are part of the employees' creation (at `now`), not a
  // later change: clear the stamp the contracts triggers put (migration 003).
  await trx("employees").where({ tenant_id: refs.tenantId }).update({ contracts_changed_at: null });

  const managed = people.filter((p) => p.manager !== null);
  for (const batch of chunks(managed, BATCH * 2)) {
    const values = batch.map(() => "(?::int, ?::int)").join(", ");
    const bindings = batch.flatMap((p) => [ids.get(p.login)!, ids.get(p.manager!)!]);
    await trx.raw(
      `update employees e set manager_id = v.manager_id from (values ${values}) as v(id, manager_id)
        where e.tenant_id = ? and e.id = v.id`,
      [...bindings, refs.tenantId],
    );
  }
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
  const lu = {
    fr: await insertOne(trx, "legal_units", { tenant_id: t, name: "Demo SA", country_code: "FR", updated_at: now }),
    de: await insertOne(trx, "legal_units", { tenant_id: t, name: "Demo GmbH", country_code: "DE", updated_at: now }),
    es: await insertOne(trx, "legal_units", { tenant_id: t, name: "Demo España SL", country_code: "ES", updated_at: now }),
  };
  const establishments: Record<EstablishmentKey, number> = {
    paris: await insertOne(trx, "establishments", { tenant_id: t, name: "Paris HQ", legal_unit_id: lu.fr, street: "12 rue de la Paix", postal_code: "75002", city: "Paris", country_code: "FR", updated_at: now }),
    lyon: await insertOne(trx, "establishments", { tenant_id: t, name: "Lyon", legal_unit_id: lu.fr, street: "25 quai Jean Moulin", postal_code: "69002", city: "Lyon", country_code: "FR", updated_at: now }),
    berlin: await insertOne(trx, "establishments", { tenant_id: t, name: "Berlin", legal_unit_id: lu.de, street: "Friedrichstraße 68", postal_code: "10117", city: "Berlin", country_code: "DE", updated_at: now }),
    madrid: await insertOne(trx, "establishments", { tenant_id: t, name: "Madrid", legal_unit_id: lu.es, street: "Calle de Alcalá 45", postal_code: "28014", city: "Madrid", country_code: "ES", updated_at: now }),
  };
  const engineering = await insertOne(trx, "departments", { tenant_id: t, name: "Engineering", updated_at: now });
  const departments: Record<DepartmentKey, number> = {
    engineering,
    platform: await insertOne(trx, "departments", { tenant_id: t, name: "Platform", parent_id: engineering, updated_at: now }),
    sales: await insertOne(trx, "departments", { tenant_id: t, name: "Sales", updated_at: now }),
    people: await insertOne(trx, "departments", { tenant_id: t, name: "People & Culture", updated_at: now }),
    finance: await insertOne(trx, "departments", { tenant_id: t, name: "Finance", updated_at: now }),
  };
  await insertEmployees(trx, { tenantId: t, departments, establishments }, demoEmployees(T), "demo.example", now);
}

async function seedOtherTenant(trx: Knex.Transaction, now: Date): Promise<void> {
  const T = localDate(now, "Europe/Berlin");
  const tenant = await createTenant(trx, { slug: "other", name: "Other", timeZone: "Europe/Berlin", settings: { groupTypes: [] } });
  const t = tenant.id;
  const lu = await insertOne(trx, "legal_units", { tenant_id: t, name: "Other GmbH", country_code: "DE", updated_at: now });
  const munich = await insertOne(trx, "establishments", { tenant_id: t, name: "Munich", legal_unit_id: lu, street: "Leopoldstraße 21", postal_code: "80802", city: "München", country_code: "DE", updated_at: now });
  const ops = await insertOne(trx, "departments", { tenant_id: t, name: "Operations", updated_at: now });
  const base = { department: "ops", establishment: "munich", mobilePhone: null, preferredLanguage: "de-DE", costCenter: "OT-OPS" };
  // Logins (and employee numbers) deliberately collide with demo's, to prove tenant isolation.
  const people: SeedPerson[] = [
    { ...base, login: "ada.lovelace", firstName: "Ada", lastName: "Lovelace", jobTitle: "Operations Director", employeeNumber: "E0001", manager: null, workPhone: "+49 89 3801 2201", contracts: [{ start: addDays(T, -2200), end: null }] },
    { ...base, login: "grace.hopper", firstName: "Grace", lastName: "Hopper", jobTitle: "Logistics Coordinator", employeeNumber: "E0002", manager: "ada.lovelace", workPhone: null, contracts: [{ start: addDays(T, -1500), end: null }] },
    { ...base, login: "jose.garcia", firstName: "José", lastName: "García", jobTitle: "Warehouse Lead", employeeNumber: "E0003", manager: "ada.lovelace", workPhone: null, contracts: [{ start: addDays(T, -400), end: null }] },
  ];
  await insertEmployees(trx, { tenantId: t, departments: { ops }, establishments: { munich } }, people, "other.example", now);
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

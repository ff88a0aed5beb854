// Generates a large tenant for the benchmark through the HR write path (hr/write, its set-based
// bulk form, as an HR import would): N employees with contracts, spread over departments and
// establishments of legal units all in France, ~8% leavers and ~2% future employees. Like an HR
// system loaded long ago: the organisation rows date from a year back, each employee changed N
// minutes ago for its number N (the records' changedAt), and contracts are
// part of the employees' creation, so that a delta window of the last 30 minutes holds ~30
// employees. The HR tables' triggers keep the stored lifecycle and the change feed as for any writer.
import crypto from "node:crypto";
import type { Knex } from "knex";
import { compactVisibleCounts } from "../src/hr/lifecycle-state.js";
import { createTenant } from "../src/hr/tenants.js";
import { upsertEmployees } from "../src/hr/write/employees.js";
import { upsertDepartments, upsertEstablishments, upsertLegalUnits } from "../src/hr/write/organisation.js";
import type { EmployeeRecord } from "../src/hr/write/records.js";
import { hrTransaction } from "../src/hr/write/session.js";

/** Employees per write transaction: memory and locks stay bounded by it. */
const CHUNK = 10_000;

function day(offset: number): string {
  const d = new Date();
  d.setUTCHours(0, 0, 0, 0);
  d.setUTCDate(d.getUTCDate() + offset);
  return d.toISOString().slice(0, 10);
}

function employee(g: number): EmployeeRecord {
  const start = g % 50 === 0 ? day(20) : day(-400 - (g % 3000));
  const end = g % 12 === 0 && g % 50 !== 0 ? day(-(g % 300) - 1) : null;
  return {
    employeeNumber: `B${g}`,
    columns: {
      login: `user${g}`, first_name: `First${g}`, last_name: `Last${g % 5000}`, work_email: `user${g}@bench.example`,
      work_phone: `+33 1 00 00 ${g}`, mobile_phone: null, job_title: `Job ${g % 50}`, preferred_language: null, cost_center: null,
    },
    departmentKey: `D${(g % 200) + 1}`, establishmentKey: `S${(g % 40) + 1}`, managerEmployeeNumber: null,
    contracts: [{ start, end }], extendedData: {}, changedAt: new Date(Date.now() - g * 60_000),
  };
}

export async function generateTenant(db: Knex, employees: number): Promise<{ id: number; slug: string }> {
  const slug = `bench-${crypto.randomUUID().slice(0, 8)}`;
  const tenant = await createTenant(db, {
    slug, name: slug, settings: { groupTypes: ["LUCCA_DEPT", "LUCCA_ETS", "LUCCA_LU", "LUCCA_COUNTRY"], allowedEmailDomains: [] },
  });
  const t = tenant.id;
  const writer = { tenantId: t, actor: "bench:generate-tenant", now: new Date() };
  const longAgo = { ...writer, now: new Date(Date.now() - 400 * 24 * 3600 * 1000) };
  // Every legal unit in France: LUCCA_COUNTRY France holds every employee, the largest group a
  // tenant of this size can have (docs/CLIENTS.md item 16).
  await hrTransaction(db, longAgo, async (trx) => {
    await upsertLegalUnits(trx, t, longAgo.now, Array.from({ length: 8 }, (_, i) => ({ key: `L${i + 1}`, name: `LU ${i + 1}`, countryCode: "FR" })));
    await upsertEstablishments(trx, t, longAgo.now, Array.from({ length: 40 }, (_, i) => ({
      key: `S${i + 1}`, name: `Site ${i + 1}`, legalUnitKey: `L${((i + 1) % 8) + 1}`, street: null, postalCode: null, city: `City ${i + 1}`, countryCode: "FR",
    })));
    await upsertDepartments(trx, t, longAgo.now, Array.from({ length: 200 }, (_, i) => ({ key: `D${i + 1}`, name: `Department ${i + 1}`, parentKey: null })));
  });
  for (let from = 1; from <= employees; from += CHUNK) {
    const records = Array.from({ length: Math.min(CHUNK, employees - from + 1) }, (_, i) => employee(from + i));
    await hrTransaction(db, writer, (trx) => upsertEmployees(trx, t, writer.now, records));
  }
  // What the scheduler's compaction job does within a minute of a large write (the bench runs hr-scim without it).
  await compactVisibleCounts(db, t);
  // Statistics, and the visibility map that lets counts and id pages read indexes alone (what
  // autovacuum does in time on a live store).
  // VACUUM cannot run in a transaction (bench/run.ts passes one): ANALYZE alone there.
  const inTransaction = (db as Knex & { isTransaction?: boolean }).isTransaction === true;
  for (const table of ["employees", "contracts", "departments", "establishments", "legal_units", "hr_changes"]) {
    await db.raw(`${inTransaction ? "analyze" : "vacuum analyze"} ${table}`);
  }
  return { id: t, slug };
}

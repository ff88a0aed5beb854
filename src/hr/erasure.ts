// Erasure of a former employee's personal data (issue 11; GDPR article 17): the employee row keeps
// its number, contracts and organisation (so that identity providers still see a leaver, inactive)
// but its names, login, email, phones, job title, language, cost center, external id and extended
// data are replaced or cleared; the change feed's values of that employee and the integration log's
// diffs of their resource are cleared. The erasure itself is recorded in the feed, without values.
// Refused while a contract runs or lies ahead: a current employee is corrected, not erased.
import type { Knex } from "knex";
import { localDate } from "./lifecycle.js";
import type { Tenant } from "./tenants.js";
import { hrTransaction } from "./write/session.js";

export class ErasureRefusedError extends Error {}

export interface ErasureResult { changes: number; logEntries: number }

export async function eraseEmployee(db: Knex, tenant: Tenant, employeeNumber: string, writer: { actor: string; now: Date }): Promise<ErasureResult> {
  const today = localDate(writer.now, tenant.timeZone);
  return hrTransaction(db, { tenantId: tenant.id, ...writer }, async (trx) => {
    const row = await trx("employees").where({ tenant_id: tenant.id, employee_number: employeeNumber }).forUpdate().first("id");
    if (!row) throw new ErasureRefusedError(`No employee has the number ${JSON.stringify(employeeNumber)} in tenant ${tenant.slug}`);
    const running = await trx("contracts").where({ tenant_id: tenant.id, employee_id: row.id })
      .where((q) => q.whereNull("end_date").orWhere("end_date", ">=", today)).first("id");
    if (running) throw new ErasureRefusedError(`Employee ${employeeNumber} has a contract running or ahead (on ${today}): only former employees are erased`);
    await trx.raw("select set_config('hr.erasing', 'on', true)");
    await trx("employees").where({ tenant_id: tenant.id, id: row.id }).update({
      login: `erased-${row.id}`, first_name: "Erased", last_name: "Employee", work_email: null, work_phone: null, mobile_phone: null,
      job_title: null, preferred_language: null, cost_center: null, external_id: null, extended_data: "{}",
      version: trx.raw("version + 1"), updated_at: writer.now,
    });
    const changes = await trx("hr_changes").where({ tenant_id: tenant.id, entity: "employee", key: employeeNumber }).update({ fields: "{}" });
    const logEntries = await trx("integration_log").where({ tenant_id: tenant.id, resource_id: String(row.id) }).whereNotNull("diff").update({ diff: null });
    await trx.raw("select set_config('hr.erasing', 'off', true)");
    await trx.raw("select hr_feed_record(?::jsonb)", [JSON.stringify([{ tenant_id: tenant.id, entity: "employee", key: employeeNumber, operation: "erased", fields: {} }])]);
    return { changes, logEntries };
  });
}

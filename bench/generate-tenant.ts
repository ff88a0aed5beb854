// Generates a large tenant in SQL (generate_series), for the benchmark: N employees with contracts,
// spread over departments and establishments of legal units all in France, ~8% leavers and ~2%
// future employees. Like an HR system loaded long ago: the organisation rows date from a year back,
// each employee changed N minutes ago for its number N, and contracts are part of the employees'
// creation (no later contract change), so that a delta window of the last 30 minutes holds ~30
// employees. The HR tables' triggers keep the stored lifecycle as for any other writer.
import crypto from "node:crypto";
import type { Knex } from "knex";
import { createTenant } from "../src/hr/tenants.js";

export async function generateTenant(db: Knex, employees: number): Promise<{ id: number; slug: string }> {
  const slug = `bench-${crypto.randomUUID().slice(0, 8)}`;
  const tenant = await createTenant(db, {
    slug, name: slug, settings: { groupTypes: ["LUCCA_DEPT", "LUCCA_ETS", "LUCCA_LU", "LUCCA_COUNTRY"], allowedEmailDomains: [] },
  });
  const t = tenant.id;
  const longAgo = "now() - interval '400 days'";
  // Every legal unit in France: LUCCA_COUNTRY France holds every employee, the largest group a
  // tenant of this size can have (docs/CLIENTS.md item 16).
  await db.raw(`insert into legal_units (tenant_id, name, country_code, updated_at, created_at) select ?, 'LU ' || g, 'FR', ${longAgo}, ${longAgo} from generate_series(1, 8) g`, [t]);
  await db.raw(`insert into establishments (tenant_id, name, legal_unit_id, city, country_code, updated_at, created_at)
                select ?, 'Site ' || g, lu.id, 'City ' || g, lu.country_code, ${longAgo}, ${longAgo}
                  from generate_series(1, 40) g
                  join lateral (select id, country_code from legal_units where tenant_id = ? order by id offset (g % 8) limit 1) lu on true`, [t, t]);
  await db.raw(`insert into departments (tenant_id, name, updated_at, created_at) select ?, 'Department ' || g, ${longAgo}, ${longAgo} from generate_series(1, 200) g`, [t]);
  await db.raw(`insert into employees (tenant_id, login, first_name, last_name, work_email, work_phone, job_title, employee_number, department_id, establishment_id, updated_at, created_at)
                select ?, 'user' || g, 'First' || g, 'Last' || (g % 5000), 'user' || g || '@bench.example', '+33 1 00 00 ' || g, 'Job ' || (g % 50), 'B' || g,
                       (select min(id) from departments where tenant_id = ?) + g % 200,
                       (select min(id) from establishments where tenant_id = ?) + g % 40,
                       now() - (g || ' minutes')::interval, now() - (g || ' minutes')::interval
                  from generate_series(1, ?) g`, [t, t, t, employees]);
  await db.raw(`insert into contracts (tenant_id, employee_id, start_date, end_date)
                select e.tenant_id, e.id,
                       case when e.id % 50 = 0 then current_date + 20 else current_date - 400 - (e.id % 3000) end,
                       case when e.id % 12 = 0 and e.id % 50 <> 0 then current_date - (e.id % 300) - 1 end
                  from employees e where e.tenant_id = ?`, [t]);
  // The contracts came with their employees: not a later change (as the demo seed does).
  await db.raw(`update employees set contracts_changed_at = null where tenant_id = ?`, [t]);
  // Statistics, and the visibility map that lets counts and id pages read indexes alone (what
  // autovacuum does in time on a live store).
  for (const table of ["employees", "contracts", "departments", "establishments", "legal_units"]) await db.raw(`vacuum analyze ${table}`);
  return { id: t, slug };
}

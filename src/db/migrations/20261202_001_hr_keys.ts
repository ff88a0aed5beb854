// The keys the HR system owns (issue 11): employees by employee_number, departments, establishments
// and legal units by a `key` the HR system chooses, each unique per tenant. SCIM ids do not change.
// Existing data is made unique first: a missing employee number becomes `ID-<id>`; among duplicates
// the first (lowest id) keeps its number and the others get `<number>-<id>`, each listed on stdout.
// Renamed employees show the change (updated_at, version). Rows inserted without a number or key
// get the same defaults from a trigger, so writers that predate the keys keep working.
// One statement per raw call (PGlite).
import type { Knex } from "knex";

const ORG_TABLES = ["legal_units", "establishments", "departments"] as const;

const statements = [
  `create function employees_default_number() returns trigger language plpgsql as $$
   begin
     if new.employee_number is null or btrim(new.employee_number) = '' then new.employee_number := 'ID-' || new.id; end if;
     return new;
   end $$`,
  `create trigger employees_default_number before insert or update of employee_number on employees
     for each row execute function employees_default_number()`,
  `alter table employees alter column employee_number set not null`,
  `drop index employees_employee_number`,
  `create unique index employees_employee_number on employees (tenant_id, employee_number)`,
  `create function org_default_key() returns trigger language plpgsql as $$
   begin
     if new.key is null or btrim(new.key) = '' then new.key := new.id::text; end if;
     return new;
   end $$`,
  ...ORG_TABLES.flatMap((table) => [
    `alter table ${table} add column key text`,
    `update ${table} set key = id::text`,
    `alter table ${table} alter column key set not null`,
    `create unique index ${table}_key on ${table} (tenant_id, key)`,
    `create trigger ${table}_default_key before insert or update of key on ${table} for each row execute function org_default_key()`,
  ]),
];

interface Renamed { tenant: string; id: number; before: string | null; after: string }

async function renameNumbers(knex: Knex): Promise<Renamed[]> {
  const missing = await knex.raw(`
    update employees e set employee_number = 'ID-' || e.id, updated_at = now(), version = e.version + 1
      from tenants t
     where t.id = e.tenant_id and (e.employee_number is null or btrim(e.employee_number) = '')
    returning t.slug as tenant, e.id, null::text as before, e.employee_number as after`);
  const duplicates = await knex.raw(`
    with ranked as (
      select tenant_id, id, employee_number,
             row_number() over (partition by tenant_id, employee_number order by id) as rank
        from employees)
    update employees e set employee_number = r.employee_number || '-' || e.id, updated_at = now(), version = e.version + 1
      from ranked r, tenants t
     where r.tenant_id = e.tenant_id and r.id = e.id and r.rank > 1 and t.id = e.tenant_id
    returning t.slug as tenant, e.id, r.employee_number as before, e.employee_number as after`);
  return [...missing.rows, ...duplicates.rows];
}

export async function up(knex: Knex): Promise<void> {
  const renamed = await renameNumbers(knex);
  for (const r of renamed) {
    // The migration's output is the list the HR admin needs to fix in their HR system.
    console.log(`employee number made unique: tenant ${r.tenant}, employee id ${r.id}: ${r.before === null ? "(none)" : JSON.stringify(r.before)} -> ${JSON.stringify(r.after)}`);
  }
  for (const sql of statements) await knex.raw(sql);
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ORG_TABLES) {
    await knex.raw(`drop trigger if exists ${table}_default_key on ${table}`);
    await knex.raw(`drop index if exists ${table}_key`);
    await knex.raw(`alter table ${table} drop column if exists key`);
  }
  await knex.raw(`drop function if exists org_default_key()`);
  await knex.raw(`drop index if exists employees_employee_number`);
  await knex.raw(`create index employees_employee_number on employees (tenant_id, employee_number)`);
  await knex.raw(`alter table employees alter column employee_number drop not null`);
  await knex.raw(`drop trigger if exists employees_default_number on employees`);
  await knex.raw(`drop function if exists employees_default_number()`);
}

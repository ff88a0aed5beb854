// A group changes when a member leaves it (docs/BEHAVIOUR.md section 4), but a departure leaves no row in
// the group: the employee now points elsewhere, was deleted, or lost the contract that made them
// visible. These triggers record the change in `group_changes` (tenant, group kind, HR key,
// instant), so that group meta.lastModified and meta.version move whoever writes the HR tables.
// Insert-only on purpose: stamping the department or legal-unit rows themselves made two HR
// transactions moving employees out of the same departments in different orders deadlock.
// Arrivals that no employee row shows (an establishment moving to another legal unit) are recorded
// too. The instant is the HR row's new updated_at when the writer moved it forward, else the
// transaction's time. Over-recording (a move within one legal unit records it) only makes a client
// re-read a group. Triggers are per statement, over transition tables, so a bulk HR update records
// one row per group rather than one per employee. One statement per raw call (PGlite).
import type { Knex } from "knex";

const statements = [
  `create table group_changes (
     tenant_id integer not null references tenants (id) on delete cascade,
     kind text not null check (kind in ('department', 'establishment', 'legal_unit', 'country')),
     org_key text not null,
     at timestamptz not null
   )`,
  `create index group_changes_key on group_changes (tenant_id, kind, org_key, at)`,

  // Departures as parallel arrays (tenant, department left, establishment left, instant); a null
  // department or establishment means none left of that kind. An establishment's members are
  // members of its legal unit and of that legal unit's country. Rows of a tenant being deleted
  // (cascades) are not recorded.
  `create function hr_note_members_left(p_tenant integer[], p_department integer[], p_establishment integer[], p_at timestamptz[])
   returns void language sql as $$
     insert into group_changes (tenant_id, kind, org_key, at)
     select x.tenant_id, x.kind, x.org_key, max(x.at)
       from (select u.tenant_id, 'department' as kind, u.department_id::text as org_key, u.at
               from unnest(p_tenant, p_department, p_establishment, p_at) as u(tenant_id, department_id, establishment_id, at)
              where u.department_id is not null
             union all
             select u.tenant_id, k.kind, k.org_key, u.at
               from unnest(p_tenant, p_department, p_establishment, p_at) as u(tenant_id, department_id, establishment_id, at)
               join establishments est on est.tenant_id = u.tenant_id and est.id = u.establishment_id
               join legal_units lu on lu.tenant_id = est.tenant_id and lu.id = est.legal_unit_id
               cross join lateral (values ('establishment', est.id::text), ('legal_unit', lu.id::text), ('country', lu.country_code::text)) as k(kind, org_key)) x
      where exists (select 1 from tenants t where t.id = x.tenant_id)
      group by x.tenant_id, x.kind, x.org_key
   $$`,

  `create function employees_note_members_moved() returns trigger language plpgsql as $$
   begin
     perform hr_note_members_left(
       array_agg(o.tenant_id),
       array_agg(case when n.department_id is distinct from o.department_id then o.department_id end),
       array_agg(case when n.establishment_id is distinct from o.establishment_id then o.establishment_id end),
       array_agg(case when n.updated_at > o.updated_at then n.updated_at else now() end))
     from old_rows o join new_rows n on n.tenant_id = o.tenant_id and n.id = o.id
     where n.department_id is distinct from o.department_id or n.establishment_id is distinct from o.establishment_id;
     return null;
   end $$`,
  `create trigger employees_members_moved after update on employees
     referencing old table as old_rows new table as new_rows
     for each statement execute function employees_note_members_moved()`,

  `create function employees_note_members_deleted() returns trigger language plpgsql as $$
   begin
     perform hr_note_members_left(array_agg(o.tenant_id), array_agg(o.department_id), array_agg(o.establishment_id), array_agg(now()))
     from old_rows o;
     return null;
   end $$`,
  `create trigger employees_members_deleted after delete on employees
     referencing old table as old_rows
     for each statement execute function employees_note_members_deleted()`,

  // Visibility (hr/visibility.ts) depends on contracts: deleting one, or moving its start later,
  // can hide the employee, and so take them out of their groups.
  `create function contracts_note_members_hidden() returns trigger language plpgsql as $$
   begin
     perform hr_note_members_left(array_agg(e.tenant_id), array_agg(e.department_id), array_agg(e.establishment_id), array_agg(now()))
     from employees e
     where (e.tenant_id, e.id) in (select o.tenant_id, o.employee_id from old_rows o);
     return null;
   end $$`,
  `create trigger contracts_deleted after delete on contracts
     referencing old table as old_rows
     for each statement execute function contracts_note_members_hidden()`,
  `create function contracts_note_members_started_later() returns trigger language plpgsql as $$
   begin
     perform hr_note_members_left(array_agg(e.tenant_id), array_agg(e.department_id), array_agg(e.establishment_id), array_agg(now()))
     from employees e
     where (e.tenant_id, e.id) in (
       select o.tenant_id, o.employee_id from old_rows o join new_rows n on n.tenant_id = o.tenant_id and n.id = o.id
        where n.start_date > o.start_date or n.employee_id <> o.employee_id);
     return null;
   end $$`,
  `create trigger contracts_updated after update on contracts
     referencing old table as old_rows new table as new_rows
     for each statement execute function contracts_note_members_started_later()`,

  // An establishment moving to another legal unit takes its employees out of the old legal unit
  // (and country) and into the new one, without any employee row changing: all four change.
  `create function establishments_note_members_moved() returns trigger language plpgsql as $$
   begin
     insert into group_changes (tenant_id, kind, org_key, at)
     select m.tenant_id, k.kind, k.org_key, max(m.at)
       from (select o.tenant_id, unnest(array[o.legal_unit_id, n.legal_unit_id]) as legal_unit_id,
                    case when n.updated_at > o.updated_at then n.updated_at else now() end as at
               from old_rows o join new_rows n on n.tenant_id = o.tenant_id and n.id = o.id
              where n.legal_unit_id <> o.legal_unit_id) m
       join legal_units lu on lu.tenant_id = m.tenant_id and lu.id = m.legal_unit_id
       cross join lateral (values ('legal_unit', lu.id::text), ('country', lu.country_code::text)) as k(kind, org_key)
      group by m.tenant_id, k.kind, k.org_key;
     return null;
   end $$`,
  `create trigger establishments_members_moved after update on establishments
     referencing old table as old_rows new table as new_rows
     for each statement execute function establishments_note_members_moved()`,

  // A legal unit moving to another country, or deleted, takes its employees out of its country's
  // group (and into the new country's).
  `create function legal_units_note_members_moved() returns trigger language plpgsql as $$
   begin
     insert into group_changes (tenant_id, kind, org_key, at)
     select m.tenant_id, 'country', m.country_code, max(m.at)
       from (select o.tenant_id, unnest(array[o.country_code::text, n.country_code::text]) as country_code,
                    case when n.updated_at > o.updated_at then n.updated_at else now() end as at
               from old_rows o join new_rows n on n.tenant_id = o.tenant_id and n.id = o.id
              where n.country_code <> o.country_code) m
      group by m.tenant_id, m.country_code;
     return null;
   end $$`,
  `create trigger legal_units_members_moved after update on legal_units
     referencing old table as old_rows new table as new_rows
     for each statement execute function legal_units_note_members_moved()`,
  `create function legal_units_note_deleted() returns trigger language plpgsql as $$
   begin
     insert into group_changes (tenant_id, kind, org_key, at)
     select o.tenant_id, 'country', o.country_code::text, now()
       from old_rows o
      where exists (select 1 from tenants t where t.id = o.tenant_id)
      group by o.tenant_id, o.country_code;
     return null;
   end $$`,
  `create trigger legal_units_deleted after delete on legal_units
     referencing old table as old_rows
     for each statement execute function legal_units_note_deleted()`,
];

export async function up(knex: Knex): Promise<void> {
  for (const sql of statements) await knex.raw(sql);
}

export async function down(knex: Knex): Promise<void> {
  for (const sql of [
    `drop trigger if exists legal_units_deleted on legal_units`,
    `drop trigger if exists legal_units_members_moved on legal_units`,
    `drop trigger if exists establishments_members_moved on establishments`,
    `drop trigger if exists contracts_updated on contracts`,
    `drop trigger if exists contracts_deleted on contracts`,
    `drop trigger if exists employees_members_deleted on employees`,
    `drop trigger if exists employees_members_moved on employees`,
    `drop function if exists legal_units_note_deleted()`,
    `drop function if exists legal_units_note_members_moved()`,
    `drop function if exists establishments_note_members_moved()`,
    `drop function if exists contracts_note_members_started_later()`,
    `drop function if exists contracts_note_members_hidden()`,
    `drop function if exists employees_note_members_deleted()`,
    `drop function if exists employees_note_members_moved()`,
    `drop function if exists hr_note_members_left(integer[], integer[], integer[], timestamptz[])`,
    `drop table if exists group_changes`,
  ]) await knex.raw(sql);
}

// A group changes when a member leaves it (product.md section 4), but a departure leaves no row in
// the group: the employee now points elsewhere, was deleted, or lost the contract that made them
// visible. These triggers stamp the organisation row the member left (`last_member_left_at`), so
// that group meta.lastModified and meta.version move whoever writes the HR tables. Arrivals need no
// stamp: the arriving employee's own change is already part of the group's lastModified.
// The instant is the HR row's new updated_at when the writer moved it forward, else the
// transaction's time. Over-stamping (a move within the same legal unit stamps it) only makes a
// client re-read a group. The triggers are per statement, over transition tables, so that a bulk
// HR update or a tenant's deletion stamps each organisation row once rather than once per employee
// (repeated updates of one row in one transaction cost quadratic time). One statement per raw call
// (PGlite).
import type { Knex } from "knex";

const statements = [
  `alter table departments add column last_member_left_at timestamptz`,
  `alter table establishments add column last_member_left_at timestamptz`,
  `alter table legal_units add column last_member_left_at timestamptz`,

  // Departures as parallel arrays (tenant, department left, establishment left, instant); a null
  // department or establishment means none left of that kind. An establishment's members are
  // members of its legal unit (and so of the legal unit's country).
  `create function hr_note_members_left(p_tenant integer[], p_department integer[], p_establishment integer[], p_at timestamptz[])
   returns void language plpgsql as $$
   begin
     update departments d set last_member_left_at = x.at
       from (select tenant_id, department_id, max(at) as at
               from unnest(p_tenant, p_department, p_establishment, p_at) as u(tenant_id, department_id, establishment_id, at)
              where department_id is not null group by tenant_id, department_id) x
      where d.tenant_id = x.tenant_id and d.id = x.department_id
        and (d.last_member_left_at is null or d.last_member_left_at < x.at);
     update establishments est set last_member_left_at = x.at
       from (select tenant_id, establishment_id, max(at) as at
               from unnest(p_tenant, p_department, p_establishment, p_at) as u(tenant_id, department_id, establishment_id, at)
              where establishment_id is not null group by tenant_id, establishment_id) x
      where est.tenant_id = x.tenant_id and est.id = x.establishment_id
        and (est.last_member_left_at is null or est.last_member_left_at < x.at);
     update legal_units lu set last_member_left_at = x.at
       from (select u.tenant_id, est.legal_unit_id, max(u.at) as at
               from unnest(p_tenant, p_department, p_establishment, p_at) as u(tenant_id, department_id, establishment_id, at)
               join establishments est on est.tenant_id = u.tenant_id and est.id = u.establishment_id
              group by u.tenant_id, est.legal_unit_id) x
      where lu.tenant_id = x.tenant_id and lu.id = x.legal_unit_id
        and (lu.last_member_left_at is null or lu.last_member_left_at < x.at);
   end $$`,

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

  // An establishment moving to another legal unit takes its employees out of the old one and into
  // the new one, without any employee row changing: both legal units (and so their countries) change.
  `create function establishments_note_members_moved() returns trigger language plpgsql as $$
   begin
     if not exists (select 1 from old_rows o join new_rows n on n.tenant_id = o.tenant_id and n.id = o.id
                     where n.legal_unit_id <> o.legal_unit_id) then
       return null;
     end if;
     update legal_units lu set last_member_left_at = x.at
       from (select m.tenant_id, m.legal_unit_id, max(m.at) as at
               from (select o.tenant_id, unnest(array[o.legal_unit_id, n.legal_unit_id]) as legal_unit_id,
                            case when n.updated_at > o.updated_at then n.updated_at else now() end as at
                       from old_rows o join new_rows n on n.tenant_id = o.tenant_id and n.id = o.id
                      where n.legal_unit_id <> o.legal_unit_id) m
              group by m.tenant_id, m.legal_unit_id) x
      where lu.tenant_id = x.tenant_id and lu.id = x.legal_unit_id
        and (lu.last_member_left_at is null or lu.last_member_left_at < x.at);
     return null;
   end $$`,
  `create trigger establishments_members_moved after update on establishments
     referencing old table as old_rows new table as new_rows
     for each statement execute function establishments_note_members_moved()`,

  // A legal unit moving to another country takes its employees out of the old country's group,
  // whose lastModified is the latest of its remaining legal units'.
  `create function legal_units_note_members_moved() returns trigger language plpgsql as $$
   begin
     -- also stops the recursion through its own update of legal_units (statement triggers fire on zero rows)
     if not exists (select 1 from old_rows o join new_rows n on n.tenant_id = o.tenant_id and n.id = o.id
                     where n.country_code <> o.country_code) then
       return null;
     end if;
     update legal_units lu set last_member_left_at = x.at
       from (select o.tenant_id, o.country_code, max(case when n.updated_at > o.updated_at then n.updated_at else now() end) as at
               from old_rows o join new_rows n on n.tenant_id = o.tenant_id and n.id = o.id
              where n.country_code <> o.country_code group by o.tenant_id, o.country_code) x
      where lu.tenant_id = x.tenant_id and lu.country_code = x.country_code
        and (lu.last_member_left_at is null or lu.last_member_left_at < x.at);
     return null;
   end $$`,
  `create trigger legal_units_members_moved after update on legal_units
     referencing old table as old_rows new table as new_rows
     for each statement execute function legal_units_note_members_moved()`,

  // A country group's lastModified is the latest of its legal units': deleting one must not take
  // its stamps away with it, so the remaining legal units of that country are stamped.
  `create function legal_units_note_deleted() returns trigger language plpgsql as $$
   begin
     update legal_units lu set last_member_left_at = now()
       from (select distinct tenant_id, country_code from old_rows) x
      where lu.tenant_id = x.tenant_id and lu.country_code = x.country_code
        and (lu.last_member_left_at is null or lu.last_member_left_at < now());
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
    `alter table legal_units drop column if exists last_member_left_at`,
    `alter table establishments drop column if exists last_member_left_at`,
    `alter table departments drop column if exists last_member_left_at`,
  ]) await knex.raw(sql);
}

// A group changes when a member leaves it (product.md section 4), but a departure leaves no row in
// the group: the employee now points elsewhere, was deleted, or lost the contract that made them
// visible. These triggers stamp the organisation row the member left (`last_member_left_at`), so
// that group meta.lastModified and meta.version move whoever writes the HR tables. Arrivals need no
// stamp: the arriving employee's own change is already part of the group's lastModified.
// The instant is the HR row's new updated_at when the writer moved it forward, else the
// transaction's time. Over-stamping (a move within the same legal unit stamps it) only makes a
// client re-read a group. One statement per raw call (PGlite).
import type { Knex } from "knex";

const statements = [
  `alter table departments add column last_member_left_at timestamptz`,
  `alter table establishments add column last_member_left_at timestamptz`,
  `alter table legal_units add column last_member_left_at timestamptz`,

  // An establishment's members are members of its legal unit (and of the legal unit's country).
  `create function hr_note_member_left(p_tenant integer, p_department integer, p_establishment integer, p_at timestamptz)
   returns void language plpgsql as $$
   begin
     if p_department is not null then
       update departments set last_member_left_at = greatest(last_member_left_at, p_at)
        where tenant_id = p_tenant and id = p_department;
     end if;
     if p_establishment is not null then
       update establishments set last_member_left_at = greatest(last_member_left_at, p_at)
        where tenant_id = p_tenant and id = p_establishment;
       update legal_units set last_member_left_at = greatest(last_member_left_at, p_at)
        where tenant_id = p_tenant
          and id = (select est.legal_unit_id from establishments est where est.tenant_id = p_tenant and est.id = p_establishment);
     end if;
   end $$`,

  `create function hr_change_instant(p_old timestamptz, p_new timestamptz)
   returns timestamptz language sql as $$
     select case when p_new > p_old then p_new else now() end
   $$`,

  `create function employees_note_member_left() returns trigger language plpgsql as $$
   begin
     if tg_op = 'DELETE' then
       perform hr_note_member_left(old.tenant_id, old.department_id, old.establishment_id, now());
       return old;
     end if;
     perform hr_note_member_left(old.tenant_id,
       case when new.department_id is distinct from old.department_id then old.department_id end,
       case when new.establishment_id is distinct from old.establishment_id then old.establishment_id end,
       hr_change_instant(old.updated_at, new.updated_at));
     return new;
   end $$`,
  `create trigger employees_member_left
     after update of department_id, establishment_id or delete on employees
     for each row execute function employees_note_member_left()`,

  // Visibility (hr/visibility.ts) depends on contracts: deleting one, or moving its start later,
  // can hide the employee, and so remove them from their groups.
  `create function contracts_note_member_left() returns trigger language plpgsql as $$
   begin
     perform hr_note_member_left(e.tenant_id, e.department_id, e.establishment_id, now())
        from employees e where e.tenant_id = old.tenant_id and e.id = old.employee_id;
     return null;
   end $$`,
  `create trigger contracts_member_left
     after update of start_date, employee_id or delete on contracts
     for each row execute function contracts_note_member_left()`,

  // An establishment moving to another legal unit takes its employees out of the old one.
  `create function establishments_note_member_left() returns trigger language plpgsql as $$
   begin
     if new.legal_unit_id is distinct from old.legal_unit_id then
       update legal_units set last_member_left_at = greatest(last_member_left_at, hr_change_instant(old.updated_at, new.updated_at))
        where tenant_id = old.tenant_id and id = old.legal_unit_id;
     end if;
     return null;
   end $$`,
  `create trigger establishments_member_left
     after update of legal_unit_id on establishments
     for each row execute function establishments_note_member_left()`,

  // A legal unit moving to another country takes its employees out of the old country's group,
  // whose lastModified is the latest of its remaining legal units.
  `create function legal_units_note_member_left() returns trigger language plpgsql as $$
   begin
     if new.country_code is distinct from old.country_code then
       update legal_units set last_member_left_at = greatest(last_member_left_at, hr_change_instant(old.updated_at, new.updated_at))
        where tenant_id = old.tenant_id and country_code = old.country_code;
     end if;
     return null;
   end $$`,
  `create trigger legal_units_member_left
     after update of country_code on legal_units
     for each row execute function legal_units_note_member_left()`,
];

export async function up(knex: Knex): Promise<void> {
  for (const sql of statements) await knex.raw(sql);
}

export async function down(knex: Knex): Promise<void> {
  for (const sql of [
    `drop trigger if exists legal_units_member_left on legal_units`,
    `drop trigger if exists establishments_member_left on establishments`,
    `drop trigger if exists contracts_member_left on contracts`,
    `drop trigger if exists employees_member_left on employees`,
    `drop function if exists legal_units_note_member_left()`,
    `drop function if exists establishments_note_member_left()`,
    `drop function if exists contracts_note_member_left()`,
    `drop function if exists employees_note_member_left()`,
    `drop function if exists hr_change_instant(timestamptz, timestamptz)`,
    `drop function if exists hr_note_member_left(integer, integer, integer, timestamptz)`,
    `alter table legal_units drop column if exists last_member_left_at`,
    `alter table establishments drop column if exists last_member_left_at`,
    `alter table departments drop column if exists last_member_left_at`,
  ]) await knex.raw(sql);
}

// Lifecycle state kept, not recomputed (product.md section 2): what every read needs is stored on the
// employee row and kept true by triggers, whoever writes the HR tables (the seed, the benchmark
// generator, an HR ingestion API, hand-written SQL):
// - visible_from: the first contract's start date. A token sees the employee when
//   visible_from <= today, or (future-employees:read) when visible_from <= 'infinity', i.e. any contract.
// - the lifecycle at the tenant's lifecycle date (tenants.lifecycle_date): active, the contract shown
//   (contract_start, contract_end), and the last and the next transition instant (a start's 00:00 or
//   an end's next 00:00 in the tenant's zone). The state is the same at every instant in
//   [last_transition, next_transition), so an employee needs recomputing only when the clock leaves
//   that window: the midnight step (hr_refresh_lifecycle) recomputes just those rows, found by index.
// - related_modified: the latest change of the rows the User shows by name (department,
//   establishment, legal unit, manager) and of the tenant's settings; member_modified: the latest of
//   the row, its contracts and its last transition (what a group's lastModified takes from a member);
//   last_modified: the later of the two (meta.lastModified).
// Reads check, in the same statement, that no stored state is out of its window at the request's date
// (hr_lifecycle_current raises HRL01 otherwise: the reader refreshes the tenant and reads again), so a
// read is right at every instant even when the step is late or a process's clock differs.
// Only hr_employee_lifecycle writes the lifecycle columns (a BEFORE trigger puts back any other
// writer's values); related_modified is recomputed when set to null ("touched"). One statement per
// raw call (PGlite).
import type { Knex } from "knex";

/** Order of a contract as the one shown: covering the day (latest start first), else the next upcoming, else the latest past. */
const shownOrder = (day: string) => `case when c.start_date <= ${day} and (c.end_date is null or c.end_date >= ${day}) then 0
                when c.start_date > ${day} then 1 else 2 end,
           case when c.start_date > ${day} then c.start_date end,
           c.start_date desc, c.end_date desc nulls first`;

/** Touches employees (their related_modified is recomputed by employees_derive). */
const touch = (where: string) => `update employees e set related_modified = null ${where}`;

const statements = [
  `alter table tenants add column lifecycle_date date`,
  `alter table employees
     add column visible_from date,
     add column active boolean not null default false,
     add column contract_start date,
     add column contract_end date,
     add column last_transition timestamptz,
     add column next_transition timestamptz,
     add column related_modified timestamptz,
     add column member_modified timestamptz,
     add column last_modified timestamptz`,

  // How many employees became visible on each date (their first contract's start), as insert-only
  // deltas (+1, -1) that hr_refresh_lifecycle compacts: the count of the employees a token sees is
  // a sum over the tenant's start dates, not a count of its employees. Insert-only, so that HR
  // writers never wait on (or deadlock over) a shared counter row.
  `create table visible_employee_counts (
     tenant_id integer not null references tenants (id) on delete cascade,
     visible_from date not null,
     employees integer not null
   )`,
  `create index visible_employee_counts_date on visible_employee_counts (tenant_id, visible_from)`,
  `create function employees_note_deleted() returns trigger language plpgsql as $$
   begin
     insert into visible_employee_counts (tenant_id, visible_from, employees)
     select o.tenant_id, o.visible_from, -count(*)
       from old_rows o
      where o.visible_from is not null and exists (select 1 from tenants t where t.id = o.tenant_id)
      group by o.tenant_id, o.visible_from;
     return null;
   end $$`,
  `create trigger employees_deleted after delete on employees
     referencing old table as old_rows
     for each statement execute function employees_note_deleted()`,
  // Sums a tenant's deltas, one row per date (in one statement: concurrent writers' rows, not yet
  // visible to it, stay as they are).
  `create function hr_compact_visible_counts(p_tenant integer) returns void language sql as $$
     with deltas as (delete from visible_employee_counts where tenant_id = p_tenant returning visible_from, employees)
     insert into visible_employee_counts (tenant_id, visible_from, employees)
     select p_tenant, visible_from, sum(employees) from deltas group by visible_from having sum(employees) <> 0
   $$`,

  // The lifecycle of some employees of a tenant at its lifecycle date (today in its zone until the
  // first step), from their contracts: the twin of hr/lifecycle.ts isActive, lastTransition,
  // nextTransition and shownContract. With p_stamp, contracts_changed_at moves to now() (a contract
  // changed: the employee changed, migration 003). Writes only rows whose values change. Index probes
  // only (see employees_derive).
  `create function hr_employee_lifecycle(p_tenant integer, p_ids integer[], p_stamp boolean) returns integer
   language plpgsql set enable_seqscan = off as $$
   declare
     v_day date;
     v_zone text;
     v_future_active boolean;
     v_count integer;
   begin
     select coalesce(t.lifecycle_date, (now() at time zone t.time_zone)::date), t.time_zone,
            coalesce(t.settings -> 'futureEmployeesActive' = 'true'::jsonb, false)
       into v_day, v_zone, v_future_active
       from tenants t where t.id = p_tenant;
     if not found then return 0; end if;
     perform set_config('hr.lifecycle_writer', 'on', true);
     with changed as (
     update employees e
        set contracts_changed_at = case when p_stamp and (e.contracts_changed_at is null or e.contracts_changed_at < now()) then now() else e.contracts_changed_at end,
            visible_from = x.visible_from, active = x.active, contract_start = x.contract_start, contract_end = x.contract_end,
            last_transition = x.last_transition, next_transition = x.next_transition
       from (select s.id, s.visible_from, o.visible_from as old_visible_from, s.active, s.contract_start, s.contract_end,
                    s.last_day::timestamp at time zone v_zone as last_transition,
                    s.next_day::timestamp at time zone v_zone as next_transition
               from (select k.id,
                            min(c.start_date) as visible_from,
                            coalesce(bool_or(c.start_date <= v_day and (c.end_date is null or c.end_date >= v_day)), false)
                              or coalesce(v_future_active and min(c.start_date) > v_day, false) as active,
                            max(case when c.end_date < v_day then c.end_date + 1 when c.start_date <= v_day then c.start_date end) as last_day,
                            min(least(case when c.start_date > v_day then c.start_date end, case when c.end_date >= v_day then c.end_date + 1 end)) as next_day,
                            (array_agg(c.start_date order by ${shownOrder("v_day")}) filter (where c.start_date is not null))[1] as contract_start,
                            (array_agg(c.end_date order by ${shownOrder("v_day")}) filter (where c.start_date is not null))[1] as contract_end
                       from (select distinct unnest(p_ids) as id) k
                       left join contracts c on c.tenant_id = p_tenant and c.employee_id = k.id
                      group by k.id) s
               join employees o on o.tenant_id = p_tenant and o.id = s.id) x
      where e.tenant_id = p_tenant and e.id = x.id
        and ((p_stamp and (e.contracts_changed_at is null or e.contracts_changed_at < now()))
             or (e.visible_from, e.active, e.contract_start, e.contract_end, e.last_transition, e.next_transition)
                is distinct from (x.visible_from, x.active, x.contract_start, x.contract_end, x.last_transition, x.next_transition))
      returning x.old_visible_from, e.visible_from
     ), counted as (
       insert into visible_employee_counts (tenant_id, visible_from, employees)
       select p_tenant, d.visible_from, sum(d.n)
         from (select visible_from, 1 as n from changed where visible_from is not null
               union all
               select old_visible_from, -1 from changed where old_visible_from is not null) d
        group by d.visible_from having sum(d.n) <> 0
     )
     select count(*) into v_count from changed;
     perform set_config('hr.lifecycle_writer', 'off', true);
     return v_count;
   end $$`,

  // Every employee row: the lifecycle columns are hr_employee_lifecycle's alone (a new employee has
  // no contract yet); related_modified is looked up when the row is new, touched (set to null) or
  // points to another department, establishment or manager; the two lastModified columns follow.
  // The functions that probe by key run without sequential scans: PL/pgSQL keeps a plan per session,
  // and one made while the table was still empty (a first bulk load) would scan it for every row.
  `create function employees_derive() returns trigger language plpgsql set enable_seqscan = off as $$
   begin
     if tg_op = 'INSERT' then
       new.visible_from := null; new.active := false; new.contract_start := null; new.contract_end := null;
       new.last_transition := null; new.next_transition := null;
     elsif current_setting('hr.lifecycle_writer', true) is distinct from 'on' then
       new.visible_from := old.visible_from; new.active := old.active;
       new.contract_start := old.contract_start; new.contract_end := old.contract_end;
       new.last_transition := old.last_transition; new.next_transition := old.next_transition;
     end if;
     if tg_op = 'INSERT' or new.related_modified is null or new.tenant_id <> old.tenant_id
        or new.department_id is distinct from old.department_id or new.establishment_id is distinct from old.establishment_id
        or new.manager_id is distinct from old.manager_id then
       new.related_modified := coalesce(greatest(
         case when new.department_id is not null then
           (select d.updated_at from departments d where d.tenant_id = new.tenant_id and d.id = new.department_id) end,
         case when new.establishment_id is not null then
           (select greatest(est.updated_at, lu.updated_at) from establishments est
              join legal_units lu on lu.tenant_id = est.tenant_id and lu.id = est.legal_unit_id
             where est.tenant_id = new.tenant_id and est.id = new.establishment_id) end,
         case when new.manager_id is not null then
           (select m.updated_at from employees m where m.tenant_id = new.tenant_id and m.id = new.manager_id) end,
         (select t.settings_changed_at from tenants t where t.id = new.tenant_id)), '-infinity');
     else
       new.related_modified := old.related_modified;
     end if;
     new.member_modified := greatest(new.updated_at, new.contracts_changed_at, new.last_transition);
     new.last_modified := greatest(new.member_modified, new.related_modified);
     return new;
   end $$`,
  `create trigger employees_derive before insert or update on employees
     for each row execute function employees_derive()`,

  // A manager's row change is a change of their reports (they show the manager's name). Row triggers
  // whose WHEN clause skips the rows whose updated_at stayed (touches, lifecycle updates): a statement
  // trigger joining the transition tables was planned as a nested loop, quadratic in bulk updates.
  `create function employees_note_shown_changed() returns trigger language plpgsql as $$
   begin ${touch("where e.tenant_id = new.tenant_id and e.manager_id = new.id")}; return null; end $$`,
  `create trigger employees_shown_changed after update on employees for each row
     when (old.updated_at is distinct from new.updated_at)
     execute function employees_note_shown_changed()`,

  // Departments, establishments (and the legal unit they belong to) and legal units are shown by name.
  `create function departments_note_shown_changed() returns trigger language plpgsql as $$
   begin ${touch("where e.tenant_id = new.tenant_id and e.department_id = new.id")}; return null; end $$`,
  `create trigger departments_shown_changed after update on departments for each row
     when (old.updated_at is distinct from new.updated_at)
     execute function departments_note_shown_changed()`,
  `create function establishments_note_shown_changed() returns trigger language plpgsql as $$
   begin ${touch("where e.tenant_id = new.tenant_id and e.establishment_id = new.id")}; return null; end $$`,
  `create trigger establishments_shown_changed after update on establishments for each row
     when (old.updated_at is distinct from new.updated_at or old.legal_unit_id is distinct from new.legal_unit_id)
     execute function establishments_note_shown_changed()`,
  `create function legal_units_note_shown_changed() returns trigger language plpgsql as $$
   begin
     ${touch(`from establishments x where x.tenant_id = new.tenant_id and x.legal_unit_id = new.id
       and e.tenant_id = x.tenant_id and e.establishment_id = x.id`)};
     return null;
   end $$`,
  `create trigger legal_units_shown_changed after update on legal_units for each row
     when (old.updated_at is distinct from new.updated_at)
     execute function legal_units_note_shown_changed()`,

  // The tenant's zone and futureEmployeesActive change every employee's lifecycle; a settings change
  // (settings_changed_at) is part of every lastModified.
  `create function tenants_note_representation_changed() returns trigger language plpgsql as $$
   begin
     if new.time_zone is distinct from old.time_zone
        or (new.settings -> 'futureEmployeesActive') is distinct from (old.settings -> 'futureEmployeesActive') then
       perform hr_employee_lifecycle(new.id, array(select e.id from employees e where e.tenant_id = new.id), false);
     end if;
     if new.settings_changed_at is distinct from old.settings_changed_at then
       ${touch("where e.tenant_id = new.id")};
     end if;
     return null;
   end $$`,
  `create trigger tenants_representation_changed after update on tenants for each row
     when (old.time_zone is distinct from new.time_zone or old.settings_changed_at is distinct from new.settings_changed_at
           or (old.settings -> 'futureEmployeesActive') is distinct from (new.settings -> 'futureEmployeesActive'))
     execute function tenants_note_representation_changed()`,

  // Contracts: the stamp of migration 003 and the lifecycle, in one update per statement.
  `create function hr_contracts_changed(p_tenants integer[], p_employees integer[]) returns void language plpgsql as $$
   declare r record;
   begin
     for r in select k.tenant_id, array_agg(k.employee_id) as ids
                from unnest(p_tenants, p_employees) as k(tenant_id, employee_id)
               where exists (select 1 from tenants t where t.id = k.tenant_id)
               group by k.tenant_id loop
       perform hr_employee_lifecycle(r.tenant_id, r.ids, true);
     end loop;
   end $$`,
  `create or replace function contracts_note_inserted() returns trigger language plpgsql as $$
   begin perform hr_contracts_changed(array_agg(tenant_id), array_agg(employee_id)) from new_rows; return null; end $$`,
  `create or replace function contracts_note_updated() returns trigger language plpgsql as $$
   begin
     perform hr_contracts_changed(array_agg(x.tenant_id), array_agg(x.employee_id))
       from (select tenant_id, employee_id from old_rows union select tenant_id, employee_id from new_rows) x;
     return null;
   end $$`,
  `create or replace function contracts_note_deleted() returns trigger language plpgsql as $$
   begin perform hr_contracts_changed(array_agg(tenant_id), array_agg(employee_id)) from old_rows; return null; end $$`,

  // The step: moves the tenant's lifecycle date to p_day and recomputes the employees whose stored
  // window does not hold it (forwards at midnight; backwards only when a clock goes back). Once at a
  // time per tenant; a second caller waits, then finds nothing to do.
  `create function hr_refresh_lifecycle(p_tenant integer, p_day date) returns integer language plpgsql set enable_seqscan = off as $$
   declare
     v_at timestamptz;
     v_ids integer[];
   begin
     perform pg_advisory_xact_lock(1751, p_tenant);
     select p_day::timestamp at time zone t.time_zone into v_at from tenants t where t.id = p_tenant;
     if not found then return 0; end if;
     update tenants set lifecycle_date = p_day where id = p_tenant and lifecycle_date is distinct from p_day;
     if found then perform hr_compact_visible_counts(p_tenant); end if;
     v_ids := array(select e.id from employees e where e.tenant_id = p_tenant and e.next_transition <= v_at
                    union all
                    select e.id from employees e where e.tenant_id = p_tenant and e.last_transition > v_at);
     if cardinality(v_ids) = 0 then return 0; end if;
     return hr_employee_lifecycle(p_tenant, v_ids, false);
   end $$`,

  // The read guard: true when every stored lifecycle of the tenant holds on p_day; otherwise raises
  // HRL01 so that the reader refreshes and reads again. Two index probes; stable, so that a statement
  // evaluates it once (a one-time filter) in its own snapshot.
  `create function hr_lifecycle_current(p_tenant integer, p_day date) returns boolean language plpgsql stable set enable_seqscan = off as $$
   declare v_at timestamptz;
   begin
     select p_day::timestamp at time zone t.time_zone into v_at from tenants t where t.id = p_tenant;
     if exists (select 1 from employees e where e.tenant_id = p_tenant and e.next_transition <= v_at)
        or exists (select 1 from employees e where e.tenant_id = p_tenant and e.last_transition > v_at) then
       raise exception 'the stored lifecycle of tenant % does not hold on %', p_tenant, p_day using errcode = 'HRL01';
     end if;
     return true;
   end $$`,

  // What exists already: every row touched (related_modified, lastModified), then each tenant's lifecycle.
  `update employees set related_modified = null`,
  `select hr_employee_lifecycle(t.id, array(select e.id from employees e where e.tenant_id = t.id), false) from tenants t`,
  `alter table employees alter column related_modified set not null, alter column member_modified set not null, alter column last_modified set not null`,

  // Visibility and paging in id order (index-only), delta windows, the step and the read guard, and a
  // group's latest member change (a backward probe per department or establishment).
  `create index employees_visible on employees (tenant_id, id) include (visible_from)`,
  `create index employees_last_modified on employees (tenant_id, last_modified)`,
  `create index employees_next_transition on employees (tenant_id, next_transition) where next_transition is not null`,
  `create index employees_last_transition on employees (tenant_id, last_transition) where last_transition is not null`,
  `create index employees_department_modified on employees (tenant_id, department_id, member_modified) include (visible_from)`,
  `create index employees_establishment_modified on employees (tenant_id, establishment_id, member_modified) include (visible_from)`,
  // userName eq for tenants whose userName is the work email (hr/people.ts user_name).
  `create index employees_user_name_email_ci on employees (tenant_id, lower(coalesce(work_email, login)))`,
  `drop index employees_department`,
  `drop index employees_establishment`,
];

// Migration 003's contract stamps, put back by down().
const stamp003 = (rows: string) => `
  update employees e set contracts_changed_at = now()
    from (select distinct tenant_id, employee_id from ${rows}) x
   where e.tenant_id = x.tenant_id and e.id = x.employee_id
     and (e.contracts_changed_at is null or e.contracts_changed_at < now())`;

export async function up(knex: Knex): Promise<void> {
  for (const sql of statements) await knex.raw(sql);
}

export async function down(knex: Knex): Promise<void> {
  for (const sql of [
    `drop index if exists employees_user_name_email_ci`,
    `create index employees_department on employees (tenant_id, department_id)`,
    `create index employees_establishment on employees (tenant_id, establishment_id)`,
    `create or replace function contracts_note_inserted() returns trigger language plpgsql as $$
     begin ${stamp003("new_rows")}; return null; end $$`,
    `create or replace function contracts_note_updated() returns trigger language plpgsql as $$
     begin ${stamp003("(select tenant_id, employee_id from old_rows union select tenant_id, employee_id from new_rows) as both_rows")}; return null; end $$`,
    `create or replace function contracts_note_deleted() returns trigger language plpgsql as $$
     begin ${stamp003("old_rows")}; return null; end $$`,
    `drop trigger if exists tenants_representation_changed on tenants`,
    `drop trigger if exists legal_units_shown_changed on legal_units`,
    `drop trigger if exists establishments_shown_changed on establishments`,
    `drop trigger if exists departments_shown_changed on departments`,
    `drop trigger if exists employees_shown_changed on employees`,
    `drop trigger if exists employees_derive on employees`,
    `drop function if exists hr_lifecycle_current(integer, date)`,
    `drop function if exists hr_refresh_lifecycle(integer, date)`,
    `drop function if exists hr_contracts_changed(integer[], integer[])`,
    `drop function if exists tenants_note_representation_changed()`,
    `drop function if exists legal_units_note_shown_changed()`,
    `drop function if exists establishments_note_shown_changed()`,
    `drop function if exists departments_note_shown_changed()`,
    `drop function if exists employees_note_shown_changed()`,
    `drop function if exists employees_derive()`,
    `drop function if exists hr_employee_lifecycle(integer, integer[], boolean)`,
    `drop trigger if exists employees_deleted on employees`,
    `drop function if exists employees_note_deleted()`,
    `drop function if exists hr_compact_visible_counts(integer)`,
    `drop table if exists visible_employee_counts`,
    `alter table employees drop column visible_from, drop column active, drop column contract_start, drop column contract_end,
       drop column last_transition, drop column next_transition, drop column related_modified, drop column member_modified, drop column last_modified`,
    `alter table tenants drop column lifecycle_date`,
  ]) await knex.raw(sql);
}

// Each department's and establishment's visible member count, stored and kept true on every HR
// write whoever writes (as visible_employee_counts, migration 20261130_005): insert-only per-date
// deltas (tenant, kind, HR id, first-contract date, members) that a read sums up to the token's
// last visible date (hr/group-member-counts.ts), so that a /Groups page knows each group's size
// before it reads members. Legal units and countries are not stored: their count is the sum over
// their establishments at read time, so an establishment moving to another legal unit needs nothing.
// Statement triggers over the transition tables, with no join between old and new rows (planned as
// a nested loop, quadratic in bulk updates): -1 per old row and +1 per new row, summed per key, only
// the keys whose sum moved written. visible_from is written by hr_employee_lifecycle (an UPDATE), so
// the update trigger sees every contract change. hr_compact_visible_counts (the midnight step and the
// compaction job) sums these deltas too. One statement per raw call (PGlite).
import type { Knex } from "knex";

/** The memberships that count in a set of employee rows: one per department and one per establishment, of rows with a contract. */
const memberships = (rows: string, n: string) => `
  select r.tenant_id, 'department' as org_kind, r.department_id as org_id, r.visible_from, ${n} as n
    from ${rows} r where r.visible_from is not null and r.department_id is not null
  union all
  select r.tenant_id, 'establishment', r.establishment_id, r.visible_from, ${n}
    from ${rows} r where r.visible_from is not null and r.establishment_id is not null`;

/** Appends the deltas of `source` (tenant_id, org_kind, org_id, visible_from, n), one row per key that moved; none for a tenant being deleted. */
const appendDeltas = (source: string) => `
  insert into group_member_counts (tenant_id, org_kind, org_id, visible_from, members)
  select d.tenant_id, d.org_kind, d.org_id, d.visible_from, sum(d.n)
    from (${source}) d
   group by d.tenant_id, d.org_kind, d.org_id, d.visible_from
  having sum(d.n) <> 0 and exists (select 1 from tenants t where t.id = d.tenant_id)`;

const trigger = (name: string, event: string, referencing: string, source: string) => [
  `create function employees_count_members_${name}() returns trigger language plpgsql as $$
   begin ${appendDeltas(source)}; return null; end $$`,
  `create trigger employees_count_members_${name} after ${event} on employees
     referencing ${referencing} for each statement execute function employees_count_members_${name}()`,
];

/** Sums a tenant's deltas of both stored counts, one row per key (each in one statement: concurrent writers' rows, not yet visible to it, stay). */
const compactBoth = `create or replace function hr_compact_visible_counts(p_tenant integer) returns void language sql as $$
   with deltas as (delete from visible_employee_counts where tenant_id = p_tenant returning visible_from, employees)
   insert into visible_employee_counts (tenant_id, visible_from, employees)
   select p_tenant, visible_from, sum(employees) from deltas group by visible_from having sum(employees) <> 0;
   with deltas as (delete from group_member_counts where tenant_id = p_tenant returning org_kind, org_id, visible_from, members)
   insert into group_member_counts (tenant_id, org_kind, org_id, visible_from, members)
   select p_tenant, org_kind, org_id, visible_from, sum(members) from deltas group by org_kind, org_id, visible_from having sum(members) <> 0
 $$`;

const compactVisibleOnly = `create or replace function hr_compact_visible_counts(p_tenant integer) returns void language sql as $$
   with deltas as (delete from visible_employee_counts where tenant_id = p_tenant returning visible_from, employees)
   insert into visible_employee_counts (tenant_id, visible_from, employees)
   select p_tenant, visible_from, sum(employees) from deltas group by visible_from having sum(employees) <> 0
 $$`;

const statements = [
  `create table group_member_counts (
     tenant_id integer not null references tenants (id) on delete cascade,
     org_kind text not null check (org_kind in ('department', 'establishment')),
     org_id integer not null,
     visible_from date not null,
     members integer not null
   )`,
  // A group's count: a range of its dates up to the token's last visible one, read from the index alone.
  `create index group_member_counts_org on group_member_counts (tenant_id, org_kind, org_id, visible_from) include (members)`,
  // New rows have no visible_from yet (employees_derive), so inserts add nothing today; counted all the same,
  // so that the rule holds whatever the row derivation becomes.
  ...trigger("inserted", "insert", "new table as new_rows", memberships("new_rows", "1")),
  ...trigger("updated", "update", "old table as old_rows new table as new_rows",
    `${memberships("old_rows", "-1")} union all ${memberships("new_rows", "1")}`),
  ...trigger("deleted", "delete", "old table as old_rows", memberships("old_rows", "-1")),
  compactBoth,
  // A truncate would leave every tenant's groups counting members they no longer have (the HR tables refuse it, 20261205_001).
  `create trigger group_member_counts_refuse_truncate before truncate on group_member_counts for each statement execute function hr_refuse_truncate()`,
  // What exists already, one row per key.
  appendDeltas(memberships("employees", "1")),
];

export async function up(knex: Knex): Promise<void> {
  for (const sql of statements) await knex.raw(sql);
}

export async function down(knex: Knex): Promise<void> {
  for (const sql of [
    compactVisibleOnly,
    ...["inserted", "updated", "deleted"].flatMap((name) => [
      `drop trigger if exists employees_count_members_${name} on employees`,
      `drop function if exists employees_count_members_${name}()`,
    ]),
    `drop table if exists group_member_counts`,
  ]) await knex.raw(sql);
}

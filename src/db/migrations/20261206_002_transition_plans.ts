// The statement triggers that join a statement's old and new rows (migration 20261123_002: members
// leaving a department, establishment, legal unit or country) run their query with EXECUTE, planned
// at each run with the transition tables' real sizes. As static PL/pgSQL queries their plan was made
// once per transaction, at the first run: when a transaction's first update of employees touched a
// few rows (or none), every later bulk update in it joined old and new rows by a nested loop,
// quadratic: 26 s instead of 9 s for a 20,000-row import. Same queries, same results. One statement
// per raw call (PGlite).
import type { Knex } from "knex";

interface TriggerQuery { fn: string; query: string }

const QUERIES: TriggerQuery[] = [
  {
    fn: "employees_note_members_moved",
    query: `select hr_note_members_left(
       array_agg(o.tenant_id),
       array_agg(case when n.department_id is distinct from o.department_id then o.department_id end),
       array_agg(case when n.establishment_id is distinct from o.establishment_id then o.establishment_id end),
       array_agg(case when n.updated_at > o.updated_at then n.updated_at else now() end))
     from old_rows o join new_rows n on n.tenant_id = o.tenant_id and n.id = o.id
     where n.department_id is distinct from o.department_id or n.establishment_id is distinct from o.establishment_id`,
  },
  {
    fn: "contracts_note_members_started_later",
    query: `select hr_note_members_left(array_agg(e.tenant_id), array_agg(e.department_id), array_agg(e.establishment_id), array_agg(now()))
     from employees e
     where (e.tenant_id, e.id) in (
       select o.tenant_id, o.employee_id from old_rows o join new_rows n on n.tenant_id = o.tenant_id and n.id = o.id
        where n.start_date > o.start_date or n.employee_id <> o.employee_id)`,
  },
  {
    fn: "establishments_note_members_moved",
    query: `insert into group_changes (tenant_id, kind, org_key, at)
     select m.tenant_id, k.kind, k.org_key, max(m.at)
       from (select o.tenant_id, unnest(array[o.legal_unit_id, n.legal_unit_id]) as legal_unit_id,
                    case when n.updated_at > o.updated_at then n.updated_at else now() end as at
               from old_rows o join new_rows n on n.tenant_id = o.tenant_id and n.id = o.id
              where n.legal_unit_id <> o.legal_unit_id) m
       join legal_units lu on lu.tenant_id = m.tenant_id and lu.id = m.legal_unit_id
       cross join lateral (values ('legal_unit', lu.id::text), ('country', lu.country_code::text)) as k(kind, org_key)
      group by m.tenant_id, k.kind, k.org_key`,
  },
  {
    fn: "legal_units_note_members_moved",
    query: `insert into group_changes (tenant_id, kind, org_key, at)
     select m.tenant_id, 'country', m.country_code, max(m.at)
       from (select o.tenant_id, unnest(array[o.country_code::text, n.country_code::text]) as country_code,
                    case when n.updated_at > o.updated_at then n.updated_at else now() end as at
               from old_rows o join new_rows n on n.tenant_id = o.tenant_id and n.id = o.id
              where n.country_code <> o.country_code) m
      group by m.tenant_id, m.country_code`,
  },
];

/** The function running `query` as migration 002 had it (static: `perform` for a select). */
const staticBody = ({ fn, query }: TriggerQuery) => `create or replace function ${fn}() returns trigger language plpgsql as $$
   begin
     ${query.replace(/^select /, "perform ")};
     return null;
   end $$`;

const executedBody = ({ fn, query }: TriggerQuery) => `create or replace function ${fn}() returns trigger language plpgsql as $$
   begin
     execute $q$${query}$q$;
     return null;
   end $$`;

export async function up(knex: Knex): Promise<void> {
  for (const q of QUERIES) await knex.raw(executedBody(q));
}

export async function down(knex: Knex): Promise<void> {
  for (const q of QUERIES) await knex.raw(staticBody(q));
}

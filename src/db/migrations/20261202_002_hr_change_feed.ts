// The HR change feed (issue 11): every change of an employee (its row or its contracts), department,
// establishment or legal unit, by any writer (the HR write path, write-back, hand-written SQL),
// appends to hr_changes through triggers: tenant, entity, key (the HR system's: employee number or
// org key), created/updated/deleted, the changed fields with before and after, who and when.
//
// Ordering guarantee: each tenant has one counter row (hr_change_counters). A transaction takes
// its sequence numbers from that row, whose lock it then holds until it commits or aborts, so the
// transactions of one tenant that record changes commit in the order of their numbers. A reader
// following `seq > cursor` can therefore never see a later number before an earlier one: nothing
// still in flight can take a number below what is visible. Tenants do not share counters, so one
// tenant's long import never holds back another tenant's feed (nor its writers).
//
// Within one transaction, changes to the same record merge into its first change row (an employee
// created then given contracts and a manager is one `created`), identified by the transaction id.
// Who and when: the transaction-local settings hr.actor (token:<id>, cli:<operator>, seed) and
// hr.now (the writer's clock), else the database user and now(). hr.erasing suppresses recording
// while an erasure rewrites personal data (the erasure records itself, without values).
// Retention: tenants.hr_change_retention_days (default 400). One statement per raw call (PGlite).
import type { Knex } from "knex";

const EMPLOYEE_FIELDS = `jsonb_strip_nulls(jsonb_build_object(
    'employeeNumber', e.employee_number, 'login', e.login, 'firstName', e.first_name, 'lastName', e.last_name,
    'workEmail', e.work_email, 'workPhone', e.work_phone, 'mobilePhone', e.mobile_phone, 'jobTitle', e.job_title,
    'preferredLanguage', e.preferred_language, 'costCenter', e.cost_center, 'externalId', e.external_id,
    'departmentKey', (select d.key from departments d where d.tenant_id = e.tenant_id and d.id = e.department_id),
    'establishmentKey', (select s.key from establishments s where s.tenant_id = e.tenant_id and s.id = e.establishment_id),
    'managerEmployeeNumber', (select m.employee_number from employees m where m.tenant_id = e.tenant_id and m.id = e.manager_id),
    'extendedData', nullif(e.extended_data, '{}'::jsonb)))`;

const DEPARTMENT_FIELDS = `jsonb_strip_nulls(jsonb_build_object('key', e.key, 'name', e.name,
    'parentKey', (select p.key from departments p where p.tenant_id = e.tenant_id and p.id = e.parent_id)))`;
const ESTABLISHMENT_FIELDS = `jsonb_strip_nulls(jsonb_build_object('key', e.key, 'name', e.name,
    'legalUnitKey', (select l.key from legal_units l where l.tenant_id = e.tenant_id and l.id = e.legal_unit_id),
    'street', e.street, 'postalCode', e.postal_code, 'city', e.city, 'countryCode', e.country_code))`;
const LEGAL_UNIT_FIELDS = `jsonb_strip_nulls(jsonb_build_object('key', e.key, 'name', e.name, 'countryCode', e.country_code))`;

interface Entity { table: string; entity: string; key: string; fields: string; watched: string }

const ENTITIES: Entity[] = [
  {
    table: "employees", entity: "employee", key: "employee_number", fields: EMPLOYEE_FIELDS,
    watched: "employee_number, login, first_name, last_name, work_email, work_phone, mobile_phone, job_title, preferred_language, cost_center, external_id, department_id, establishment_id, manager_id, extended_data",
  },
  { table: "departments", entity: "department", key: "key", fields: DEPARTMENT_FIELDS, watched: "key, name, parent_id" },
  { table: "establishments", entity: "establishment", key: "key", fields: ESTABLISHMENT_FIELDS, watched: "key, name, legal_unit_id, street, postal_code, city, country_code" },
  { table: "legal_units", entity: "legalUnit", key: "key", fields: LEGAL_UNIT_FIELDS, watched: "key, name, country_code" },
];

const statements = [
  `alter table tenants add column hr_change_retention_days integer not null default 400 check (hr_change_retention_days > 0)`,
  `create table hr_change_counters (
     tenant_id integer primary key references tenants (id) on delete cascade,
     last_seq bigint not null
   )`,
  `create table hr_changes (
     tenant_id integer not null references tenants (id) on delete cascade,
     seq bigint not null,
     entity text not null,
     key text not null,
     operation text not null,
     fields jsonb not null,
     actor text not null,
     at timestamptz not null,
     xact xid8 not null default pg_current_xact_id(),
     primary key (tenant_id, seq)
   )`,
  `create index hr_changes_at on hr_changes (tenant_id, at)`,
  `create index hr_changes_record on hr_changes (tenant_id, entity, key, seq)`,
  // The merge looks only at the rows of its own transaction.
  `create index hr_changes_xact on hr_changes (xact)`,

  // Takes the tenant's counter row (held until commit): writers that change several tables take
  // it first, so that they and the triggers always lock in the same order.
  `create function hr_feed_lock(p_tenant integer) returns void language plpgsql as $$
   begin
     insert into hr_change_counters (tenant_id, last_seq) values (p_tenant, 0) on conflict (tenant_id) do nothing;
     perform 1 from hr_change_counters where tenant_id = p_tenant for update;
   end $$`,
  `create function hr_feed_actor() returns text language sql stable as $$
     select coalesce(nullif(current_setting('hr.actor', true), ''), 'sql:' || session_user)
   $$`,
  `create function hr_feed_now() returns timestamptz language sql stable as $$
     select coalesce(nullif(current_setting('hr.now', true), '')::timestamptz, now())
   $$`,
  `create function hr_feed_paused() returns boolean language sql stable as $$
     select coalesce(current_setting('hr.erasing', true), '') = 'on'
   $$`,
  // The fields that differ between two field sets, as {field: {before, after}}.
  `create function hr_fields_diff(a jsonb, b jsonb) returns jsonb language sql immutable as $$
     select coalesce(jsonb_object_agg(k, jsonb_build_object('before', a -> k, 'after', b -> k)), '{}'::jsonb)
       from (select jsonb_object_keys(coalesce(a, '{}'::jsonb)) as k union select jsonb_object_keys(coalesce(b, '{}'::jsonb))) keys
      where (a -> k) is distinct from (b -> k)
   $$`,
  // Merges a change into the same record's earlier change of this transaction: before from the
  // first, after from the latest; a field back to its first value drops.
  `create function hr_merge_fields(p_prior jsonb, p_next jsonb) returns jsonb language sql immutable as $$
     select coalesce(jsonb_object_agg(k, v), '{}'::jsonb) from (
       select k, jsonb_build_object(
                'before', case when jsonb_exists(p_prior, k) then p_prior -> k -> 'before' else p_next -> k -> 'before' end,
                'after', case when jsonb_exists(p_next, k) then p_next -> k -> 'after' else p_prior -> k -> 'after' end) as v
         from (select jsonb_object_keys(p_prior) as k union select jsonb_object_keys(p_next)) keys) m
      where (v -> 'before') is distinct from (v -> 'after')
   $$`,
  `create function hr_merge_operation(p_prior text, p_next text) returns text language sql immutable as $$
     select case
       when p_prior = 'created' and p_next = 'deleted' then 'vanished'
       when p_prior = 'created' then 'created'
       when p_next = 'deleted' then 'deleted'
       when p_prior = 'deleted' and p_next = 'created' then 'updated'
       else p_next end
   $$`,
  // Records a statement's changes, given as a JSON array of {tenant_id, entity, key, operation,
  // fields}: set-based, one counter update per tenant and statement, so bulk loads append in one go.
  // A record changed earlier in this transaction has its change row merged instead.
  `create function hr_feed_record(p_changes jsonb) returns void language plpgsql set enable_nestloop = off as $$
   declare
     v_tenant integer;
     v_base bigint;
     v_count bigint;
     v_xact xid8 := pg_current_xact_id();
   begin
     if p_changes is null or jsonb_array_length(p_changes) = 0 or hr_feed_paused() then return; end if;
     for v_tenant in select distinct (c ->> 'tenant_id')::integer from jsonb_array_elements(p_changes) c loop
       continue when not exists (select 1 from tenants t where t.id = v_tenant);
       insert into hr_change_counters (tenant_id, last_seq) values (v_tenant, 0) on conflict (tenant_id) do nothing;
       select last_seq into v_base from hr_change_counters where tenant_id = v_tenant for update;
       insert into hr_changes (tenant_id, seq, entity, key, operation, fields, actor, at)
       select v_tenant, v_base + row_number() over (order by c.ord), c.entity, c.key, c.operation, c.fields, hr_feed_actor(), hr_feed_now()
         from rows from (jsonb_to_recordset(p_changes) as (tenant_id integer, entity text, key text, operation text, fields jsonb)) with ordinality as c(tenant_id, entity, key, operation, fields, ord)
        where c.tenant_id = v_tenant and not (c.operation = 'updated' and c.fields = '{}'::jsonb)
          and not exists (select 1 from hr_changes h where h.tenant_id = v_tenant and h.entity = c.entity and h.key = c.key and h.xact = v_xact);
       get diagnostics v_count = row_count;
       if v_count > 0 then update hr_change_counters set last_seq = v_base + v_count where tenant_id = v_tenant; end if;
       update hr_changes h set fields = hr_merge_fields(h.fields, c.fields), operation = hr_merge_operation(h.operation, c.operation), at = hr_feed_now()
         from jsonb_to_recordset(p_changes) as c(tenant_id integer, entity text, key text, operation text, fields jsonb)
        where c.tenant_id = v_tenant and h.tenant_id = v_tenant and h.entity = c.entity and h.key = c.key and h.xact = v_xact and h.seq <= v_base;
       delete from hr_changes h
        where h.tenant_id = v_tenant and h.xact = v_xact and h.seq <= v_base
          and (h.operation = 'vanished' or (h.operation = 'updated' and h.fields = '{}'::jsonb));
     end loop;
   end $$`,

  ...ENTITIES.flatMap(({ table, entity, key, fields, watched }) => [
    `create function ${table}_feed_inserted() returns trigger language plpgsql as $$
     begin
       perform hr_feed_record((select jsonb_agg(jsonb_build_object('tenant_id', e.tenant_id, 'entity', '${entity}', 'key', e.${key},
                 'operation', 'created', 'fields', hr_fields_diff('{}'::jsonb, ${fields})) order by e.id) from new_rows e));
       return null;
     end $$`,
    `create trigger ${table}_feed_inserted after insert on ${table}
       referencing new table as new_rows for each statement execute function ${table}_feed_inserted()`,
    // Only statements that set a column HR owns (not the lifecycle columns, nor touches); a hash
    // join of the transition tables (a nested loop over them is quadratic in bulk updates).
    `create function ${table}_feed_updated() returns trigger language plpgsql set enable_nestloop = off as $$
     begin
       perform hr_feed_record((
         select jsonb_agg(jsonb_build_object('tenant_id', n.tenant_id, 'entity', '${entity}', 'key', n.${key},
                  'operation', 'updated', 'fields', hr_fields_diff(b.fields, a.fields)) order by n.id)
           from old_rows o join new_rows n on n.tenant_id = o.tenant_id and n.id = o.id
           cross join lateral (select ${fields} as fields from (select o.*) e) b
           cross join lateral (select ${fields} as fields from (select n.*) e) a
          where (${watched.split(",").map((c) => `o.${c.trim()}`).join(", ")}) is distinct from (${watched.split(",").map((c) => `n.${c.trim()}`).join(", ")})));
       return null;
     end $$`,
    `create trigger ${table}_feed_updated after update on ${table}
       referencing old table as old_rows new table as new_rows for each statement execute function ${table}_feed_updated()`,
    `create function ${table}_feed_deleted() returns trigger language plpgsql as $$
     begin
       perform hr_feed_record((select jsonb_agg(jsonb_build_object('tenant_id', e.tenant_id, 'entity', '${entity}', 'key', e.${key},
                 'operation', 'deleted', 'fields', hr_fields_diff(${fields}, '{}'::jsonb)) order by e.id) from old_rows e));
       return null;
     end $$`,
    `create trigger ${table}_feed_deleted after delete on ${table}
       referencing old table as old_rows for each statement execute function ${table}_feed_deleted()`,
  ]),

  // Contracts are part of their employee: one `contracts` field, the list before and after the
  // statement ({start, end} in start order), for each employee whose list the statement changed.
  `create function hr_contract_json(p_start date, p_end date) returns jsonb language sql immutable as $$
     select jsonb_build_object('start', p_start, 'end', p_end)
   $$`,
  // The list before the statement, without joining the transition tables (planned as nested loops
  // over unindexed rows, quadratic in bulk loads): the employees' contracts now (+1), minus the
  // statement's new rows (-1), plus its old rows (+1), summed per contract version; one aggregation
  // then gives both lists per employee.
  ...(["inserted", "updated", "deleted"] as const).map((kind) => {
    const none = "(select * from contracts where false)";
    const oldRows = kind === "inserted" ? none : "old_rows";
    const newRows = kind === "deleted" ? none : "new_rows";
    return `create function contracts_feed_${kind}() returns trigger language plpgsql as $$
     begin
       perform hr_feed_record((
         with touched as (select distinct tenant_id, employee_id from (select tenant_id, employee_id from ${oldRows} x
                            union all select tenant_id, employee_id from ${newRows} y) z),
              now_rows as (
                select c.tenant_id, c.employee_id, c.id, c.start_date, c.end_date
                  from touched t join contracts c on c.tenant_id = t.tenant_id and c.employee_id = t.employee_id),
              versions as (
                select tenant_id, employee_id, id, start_date, end_date, sum(w) as w from (
                  select tenant_id, employee_id, id, start_date, end_date, 1 as w from now_rows
                  union all select tenant_id, employee_id, id, start_date, end_date, -1 from ${newRows} n
                  union all select tenant_id, employee_id, id, start_date, end_date, 1 from ${oldRows} o) v
                 group by tenant_id, employee_id, id, start_date, end_date),
              lists as (
                select tenant_id, employee_id,
                       coalesce(jsonb_agg(hr_contract_json(start_date, end_date) order by start_date, end_date nulls last) filter (where side = 'b'), '[]'::jsonb) as before,
                       coalesce(jsonb_agg(hr_contract_json(start_date, end_date) order by start_date, end_date nulls last) filter (where side = 'a'), '[]'::jsonb) as after
                  from (select tenant_id, employee_id, start_date, end_date, 'b' as side from versions where w > 0
                        union all select tenant_id, employee_id, start_date, end_date, 'a' from now_rows) s
                 group by tenant_id, employee_id)
         select jsonb_agg(jsonb_build_object('tenant_id', l.tenant_id, 'entity', 'employee', 'key', e.employee_number, 'operation', 'updated',
                  'fields', hr_fields_diff(jsonb_build_object('contracts', l.before), jsonb_build_object('contracts', l.after))))
           from lists l join employees e on e.tenant_id = l.tenant_id and e.id = l.employee_id
          where l.before is distinct from l.after));
       return null;
     end $$`;
  }),
  `create trigger contracts_feed_inserted after insert on contracts
     referencing new table as new_rows for each statement execute function contracts_feed_inserted()`,
  `create trigger contracts_feed_updated after update on contracts
     referencing old table as old_rows new table as new_rows for each statement execute function contracts_feed_updated()`,
  `create trigger contracts_feed_deleted after delete on contracts
     referencing old table as old_rows for each statement execute function contracts_feed_deleted()`,
];

export async function up(knex: Knex): Promise<void> {
  for (const sql of statements) await knex.raw(sql);
}

export async function down(knex: Knex): Promise<void> {
  for (const kind of ["inserted", "updated", "deleted"]) {
    await knex.raw(`drop trigger if exists contracts_feed_${kind} on contracts`);
    await knex.raw(`drop function if exists contracts_feed_${kind}()`);
    for (const { table } of ENTITIES) {
      await knex.raw(`drop trigger if exists ${table}_feed_${kind} on ${table}`);
      await knex.raw(`drop function if exists ${table}_feed_${kind}()`);
    }
  }
  for (const sql of [
    `drop function if exists hr_contract_json(date, date)`,
    `drop function if exists hr_feed_record(jsonb)`,
    `drop function if exists hr_merge_operation(text, text)`,
    `drop function if exists hr_merge_fields(jsonb, jsonb)`,
    `drop function if exists hr_fields_diff(jsonb, jsonb)`,
    `drop function if exists hr_feed_paused()`,
    `drop function if exists hr_feed_now()`,
    `drop function if exists hr_feed_actor()`,
    `drop function if exists hr_feed_lock(integer)`,
    `drop table if exists hr_changes`,
    `drop table if exists hr_change_counters`,
    `alter table tenants drop column if exists hr_change_retention_days`,
  ]) await knex.raw(sql);
}

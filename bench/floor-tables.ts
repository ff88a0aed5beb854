// The floor's flat tables (bench/floor-server.ts), in a schema of their own: the tenant's visible
// employees as one row each (the columns a User shows, joined once, stored), its groups, and one
// row per membership. On PostgreSQL they live in the benchmark's database; on PGlite, whose
// directory the hr-scim server holds alone, they are copied into a PGlite directory of the floor's.
import type { Knex } from "knex";

const DDL = (schema: string) => [
  `create schema ${schema}`,
  `create table ${schema}.users (
     id integer primary key, user_name text not null, external_id text, given_name text, family_name text,
     email text, phone text, title text, department text, establishment text, manager_id integer,
     active boolean not null, created timestamptz not null, last_modified timestamptz not null)`,
  `create table ${schema}.groups (id text primary key, display text not null, type text not null, last_modified timestamptz not null)`,
  `create table ${schema}.members (group_id text not null, user_id integer not null, display text not null, primary key (group_id, user_id))`,
];

const INDEXES = (schema: string) => [
  `create index on ${schema}.users (user_name)`,
  `create index on ${schema}.users (last_modified, id)`,
];

/** The rows, selected from the tenant's HR tables (run on the hr-scim store). */
const FILL = (schema: string) => [
  `insert into ${schema}.users
   select e.id, e.login, e.employee_number, e.first_name, e.last_name, e.work_email, e.work_phone, e.job_title,
          d.name, s.name, e.manager_id, e.active, e.created_at, e.last_modified
     from employees e
     left join departments d on d.tenant_id = e.tenant_id and d.id = e.department_id
     left join establishments s on s.tenant_id = e.tenant_id and s.id = e.establishment_id
    where e.tenant_id = :tenant and e.visible_from <= current_date`,
  `insert into ${schema}.groups
   select 'LUCCA_DEPT-' || id, name, 'LUCCA_DEPT', updated_at from departments where tenant_id = :tenant
   union all select 'LUCCA_ETS-' || id, name, 'LUCCA_ETS', updated_at from establishments where tenant_id = :tenant
   union all select 'LUCCA_LU-' || id, name, 'LUCCA_LU', updated_at from legal_units where tenant_id = :tenant
   union all select 'LUCCA_COUNTRY-' || country_code, country_code, 'LUCCA_COUNTRY', max(updated_at) from legal_units where tenant_id = :tenant group by country_code`,
  `insert into ${schema}.members
   select g.group_id, u.id, u.given_name || ' ' || u.family_name
     from ${schema}.users u
     join employees e on e.tenant_id = :tenant and e.id = u.id
     join establishments s on s.tenant_id = e.tenant_id and s.id = e.establishment_id
     join legal_units l on l.tenant_id = s.tenant_id and l.id = s.legal_unit_id
     cross join lateral (values ('LUCCA_DEPT-' || e.department_id), ('LUCCA_ETS-' || e.establishment_id),
                                ('LUCCA_LU-' || l.id), ('LUCCA_COUNTRY-' || l.country_code)) g(group_id)
    where g.group_id is not null`,
];

const TABLES = [
  { name: "users", key: "id" },
  { name: "groups", key: "id" },
  { name: "members", key: "group_id, user_id" },
] as const;

export function floorSchemaName(tenantId: number): string {
  return `bench_floor_${tenantId}`;
}

async function runAll(db: Knex, statements: string[], tenantId: number): Promise<void> {
  for (const sql of statements) await db.raw(sql, { tenant: tenantId });
}

/** Builds the floor's tables for the tenant in `source`, or copies them into `target` when given (PGlite). */
export async function buildFloorTables(source: Knex, tenantId: number, schema: string, target?: Knex): Promise<{ users: number; memberships: number }> {
  await runAll(source, DDL(schema), tenantId);
  await runAll(source, FILL(schema), tenantId);
  if (target) {
    await runAll(target, DDL(schema), tenantId);
    for (const table of TABLES) {
      // Keyset batches: the store is read 5,000 rows at a time.
      const keys = table.key.split(", ");
      let last: Knex.Value[] | null = null;
      for (;;) {
        const where = last ? `where (${table.key}) > (${keys.map(() => "?").join(", ")})` : "";
        const rows: Record<string, unknown>[] = (await source.raw(`select * from ${schema}.${table.name} ${where} order by ${table.key} limit 5000`, last ?? [])).rows;
        if (rows.length === 0) break;
        await target.batchInsert(`${schema}.${table.name}`, rows, 1000);
        last = keys.map((k) => rows[rows.length - 1][k] as Knex.Value);
      }
    }
    await dropFloorTables(source, schema);
  }
  const store = target ?? source;
  await runAll(store, INDEXES(schema), tenantId);
  for (const table of TABLES) await store.raw(`vacuum analyze ${schema}.${table.name}`);
  const [users] = (await store.raw(`select count(*)::int as n from ${schema}.users`)).rows;
  const [memberships] = (await store.raw(`select count(*)::int as n from ${schema}.members`)).rows;
  return { users: users.n, memberships: memberships.n };
}

export async function dropFloorTables(db: Knex, schema: string): Promise<void> {
  await db.raw(`drop schema if exists ${schema} cascade`);
}

/** The floor's side of "1% of employees changed": the same rows' title and last_modified. */
export async function touchFloorUsers(db: Knex, schema: string, ids: number[]): Promise<void> {
  await db.raw(`update ${schema}.users set title = title || ' (changed)', last_modified = now() where id = any(?)`, [ids]);
}

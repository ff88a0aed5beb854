// What a fuzz case may not change, read in one query before and after each case: a fingerprint of
// every employee row of the fuzz tenants (and of the demo users cases target), of their contracts,
// and the number of integration-log rows with a diff (the audit rows of accepted writes). The
// fingerprint leaves out what triggers derive from other rows (a manager's write moves the
// lastModified of the people it manages, whose manager.displayName changed): HR data only.
import type { Knex } from "knex";
import type { FuzzWorld } from "./world.js";

export interface Snapshot {
  /** "<tenant id>:<employee id>" -> md5 of the row. */
  employees: Map<string, string>;
  contracts: string;
  writes: number;
}

/** Columns the lifecycle triggers derive (migration 20261130_005), as a SQL text array. */
const DERIVED = "array['related_modified', 'member_modified', 'last_modified', 'contracts_changed_at']";

export async function takeSnapshot(db: Knex, world: FuzzWorld): Promise<Snapshot> {
  const tenants = world.tenants.map((t) => t.id);
  const inTenants = tenants.map(() => "?").join(", ");
  const demoIds = world.demoUserIds.map(Number);
  const { rows } = (await db.raw(
    `select
       (select coalesce(json_agg(json_build_array(e.tenant_id, e.id, md5((to_jsonb(e) - ${DERIVED})::text)) order by e.tenant_id, e.id), '[]'::json)
          from employees e where e.tenant_id in (${inTenants}) or (e.tenant_id = ? and e.id in (${demoIds.map(() => "?").join(", ")}))) as employees,
       (select md5(coalesce(string_agg(c::text, ',' order by c.tenant_id, c.id), '')) from contracts c where c.tenant_id in (${inTenants})) as contracts,
       (select count(*) from integration_log l where l.tenant_id in (${inTenants}) and l.diff is not null) as writes`,
    [...tenants, world.demo.id, ...demoIds, ...tenants, ...tenants],
  )) as { rows: { employees: [number, number, string][] | string; contracts: string; writes: unknown }[] };
  const row = rows[0];
  const employees = typeof row.employees === "string" ? JSON.parse(row.employees) : row.employees;
  return {
    employees: new Map(employees.map(([tenant, id, hash]: [number, number, string]) => [`${tenant}:${id}`, hash])),
    contracts: row.contracts,
    writes: Number(row.writes),
  };
}

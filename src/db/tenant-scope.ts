// forTenant: the only way to start a query on a tenant-owned table, so that no query forgets tenant_id.
import type { Knex } from "knex";

export function forTenant(db: Knex, table: string, alias: string, tenantId: number): Knex.QueryBuilder {
  return db({ [alias]: table }).where(`${alias}.tenant_id`, tenantId);
}

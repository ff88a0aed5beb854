// Admin keys and people for admin API and console tests.
import crypto from "node:crypto";
import type { Knex } from "knex";
import { createAdminKey } from "../../src/admin/admin-keys.js";
import type { AdminRole } from "../../src/admin/roles.js";
import { recordSecret } from "./test-run.js";

export async function issueTestAdminKey(db: Knex, input: { roles: AdminRole[]; tenantId?: number | null; now: Date; name?: string }): Promise<{ key: string; id: string }> {
  const { key, record } = await createAdminKey(db, {
    name: input.name ?? `admin-${crypto.randomUUID().slice(0, 8)}`, roles: input.roles, tenantId: input.tenantId ?? null, actor: "test", now: input.now,
  });
  recordSecret(key);
  return { key, id: record.id };
}

/** An employee with one contract from `start` (a future start makes a future employee). */
export async function addEmployee(db: Knex, tenantId: number, mark: string, start: string): Promise<string> {
  const [row] = await db("employees").insert({
    tenant_id: tenantId, login: `login.${mark}`, first_name: `First${mark}`, last_name: `Last${mark}`, work_email: `${mark}@example.test`,
  }).returning("id");
  await db("contracts").insert({ tenant_id: tenantId, employee_id: row.id, start_date: start });
  return String(row.id);
}

export const adminBearer = (key: string) => ({ Authorization: `Bearer ${key}` });

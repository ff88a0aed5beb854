// Regression: `ne` and `not` followed SQL's null logic, so they dropped every resource that has no
// value for the attribute: `externalId ne "x"` and `not (externalId eq "x")` returned none of the
// users without an externalId. A missing value equals nothing, so those users now match (`ne`
// compiles to `is distinct from`, `not` to `not coalesce(..., false)`).
import { expect, it } from "vitest";
import type { Knex } from "knex";
import { makeTenant } from "../support/build-test-app.js";
import { bearer } from "../support/scim-client.js";
import { useTestApp } from "../support/use-test-app.js";

const t = useTestApp();

async function logins(text: string, token: string): Promise<string[]> {
  const res = await t.request().get("/scim/v2/Users").query({ filter: text, count: 1000 }).set(bearer(token));
  expect(res.status, `${text} -> ${res.status} ${res.text.slice(0, 300)}`).toBe(200);
  return res.body.Resources.map((u: { userName: string }) => u.userName);
}

/** An employee with an open contract in a tenant of the test's own. */
async function addEmployee(db: Knex, tenantId: number, row: Record<string, unknown>): Promise<number> {
  const [employee] = await db("employees").insert({ tenant_id: tenantId, ...row }).returning("id");
  await db("contracts").insert({ tenant_id: tenantId, employee_id: employee.id, start_date: "2020-01-01" });
  return employee.id;
}

it("ne and not keep users that have no value for the attribute (it does not equal anything)", async () => {
  const tenant = await makeTenant(t.db);
  await addEmployee(t.db, tenant.id, { login: "j.young", first_name: "J", last_name: "Young", external_id: "jyoung" });
  await addEmployee(t.db, tenant.id, { login: "k.old", first_name: "K", last_name: "Old", external_id: "kold" });
  await addEmployee(t.db, tenant.id, { login: "n.one", first_name: "N", last_name: "One" });
  const own = await t.token(tenant.slug);
  for (const text of ['externalId ne "jyoung"', 'not (externalId eq "jyoung")', 'not (externalId eq "jyoung" or externalId eq "nobody")']) {
    expect((await logins(text, own)).sort(), text).toEqual(["k.old", "n.one"]);
  }
  expect(await logins('not (externalId pr)', own)).toEqual(["n.one"]);
});

// Regression: the server refused its own cursors when the last row of a page held HR text with a
// control character or a long value in the sort key (the cursor check applied the rules for client
// text): paging a tenant sorted by such a field stopped with 400. Cursors now refuse only sort
// values that cannot be bound at all (NUL, lone surrogates).
import { expect, it } from "vitest";
import type { Knex } from "knex";
import { makeTenant } from "../support/build-test-app.js";
import { bearer } from "../support/scim-client.js";
import { useTestApp } from "../support/use-test-app.js";

const t = useTestApp();

/** An employee with an open contract in a tenant of the test's own. */
async function addEmployee(db: Knex, tenantId: number, row: Record<string, unknown>): Promise<number> {
  const [employee] = await db("employees").insert({ tenant_id: tenantId, ...row }).returning("id");
  await db("contracts").insert({ tenant_id: tenantId, employee_id: employee.id, start_date: "2020-01-01" });
  return employee.id;
}

it("accepts its own cursor when the last row's sort value holds a control character or long text", async () => {
  const tenant = await makeTenant(t.db);
  for (const [login, last] of [["a.one", "A\u0001b"], ["b.two", "B".repeat(5000)], ["c.three", "C"]]) {
    await addEmployee(t.db, tenant.id, { login, first_name: "X", last_name: last });
  }
  const own = await t.token(tenant.slug);
  const seen: string[] = [];
  let cursor = "";
  for (let i = 0; i < 5; i++) {
    const res = await t.request().get("/scim/v2/Users").query({ sortBy: "name.familyName", count: 1, cursor, attributes: "userName" }).set(bearer(own));
    expect(res.status, res.text.slice(0, 200)).toBe(200);
    seen.push(...res.body.Resources.map((u: any) => u.userName));
    if (!res.body.nextCursor) break;
    cursor = res.body.nextCursor;
  }
  expect(seen).toEqual(["a.one", "b.two", "c.three"]);
});

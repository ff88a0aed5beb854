// Regression: when a tenant's userName is the work email, 12 employees claiming one name at once
// gave six 200s on PostgreSQL: the uniqueness check and the update raced, and no unique index
// covers lower(work_email). Claims of a name are now serialised per tenant and name by an advisory
// transaction lock: one 200 and eleven 409 uniqueness, and one holder.
import { expect, it } from "vitest";
import { useTestApp } from "../support/use-test-app.js";
import { DOMAIN, ops, patch, writeTenant } from "../api/write-back-fixture.js";

const t = useTestApp();

it("gives one userName to one of 12 employees claiming it at once, when the userName is the work email", async () => {
  const tenant = await writeTenant(t, { userNameSource: "workEmail" });
  const ids = await Promise.all(Array.from({ length: 12 }, (_, i) => tenant.addEmployee({ login: `racer${i}`, workEmail: `racer${i}@${DOMAIN}` })));
  const responses = await Promise.all(ids.map((id, i) =>
    patch(t, tenant.writer, id, ops({ op: "replace", path: "userName", value: i % 2 ? `Prize@${DOMAIN}` : `prize@${DOMAIN}` }))));
  expect(responses.map((r) => r.status).sort()).toEqual([200, ...Array(11).fill(409)]);
  const holders = await t.db("employees").where({ tenant_id: tenant.id }).whereRaw("lower(work_email) = ?", [`prize@${DOMAIN}`]);
  expect(holders).toHaveLength(1);
});

// The compaction of visible counts (src/scheduler/visible-counts-job.ts): HR writes append
// per-date deltas that every page's totalResults sums; the job sums a tenant's deltas into one row
// per date once they are many, and totalResults does not move; so are the group member deltas
// (per department or establishment and date), and no group's members move.
import { expect, it } from "vitest";
import { createLogger } from "../../src/logger.js";
import { visibleCountsJob } from "../../src/scheduler/visible-counts-job.js";
import { makeTenant } from "../support/build-test-app.js";
import { bearer } from "../support/scim-client.js";
import { useTestApp } from "../support/use-test-app.js";

const t = useTestApp();

/** A tenant with `n` employees written one statement at a time (a delta row each), starting on two dates. */
async function tenantWithDeltas(n: number) {
  const tenant = await makeTenant(t.db);
  for (let i = 0; i < n; i++) {
    const [e] = await t.db("employees").insert({ tenant_id: tenant.id, login: `e${i}`, first_name: "E", last_name: `${i}` }).returning("id");
    await t.db("contracts").insert({ tenant_id: tenant.id, employee_id: e.id, start_date: i % 2 ? "2020-01-01" : "2021-06-01" });
  }
  return tenant;
}

const deltaRows = async (tenantId: number) => Number((await t.db("visible_employee_counts").where("tenant_id", tenantId).count({ n: "*" }))[0].n);
const totalResults = async (slug: string) =>
  (await t.request().get("/scim/v2/Users").query({ count: 1 }).set(bearer(await t.token(slug)))).body.totalResults;

it("sums the deltas of tenants that hold many into one row per date, leaving totalResults as it was", async () => {
  const many = await tenantWithDeltas(12);
  const few = await tenantWithDeltas(3);
  expect(await deltaRows(many.id)).toBe(12);
  expect(await totalResults(many.slug)).toBe(12);

  await visibleCountsJob(t.db, createLogger("silent"), { looseRows: 5 }).run(new Date());

  expect(await deltaRows(many.id)).toBe(2);
  expect(await totalResults(many.slug)).toBe(12);
  expect(await deltaRows(few.id)).toBe(3);
  expect(await totalResults(few.slug)).toBe(3);
});

it("also sums the group member deltas of a tenant whose employees moved often, leaving every group's members as they were", async () => {
  const tenant = await makeTenant(t.db, { groupTypes: ["LUCCA_DEPT"] });
  const departments = await t.db("departments").insert([1, 2].map((n) => ({ tenant_id: tenant.id, name: `D${n}` }))).returning("id");
  for (let i = 0; i < 3; i++) {
    const [e] = await t.db("employees").insert({ tenant_id: tenant.id, login: `m${i}`, first_name: "M", last_name: `${i}`, department_id: departments[0].id }).returning("id");
    await t.db("contracts").insert({ tenant_id: tenant.id, employee_id: e.id, start_date: "2020-01-01" });
  }
  // Each move appends a delta to both departments, none to the visible counts.
  for (let i = 0; i < 6; i++) {
    await t.db("employees").where({ tenant_id: tenant.id }).update({ department_id: departments[(i + 1) % 2].id });
  }
  const groupRows = async () => Number((await t.db("group_member_counts").where("tenant_id", tenant.id).count({ n: "*" }))[0].n);
  const members = async () => {
    const res = await t.request().get("/scim/v2/Groups").set(bearer(await t.token(tenant.slug)));
    return Object.fromEntries(res.body.Resources.map((g: any) => [g.displayName, (g.members ?? []).length]));
  };
  expect(await groupRows()).toBe(3 + 6 * 2);
  expect(await deltaRows(tenant.id)).toBe(3);
  const before = await members();
  expect(before).toEqual({ "LUCCA_DEPT D1": 3, "LUCCA_DEPT D2": 0 });

  await visibleCountsJob(t.db, createLogger("silent"), { looseRows: 5 }).run(new Date());

  expect(await groupRows()).toBe(1);
  expect(await members()).toEqual(before);
});

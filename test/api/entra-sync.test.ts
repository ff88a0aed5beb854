// The Entra push of the demo tenant against the fake Graph: a full run sends exactly the users in
// scope, in batches of at most 50, paced to the configured rate; `data` is the /scim/v2/Users
// resource adjusted for Entra; a second run sends nothing; the leaver whose contract ended on the
// seed day is sent active: false right after the tenant's local midnight, and nobody else is. The
// demo tenant is only read here (on PostgreSQL it is shared with other files).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tick } from "../../src/connectors/entra/tick.js";
import { ENTRA_JOBS } from "../../src/connectors/entra/jobs.js";
import { syncTenant } from "../../src/connectors/entra/runner.js";
import { findTenantBySlug, type Tenant } from "../../src/hr/tenants.js";
import { buildTestApp, type TestApp } from "../support/build-test-app.js";
import type { FakeGraph } from "../support/fake-graph.js";
import { bearer, ENTERPRISE, json } from "../support/scim-client.js";
import { TEST_NOW, TEST_TODAY } from "../support/test-clock.js";
import { connect, entraContext, startFakeGraph, VirtualClock } from "./entra-fixture.js";

let t: TestApp;
let fake: FakeGraph;
let demo: Tenant;
const clock = new VirtualClock(TEST_NOW.getTime());

/** The oracle: demo employees in scope today, computed in TypeScript from the raw tables. */
async function expectedInScope(today: string): Promise<string[]> {
  const employees = await t.db("employees").where({ tenant_id: demo.id }).select("id", "employee_number", "work_email");
  const contracts = await t.db("contracts").where({ tenant_id: demo.id }).select("employee_id", t.db.raw("to_char(start_date, 'YYYY-MM-DD') as start"));
  const counts = new Map<string, number>();
  for (const e of employees) if (e.employee_number) counts.set(e.employee_number, (counts.get(e.employee_number) ?? 0) + 1);
  return employees
    .filter((e: any) => e.employee_number && counts.get(e.employee_number) === 1 && /@demo\.example$/i.test(e.work_email ?? ""))
    .filter((e: any) => contracts.some((c: any) => c.employee_id === e.id && c.start <= today))
    .map((e: any) => e.employee_number as string)
    .sort();
}

beforeAll(async () => {
  t = await buildTestApp();
  demo = (await findTenantBySlug(t.db, "demo"))!;
  fake = await startFakeGraph(clock);
  await connect(t.db, demo.id, fake, clock, { ratePerSecond: 4 });
});
afterAll(async () => {
  await fake?.stop();
  await t?.close();
});

describe("pushing the demo tenant to Entra", () => {
  it("sends exactly the users in scope, in batches of at most 50, paced to the configured rate", async () => {
    const { ctx } = entraContext(t.db, clock);
    const result = await syncTenant(ctx, demo.id, { kind: "auto", trigger: "cli" });
    expect(fake.violations).toEqual([]);
    const expected = await expectedInScope(TEST_TODAY);
    expect(expected.length).toBeGreaterThan(150);
    const sent = fake.sentExternalIds();
    expect([...sent].sort()).toEqual(expected);
    expect(new Set(sent).size).toBe(sent.length);

    const sizes = fake.accepted.map((r) => r.operations.length);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(50);
    expect(sizes.slice(0, -1).every((n) => n === 50)).toBe(true);
    // 4 requests per second: a quarter of a second between calls, on the test's clock.
    const gaps = fake.calls.slice(1).map((c, i) => c.at - fake.calls[i].at);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(250);

    expect(result.runs).toHaveLength(1);
    expect(result.runs[0]).toMatchObject({ kind: "full", status: "succeeded", sent: expected.length, requests: sizes.length, failed: 0, retried: 0 });
  });

  it("sends each user as the /scim/v2/Users resource, with externalId and manager as employee numbers", async () => {
    const ops = fake.accepted.flatMap((r) => r.operations);
    const byNumber = new Map(ops.map((o) => [o.data.externalId as string, o]));
    const grace = byNumber.get("E0002")!;
    expect(grace.data[ENTERPRISE]).toMatchObject({ employeeNumber: "E0002", department: "Platform", manager: { value: "E0001", displayName: "Ada Lovelace" } });
    expect(grace.data[ENTERPRISE].manager.$ref).toBeUndefined();
    expect(grace.data.schemas).toEqual(["urn:ietf:params:scim:schemas:core:2.0:User", ENTERPRISE]);
    expect(grace.data[ENTERPRISE].dtContractStart).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(grace.data).not.toHaveProperty("id");
    expect(grace.data).not.toHaveProperty("meta");
    expect(grace.data).not.toHaveProperty("groups");
    expect(grace.bulkId).toMatch(/^\d+$/);

    // The same projection as /scim/v2/Users: everything but what Entra's matching changes.
    const token = await t.tokenFor("demo");
    const res = await t.request().get(`/scim/v2/Users/${grace.bulkId}`).set(bearer(token));
    const resource = json(res);
    const strip = (u: Record<string, any>) => {
      const { id: _i, meta: _m, groups: _g, externalId: _x, ...rest } = u;
      const ent = { ...rest[ENTERPRISE] };
      delete ent.manager;
      return { ...rest, [ENTERPRISE]: ent };
    };
    expect(strip(grace.data)).toEqual(strip(resource));

    expect(byNumber.get("E0005")!.data.active).toBe(false); // liam.leaver: ended yesterday, still in scope
    expect(byNumber.get("E0006")!.data.active).toBe(true); // tara.today: last day today
    expect(byNumber.has("E0004")).toBe(false); // noah.future: starts in 14 days, future days 0
  });

  it("sends nothing on a second run", async () => {
    const before = fake.calls.length;
    clock.advance(60_000);
    const { ctx } = entraContext(t.db, clock);
    const result = await syncTenant(ctx, demo.id, { kind: "auto", trigger: "cli" });
    expect(result.runs[0]).toMatchObject({ kind: "changes", status: "succeeded", sent: 0, requests: 0 });
    expect(fake.calls.length).toBe(before);
  });

  it("sends the leaver active: false in the run right after local midnight, and nobody whose lifecycle did not turn", async () => {
    const { ctx } = entraContext(t.db, clock);
    const before = fake.accepted.length;
    // 23:59:00 Paris: no push is due yet (reading Entra's provisioning logs is).
    clock.set("2026-06-15T21:59:00Z");
    expect((await tick(ctx, clock.now(), ENTRA_JOBS, [demo.id])).ran).toEqual([{ tenantId: demo.id, job: "entra.outcomes" }]);
    clock.set("2026-06-15T22:00:10Z"); // 00:00:10 on June 16 in Paris
    const report = await tick(ctx, clock.now(), ENTRA_JOBS.filter((j) => j.name === "entra.midnight"), [demo.id]);
    expect(report).toMatchObject({ ran: [{ tenantId: demo.id, job: "entra.midnight" }], failed: [] });
    const ops = fake.accepted.slice(before).flatMap((r) => r.operations);
    const tara = ops.find((o) => o.data.externalId === "E0006");
    expect(tara?.data.active).toBe(false);
    const turned = await t.db("contracts as c").join("employees as e", (j) => j.on("e.tenant_id", "c.tenant_id").andOn("e.id", "c.employee_id"))
      .where("c.tenant_id", demo.id).where((q) => q.where("c.start_date", "2026-06-16").orWhere("c.end_date", "2026-06-15")).pluck("e.employee_number");
    expect(ops.map((o) => o.data.externalId).every((n) => turned.includes(n))).toBe(true);

    // The change sender sees Tara's new lastModified too, but Entra already has her as she is.
    const afterMidnight = fake.calls.length;
    clock.advance(60_000);
    await tick(ctx, clock.now(), ENTRA_JOBS, [demo.id]);
    expect(fake.calls.length).toBe(afterMidnight);
    expect(fake.violations).toEqual([]);
  });
});

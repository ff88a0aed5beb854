// The scheduler (src/scheduler): the lifecycle step runs at each tenant's local midnight and stores
// the new lifecycle without any read; each run happens once across processes (two schedulers on one
// database stand for two processes); after downtime only the latest due instant runs; an abandoned
// claim is taken over after its lease; other jobs register with due instants of their own.
import type { Knex } from "knex";
import { describe, expect, it } from "vitest";
import { refreshLifecycle } from "../../src/hr/lifecycle-state.js";
import { createLogger } from "../../src/logger.js";
import { lifecycleJob } from "../../src/scheduler/lifecycle-job.js";
import type { ScheduledJob, ScheduledTenant } from "../../src/scheduler/scheduled-job.js";
import { Scheduler } from "../../src/scheduler/scheduler.js";
import { makeTenant } from "../support/build-test-app.js";
import { useTestDatabase } from "../support/test-database.js";

let db: Knex;
useTestDatabase((database) => { db = database.knex; });

const logger = createLogger("silent");

/** Tenants of the test's own, each with one employee whose contract ends on 2026-06-15. */
async function tenantsWithLeaver(zones: string[]) {
  const tenants: (ScheduledTenant & { employeeId: number })[] = [];
  for (const zone of zones) {
    const tenant = await makeTenant(db, {}, zone);
    const [e] = await db("employees").insert({ tenant_id: tenant.id, login: "leaver", first_name: "L", last_name: "Eaver" }).returning("id");
    await db("contracts").insert({ tenant_id: tenant.id, employee_id: e.id, start_date: "2020-01-01", end_date: "2026-06-15" });
    tenants.push({ id: tenant.id, timeZone: zone, employeeId: e.id });
  }
  return tenants;
}

function schedulers(tenants: ScheduledTenant[], clock: () => Date, names: string[], jobs: ScheduledJob[] = [lifecycleJob], leaseMs?: number) {
  const listTenants = async () => tenants.map(({ id, timeZone }) => ({ id, timeZone }));
  return names.map((processId) => {
    const scheduler = new Scheduler({ db, clock, logger, processId, listTenants, leaseMs });
    for (const job of jobs) scheduler.register(job);
    return scheduler;
  });
}

async function stored(tenantId: number, employeeId: number) {
  const row = await db("employees").where({ tenant_id: tenantId, id: employeeId }).first("active", "last_transition");
  const tenant = await db("tenants").where({ id: tenantId }).first("lifecycle_date");
  return { active: row.active as boolean, lastTransition: new Date(row.last_transition).toISOString(), day: tenant.lifecycle_date };
}

const runsOf = (tenantIds: number[]) => db("scheduled_runs").whereIn("tenant_id", tenantIds).orderBy(["tenant_id", "due_at"]);

describe("the lifecycle step", () => {
  it("runs at each tenant's local midnight, once across two processes, and stores the new lifecycle without any read", async () => {
    const [paris, auckland] = await tenantsWithLeaver(["Europe/Paris", "Pacific/Auckland"]);
    let now = new Date("2026-06-15T10:00:00Z"); // 12:00 in Paris, 22:00 in Auckland, both on 2026-06-15
    const [a, b] = schedulers([paris, auckland], () => now, ["process-a", "process-b"]);

    const first = await Promise.all([a.runDue(), b.runDue()]);
    expect(first.flat().map((r) => r.tenantId).sort()).toEqual([paris.id, auckland.id].sort());
    expect((await stored(paris.id, paris.employeeId)).active).toBe(true);
    expect((await stored(auckland.id, auckland.employeeId)).active).toBe(true);

    now = new Date("2026-06-15T12:00:05Z"); // 00:00:05 on 2026-06-16 in Auckland
    const second = await Promise.all([a.runDue(), b.runDue()]);
    expect(second.flat()).toEqual([{ job: "lifecycle", tenantId: auckland.id, dueAt: new Date("2026-06-15T12:00:00Z"), ok: true }]);
    expect(await stored(auckland.id, auckland.employeeId)).toMatchObject({ active: false, lastTransition: "2026-06-15T12:00:00.000Z" });
    expect((await stored(paris.id, paris.employeeId)).active).toBe(true);

    now = new Date("2026-06-15T22:00:05Z"); // 00:00:05 on 2026-06-16 in Paris
    const third = await Promise.all([b.runDue(), a.runDue()]);
    expect(third.flat().map((r) => [r.tenantId, r.dueAt.toISOString()])).toEqual([[paris.id, "2026-06-15T22:00:00.000Z"]]);
    expect(await stored(paris.id, paris.employeeId)).toMatchObject({ active: false, lastTransition: "2026-06-15T22:00:00.000Z" });

    const runs = await runsOf([paris.id, auckland.id]);
    expect(runs.map((r) => [r.tenant_id, new Date(r.due_at).toISOString()])).toEqual([
      [paris.id, "2026-06-14T22:00:00.000Z"], [paris.id, "2026-06-15T22:00:00.000Z"],
      [auckland.id, "2026-06-14T12:00:00.000Z"], [auckland.id, "2026-06-15T12:00:00.000Z"],
    ].sort((x, y) => Number(x[0]) - Number(y[0])));
    expect(runs.every((r) => r.finished_at !== null)).toBe(true);
  });

  it("after downtime runs once, for the latest midnight, and a restarted process does not run it again", async () => {
    const [paris] = await tenantsWithLeaver(["Europe/Paris"]);
    let now = new Date("2026-06-10T10:00:00Z");
    const [before] = schedulers([paris], () => now, ["before"]);
    await before.runDue();
    expect((await stored(paris.id, paris.employeeId)).active).toBe(true);

    now = new Date("2026-06-20T09:00:00Z"); // ten midnights later
    const [restarted] = schedulers([paris], () => now, ["restarted"]);
    expect((await restarted.runDue()).map((r) => r.dueAt.toISOString())).toEqual(["2026-06-19T22:00:00.000Z"]);
    expect(await stored(paris.id, paris.employeeId)).toMatchObject({ active: false, lastTransition: "2026-06-15T22:00:00.000Z" });
    const [again] = schedulers([paris], () => now, ["restarted-again"]);
    expect(await again.runDue()).toEqual([]);
    expect(await runsOf([paris.id])).toHaveLength(2);
  });

  it("takes over a run whose claim was left unfinished past its lease, not before", async () => {
    const [paris] = await tenantsWithLeaver(["Europe/Paris"]);
    await refreshLifecycle(db, paris.id, "2026-06-15"); // the step of the 15th ran
    let now = new Date("2026-06-16T06:00:00Z");
    await db("scheduled_runs").insert({ tenant_id: paris.id, job: "lifecycle", due_at: new Date("2026-06-15T22:00:00Z"), claimed_by: "died", claimed_at: new Date("2026-06-15T22:00:01Z") });
    const [survivor] = schedulers([paris], () => now, ["survivor"], [lifecycleJob], 10 * 60 * 60 * 1000);
    expect(await survivor.runDue()).toEqual([]);
    expect((await stored(paris.id, paris.employeeId)).active).toBe(true);
    now = new Date("2026-06-16T08:00:02Z"); // the lease of ten hours has passed
    expect((await survivor.runDue()).map((r) => r.ok)).toEqual([true]);
    expect((await stored(paris.id, paris.employeeId)).active).toBe(false);
    const [run] = await runsOf([paris.id]);
    expect(run).toMatchObject({ claimed_by: "survivor" });
    expect(run.finished_at).not.toBeNull();
  });
});

describe("the registry of jobs", () => {
  it("runs each job at its own due instants per tenant, and refuses two jobs of one name", async () => {
    const [paris] = await tenantsWithLeaver(["Europe/Paris"]);
    const calls: string[] = [];
    const hourly: ScheduledJob = {
      name: "hourly-probe",
      dueAt: (_t, now) => new Date(Math.floor(now.getTime() / 3_600_000) * 3_600_000),
      nextDueAt: (_t, now) => new Date((Math.floor(now.getTime() / 3_600_000) + 1) * 3_600_000),
      async run(_db, tenant, dueAt) { calls.push(`${tenant.id}@${dueAt.toISOString()}`); },
    };
    let now = new Date("2026-06-16T06:30:00Z");
    const [scheduler] = schedulers([paris], () => now, ["registry"], [lifecycleJob, hourly]);
    expect(() => scheduler.register(hourly)).toThrow(/already registered/);
    expect((await scheduler.runDue()).map((r) => r.job).sort()).toEqual(["hourly-probe", "lifecycle"]);
    now = new Date("2026-06-16T07:10:00Z");
    expect((await scheduler.runDue()).map((r) => r.job)).toEqual(["hourly-probe"]);
    expect(calls).toEqual([`${paris.id}@2026-06-16T06:00:00.000Z`, `${paris.id}@2026-06-16T07:00:00.000Z`]);
  });

  it("runs a periodic job once its period has passed on the clock, goes on when it fails, and asks it to stop", async () => {
    let now = new Date("2026-06-16T06:00:00Z");
    const seen: string[] = [];
    let stopAsked = false;
    let failNext = false;
    const [scheduler] = schedulers([], () => now, ["periodic"], []);
    scheduler.every({
      name: "poll-probe", everyMs: 5_000,
      async run(at) { seen.push(at.toISOString()); if (failNext) throw new Error("Graph is down"); },
      stop() { stopAsked = true; },
    });
    expect(() => scheduler.every({ name: "poll-probe", everyMs: 1, run: async () => {} })).toThrow(/already registered/);
    expect(await scheduler.runPeriodic()).toEqual(["poll-probe"]);
    now = new Date("2026-06-16T06:00:04Z");
    expect(await scheduler.runPeriodic()).toEqual([]);
    now = new Date("2026-06-16T06:00:05Z");
    failNext = true;
    expect(await scheduler.runPeriodic()).toEqual([]);
    now = new Date("2026-06-16T06:00:10Z");
    failNext = false;
    expect(await scheduler.runPeriodic()).toEqual(["poll-probe"]);
    expect(seen).toEqual(["2026-06-16T06:00:00.000Z", "2026-06-16T06:00:05.000Z", "2026-06-16T06:00:10.000Z"]);
    await scheduler.stop();
    expect(stopAsked).toBe(true);
  });
});

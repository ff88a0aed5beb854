// The stored lifecycle (migration 005) against the pure reference (src/hr/lifecycle.ts): seeded
// random contract histories in zones with daylight saving time (one switching at midnight), written
// in random orders and amounts, then mutated (contracts inserted, moved, ended, deleted; employees
// changed; futureEmployeesActive and the time zone switched) and stepped to random days forwards and
// backwards; employees are also moved between departments and establishments. After every write and
// every step, each employee's stored columns equal what the pure functions give for the tenant's
// lifecycle day, the per-date visible counts and each department's and establishment's member counts
// (migration 20261206_001) equal a count of the employees, and the read guard passes exactly when no
// stored state is out of its window.
import type { Knex } from "knex";
import { describe, expect, it } from "vitest";
import {
  type Contract, hasStarted, isActive, isFutureEmployee, lastTransition, localDate, nextTransition, shownContract,
} from "../../src/hr/lifecycle.js";
import { isStaleLifecycle, lifecycleCurrentCondition, refreshLifecycle } from "../../src/hr/lifecycle-state.js";
import { updateTenantSetting } from "../../src/hr/tenants.js";
import { addDays, mulberry32 } from "../../src/seeds/demo-data.js";
import { makeTenant } from "../support/build-test-app.js";
import { useTestDatabase } from "../support/test-database.js";

let db: Knex;
useTestDatabase((database) => { db = database.knex; });

const ZONES = ["Europe/Paris", "America/Santiago", "Pacific/Auckland", "America/Los_Angeles", "UTC"];
/** Days around every 2024 switch of these zones, and a few others. */
const SPECIAL_DAYS = ["2024-03-10", "2024-03-31", "2024-04-01", "2024-04-06", "2024-04-07", "2024-09-08", "2024-09-29", "2024-10-27", "2024-11-03", "2024-02-29"];

interface Person { id: number; updatedAt: Date; contracts: (Contract & { id: number })[]; department: number | null; establishment: number | null }

/** A tenant's departments and establishments that the employees move between. */
interface Units { departments: number[]; establishments: number[] }

class World {
  readonly rand: () => number;
  constructor(seed: number) { this.rand = mulberry32(seed); }
  int(n: number) { return Math.floor(this.rand() * n); }
  pick<T>(items: readonly T[]): T { return items[this.int(items.length)]; }
  day(): string { return this.rand() < 0.3 ? this.pick(SPECIAL_DAYS) : addDays("2023-12-01", this.int(420)); }
  contract(): Contract {
    const start = this.day();
    const r = this.rand();
    return { start, end: r < 0.3 ? null : addDays(start, r < 0.4 ? 0 : this.int(200)) };
  }
  contracts(): Contract[] {
    const out: Contract[] = [];
    for (let i = this.pick([0, 1, 1, 1, 2, 2, 3, 4]); i > 0; i--) {
      // Some contracts touch or follow the previous one, as rehires and renewals do.
      const previous = out[out.length - 1];
      if (previous?.end && this.rand() < 0.4) {
        const start = addDays(previous.end, this.pick([0, 1, 1, 2, 30]));
        out.push({ start, end: this.rand() < 0.5 ? null : addDays(start, this.int(120)) });
      } else out.push(this.contract());
    }
    return out;
  }
}

interface StoredRow {
  id: number; updated_at: Date; contracts_changed_at: Date | null; visible_from: string | null; active: boolean;
  contract_start: string | null; contract_end: string | null; last_transition: Date | null; next_transition: Date | null;
  last_modified: Date; member_modified: Date;
}

const iso = (d: Date | null) => (d === null ? null : new Date(d).toISOString());
const latest = (...dates: (Date | null | undefined)[]) =>
  dates.filter((d): d is Date => !!d).reduce((a, b) => (a > b ? a : b));

async function tenantState(tenantId: number) {
  const tenant = await db("tenants").where({ id: tenantId }).first();
  return {
    day: tenant.lifecycle_date instanceof Date ? tenant.lifecycle_date.toISOString().slice(0, 10) : String(tenant.lifecycle_date).slice(0, 10),
    zone: tenant.time_zone as string,
    futureActive: tenant.settings?.futureEmployeesActive === true,
    settingsChangedAt: tenant.settings_changed_at ? new Date(tenant.settings_changed_at) : null,
  };
}

/** Every stored column of every person equals the pure reference on the tenant's lifecycle day; the counts and the guard agree. */
async function expectStoredAsReference(tenantId: number, people: Map<number, Person>, label: string, units?: Units): Promise<number> {
  const { day, zone, futureActive, settingsChangedAt } = await tenantState(tenantId);
  const rows = (await db("employees").where({ tenant_id: tenantId }).select(
    "id", "updated_at", "contracts_changed_at", "active", "last_transition", "next_transition", "last_modified", "member_modified",
    db.raw("to_char(visible_from, 'YYYY-MM-DD') as visible_from"),
    db.raw("to_char(contract_start, 'YYYY-MM-DD') as contract_start"),
    db.raw("to_char(contract_end, 'YYYY-MM-DD') as contract_end"),
  )) as StoredRow[];
  expect(rows.length, label).toBe(people.size);
  for (const row of rows) {
    const p = people.get(row.id)!;
    const shown = shownContract(p.contracts, day);
    const transition = lastTransition(p.contracts, day, zone);
    const member = latest(p.updatedAt, row.contracts_changed_at, transition);
    expect({
      visible_from: row.visible_from, active: row.active, contract_start: row.contract_start, contract_end: row.contract_end,
      last_transition: iso(row.last_transition), next_transition: iso(row.next_transition),
      member_modified: iso(row.member_modified), last_modified: iso(row.last_modified),
    }, `${label}: employee ${row.id} ${JSON.stringify(p.contracts)} on ${day} in ${zone}`).toEqual({
      visible_from: p.contracts.length ? p.contracts.map((c) => c.start).sort()[0] : null,
      active: isActive(p.contracts, day, futureActive),
      contract_start: shown?.start ?? null,
      contract_end: shown?.end ?? null,
      last_transition: iso(transition),
      next_transition: iso(nextTransition(p.contracts, day, zone)),
      member_modified: iso(member),
      last_modified: iso(latest(member, settingsChangedAt)),
    });
  }
  const counted = await db("visible_employee_counts").where({ tenant_id: tenantId }).where("visible_from", "<=", day).sum({ n: "employees" }).first();
  const countedAll = await db("visible_employee_counts").where({ tenant_id: tenantId }).sum({ n: "employees" }).first();
  const all = [...people.values()];
  expect(Number(counted?.n ?? 0), `${label}: visible count`).toBe(all.filter((p) => hasStarted(p.contracts, day)).length);
  expect(Number(countedAll?.n ?? 0), `${label}: visible count with future employees`)
    .toBe(all.filter((p) => hasStarted(p.contracts, day) || isFutureEmployee(p.contracts, day)).length);
  if (units) await expectGroupCountsAsReference(tenantId, all, units, day, label);
  return rows.length;
}

/** Each department's and establishment's stored member count, up to the day and with future employees, equals a count of the people. */
async function expectGroupCountsAsReference(tenantId: number, all: Person[], units: Units, day: string, label: string) {
  const stored = await db("group_member_counts").where({ tenant_id: tenantId }).groupBy("org_kind", "org_id").select("org_kind", "org_id",
    db.raw("coalesce(sum(members) filter (where visible_from <= ?::date), 0) as today", [day]), db.raw("sum(members) as any_contract"));
  const actual = Object.fromEntries(stored.map((r: any) => [`${r.org_kind} ${r.org_id}`, [Number(r.today), Number(r.any_contract)]]));
  const expected: Record<string, [number, number]> = {};
  for (const [kind, ids, of] of [["department", units.departments, (p: Person) => p.department], ["establishment", units.establishments, (p: Person) => p.establishment]] as const) {
    for (const id of ids) {
      const members = all.filter((p) => of(p) === id);
      expected[`${kind} ${id}`] = [members.filter((p) => hasStarted(p.contracts, day)).length,
        members.filter((p) => hasStarted(p.contracts, day) || isFutureEmployee(p.contracts, day)).length];
    }
  }
  for (const key of Object.keys(actual)) actual[key] ??= [0, 0];
  for (const key of Object.keys(expected)) actual[key] ??= [0, 0];
  expect(actual, `${label}: group member counts`).toEqual(expected);
}

/** The guard passes on `day` exactly when every stored state is the reference's on `day`. */
async function expectGuardOn(tenantId: number, people: Map<number, Person>, day: string, label: string) {
  const { day: stored, zone, futureActive } = await tenantState(tenantId);
  const same = [...people.values()].every((p) =>
    isActive(p.contracts, day, futureActive) === isActive(p.contracts, stored, futureActive)
    && JSON.stringify(shownContract(p.contracts, day)) === JSON.stringify(shownContract(p.contracts, stored))
    && iso(lastTransition(p.contracts, day, zone)) === iso(lastTransition(p.contracts, stored, zone))
    && iso(nextTransition(p.contracts, day, zone)) === iso(nextTransition(p.contracts, stored, zone)));
  const guard = lifecycleCurrentCondition(tenantId, day);
  let passed = true;
  try {
    await db.raw(`select ${guard.sql} as ok`, guard.bindings);
  } catch (error) {
    if (!isStaleLifecycle(error)) throw error;
    passed = false;
  }
  expect(passed, `${label}: guard on ${day} (stored ${stored})`).toBe(same);
}

/** Units changed long before any employee, so that an employee's lastModified is its own (the reference's). */
async function makeUnits(tenantId: number): Promise<Units> {
  const at = "2000-01-01T00:00:00Z";
  const [lu] = await db("legal_units").insert({ tenant_id: tenantId, name: "LU", country_code: "FR", updated_at: at }).returning("id");
  const establishments = await db("establishments").insert([1, 2].map((n) => ({ tenant_id: tenantId, name: `E${n}`, legal_unit_id: lu.id, updated_at: at }))).returning("id");
  const departments = await db("departments").insert([1, 2, 3].map((n) => ({ tenant_id: tenantId, name: `D${n}`, updated_at: at }))).returning("id");
  return { departments: departments.map((d: { id: number }) => d.id), establishments: establishments.map((e: { id: number }) => e.id) };
}

async function insertContracts(tenantId: number, person: Person, contracts: Contract[]) {
  if (contracts.length === 0) return;
  const rows = await db("contracts").insert(contracts.map((c) => ({ tenant_id: tenantId, employee_id: person.id, start_date: c.start, end_date: c.end }))).returning("id");
  rows.forEach((r: { id: number }, i: number) => person.contracts.push({ ...contracts[i], id: r.id }));
}

describe("the stored lifecycle equals the pure reference", () => {
  it.each(ZONES.map((zone, i) => ({ zone, seed: 20261130 + i })))("after every write and step in $zone (seed $seed)", async ({ zone, seed }) => {
    const w = new World(seed);
    const tenant = await makeTenant(db, {}, zone);
    await refreshLifecycle(db, tenant.id, w.day());
    const units = await makeUnits(tenant.id);
    const unitOf = (ids: number[]) => (w.rand() < 0.2 ? null : w.pick(ids));
    const people = new Map<number, Person>();
    let checks = 0;

    // Employees written one by one, with their contracts in one insert or one by one.
    for (let i = 0; i < 40; i++) {
      const updatedAt = new Date(Date.UTC(2023, 11, 1) + w.int(420 * 24) * 3_600_000);
      const department = unitOf(units.departments);
      const establishment = unitOf(units.establishments);
      const [row] = await db("employees").insert({
        tenant_id: tenant.id, login: `p${i}`, first_name: "P", last_name: String(i), updated_at: updatedAt, department_id: department, establishment_id: establishment,
      }).returning("id");
      const person: Person = { id: row.id, updatedAt, contracts: [], department, establishment };
      people.set(person.id, person);
      const contracts = w.contracts();
      if (w.rand() < 0.5) await insertContracts(tenant.id, person, contracts);
      else for (const c of contracts) await insertContracts(tenant.id, person, [c]);
    }
    checks += await expectStoredAsReference(tenant.id, people, "after the first writes", units);

    for (let step = 0; step < 30; step++) {
      const person = w.pick([...people.values()]);
      const action = w.int(9);
      if (action === 0 || (action <= 2 && person.contracts.length === 0)) {
        await insertContracts(tenant.id, person, [w.contract()]);
      } else if (action <= 2) {
        const c = w.pick(person.contracts);
        const moved = w.contract();
        await db("contracts").where({ tenant_id: tenant.id, id: c.id }).update({ start_date: moved.start, end_date: moved.end });
        Object.assign(c, moved);
      } else if (action === 3 && person.contracts.length > 0) {
        const c = w.pick(person.contracts);
        await db("contracts").where({ tenant_id: tenant.id, id: c.id }).delete();
        person.contracts.splice(person.contracts.indexOf(c), 1);
      } else if (action === 4) {
        // Some of them moved to another department or establishment, or to none.
        person.updatedAt = new Date(Date.UTC(2024, 0, 1) + w.int(400 * 24) * 3_600_000);
        if (w.rand() < 0.5) person.department = unitOf(units.departments);
        if (w.rand() < 0.5) person.establishment = unitOf(units.establishments);
        await db("employees").where({ tenant_id: tenant.id, id: person.id })
          .update({ updated_at: person.updatedAt, job_title: `t${step}`, department_id: person.department, establishment_id: person.establishment });
      } else if (action === 5) {
        // Hand-written SQL cannot corrupt the stored lifecycle: only its function writes it.
        await db("employees").where({ tenant_id: tenant.id, id: person.id }).update({ active: w.rand() < 0.5, visible_from: "1999-01-01", next_transition: null });
      } else if (action === 6) {
        await updateTenantSetting(db, tenant.slug, "futureEmployeesActive", w.rand() < 0.5 ? "true" : "false", new Date(Date.UTC(2024, 5, 1) + step * 60_000));
      } else if (action === 7 && step % 10 === 7) {
        await updateTenantSetting(db, tenant.slug, "timeZone", w.pick(ZONES), new Date(Date.UTC(2024, 5, 1) + step * 60_000));
      } else {
        const day = w.rand() < 0.5 ? w.pick(SPECIAL_DAYS) : w.day();
        await expectGuardOn(tenant.id, people, day, `before the step to ${day}`);
        await refreshLifecycle(db, tenant.id, day);
        await expectGuardOn(tenant.id, people, day, `after the step to ${day}`);
      }
      checks += await expectStoredAsReference(tenant.id, people, `step ${step} (action ${action})`, units);
    }

    // Every special day, forwards then backwards.
    for (const day of [...SPECIAL_DAYS, ...[...SPECIAL_DAYS].reverse()]) {
      await refreshLifecycle(db, tenant.id, day);
      checks += await expectStoredAsReference(tenant.id, people, `stepped to ${day}`, units);
    }
    expect(checks).toBeGreaterThanOrEqual(40 * 50);
  }, 120_000);

  it("moves a leaver at the local midnight of the tenant's zone, whatever the UTC date", async () => {
    const tenant = await makeTenant(db, {}, "Pacific/Auckland");
    const [row] = await db("employees").insert({ tenant_id: tenant.id, login: "leaver", first_name: "L", last_name: "L", updated_at: new Date("2024-01-01T00:00:00Z") }).returning("id");
    await db("contracts").insert({ tenant_id: tenant.id, employee_id: row.id, start_date: "2020-01-01", end_date: "2024-06-15" });
    await db("employees").where({ tenant_id: tenant.id, id: row.id }).update({ contracts_changed_at: null }); // hired with it
    for (const [instant, active] of [["2024-06-15T11:59:59Z", true], ["2024-06-15T12:00:00Z", false]] as const) {
      await refreshLifecycle(db, tenant.id, localDate(new Date(instant), "Pacific/Auckland"));
      const stored = await db("employees").where({ tenant_id: tenant.id, id: row.id }).first("active", "last_modified");
      expect(stored.active, instant).toBe(active);
      if (!active) expect(new Date(stored.last_modified).toISOString()).toBe("2024-06-15T12:00:00.000Z");
    }
  });
});

// The SQL lifecycle twins (activeExpression, lastModifiedExpression,
// visibleEmployeeCondition, currentContractDateExpression) agree with the pure twins on a real database:
// PGlite in a temporary directory, or PostgreSQL when DATABASE_URL is set.
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Database, openDatabase } from "../../src/db/database.js";
import { migrateToLatest } from "../../src/db/migrate.js";
import {
  type Contract,
  type LifecycleParams,
  activeExpression,
  currentContractDateExpression,
  hasStarted,
  isActive,
  isFutureEmployee,
  lastModified,
  lastModifiedExpression,
  localDate,
  localMidnight,
} from "../../src/hr/lifecycle.js";
import { visibleEmployeeCondition } from "../../src/hr/visibility.js";

const databaseUrl = process.env.DATABASE_URL;
let db: Database;
let dataDir: string | undefined;
const tenantIds: number[] = [];

beforeAll(async () => {
  if (databaseUrl) {
    db = await openDatabase({ databaseUrl });
  } else {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "hr-scim-lifecycle-sql-"));
    db = await openDatabase({ dataDir });
  }
  await migrateToLatest(db.knex);
}, 120_000);

afterAll(async () => {
  if (db) {
    // Only our own tenants: with PostgreSQL, other test files may use the same database.
    if (tenantIds.length) await db.knex("tenants").whereIn("id", tenantIds).delete();
    await db.close();
  }
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

const c = (start: string, end: string | null = null): Contract => ({ start, end });

interface Shape { name: string; contracts: Contract[] }

/** The contract shapes of the pure tests (lifecycle.test.ts). */
const shapes: Shape[] = [
  { name: "permanent", contracts: [c("2020-01-01")] },
  { name: "leaver-2023-10-19", contracts: [c("2020-01-01", "2023-10-19")] },
  { name: "leaver-leap-eve", contracts: [c("2021-01-01", "2024-02-28")] },
  { name: "leaver-leap-day", contracts: [c("2021-01-01", "2024-02-29")] },
  { name: "starts-leap-day", contracts: [c("2024-02-29")] },
  { name: "one-leap-day", contracts: [c("2024-02-29", "2024-02-29")] },
  { name: "starts-spring-forward", contracts: [c("2024-03-31")] },
  { name: "starts-fall-back", contracts: [c("2024-10-27", "2024-12-31")] },
  { name: "ends-spring-forward", contracts: [c("2023-01-01", "2024-03-31")] },
  { name: "ends-fall-back", contracts: [c("2023-01-01", "2024-10-27")] },
  { name: "touching-same-day", contracts: [c("2022-01-01", "2024-03-31"), c("2024-03-31")] },
  { name: "touching-next-day", contracts: [c("2022-01-01", "2024-03-30"), c("2024-03-31", "2024-10-26"), c("2024-10-27")] },
  { name: "one-day-gap", contracts: [c("2023-01-01", "2024-02-28"), c("2024-03-01")] },
  { name: "overlapping", contracts: [c("2022-01-01", "2024-12-31"), c("2024-06-01")] },
  { name: "rehire-after-gap", contracts: [c("2020-01-01", "2023-06-30"), c("2024-01-15")] },
  { name: "future", contracts: [c("2024-11-01")] },
  { name: "future-fixed-term", contracts: [c("2024-07-01", "2024-12-31")] },
  { name: "former", contracts: [c("2019-01-01", "2019-12-31"), c("2020-03-01", "2021-12-31")] },
  { name: "former-with-rehire-to-come", contracts: [c("2019-01-01", "2022-12-31"), c("2025-01-01")] },
  { name: "utc-date-differs", contracts: [c("2020-01-01", "2024-01-15")] },
  { name: "no-contracts", contracts: [] },
];

/** Row change times: long before every transition, in the middle of them, and equal to one. */
const updatedAts = [
  new Date("2018-06-01T08:30:00.123Z"),
  new Date("2024-03-15T12:00:00Z"),
  new Date("2023-10-19T22:00:00Z"), // the Paris transition of the 2023-10-19 leaver
];

interface Employee { id: number; shape: Shape; updatedAt: Date }

/** Inserts a tenant of our own (unique slug) with one employee per shape and row change time. */
async function createTenant(label: string): Promise<{ tenantId: number; employees: Employee[] }> {
  const [{ id: tenantId }] = await db.knex("tenants")
    .insert({ slug: `lifecycle-sql-${label}-${randomUUID()}`, name: `lifecycle-sql ${label}` })
    .returning("id");
  tenantIds.push(tenantId);
  const employees: Employee[] = [];
  for (const shape of shapes) {
    for (const [i, updatedAt] of updatedAts.entries()) {
      const [{ id }] = await db.knex("employees")
        .insert({ tenant_id: tenantId, login: `${shape.name}-${i}`, first_name: shape.name, last_name: String(i), updated_at: updatedAt })
        .returning("id");
      // inserted in reverse order, so that nothing relies on insertion order
      for (const contract of [...shape.contracts].reverse()) {
        await db.knex("contracts").insert({ tenant_id: tenantId, employee_id: id, start_date: contract.start, end_date: contract.end });
      }
      employees.push({ id, shape, updatedAt });
    }
  }
  return { tenantId, employees };
}

interface LifecycleRow {
  id: number;
  active: boolean;
  active_with_flag: boolean;
  last_modified: Date;
  visible: boolean;
  visible_with_permission: boolean;
}

/** One query over all the tenant's employees, with every SQL twin as a column. */
async function queryLifecycle(tenantId: number, today: string, timeZone: string): Promise<Map<number, LifecycleRow>> {
  const params: LifecycleParams = { today, timeZone, futureEmployeesActive: false };
  const withFlag: LifecycleParams = { ...params, futureEmployeesActive: true };
  const raw = (f: { sql: string; bindings: unknown[] }, alias: string) =>
    db.knex.raw(`${f.sql} as ${alias}`, f.bindings as never[]);
  const rows = (await db.knex.from({ e: "employees" })
    .where("e.tenant_id", tenantId)
    .select(
      "e.id",
      raw(activeExpression(params), "active"),
      raw(activeExpression(withFlag), "active_with_flag"),
      raw(lastModifiedExpression(params, ["e.updated_at"]), "last_modified"),
      raw(visibleEmployeeCondition({ seesFutureEmployees: false }, today), "visible"),
      raw(visibleEmployeeCondition({ seesFutureEmployees: true }, today), "visible_with_permission"),
    )) as LifecycleRow[];
  return new Map(rows.map((r) => [Number(r.id), r]));
}

/** What the pure twins say for one employee. */
function expected(e: Employee, today: string, timeZone: string) {
  const started = hasStarted(e.shape.contracts, today);
  const future = isFutureEmployee(e.shape.contracts, today);
  return {
    active: isActive(e.shape.contracts, today, false),
    active_with_flag: isActive(e.shape.contracts, today, true),
    last_modified: lastModified(e.updatedAt, e.shape.contracts, today, timeZone).toISOString(),
    visible: started, // hasStarted || (sees && isFuture) with sees = false
    visible_with_permission: started || future,
  };
}

function actual(row: LifecycleRow) {
  return {
    active: row.active,
    active_with_flag: row.active_with_flag,
    last_modified: new Date(row.last_modified).toISOString(),
    visible: row.visible,
    visible_with_permission: row.visible_with_permission,
  };
}

const addDays = (date: string, days: number) => {
  const d = new Date(date + "T00:00:00Z");
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};

/** Every contract boundary, the day before and the day after, plus a few dates far from them. */
const boundaryDates = [...new Set([
  ...shapes.flatMap((s) => s.contracts.flatMap((x) => [x.start, x.end].filter((d): d is string => d !== null)))
    .flatMap((d) => [addDays(d, -1), d, addDays(d, 1)]),
  "2000-01-01", "2024-06-15", "2030-01-01",
])].sort();

const timeZones = ["Europe/Paris", "Pacific/Auckland", "America/Los_Angeles", "UTC", "America/Santiago"];

describe("the SQL lifecycle twins agree with the pure twins", () => {
  it(`for every employee shape on ${boundaryDates.length} dates around each contract boundary, in ${timeZones.length} time zones`, async () => {
    const { tenantId, employees } = await createTenant("grid");
    let compared = 0;
    for (const timeZone of timeZones) {
      for (const today of boundaryDates) {
        const rows = await queryLifecycle(tenantId, today, timeZone);
        expect(rows.size).toBe(employees.length);
        for (const e of employees) {
          const row = rows.get(e.id);
          expect(row, `${e.shape.name} missing`).toBeDefined();
          expect(actual(row!), `${e.shape.name} updated ${e.updatedAt.toISOString()} on ${today} in ${timeZone}`)
            .toEqual(expected(e, today, timeZone));
          compared++;
        }
      }
    }
    expect(compared).toBe(timeZones.length * boundaryDates.length * employees.length);
  }, 120_000);

  it.each([
    // the leaver of 2023-10-19 in Paris: the last second of the day and the first of the next
    { instant: "2023-10-19T21:59:59Z", timeZone: "Europe/Paris" },
    { instant: "2023-10-19T22:00:00Z", timeZone: "Europe/Paris" },
    // around both DST switches in Paris
    { instant: "2024-03-30T22:59:59Z", timeZone: "Europe/Paris" },
    { instant: "2024-03-30T23:00:00Z", timeZone: "Europe/Paris" },
    { instant: "2024-03-31T22:00:00Z", timeZone: "Europe/Paris" },
    { instant: "2024-10-26T22:00:00Z", timeZone: "Europe/Paris" },
    { instant: "2024-10-27T23:00:00Z", timeZone: "Europe/Paris" },
    // leap day midnight
    { instant: "2024-02-29T22:59:59Z", timeZone: "Europe/Paris" },
    { instant: "2024-02-29T23:00:00Z", timeZone: "Europe/Paris" },
    // far from UTC: the local date differs from the UTC date
    { instant: "2024-01-15T11:00:00Z", timeZone: "Pacific/Auckland" },
    { instant: "2024-01-16T07:59:59Z", timeZone: "America/Los_Angeles" },
    { instant: "2024-01-16T08:00:00Z", timeZone: "America/Los_Angeles" },
  ])("at the instant $instant in $timeZone", async ({ instant, timeZone }) => {
    const { tenantId, employees } = await createTenant("instant");
    const today = localDate(new Date(instant), timeZone);
    const rows = await queryLifecycle(tenantId, today, timeZone);
    for (const e of employees) {
      expect(actual(rows.get(e.id)!), `${e.shape.name} on ${today}`).toEqual(expected(e, today, timeZone));
    }
  }, 60_000);

  it("deactivates the 2023-10-19 Paris leaver at 2023-10-20T00:00+02:00 and moves its lastModified there", async () => {
    const { tenantId, employees } = await createTenant("leaver");
    const leaver = employees.find((e) => e.shape.name === "leaver-2023-10-19" && e.updatedAt.getUTCFullYear() === 2018)!;
    const before = (await queryLifecycle(tenantId, localDate(new Date("2023-10-19T21:59:59Z"), "Europe/Paris"), "Europe/Paris")).get(leaver.id)!;
    const after = (await queryLifecycle(tenantId, localDate(new Date("2023-10-19T22:00:00Z"), "Europe/Paris"), "Europe/Paris")).get(leaver.id)!;
    expect(before.active).toBe(true);
    expect(new Date(before.last_modified).toISOString()).toBe(localMidnight("2020-01-01", "Europe/Paris").toISOString());
    expect(after.active).toBe(false);
    expect(after.visible).toBe(true);
    expect(new Date(after.last_modified).toISOString()).toBe("2023-10-19T22:00:00.000Z");
  }, 60_000);
});

describe("currentContractDateExpression", () => {
  /** The contract shown: covering today (latest start first), else the next upcoming, else the latest past. */
  function expectedCurrent(contracts: Contract[], today: string): Contract | null {
    const covering = contracts.filter((x) => x.start <= today && (x.end === null || today <= x.end))
      .sort((a, b) => b.start.localeCompare(a.start));
    if (covering.length) return covering[0];
    const upcoming = contracts.filter((x) => x.start > today).sort((a, b) => a.start.localeCompare(b.start));
    if (upcoming.length) return upcoming[0];
    const past = [...contracts].sort((a, b) => b.start.localeCompare(a.start));
    return past[0] ?? null;
  }

  async function queryCurrent(tenantId: number, today: string) {
    const p = { today, timeZone: "Europe/Paris", futureEmployeesActive: false };
    const start = currentContractDateExpression(p, "start");
    const end = currentContractDateExpression(p, "end");
    const rows = (await db.knex.from({ e: "employees" })
      .where("e.tenant_id", tenantId)
      .select("e.id",
        db.knex.raw(`${start.sql} as start_date`, start.bindings),
        db.knex.raw(`${end.sql} as end_date`, end.bindings))) as { id: number; start_date: string | null; end_date: string | null }[];
    return new Map(rows.map((r) => [Number(r.id), r.start_date === null ? null : { start: r.start_date, end: r.end_date }]));
  }

  it.each([
    { name: "the covering contract", contracts: [c("2019-01-01", "2020-12-31"), c("2021-01-01", "2024-12-31"), c("2025-01-01")], today: "2024-06-15", current: c("2021-01-01", "2024-12-31") },
    { name: "the covering contract on its last day", contracts: [c("2021-01-01", "2024-06-15"), c("2024-06-16")], today: "2024-06-15", current: c("2021-01-01", "2024-06-15") },
    { name: "the covering contract on its first day", contracts: [c("2021-01-01", "2024-06-14"), c("2024-06-15")], today: "2024-06-15", current: c("2024-06-15") },
    { name: "the later of two overlapping covering contracts", contracts: [c("2022-01-01", "2024-12-31"), c("2024-06-01")], today: "2024-06-15", current: c("2024-06-01") },
    { name: "the next upcoming contract in a gap", contracts: [c("2020-01-01", "2023-06-30"), c("2025-01-01"), c("2024-09-01", "2024-12-31")], today: "2024-06-15", current: c("2024-09-01", "2024-12-31") },
    { name: "the next upcoming contract of a future employee", contracts: [c("2026-01-01"), c("2024-07-01", "2024-12-31")], today: "2024-06-15", current: c("2024-07-01", "2024-12-31") },
    { name: "the latest past contract of a former employee", contracts: [c("2019-01-01", "2019-12-31"), c("2020-03-01", "2021-12-31"), c("2018-01-01", "2018-06-30")], today: "2024-06-15", current: c("2020-03-01", "2021-12-31") },
    { name: "the contract ended yesterday", contracts: [c("2020-01-01", "2024-06-14")], today: "2024-06-15", current: c("2020-01-01", "2024-06-14") },
    { name: "the leap-day contract on the leap day", contracts: [c("2023-01-01", "2024-02-28"), c("2024-02-29", "2024-02-29"), c("2024-03-01")], today: "2024-02-29", current: c("2024-02-29", "2024-02-29") },
    { name: "nothing without contracts", contracts: [], today: "2024-06-15", current: null },
  ])("picks $name", async ({ name, contracts, today, current }) => {
    expect(expectedCurrent(contracts, today)).toEqual(current); // the test's own reference agrees with the case
    const [{ id: tenantId }] = await db.knex("tenants")
      .insert({ slug: `lifecycle-sql-current-${randomUUID()}`, name: `lifecycle-sql current ${name}` })
      .returning("id");
    tenantIds.push(tenantId);
    const [{ id }] = await db.knex("employees")
      .insert({ tenant_id: tenantId, login: "current", first_name: "Current", last_name: "Contract" })
      .returning("id");
    for (const x of contracts) {
      await db.knex("contracts").insert({ tenant_id: tenantId, employee_id: id, start_date: x.start, end_date: x.end });
    }
    const rows = await queryCurrent(tenantId, today);
    expect(rows.get(Number(id))).toEqual(current);
  }, 60_000);

  it("agrees with the reference for every employee shape on every boundary date", async () => {
    const { tenantId, employees } = await createTenant("current-grid");
    for (const today of boundaryDates) {
      const rows = await queryCurrent(tenantId, today);
      for (const e of employees) {
        expect(rows.get(e.id), `${e.shape.name} on ${today}`).toEqual(expectedCurrent(e.shape.contracts, today));
      }
    }
  }, 120_000);
});

// The statement bound on PostgreSQL: every connection starts with statement_timeout (10 s by
// default, smaller here); a SCIM request whose query runs over it answers 503 with Retry-After and
// changes nothing; withStatementTimeout raises the bound for one transaction only.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { classifyDatabaseError } from "../../src/db/database-errors.js";
import { DEFAULT_DATABASE_LIMITS, openDatabase } from "../../src/db/database.js";
import { withStatementTimeout } from "../../src/db/statement-timeout.js";
import { makeTenant } from "../support/build-test-app.js";
import { backendPid, bearer, blockedBy, buildFaultApp, eventually, faultTenant, type FaultApp } from "./fault-app.js";
import { issueToken } from "../../src/auth/tokens.js";
import { TEST_NOW } from "../support/test-clock.js";
import { adminBearer, issueTestAdminKey } from "../support/admin.js";

const ERROR = "urn:ietf:params:scim:api:messages:2.0:Error";
const TIMEOUT_MS = 150;

let f: FaultApp;
beforeAll(async () => { f = await buildFaultApp({ limits: { statementTimeoutMs: TIMEOUT_MS } }); });
afterAll(() => f.close());

function expectTimedOut(res: { status: number; headers: Record<string, string>; text: string }) {
  expect(res.status, res.text).toBe(503);
  expect(res.headers["retry-after"]).toMatch(/^[1-9]\d*$/);
  const body = JSON.parse(res.text);
  expect(body).toMatchObject({ schemas: [ERROR], status: "503" });
  expect(body.detail).toMatch(/longer than the database time limit/);
}

/** A tenant with `employees` current employees in 20 departments, 4 establishments of 2 legal units, every group type on; made in SQL. */
async function largeTenant(employees: number) {
  const tenant = await makeTenant(f.direct, { groupTypes: ["LUCCA_DEPT", "LUCCA_ETS", "LUCCA_LU", "LUCCA_COUNTRY"] });
  const t = tenant.id;
  await f.direct.raw("insert into legal_units (tenant_id, name, country_code) select ?, 'LU ' || g, 'FR' from generate_series(1, 2) g", [t]);
  await f.direct.raw(`insert into establishments (tenant_id, name, legal_unit_id, city, country_code)
    select ?, 'Site ' || g, (select min(id) from legal_units where tenant_id = ?), 'City', 'FR' from generate_series(1, 4) g`, [t, t]);
  await f.direct.raw("insert into departments (tenant_id, name) select ?, 'Department ' || g from generate_series(1, 20) g", [t]);
  await f.direct.raw(`insert into employees (tenant_id, login, first_name, last_name, department_id, establishment_id, updated_at, created_at)
    select ?, 'user' || g, 'First' || g, 'Last' || g, (select min(id) from departments where tenant_id = ?) + g % 20,
           (select min(id) from establishments where tenant_id = ?) + g % 4, '2026-01-05T08:00:00Z', '2026-01-05T08:00:00Z'
      from generate_series(1, ?) g`, [t, t, t, employees]);
  await f.direct.raw("insert into contracts (tenant_id, employee_id, start_date) select tenant_id, id, '2020-01-01' from employees where tenant_id = ?", [t]);
  const { token } = await issueToken(f.direct, { tenantId: t, name: "timeout", permissions: [], createdBy: "test", now: TEST_NOW });
  return { id: t, token };
}

/**
 * Runs `work` while updating one employee of the tenant (of `departmentId` when given) takes 0.4 s,
 * longer than the bound under test: a write that touches it runs past the request bound.
 */
async function withSlowEmployee(tenantId: number, work: () => Promise<void>, departmentId?: number) {
  const slow = await f.direct("employees").where({ tenant_id: tenantId, ...(departmentId ? { department_id: departmentId } : {}) }).orderBy("id").first();
  const fn = `slow_employee_${tenantId}`;
  await f.direct.raw(`create function ${fn}() returns trigger language plpgsql as $$ begin perform pg_sleep(0.4); return new; end $$`);
  await f.direct.raw(`create trigger ${fn} before update on employees for each row when (new.tenant_id = ${tenantId} and new.id = ${slow.id}) execute function ${fn}()`);
  try {
    await work();
  } finally {
    await f.direct.raw(`drop trigger ${fn} on employees`);
    await f.direct.raw(`drop function ${fn}()`);
  }
}

describe("statement timeout", () => {
  it("answers 503 with Retry-After to a filter whose query runs over the bound, and 200 to ordinary requests", async () => {
    const tenant = await largeTenant(5_000);
    // Ten conditions on members (the most the filter bounds allow): each is a subquery over every
    // group's members, ~1.7 s in all here without a bound.
    const heavy = Array.from({ length: 10 }, (_, i) => `members.display co "nobody${i}"`).join(" or ");
    const started = performance.now();
    const res = await f.request().get("/scim/v2/Groups").query({ filter: heavy }).set(bearer(tenant.token));
    expectTimedOut(res);
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(f.logLines().filter((l) => l.message === "database fault").at(-1)).toMatchObject({ fault: "timeout", code: "57014" });

    const light = await f.request().get("/scim/v2/Users").query({ filter: 'userName eq "user7"' }).set(bearer(tenant.token));
    expect(light.status, light.text).toBe(200);
    expect(light.body.totalResults).toBe(1);
    // Deleting 5,000 employees runs the change feed's triggers: longer than the bound under test.
    await f.direct.transaction(async (trx) => {
      await withStatementTimeout(trx, 0);
      await trx("tenants").where({ id: tenant.id }).delete();
    });
  });

  it("answers 503 to a PATCH that waits on a row lock longer than the bound, and changes nothing", async () => {
    const tenant = await faultTenant(f.direct, 1, ["users:write"]);
    const id = tenant.ids[0];
    const lock = await f.direct.transaction();
    try {
      await lock("employees").where({ tenant_id: tenant.id, id }).forUpdate().select("id");
      const started = performance.now();
      const res = await f.request().patch(`/scim/v2/Users/${id}`).set(bearer(tenant.token)).set("Content-Type", "application/scim+json")
        .send({ schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "replace", path: "title", value: "Late" }] });
      expectTimedOut(res);
      expect(performance.now() - started).toBeGreaterThanOrEqual(TIMEOUT_MS - 10);
      expect(await blockedBy(f.direct, await backendPid(lock))).toBe(0); // the PATCH's transaction is gone
    } finally {
      await lock.rollback();
    }
    expect((await f.direct("employees").where({ tenant_id: tenant.id, id }).first()).job_title).toBeNull();
    const after = await f.request().patch(`/scim/v2/Users/${id}`).set(bearer(tenant.token)).set("Content-Type", "application/scim+json")
      .send({ schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "replace", path: "title", value: "Now" }] });
    expect(after.status, after.text).toBe(200);
  });
});

describe("connection bounds", () => {
  it("sets statement_timeout and idle_in_transaction_session_timeout on every connection, 10 s and 30 s by default", async () => {
    const database = await openDatabase({ databaseUrl: process.env.DATABASE_URL!, limits: { poolSize: 1 } });
    try {
      const shown = async (name: string) => Object.values((await database.knex.raw(`show ${name}`)).rows[0])[0];
      expect(await shown("statement_timeout")).toBe(`${DEFAULT_DATABASE_LIMITS.statementTimeoutMs / 1000}s`);
      expect(await shown("idle_in_transaction_session_timeout")).toBe(`${DEFAULT_DATABASE_LIMITS.idleInTransactionTimeoutMs / 1000}s`);
    } finally {
      await database.close();
    }
  });

  it("withStatementTimeout raises the bound for its transaction only", async () => {
    const database = await openDatabase({ databaseUrl: process.env.DATABASE_URL!, limits: { poolSize: 1, statementTimeoutMs: 100 } });
    const db = database.knex;
    try {
      const error = await db.raw("select pg_sleep(0.3)").catch((e: unknown) => e);
      expect(classifyDatabaseError(error)).toBe("timeout");
      await db.transaction(async (trx) => {
        await withStatementTimeout(trx, 2_000);
        await trx.raw("select pg_sleep(0.3)");
      });
      // Same (only) connection, after the transaction: the connection's bound again.
      expect(classifyDatabaseError(await db.raw("select pg_sleep(0.3)").catch((e: unknown) => e))).toBe("timeout");
      await expect(db.transaction((trx) => withStatementTimeout(trx, -1))).rejects.toThrow(/whole number/);
    } finally {
      await database.close();
    }
  });

  it("lets a settings change that rewrites every employee run past the request bound, through the admin API", async () => {
    const tenant = await largeTenant(2_000);
    const { key } = await issueTestAdminKey(f.direct, { roles: ["integration-admin"], now: TEST_NOW });
    const { slug } = await f.direct("tenants").where({ id: tenant.id }).first();
    // Every employee's stored state follows the zone and the representation settings (migration 005).
    await withSlowEmployee(tenant.id, async () => {
      for (const change of [{ userNameSource: "workEmail" }, { timeZone: "America/New_York" }, { futureEmployeesActive: true }]) {
        const res = await f.request().patch(`/admin/v1/tenants/${slug}/settings`).set(adminBearer(key)).send(change);
        expect(res.status, res.text).toBe(200);
        expect(res.body).toMatchObject(change);
      }
    });
    // The raised bound was the settings transaction's only: a lookup still answers at the request bound.
    const light = await f.request().get("/scim/v2/Users").query({ filter: 'userName eq "user7"' }).set(bearer(tenant.token));
    expect(light.status, light.text).toBe(200);
  });

  it("lets an HR API rename that touches every employee of a department run past the request bound", async () => {
    const tenant = await largeTenant(2_000);
    const { token } = await issueToken(f.direct, { tenantId: tenant.id, name: "hr", permissions: ["hr:write"], createdBy: "test", now: TEST_NOW });
    const department = await f.direct("departments").where({ tenant_id: tenant.id }).orderBy("id").first();
    await withSlowEmployee(tenant.id, async () => {
      const res = await f.request().put(`/hr/v1/departments/${department.key}`).set(bearer(token)).send({ name: "Renamed" });
      expect(res.status, res.text).toBe(200);
    }, department.id);
    expect((await f.direct("departments").where({ id: department.id }).first()).name).toBe("Renamed");
  });

  it("ends a transaction left idle longer than idle_in_transaction_session_timeout, releasing its locks", async () => {
    const database = await openDatabase({ databaseUrl: process.env.DATABASE_URL!, limits: { poolSize: 1, idleInTransactionTimeoutMs: 100 } });
    const tenant = await faultTenant(f.direct, 1);
    try {
      const trx = await database.knex.transaction();
      await trx("employees").where({ tenant_id: tenant.id, id: tenant.ids[0] }).forUpdate().select("id");
      const pid = await backendPid(trx);
      expect(await eventually(async () => (await f.direct.raw("select count(*) as n from pg_stat_activity where pid = ?", [pid])).rows[0].n === "0", 3_000)).toBe(true);
      const error = await trx.raw("select 1").catch((e: unknown) => e);
      expect(classifyDatabaseError(error)).not.toBeNull();
      await trx.rollback().catch(() => {});
    } finally {
      await database.close();
    }
  });
});

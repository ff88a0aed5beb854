// The CSV import's checks join the file's logins with the tenant's stored employees by hashing, a
// pass over each, whatever the statistics say: after a first import the tenant's employees were
// counted at a few rows until the next analyze, the holders were found by a pass over all of them
// for each row of the file, and re-importing 20,000 unchanged rows took 100 s instead of 2.
import type { Knex } from "knex";
import { describe, expect, it } from "vitest";
import { createStaging, LOGIN_HOLDERS, stageRows, summariseStaging, withoutNestedLoops } from "../../src/hr/import/staging.js";
import { makeTenant } from "../support/build-test-app.js";
import { useTestDatabase } from "../support/test-database.js";

let db: Knex;
useTestDatabase((d) => { db = d.knex; });

const EMPLOYEES = 2_000;

describe("the import's login checks", () => {
  it("join the file with the stored employees by hashing, and find the holders of moving logins", async () => {
    const tenant = await makeTenant(db);
    // Stored after the last analyze: the planner believes the tenant holds few employees.
    await db.raw(`insert into employees (tenant_id, employee_number, login, first_name, last_name)
      select ?, 'N' || g, 'login' || g, 'F', 'L' from generate_series(1, ?) g`, [tenant.id, EMPLOYEES]);
    const rollback = new Error("rollback");
    await db.transaction(async (trx) => {
      await createStaging(trx);
      // The same file, but N1 and N2 exchange their logins.
      const login = (g: number) => (g === 1 ? "login2" : g === 2 ? "login1" : `login${g}`);
      await stageRows(trx, Array.from({ length: EMPLOYEES }, (_, i) => ({ line: i + 2, employee_number: `N${i + 1}`, login: login(i + 1), first_name: "F", last_name: "L" })));
      await summariseStaging(trx);
      const plan = JSON.stringify((await withoutNestedLoops(trx, () => trx.raw(`explain (format json) select x.id ${LOGIN_HOLDERS}`, [tenant.id]))).rows);
      expect(plan).toContain('"Hash Join"');
      expect(plan).not.toContain('"Nested Loop"');
      // The setting is the statement's only.
      expect((await trx.raw("select current_setting('enable_nestloop') as v")).rows[0].v).toBe("on");
      const holders = (await withoutNestedLoops(trx, () => trx.raw(`select x.employee_number, r.login ${LOGIN_HOLDERS} order by x.employee_number`, [tenant.id]))).rows;
      // N1 holds login1, which the file gives N2, and N2 holds login2, which it gives N1.
      expect(holders).toEqual([{ employee_number: "N1", login: "login1" }, { employee_number: "N2", login: "login2" }]);
      throw rollback;
    }).catch((e) => { if (e !== rollback) throw e; });
  });
});

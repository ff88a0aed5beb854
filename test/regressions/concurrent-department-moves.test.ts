// Regression: two HR transactions moving employees out of the same departments in opposite orders
// deadlocked on PostgreSQL, because the member-departure triggers stamped the department rows the
// employees left (each transaction locking one, then waiting for the other's). The triggers
// (migration 002) now only insert into group_changes and lock no department or legal-unit row: both
// transactions commit and both groups change. On PostgreSQL the two transactions interleave on two
// connections; the embedded PGlite has one connection, so there they run one after the other.
import { describe, expect, it } from "vitest";
import { bearer } from "../support/scim-client.js";
import { useTestApp } from "../support/use-test-app.js";
import { makeSmallOrganisation } from "../api/groups-fixture.js";

const t = useTestApp();

describe("concurrent HR moves", () => {
  it("move employees out of two departments in opposite orders without deadlock, and both groups change", async () => {
    const org = await makeSmallOrganisation(t.db, ["LUCCA_DEPT"], [{ login: "u1" }, { login: "u2" }, { login: "u3" }, { login: "u4" }]);
    const [d2] = await t.db("departments").insert({ tenant_id: org.tenantId, name: "Second", updated_at: "2026-01-05T08:00:00Z" }).returning("id");
    const [d3] = await t.db("departments").insert({ tenant_id: org.tenantId, name: "Third", updated_at: "2026-01-05T08:00:00Z" }).returning("id");
    const d1 = org.departmentId;
    const { u1, u2, u3, u4 } = org.employees;
    await t.db("employees").where({ tenant_id: org.tenantId }).whereIn("id", [u2, u4]).update({ department_id: d2.id });
    const tok = await t.token(org.slug);
    const version = async (d: number) => (await t.request().get(`/scim/v2/Groups/LUCCA_DEPT-${d}`).set(bearer(tok))).body.meta.version;
    const before = [await version(d1), await version(d2.id)];

    const move = (trx: typeof t.db, id: number) => trx("employees").where({ tenant_id: org.tenantId, id }).update({ department_id: d3.id });
    if (process.env.DATABASE_URL) {
      const first = await t.db.transaction();
      const second = await t.db.transaction();
      try {
        await move(first, u1);   // out of D1
        await move(second, u2);  // out of D2
        await Promise.all([move(first, u4), move(second, u3)]); // out of D2, out of D1: crossed
        await Promise.all([first.commit(), second.commit()]);
      } catch (e) {
        await Promise.allSettled([first.rollback(), second.rollback()]);
        throw e;
      }
    } else {
      await t.db.transaction(async (trx) => { await move(trx, u1); await move(trx, u4); });
      await t.db.transaction(async (trx) => { await move(trx, u2); await move(trx, u3); });
    }
    const moved = await t.db("employees").where({ tenant_id: org.tenantId, department_id: d3.id }).count({ n: "*" }).first();
    expect(Number(moved?.n)).toBe(4);
    const after = [await version(d1), await version(d2.id)];
    expect(after[0]).not.toBe(before[0]);
    expect(after[1]).not.toBe(before[1]);
  });
});

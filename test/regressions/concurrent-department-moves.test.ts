// Regression: two HR transactions moving employees out of the same departments in opposite orders
// deadlocked on PostgreSQL, because the member-departure triggers stamped the department rows the
// employees left (each transaction locking one, then waiting for the other's). The triggers
// (migration 002) now only insert into group_changes and lock no department or legal-unit row: both
// transactions commit and both groups change.
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
    // Since the HR change feed (migration 20261202_002) a tenant's HR writers take its feed counter
    // at their first change and hold it until commit: on PostgreSQL the two transactions, started
    // together in opposite orders, run one after the other instead of interleaving, and neither
    // deadlocks. The embedded PGlite has one connection, so there they run one after the other too.
    await Promise.all([
      t.db.transaction(async (trx) => { await move(trx, u1); await move(trx, u4); }), // out of D1, then D2
      t.db.transaction(async (trx) => { await move(trx, u2); await move(trx, u3); }), // out of D2, then D1
    ]);
    const moved = await t.db("employees").where({ tenant_id: org.tenantId, department_id: d3.id }).count({ n: "*" }).first();
    expect(Number(moved?.n)).toBe(4);
    const after = [await version(d1), await version(d2.id)];
    expect(after[0]).not.toBe(before[0]);
    expect(after[1]).not.toBe(before[1]);
  });
});

// Regression: a User's meta.lastModified and ETag ignored changes to its contracts made after the
// fact (an end date entered late, a rehire starting in the past, a deleted contract) when no
// lifecycle transition lay ahead: delta pollers and If-None-Match clients missed leavers and
// rehires. Triggers on contracts now stamp the employee (migration 003), so each such change moves
// the User's lastModified and version.
import { describe, expect, it } from "vitest";
import { useTestApp } from "../support/use-test-app.js";
import { makeSmallOrganisation } from "../api/groups-fixture.js";
import { expectUserChanged, fetchUser } from "../api/user-changes-fixture.js";

const t = useTestApp();

describe("a contract changed after the fact", () => {
  it("moves lastModified and the ETag when an end date is entered late, when a rehire starts in the past, and when a contract is deleted", async () => {
    const org = await makeSmallOrganisation(t.db, [], [{ login: "late.leaver" }]);
    const token = await t.token(org.slug);
    const id = org.employees["late.leaver"];
    const before = await fetchUser(t, token, id);
    expect(before.active).toBe(true);

    // The contract ended five days ago (TEST_NOW is 2026-06-15): no transition lies ahead.
    await t.db("contracts").where({ tenant_id: org.tenantId, employee_id: id }).update({ end_date: "2026-06-10" });
    const ended = await expectUserChanged(t, token, id, before);
    expect(ended.active).toBe(false);

    const rehired = await t.db("contracts").insert({ tenant_id: org.tenantId, employee_id: id, start_date: "2026-06-12" }).returning("id");
    const back = await expectUserChanged(t, token, id, ended);
    expect(back.active).toBe(true);

    await t.db("contracts").where({ tenant_id: org.tenantId, id: rehired[0].id }).delete();
    const undone = await expectUserChanged(t, token, id, back);
    expect(undone.active).toBe(false);
  });
});

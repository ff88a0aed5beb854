// Regression: a change of the tenant's settings did not move any resource's meta.lastModified or
// ETag, though it can change every resource: turning futureEmployeesActive on flipped active for
// future employees while their version stayed the same. A settings change (tenant set) now stamps
// the tenant (migration 004), and that time is part of every User's and Group's lastModified.
import { describe, expect, it } from "vitest";
import { bearer } from "../support/scim-client.js";
import { useTestApp } from "../support/use-test-app.js";
import { updateTenantSetting } from "../../src/hr/tenants.js";
import { makeSmallOrganisation } from "../api/groups-fixture.js";
import { expectUserChanged, fetchUser } from "../api/user-changes-fixture.js";

const t = useTestApp();

describe("a change of the tenant's settings", () => {
  it("moves every User's and Group's lastModified and ETag (futureEmployeesActive flips active without any row changing)", async () => {
    const org = await makeSmallOrganisation(t.db, ["LUCCA_DEPT"], [{ login: "starter", start: "2026-09-01" }, { login: "staff" }]);
    const token = await t.token(org.slug, ["future-employees:read"]);
    const { starter, staff } = org.employees;
    const before = { starter: await fetchUser(t, token, starter), staff: await fetchUser(t, token, staff) };
    const group = (await t.request().get(`/scim/v2/Groups/LUCCA_DEPT-${org.departmentId}`).set(bearer(token))).body;
    expect(before.starter.active).toBe(false);

    await updateTenantSetting(t.db, org.slug, "futureEmployeesActive", "true", new Date("2026-06-15T09:00:00Z"));
    const starterAfter = await expectUserChanged(t, token, starter, before.starter);
    expect(starterAfter.active).toBe(true);
    expect(starterAfter.meta.lastModified).toBe("2026-06-15T09:00:00.000Z");
    await expectUserChanged(t, token, staff, before.staff);
    const groupAfter = (await t.request().get(`/scim/v2/Groups/LUCCA_DEPT-${org.departmentId}`).set(bearer(token))).body;
    expect(groupAfter.meta.version).not.toBe(group.meta.version);
    expect(groupAfter.meta.lastModified).toBe("2026-06-15T09:00:00.000Z");
  });
});

// Regression: a User shows its manager's name, but a change of the manager's row (a new first name)
// did not move the report's meta.lastModified or ETag, so clients kept the old manager name. The
// manager's row is now part of the User's lastModified.
import { describe, expect, it } from "vitest";
import { useTestApp } from "../support/use-test-app.js";
import { makeSmallOrganisation } from "../api/groups-fixture.js";
import { ENTERPRISE, expectUserChanged, fetchUser } from "../api/user-changes-fixture.js";

const t = useTestApp();

describe("the manager", () => {
  it("moves the report's lastModified and ETag when the manager's name changes", async () => {
    const org = await makeSmallOrganisation(t.db, [], [{ login: "boss" }, { login: "report" }]);
    const token = await t.token(org.slug);
    const { boss, report } = org.employees;
    await t.db("employees").where({ tenant_id: org.tenantId, id: report }).update({ manager_id: boss, updated_at: "2026-02-01T08:00:00Z" });
    const before = await fetchUser(t, token, report);
    expect(before[ENTERPRISE].manager).toMatchObject({ value: String(boss), displayName: "boss Acme" });
    await t.db("employees").where({ tenant_id: org.tenantId, id: boss }).update({ first_name: "Chief", updated_at: "2026-06-01T08:00:00Z" });
    const after = await expectUserChanged(t, token, report, before);
    expect(after[ENTERPRISE].manager.displayName).toBe("Chief Acme");
    expect(after.meta.lastModified).toBe("2026-06-01T08:00:00.000Z");
  });
});

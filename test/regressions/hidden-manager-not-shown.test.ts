// Regression: a User showed as its manager an employee the token may not see (a future employee,
// without future-employees:read), name and id included, although that manager is 404 by id. The
// manager is now absent from the resource unless the token may see them; a manager.value filter
// still compares the HR column (its index serves it), for either token.
import { describe, expect, it } from "vitest";
import { bearer } from "../support/scim-client.js";
import { useTestApp } from "../support/use-test-app.js";
import { makeSmallOrganisation } from "../api/groups-fixture.js";
import { ENTERPRISE, fetchUser } from "../api/user-changes-fixture.js";

const t = useTestApp();

describe("the manager", () => {
  it("is absent from the resource when the token cannot see the manager (a future employee)", async () => {
    const org = await makeSmallOrganisation(t.db, [], [{ login: "incoming.boss", start: "2026-09-01" }, { login: "report" }]);
    const { "incoming.boss": boss, report } = org.employees;
    await t.db("employees").where({ tenant_id: org.tenantId, id: report }).update({ manager_id: boss });
    const token = await t.token(org.slug);
    const seeing = await t.token(org.slug, ["future-employees:read"]);
    expect((await fetchUser(t, token, report))[ENTERPRISE]?.manager).toBeUndefined();
    expect((await t.request().get(`/scim/v2/Users/${boss}`).set(bearer(token))).status).toBe(404);
    expect((await fetchUser(t, seeing, report))[ENTERPRISE].manager).toMatchObject({ value: String(boss) });
    // A manager.value filter compares the HR column (its index serves it), for either token.
    const filter = { filter: `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq "${boss}"`, attributes: "id" };
    expect((await t.request().get("/scim/v2/Users").query(filter).set(bearer(seeing))).body.totalResults).toBe(1);
  });
});

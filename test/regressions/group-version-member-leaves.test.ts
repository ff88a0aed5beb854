// Regression: a group's meta.lastModified and ETag did not move when a member left it (moved to
// another department or establishment, deleted from HR, or hidden by the loss of the contract that
// made them visible): the departure leaves no row in the group's own tables, so an If-None-Match
// client got 304 with the old member list, and a delta poller missed the change. Departures are now
// recorded by triggers (migration 002) and move the lastModified and version of every group left.
import { describe, expect, it } from "vitest";
import { bearer } from "../support/scim-client.js";
import { useTestApp } from "../support/use-test-app.js";
import { listGroups, makeOrganisationWithSecondUnits, memberIds } from "../api/groups-fixture.js";

const t = useTestApp();
const get = async (tok: string, id: string) => (await t.request().get(`/scim/v2/Groups/${id}`).set(bearer(tok))).body;

describe("a member leaving a group moves the group's meta.lastModified and ETag", () => {
  it("when the member moves to another department and establishment (old groups change, 304 no longer answered)", async () => {
    const { org, tok, other } = await makeOrganisationWithSecondUnits(t);
    const ids = [`LUCCA_DEPT-${org.departmentId}`, `LUCCA_ETS-${org.establishmentId}`, `LUCCA_LU-${org.legalUnitId}`, "LUCCA_COUNTRY-FR"];
    const before = await Promise.all(ids.map((id) => get(tok, id)));
    for (const g of before) expect(g.members).toHaveLength(2);
    await t.db("employees").where({ tenant_id: org.tenantId, id: org.employees.mover })
      .update({ department_id: other.departmentId, establishment_id: other.establishmentId, updated_at: "2026-06-10T09:30:00Z" });
    for (const [i, id] of ids.entries()) {
      const after = await get(tok, id);
      expect(memberIds(after)).toEqual([String(org.employees.stayer)]);
      expect(after.meta.lastModified).toBe("2026-06-10T09:30:00.000Z");
      expect(after.meta.version).not.toBe(before[i].meta.version);
      const conditional = await t.request().get(`/scim/v2/Groups/${id}`).set(bearer(tok)).set("If-None-Match", before[i].meta.version);
      expect(conditional.status).toBe(200);
    }
    const delta = await listGroups(t, tok, { filter: 'meta.lastModified ge "2026-06-10T09:30:00Z"', attributes: "displayName" });
    expect(delta.Resources.map((g) => g.id).sort()).toEqual([...ids, `LUCCA_DEPT-${other.departmentId}`, `LUCCA_ETS-${other.establishmentId}`, `LUCCA_LU-${other.legalUnitId}`, "LUCCA_COUNTRY-DE"].sort());
  });

  it("when the member is deleted from HR, or loses the contract that made them visible", async () => {
    const { org, tok } = await makeOrganisationWithSecondUnits(t);
    const dept = `LUCCA_DEPT-${org.departmentId}`;
    const first = await get(tok, dept);
    await t.db("contracts").where({ tenant_id: org.tenantId, employee_id: org.employees.mover }).delete();
    const hidden = await get(tok, dept);
    expect(memberIds(hidden)).toEqual([String(org.employees.stayer)]);
    expect(new Date(hidden.meta.lastModified) > new Date(first.meta.lastModified)).toBe(true);
    expect(hidden.meta.version).not.toBe(first.meta.version);
    await t.db("employees").where({ tenant_id: org.tenantId, id: org.employees.stayer }).delete();
    const empty = await get(tok, dept);
    expect(empty.members ?? []).toEqual([]);
    expect(new Date(empty.meta.lastModified) >= new Date(hidden.meta.lastModified)).toBe(true);
  });
});

// Regression: groups whose members change without any employee row changing kept their version.
// When an establishment moved to another legal unit, or a legal unit to another country, first the
// legal unit and country its employees left did not change (304 with a stale member list); then,
// once that was fixed, the legal unit and country they arrived in still kept their old version.
// Both sides now move their meta.lastModified and ETag to the time of the move.
import { describe, expect, it } from "vitest";
import { bearer } from "../support/scim-client.js";
import { useTestApp } from "../support/use-test-app.js";
import { makeOrganisationWithSecondUnits } from "../api/groups-fixture.js";

const t = useTestApp();
const get = async (tok: string, id: string) => (await t.request().get(`/scim/v2/Groups/${id}`).set(bearer(tok))).body;

describe("a member leaving a group moves the group's meta.lastModified and ETag", () => {
  it("when an establishment moves to another legal unit, and a legal unit to another country", async () => {
    const { org, tok, other } = await makeOrganisationWithSecondUnits(t);
    const lu = `LUCCA_LU-${org.legalUnitId}`;
    const before = await get(tok, lu);
    const destination = await get(tok, `LUCCA_LU-${other.legalUnitId}`);
    const destinationCountry = await get(tok, "LUCCA_COUNTRY-DE");
    expect(destination.members ?? []).toEqual([]);
    await t.db("establishments").where({ tenant_id: org.tenantId, id: org.establishmentId })
      .update({ legal_unit_id: other.legalUnitId, updated_at: "2026-06-11T07:00:00Z" });
    const after = await get(tok, lu);
    expect(after.members ?? []).toEqual([]);
    expect(after.meta.lastModified).toBe("2026-06-11T07:00:00.000Z");
    expect(after.meta.version).not.toBe(before.meta.version);
    // The members arrive in the other legal unit (and country) though no employee row changed.
    for (const [id, was] of [[`LUCCA_LU-${other.legalUnitId}`, destination], ["LUCCA_COUNTRY-DE", destinationCountry]] as const) {
      const now = await get(tok, id);
      expect(now.members, id).toHaveLength(2);
      expect(now.meta.version, id).not.toBe(was.meta.version);
      expect(now.meta.lastModified, id).toBe("2026-06-11T07:00:00.000Z");
    }

    const [kept] = await t.db("legal_units").insert({ tenant_id: org.tenantId, name: "Acme Holding", country_code: "DE", updated_at: "2026-01-05T08:00:00Z" }).returning("id");
    const germany = await get(tok, "LUCCA_COUNTRY-DE");
    expect(germany.members).toHaveLength(2);
    await t.db("legal_units").where({ tenant_id: org.tenantId, id: other.legalUnitId }).update({ country_code: "AT", updated_at: "2026-06-12T07:00:00Z" });
    const left = await get(tok, "LUCCA_COUNTRY-DE");
    expect(left.members ?? []).toEqual([]);
    expect(left.meta.lastModified).toBe("2026-06-12T07:00:00.000Z");
    expect(left.meta.version).not.toBe(germany.meta.version);
    expect(kept.id).toBeDefined();
  });
});

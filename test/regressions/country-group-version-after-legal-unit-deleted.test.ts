// Regression: deleting a legal unit made its country group's version go back to an older one (the
// deleted unit's changes no longer counted), so a client still holding that older ETag was answered
// 304 although the group had changed. Deleting a legal unit now stamps the remaining legal units of
// its country: the country group's version only moves forward.
import { describe, expect, it } from "vitest";
import { bearer } from "../support/scim-client.js";
import { useTestApp } from "../support/use-test-app.js";
import { makeOrganisationWithSecondUnits } from "../api/groups-fixture.js";

const t = useTestApp();
const get = async (tok: string, id: string) => (await t.request().get(`/scim/v2/Groups/${id}`).set(bearer(tok))).body;

describe("a member leaving a group moves the group's meta.lastModified and ETag", () => {
  it("when a legal unit is deleted, without the country group's version going back", async () => {
    const { org, tok, other } = await makeOrganisationWithSecondUnits(t);
    await t.db("legal_units").insert({ tenant_id: org.tenantId, name: "Acme Services", country_code: "FR", updated_at: "2026-01-05T08:00:00Z" });
    const v0 = await get(tok, "LUCCA_COUNTRY-FR");
    await t.db("establishments").where({ tenant_id: org.tenantId, id: org.establishmentId })
      .update({ legal_unit_id: other.legalUnitId, updated_at: "2026-06-11T07:00:00Z" });
    const v1 = await get(tok, "LUCCA_COUNTRY-FR");
    expect(v1.meta.version).not.toBe(v0.meta.version);
    await t.db("legal_units").where({ tenant_id: org.tenantId, id: org.legalUnitId }).delete();
    const v2 = await get(tok, "LUCCA_COUNTRY-FR");
    expect(v2.meta.version).not.toBe(v0.meta.version);
    expect(new Date(v2.meta.lastModified) >= new Date(v1.meta.lastModified)).toBe(true);
    const conditional = await t.request().get("/scim/v2/Groups/LUCCA_COUNTRY-FR").set(bearer(tok)).set("If-None-Match", v0.meta.version);
    expect(conditional.status).toBe(200);
  });
});

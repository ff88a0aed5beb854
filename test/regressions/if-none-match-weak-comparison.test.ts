// Regression: If-None-Match compared entity tags strongly, so a client sending the ETag without its
// W/ prefix, or within a list of tags, got the whole resource again instead of 304. It now compares
// weakly (RFC 9110 section 13.1.2), on Users and Groups.
import { expect, it } from "vitest";
import { bearer, userByLogin } from "../support/scim-client.js";
import { useTestApp } from "../support/use-test-app.js";

const t = useTestApp();

it("answers 304 to the tag without W/ and to a list holding it, on Users and Groups", async () => {
  const token = await t.token("demo");
  const ada = await userByLogin(t, token, "ada.lovelace");
  const spain = (await t.request().get("/scim/v2/Groups/LUCCA_COUNTRY-ES").set(bearer(token))).body;
  for (const [path, version] of [[`/scim/v2/Users/${ada.id}`, ada.meta.version], ["/scim/v2/Groups/LUCCA_COUNTRY-ES", spain.meta.version]]) {
    expect(version).toMatch(/^W\/".+"$/);
    for (const header of [version, version.replace(/^W\//, ""), `W/"other", ${version}`, `"other", ${version.replace(/^W\//, "")}`]) {
      expect((await t.request().get(path).set(bearer(token)).set("If-None-Match", header)).status, `${path} ${header}`).toBe(304);
    }
    expect((await t.request().get(path).set(bearer(token)).set("If-None-Match", 'W/"other"')).status).toBe(200);
  }
});

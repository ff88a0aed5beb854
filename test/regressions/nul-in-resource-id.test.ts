// Regression: a group id PostgreSQL cannot bind (a NUL: GET /scim/v2/Groups/%00) reached the
// database and came back as a 500. Such ids are now answered 404 with a SCIM error body, like any
// unknown id, on Groups and Users.
import { expect, it } from "vitest";
import { bearer } from "../support/scim-client.js";
import { useTestApp } from "../support/use-test-app.js";

const t = useTestApp();

it("answers ids holding a NUL with 404", async () => {
  const token = await t.token("demo");
  for (const path of ["/scim/v2/Groups/%00", "/scim/v2/Groups/LUCCA_DEPT-%00", "/scim/v2/Groups/LUCCA_COUNTRY-%00", "/scim/v2/Users/%00", "/scim/v2/Users/1%00"]) {
    const res = await t.request().get(path).set(bearer(token));
    expect(res.status, path).toBe(404);
    expect(JSON.parse(res.text)).toMatchObject({ schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: "404" });
  }
});

// Regression: PUT, PATCH and DELETE on the /Users collection itself (a client that lost the id)
// were answered 404 "no SCIM endpoint", which reads as a wrong base URL. They are 405 with
// Allow: GET and a detail pointing to /Users/{id}, whatever the token's permissions.
import { expect, it } from "vitest";
import { bearer } from "../support/scim-client.js";
import { useTestApp } from "../support/use-test-app.js";

const t = useTestApp();

it("answers PUT, PATCH and DELETE on /Users with 405, Allow: GET and the path to use", async () => {
  for (const token of [await t.token("demo"), await t.token("demo", ["users:write"])]) {
    for (const method of ["put", "patch", "delete"] as const) {
      const res = await t.request()[method]("/scim/v2/Users").set(bearer(token)).send({});
      expect(res.status, method).toBe(405);
      expect(res.headers.allow).toBe("GET");
      expect(res.body).toMatchObject({ schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: "405" });
      expect(res.body.detail).toMatch(/\/Users\/\{id\}/);
    }
  }
});

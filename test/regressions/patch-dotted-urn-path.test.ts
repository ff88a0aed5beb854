// Regression: a PATCH path with a dot between the schema URN and the attribute
// (`urn:...:enterprise:2.0:User.manager`, as some clients write it) answered that manager "is not
// exposed for this tenant: hr-scim does not store it", although manager is exposed. The dotted form
// is read as the URN and its attribute, and answered as the colon form is; a URN that is no schema
// of Users is named as such.
import { afterAll, beforeAll, expect, it } from "vitest";
import { buildTestApp, type TestApp } from "../support/build-test-app.js";
import { ENTERPRISE } from "../support/scim-client.js";
import { CORE, getUser, ops, patch, writeTenant, type WriteTenant } from "../api/write-back-fixture.js";

let t: TestApp;
let w: WriteTenant;
let id: string;
beforeAll(async () => {
  t = await buildTestApp();
  w = await writeTenant(t);
  id = await w.addEmployee({ login: "dotted.path" });
});
afterAll(() => t.close());

it("answers the dotted enterprise path as the colon form: 400 mutability naming manager", async () => {
  for (const path of [`${ENTERPRISE}.manager`, `${ENTERPRISE}:manager`]) {
    const res = await patch(t, w.writer, id, ops({ op: "replace", path, value: { value: "1" } }));
    expect(res.status).toBe(400);
    expect(res.body.scimType).toBe("mutability");
    expect(res.body.detail).toContain(`${ENTERPRISE}:manager`);
    expect(res.body.detail).not.toContain("does not store it");
  }
});

it("writes through the dotted core path", async () => {
  const res = await patch(t, w.writer, id, ops({ op: "replace", path: `${CORE}.name.givenName`, value: "Dot" }));
  expect(res.status).toBe(200);
  expect((await getUser(t, w.reader, id)).name.givenName).toBe("Dot");
});

it("names an unknown schema URN as such", async () => {
  const res = await patch(t, w.writer, id, ops({ op: "replace", path: "urn:example:custom:2.0:User:badge", value: "x" }));
  expect(res.status).toBe(400);
  expect(res.body.scimType).toBe("invalidPath");
  expect(res.body.detail).toContain('the schema "urn:example:custom:2.0:User"');
});

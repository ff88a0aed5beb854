// For tests of what moves a User's meta.lastModified and meta.version: the user read by id, and the
// check that it has changed for every kind of client.
import { expect } from "vitest";
import type { AppUnderTest } from "../support/build-test-app.js";
import { bearer } from "../support/scim-client.js";

export const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

export async function fetchUser(t: AppUnderTest, token: string, id: number) {
  const res = await t.request().get(`/scim/v2/Users/${id}`).set(bearer(token));
  expect(res.status).toBe(200);
  return res.body;
}

/** The user has changed for every kind of client: a new version, a later lastModified, no 304, found by a delta filter. */
export async function expectUserChanged(t: AppUnderTest, token: string, id: number, before: any) {
  const after = await fetchUser(t, token, id);
  expect(after.meta.version).not.toBe(before.meta.version);
  expect(new Date(after.meta.lastModified) > new Date(before.meta.lastModified)).toBe(true);
  const conditional = await t.request().get(`/scim/v2/Users/${id}`).set(bearer(token)).set("If-None-Match", before.meta.version);
  expect(conditional.status).toBe(200);
  const delta = await t.request().get("/scim/v2/Users").query({ filter: `meta.lastModified gt "${before.meta.lastModified}"`, attributes: "id" }).set(bearer(token));
  expect(delta.body.Resources.map((u: any) => u.id)).toContain(String(id));
  return after;
}

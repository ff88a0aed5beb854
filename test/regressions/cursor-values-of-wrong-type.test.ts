// Regression: hostile cursors reached SQL. A Groups cursor replayed on /Users, or a cursor whose
// id or sort value had the wrong type (a text id, a number out of range, an object), gave 500s.
// Cursors carry their resource type and their values are checked against the sort key's and the
// id's types before any query: each is 400 invalidCursor.
import { expect, it } from "vitest";
import { bearer } from "../support/scim-client.js";
import { TEST_SECRET_KEY } from "../support/test-clock.js";
import { useTestApp } from "../support/use-test-app.js";
import { deriveKey } from "../../src/crypto/secret-key.js";
import { CursorCodec, type CursorPosition } from "../../src/scim/cursor.js";
import { findTenantBySlug } from "../../src/hr/tenants.js";

const t = useTestApp();

it("answers 400 invalidCursor, never a 500, for a cursor of another resource type or with values of the wrong type", async () => {
  const token = await t.token("demo");
  // Cursors are sealed: forging one takes the server's key. With it, values of the wrong type are
  // still refused before they reach SQL.
  const codec = new CursorCodec(deriveKey(TEST_SECRET_KEY, "cursor"));
  const tenantId = (await findTenantBySlug(t.db, "demo"))!.id;
  const groups = await t.request().get("/scim/v2/Groups").query({ cursor: "", count: 2 }).set(bearer(token));
  const replayed = await t.request().get("/scim/v2/Users").query({ cursor: groups.body.nextCursor, count: 2 }).set(bearer(token));
  expect(replayed.status).toBe(400);
  expect(replayed.body.scimType).toBe("invalidCursor");
  for (const sortBy of ["userName", "meta.lastModified", "active", undefined]) {
    const query = { cursor: "", count: 2, ...(sortBy ? { sortBy } : {}) };
    const scope = { tenantId, resourceType: "User", sortKey: sortBy?.toLowerCase() ?? "", descending: false, filter: undefined };
    const genuine = { value: null as unknown, id: 1 as unknown };
    const forgeries = [
      { ...genuine, id: "abc" }, { ...genuine, id: 1e300 }, { ...genuine, id: -1 }, { ...genuine, id: 99999999999 },
      ...(sortBy ? [{ ...genuine, value: { x: 1 } }, { ...genuine, value: -1e308 }, { ...genuine, value: "not a value\u0000" }, { ...genuine, value: sortBy === "userName" ? 7 : "2026-02-30T99:00:00Z" }] : []),
    ];
    for (const forged of forgeries) {
      const cursor = codec.seal(scope, forged as CursorPosition, t.now());
      const res = await t.request().get("/scim/v2/Users").query({ ...query, cursor }).set(bearer(token));
      expect(res.status, `${sortBy} ${JSON.stringify(forged)}`).toBe(400);
      expect(res.body.scimType).toBe("invalidCursor");
    }
  }
});

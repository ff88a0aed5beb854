// Regression: one request with a NUL in its URL (GET /scim/v2/Users/%00) made the database refuse
// the integration log's whole batch, so the rows of other requests, other tenants' included, were
// dropped. Client text is now stored with unstorable characters replaced, and a batch the database
// refuses is retried row by row: every request keeps its row.
import crypto from "node:crypto";
import { expect, it } from "vitest";
import { bearer } from "../support/scim-client.js";
import { useTestApp } from "../support/use-test-app.js";

const t = useTestApp();
const rid = () => `nul-${crypto.randomUUID()}`;

it("stores every row of a batch even when a request's URL holds a NUL, for every tenant", async () => {
  const otherToken = await t.token("other");
  const token = await t.token("demo");
  const ids = { demoBefore: rid(), nulUser: rid(), nulGroup: rid(), other: rid(), demoAfter: rid() };
  expect((await t.request().get("/scim/v2/Users?count=1").set(bearer(token)).set("X-Request-Id", ids.demoBefore)).status).toBe(200);
  expect((await t.request().get("/scim/v2/Users/%00").set(bearer(token)).set("X-Request-Id", ids.nulUser)).status).toBe(404);
  expect((await t.request().get("/scim/v2/Groups/LUCCA_DEPT-%00").set(bearer(otherToken)).set("X-Request-Id", ids.nulGroup)).status).toBe(404);
  expect((await t.request().get("/scim/v2/Users?count=1").set(bearer(otherToken)).set("X-Request-Id", ids.other)).status).toBe(200);
  expect((await t.request().get("/scim/v2/Users?count=1").set(bearer(token)).set("X-Request-Id", ids.demoAfter)).status).toBe(200);
  await t.integrationLog.flush();
  for (const [name, id] of Object.entries(ids)) {
    expect(await t.db("integration_log").where({ request_id: id }), name).toHaveLength(1);
  }
  const [nul] = await t.db("integration_log").where({ request_id: ids.nulGroup });
  expect(nul.resource_id).toBe("LUCCA_DEPT-\ufffd");
});

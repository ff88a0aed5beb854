// The statements a single-resource read sends (issue 10): once its token is verified, a `userName eq`
// lookup and a GET by id send their one listing statement and nothing else (the integration log is
// written in batches, apart). The verified token is kept briefly in process (auth/verified-token-cache.ts):
// a change made through this process is seen at once, one made elsewhere within the cache's TTL.
import supertest from "supertest";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app.js";
import { DEFAULT_TOKEN_CACHE_MS } from "../../src/auth/verified-token-cache.js";
import { TEST_SECRET_KEY } from "../support/test-clock.js";
import { testRunLogger } from "../support/test-run.js";
import { bearer, userByLogin } from "../support/scim-client.js";
import { issueTestToken } from "../support/build-test-app.js";
import { useTestApp } from "../support/use-test-app.js";
import { findTenantBySlug } from "../../src/hr/tenants.js";
import { adminBearer, issueTestAdminKey } from "../support/admin.js";

const t = useTestApp();

/** The statements `send` makes the app send, the integration log's batched inserts left out. */
async function statementsOf(send: () => Promise<unknown>): Promise<string[]> {
  const seen: string[] = [];
  const listener = (q: { sql: string }) => seen.push(q.sql);
  t.db.on("query", listener);
  try {
    await send();
  } finally {
    t.db.removeListener("query", listener);
  }
  return seen.filter((sql) => !sql.startsWith('insert into "integration_log"'));
}

/** The status a one-row /Users page answers the token with. */
const listStatus = async (token: string) => (await t.request().get("/scim/v2/Users?count=1").set(bearer(token))).status;

async function demoToken(): Promise<{ token: string; id: string }> {
  const tenant = await findTenantBySlug(t.db, "demo");
  return issueTestToken(t.db, { tenantId: tenant!.id, now: t.now() });
}

describe("a single-resource read", () => {
  it("sends one statement for a userName eq lookup and one for a GET by id, once the token is verified", async () => {
    const { token } = await demoToken();
    const lookup = () => t.request().get("/scim/v2/Users").query({ filter: 'userName eq "ada.lovelace"' }).set(bearer(token)).expect(200);
    // The first request also reads the token, records its use, and may move the stored lifecycle.
    const first = await statementsOf(lookup);
    expect(first.some((sql) => sql.includes('from "api_tokens"'))).toBe(true);
    const again = await statementsOf(lookup);
    expect(again).toHaveLength(1);
    expect(again[0]).toMatch(/^select /);
    const ada = await userByLogin(t, token, "ada.lovelace");
    const byId = await statementsOf(() => t.request().get(`/scim/v2/Users/${ada.id}`).set(bearer(token)).expect(200));
    expect(byId).toHaveLength(1);
    const notModified = await statementsOf(() => t.request().get(`/scim/v2/Users/${ada.id}`).set({ ...bearer(token), "If-None-Match": ada.meta.version }).expect(304));
    expect(notModified).toHaveLength(1);
  });

  it("refuses a token revoked through this process at once, though it was verified a moment before", async () => {
    const { token, id } = await demoToken();
    const demo = await findTenantBySlug(t.db, "demo");
    const { key } = await issueTestAdminKey(t.db, { roles: ["security-admin"], tenantId: demo!.id, now: t.now() });
    expect(await listStatus(token)).toBe(200);
    expect((await t.request().post(`/admin/v1/tenants/demo/tokens/${id}/revoke`).set(adminBearer(key)).send({})).status).toBe(200);
    expect(await listStatus(token)).toBe(401);
  });

  it("refuses a token revoked by another process once the token cache's TTL has passed", async () => {
    const { token, id } = await demoToken();
    const start = t.now();
    try {
      expect(await listStatus(token)).toBe(200);
      // As the CLI or another server revokes: no notification reaches this process.
      await t.db("api_tokens").where({ id }).update({ revoked_at: start });
      t.setNow(new Date(start.getTime() + DEFAULT_TOKEN_CACHE_MS - 1));
      expect(await listStatus(token)).toBe(200);
      t.setNow(new Date(start.getTime() + DEFAULT_TOKEN_CACHE_MS));
      expect(await listStatus(token)).toBe(401);
    } finally {
      t.setNow(start);
    }
  });

  it("reads the token again when the clock stands before the instant it was verified at", async () => {
    const { token, id } = await demoToken();
    const start = t.now();
    try {
      expect(await listStatus(token)).toBe(200);
      await t.db("api_tokens").where({ id }).update({ revoked_at: start });
      t.setNow(new Date(start.getTime() - 1));
      expect(await listStatus(token)).toBe(401);
    } finally {
      t.setNow(start);
    }
  });

  it("reads the token on every request when reads go to a replica (READ_DATABASE_URL: read routing needs its stored last write)", async () => {
    // The database as its own "replica": what matters here is that the app is given one.
    const app = createApp({ db: t.db, readDb: t.db, clock: t.now, logger: testRunLogger(), integrationLog: t.integrationLog, baseUrl: "https://scim.test", secretKey: TEST_SECRET_KEY });
    const { token, id } = await demoToken();
    expect((await supertest(app).get("/scim/v2/Users?count=1").set(bearer(token))).status).toBe(200);
    await t.db("api_tokens").where({ id }).update({ revoked_at: t.now() });
    expect((await supertest(app).get("/scim/v2/Users?count=1").set(bearer(token))).status).toBe(401);
  });
});

// Operations (issue 2): one integration-log row per authenticated SCIM request, none for the others;
// one JSON log line per request with ids, route, status and latency, and never a token, an
// Authorization header or an employee's personal data.
import crypto from "node:crypto";
import { Writable } from "node:stream";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { bearer, userByLogin } from "../support/scim-client.js";
import { useTestApp } from "../support/use-test-app.js";
import { issueToken } from "../../src/auth/tokens.js";
import { findTenantBySlug } from "../../src/hr/tenants.js";
import { createLogger } from "../../src/logger.js";

/** The app's log lines since the current test began. */
let lines: string[] = [];
const capture = new Writable({
  write(chunk, _encoding, done) {
    lines.push(...String(chunk).split("\n").filter(Boolean));
    done();
  },
});
const t = useTestApp({ logger: createLogger("info", { stream: capture }) });
let token: string;
let tokenId: string;

beforeAll(async () => {
  const demo = (await findTenantBySlug(t.db, "demo"))!;
  const issued = await issueToken(t.db, { tenantId: demo.id, name: "operations-test", permissions: [], createdBy: "test", now: t.now() });
  token = issued.token;
  tokenId = issued.record.id;
});
beforeEach(() => { lines = []; });

const rid = () => `ops-${crypto.randomUUID()}`;

/** Request and token ids are random UUIDs, whose hex digits can spell "ada": blanked before looking for names. */
const withoutUuids = (text: string) => text.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, "<uuid>");

/** The request log lines of one request id, parsed. */
async function requestLines(requestId: string): Promise<any[]> {
  await new Promise((resolve) => setImmediate(resolve));
  return lines.map((l) => JSON.parse(l)).filter((l) => l.requestId === requestId && l.message === "request");
}

describe("the integration log", () => {
  it("gets one row per authenticated SCIM request with method, path, status, token, request id and duration", async () => {
    const ada = await userByLogin(t, token, "ada.lovelace");
    const calls = [
      { id: rid(), run: (id: string) => t.request().get("/scim/v2/Users?count=2").set(bearer(token)).set("X-Request-Id", id), method: "GET", path: "/scim/v2/Users", status: 200 },
      { id: rid(), run: (id: string) => t.request().get(`/scim/v2/Users/${ada.id}`).set(bearer(token)).set("X-Request-Id", id), method: "GET", path: `/scim/v2/Users/${ada.id}`, status: 200, resource: ada.id },
      { id: rid(), run: (id: string) => t.request().get("/scim/v2/Users/2147483000").set(bearer(token)).set("X-Request-Id", id), method: "GET", path: "/scim/v2/Users/2147483000", status: 404 },
      { id: rid(), run: (id: string) => t.request().post("/scim/v2/Users/.search").set(bearer(token)).set("X-Request-Id", id).send({ filter: 'userName eq "ada.lovelace"' }), method: "POST", path: "/scim/v2/Users/.search", status: 200 },
      { id: rid(), run: (id: string) => t.request().get("/scim/v2/Users?filter=bad").set(bearer(token)).set("X-Request-Id", id), method: "GET", path: "/scim/v2/Users", status: 400 },
      { id: rid(), run: (id: string) => t.request().get("/scim/v2/ServiceProviderConfig").set(bearer(token)).set("X-Request-Id", id), method: "GET", path: "/scim/v2/ServiceProviderConfig", status: 200 },
    ];
    for (const call of calls) expect((await call.run(call.id)).status).toBe(call.status);
    await t.integrationLog.flush();
    for (const call of calls) {
      const rows = await t.db("integration_log").where({ request_id: call.id });
      expect(rows, call.path).toHaveLength(1);
      const row = rows[0];
      expect(row).toMatchObject({ method: call.method, path: call.path, status: call.status, token_id: tokenId });
      expect(Number.isInteger(row.duration_ms)).toBe(true);
      expect(row.duration_ms).toBeGreaterThanOrEqual(0);
      expect(new Date(row.at).getTime()).toBe(t.now().getTime());
      if (call.resource) expect(row.resource_id).toBe(call.resource);
    }
  });

  it("keeps query strings (filters hold personal data) out of the stored path", async () => {
    const id = rid();
    await t.request().get("/scim/v2/Users").query({ filter: 'userName eq "ada.lovelace"' }).set(bearer(token)).set("X-Request-Id", id);
    await t.integrationLog.flush();
    const [row] = await t.db("integration_log").where({ request_id: id });
    expect(row.path).toBe("/scim/v2/Users");
    expect(withoutUuids(JSON.stringify(row))).not.toMatch(/ada|lovelace/i);
  });

  it("gets no row for unauthenticated or refused requests", async () => {
    const ids = [rid(), rid(), rid(), rid(), rid()];
    await t.request().get("/scim/v2/Users").set("X-Request-Id", ids[0]);
    await t.request().get("/scim/v2/Users").set(bearer(token.slice(0, -1) + "x")).set("X-Request-Id", ids[1]);
    await t.request().get("/scim/v2/Users").query({ access_token: token }).set("X-Request-Id", ids[2]);
    await t.request().get("/healthz").set("X-Request-Id", ids[3]);
    await t.request().get("/scim/v2").set("X-Request-Id", ids[4]);
    await t.integrationLog.flush();
    expect(await t.db("integration_log").whereIn("request_id", ids)).toEqual([]);
  });
});

describe("the request log", () => {
  it("writes one JSON line per request with requestId, tenant, tokenId, method, route, status and latencyMs", async () => {
    const ada = await userByLogin(t, token, "ada.lovelace");
    const id = rid();
    await t.request().get(`/scim/v2/Users/${ada.id}`).set(bearer(token)).set("X-Request-Id", id);
    const [line, ...more] = await requestLines(id);
    expect(more).toEqual([]);
    expect(line).toMatchObject({ requestId: id, tenant: "demo", tokenId, method: "GET", route: "/scim/v2/Users/:id", status: 200, level: "info" });
    expect(typeof line.latencyMs).toBe("number");
    expect(line.latencyMs).toBeGreaterThanOrEqual(0);
    expect(typeof line.timestamp).toBe("string");

    const listId = rid();
    await t.request().get("/scim/v2/Users?count=1").set(bearer(token)).set("X-Request-Id", listId);
    expect((await requestLines(listId))[0]).toMatchObject({ route: "/scim/v2/Users", status: 200, tenant: "demo" });

    // Errors are rendered outside the SCIM router: their lines name the same routes.
    const badId = rid();
    await t.request().get("/scim/v2/Users?filter=bad").set(bearer(token)).set("X-Request-Id", badId);
    expect((await requestLines(badId))[0]).toMatchObject({ route: "/scim/v2/Users", status: 400, tenant: "demo", tokenId });
    const missingId = rid();
    await t.request().get("/scim/v2/Users/2147483000").set(bearer(token)).set("X-Request-Id", missingId);
    expect((await requestLines(missingId))[0]).toMatchObject({ route: "/scim/v2/Users/:id", status: 404 });
    const unmatchedId = rid();
    await t.request().get("/scim/v2/Nothing/here").set(bearer(token)).set("X-Request-Id", unmatchedId);
    expect((await requestLines(unmatchedId))[0]).toMatchObject({ route: "unmatched", status: 404 });
  });

  it("logs unauthenticated requests without tenant or token", async () => {
    const id = rid();
    await t.request().get("/scim/v2/Users").set("X-Request-Id", id);
    const [line] = await requestLines(id);
    expect(line).toMatchObject({ requestId: id, method: "GET", status: 401 });
    expect(line.tenant).toBeUndefined();
    expect(line.tokenId).toBeUndefined();
  });

  it("never contains the bearer token, the Authorization header, or employees' emails and names", async () => {
    const ada = await userByLogin(t, token, "ada.lovelace");
    const elodie = await userByLogin(t, token, "elodie.durand-muller");
    lines = [];
    await t.request().get(`/scim/v2/Users/${ada.id}`).set(bearer(token));
    await t.request().get("/scim/v2/Users").query({ filter: 'userName eq "ada.lovelace" or name.givenName eq "Élodie"' }).set(bearer(token));
    await t.request().get("/scim/v2/Users").query({ filter: 'emails.value co "lovelace@demo' }).set(bearer(token));
    await t.request().post("/scim/v2/Users/.search").set(bearer(token)).send({ filter: 'displayName eq "Ada Lovelace"' });
    await t.request().get("/scim/v2/Users").query({ access_token: token });
    await t.request().get("/scim/v2/Users").set(bearer(token.slice(0, -2) + "zz"));
    await t.request().get("/scim/v2/Users").set("Authorization", `Basic ${Buffer.from("ada.lovelace:secret").toString("base64")}`);
    await t.request().get(`/scim/v2/Users/${elodie.id}`).set(bearer(token)).set("If-None-Match", elodie.meta.version);
    await t.request().post("/scim/v2/Users/.search").set(bearer(token)).set("Content-Type", "application/json").send('{"filter": "userName eq \\"ada.lovelace\\"",');
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines.length).toBeGreaterThanOrEqual(9);
    const text = lines.join("\n");
    expect(text).not.toContain(token);
    expect(text).not.toContain(token.slice(-20));
    expect(text).not.toContain(token.slice(0, -2));
    expect(text).not.toMatch(/authorization|bearer|basic /i);
    expect(withoutUuids(text)).not.toMatch(/ada|lovelace|elodie|Élodie|durand|demo\.example|@/i);
    expect(text).not.toContain(Buffer.from("ada.lovelace:secret").toString("base64"));
    for (const l of lines) expect(() => JSON.parse(l)).not.toThrow();
  });
});

// Bearer authentication (docs/CLIENTS.md item 23, docs/BEHAVIOUR.md section 6): 401 with
// WWW-Authenticate and a SCIM body for every token that does not open the door; tokens only in the
// header; permissions read per request; secrets stored only as hashes.
import { describe, expect, it } from "vitest";
import { bearer, json, userByLogin } from "../support/scim-client.js";
import { useTestApp } from "../support/use-test-app.js";
import { issueToken, revokeToken, setTokenPermission } from "../../src/auth/tokens.js";
import type { Permission } from "../../src/auth/permissions.js";
import { findTenantBySlug } from "../../src/hr/tenants.js";

const t = useTestApp();

const ERROR = "urn:ietf:params:scim:api:messages:2.0:Error";

/** A token of demo's that the test may revoke or change, with its record. */
async function issue(permissions: Permission[] = [], expiresAt?: Date) {
  const demo = (await findTenantBySlug(t.db, "demo"))!;
  return issueToken(t.db, { tenantId: demo.id, name: `auth-test-${Math.random()}`, permissions, createdBy: "test", now: t.now(), expiresAt });
}

function expectUnauthorized(res: { status: number; headers: Record<string, string>; text: string }) {
  expect(res.status).toBe(401);
  expect(res.headers["www-authenticate"]).toMatch(/^Bearer\b/);
  expect(res.headers["content-type"]).toBe("application/scim+json; charset=utf-8");
  const body = json(res);
  expect(body).toMatchObject({ schemas: [ERROR], status: "401" });
  expect(body.detail).toEqual(expect.any(String));
  expect(body.detail.length).toBeGreaterThan(10);
}

describe("401 with WWW-Authenticate: Bearer and a SCIM body", () => {
  it("for a missing Authorization header, on every SCIM endpoint", async () => {
    for (const path of ["/scim/v2/Users", "/scim/v2/Users/1", "/scim/v2/ServiceProviderConfig", "/scim/v2/Schemas", "/scim/v2/ResourceTypes"]) {
      expectUnauthorized(await t.request().get(path));
    }
    expectUnauthorized(await t.request().post("/scim/v2/Users/.search").send({ filter: 'userName eq "ada.lovelace"' }));
    expectUnauthorized(await t.request().post("/scim/v2/.search").send({}));
  });

  it("for an unknown token of the right shape", async () => {
    const token = await t.token("demo");
    const forged = token.slice(0, -5) + (token.endsWith("AAAAA") ? "BBBBB" : "AAAAA");
    expectUnauthorized(await t.request().get("/scim/v2/Users").set(bearer(forged)));
    const otherTenant = token.replace(/^hrscim_\d+_/, "hrscim_999999_");
    expectUnauthorized(await t.request().get("/scim/v2/Users").set(bearer(otherTenant)));
  });

  it("for malformed tokens", async () => {
    const token = await t.token("demo");
    for (const value of ["Bearer", "Bearer ", "Bearer not-a-token", "Bearer hrscim_1_short", `Bearer hrscim_99999999999999_${"a".repeat(43)}`,
      `Bearer ${token} extra`, `Bearer "${token}"`, `Bearer ${"x".repeat(5000)}`, "Bearer ' or 1=1 --"]) {
      expectUnauthorized(await t.request().get("/scim/v2/Users").set("Authorization", value));
    }
  });

  it("for a revoked token, from the next request on", async () => {
    const { token: secret, record } = await issue();
    expect((await t.request().get("/scim/v2/Users?count=1").set(bearer(secret))).status).toBe(200);
    await revokeToken(t.db, record.id, t.now());
    expectUnauthorized(await t.request().get("/scim/v2/Users?count=1").set(bearer(secret)));
  });

  it("for an expired token, and at the instant of expiry", async () => {
    const past = await t.tokenFor("demo", [], { expiresAt: new Date(t.now().getTime() - 60_000) });
    expectUnauthorized(await t.request().get("/scim/v2/Users").set(bearer(past)));
    const expiresAt = new Date(t.now().getTime() + 3_600_000);
    const soon = await t.tokenFor("demo", [], { expiresAt });
    expect((await t.request().get("/scim/v2/Users?count=1").set(bearer(soon))).status).toBe(200);
    const start = t.now();
    try {
      t.setNow(expiresAt);
      expectUnauthorized(await t.request().get("/scim/v2/Users?count=1").set(bearer(soon)));
    } finally {
      t.setNow(start);
    }
  });

  it("for another scheme (Basic, Token)", async () => {
    const token = await t.token("demo");
    const basic = Buffer.from(`${token}:`).toString("base64");
    expectUnauthorized(await t.request().get("/scim/v2/Users").set("Authorization", `Basic ${basic}`));
    expectUnauthorized(await t.request().get("/scim/v2/Users").set("Authorization", `Token ${token}`));
    expectUnauthorized(await t.request().get("/scim/v2/Users").set("Authorization", token));
  });

  it("accepts the scheme name in any case (RFC 7235)", async () => {
    const token = await t.token("demo");
    expect((await t.request().get("/scim/v2/Users?count=1").set("Authorization", `bearer ${token}`)).status).toBe(200);
    expect((await t.request().get("/scim/v2/Users?count=1").set("Authorization", `BEARER ${token}`)).status).toBe(200);
  });
});

describe("tokens only in the Authorization header", () => {
  it("refuses access_token in the query with 400, even when it is valid", async () => {
    const token = await t.token("demo");
    for (const name of ["access_token", "ACCESS_TOKEN"]) {
      const alone = await t.request().get("/scim/v2/Users").query({ [name]: token });
      expect(alone.status).toBe(400);
      expect(json(alone)).toMatchObject({ schemas: [ERROR], status: "400" });
      expect(json(alone).detail).toMatch(/Authorization/);
      const withHeader = await t.request().get("/scim/v2/Users").query({ [name]: token }).set(bearer(token));
      expect(withHeader.status).toBe(400);
    }
  });

  it("refuses access_token in a JSON body with 400, even when it is valid", async () => {
    const token = await t.token("demo");
    const alone = await t.request().post("/scim/v2/Users/.search").send({ access_token: token });
    expect(alone.status).toBe(400);
    expect(json(alone)).toMatchObject({ schemas: [ERROR], status: "400" });
    const withHeader = await t.request().post("/scim/v2/.search").set(bearer(token)).send({ access_token: token, filter: 'userName eq "ada.lovelace"' });
    expect(withHeader.status).toBe(400);
  });

  it("never echoes the token in an error body", async () => {
    const token = await t.token("demo");
    const res = await t.request().get("/scim/v2/Users").query({ access_token: token });
    expect(res.text).not.toContain(token);
    const unknown = await t.request().get("/scim/v2/Users").set(bearer(token.slice(0, -1) + "Z"));
    expect(unknown.text).not.toContain(token.slice(0, -1));
  });
});

describe("permissions decided per request", () => {
  it("shows future employees from the request after future-employees:read is switched on, and hides them after it is off", async () => {
    const { token: secret, record } = await issue();
    expect(await userByLogin(t, secret, "noah.future")).toBeUndefined();
    await setTokenPermission(t.db, record.id, "future-employees:read", true, "security-team", t.now());
    expect((await userByLogin(t, secret, "noah.future"))?.userName).toBe("noah.future");
    await setTokenPermission(t.db, record.id, "future-employees:read", false, "security-team", t.now());
    expect(await userByLogin(t, secret, "noah.future")).toBeUndefined();
    const changes = await t.db("token_permission_changes").where({ tenant_id: record.tenantId, token_id: record.id }).orderBy("id");
    expect(changes.map((c) => [c.permission, c.enabled, c.changed_by])).toEqual([
      ["future-employees:read", true, "security-team"],
      ["future-employees:read", false, "security-team"],
    ]);
  });
});

describe("storage of secrets", () => {
  it("stores only a hash: no row of api_tokens contains the secret or its random part", async () => {
    const { token: secret, record } = await issue();
    const random = secret.replace(/^hrscim_\d+_/, "");
    const rows = await t.db("api_tokens").select("*");
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      const text = JSON.stringify(row);
      expect(text).not.toContain(secret);
      expect(text).not.toContain(random);
      expect(text).not.toContain(random.slice(6, 26));
    }
    const mine = rows.find((r) => r.id === record.id)!;
    expect(mine.secret_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(secret.startsWith(mine.prefix)).toBe(true);
    expect(mine.prefix.length).toBeLessThan(secret.length / 2);
  });
});

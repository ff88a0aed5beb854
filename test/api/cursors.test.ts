// RFC 9865 cursors are opaque and authenticated (sealed with a key derived from HR_SCIM_SECRET_KEY):
// they reveal nothing of the rows, cannot be crafted or altered, and are bound to the tenant, the
// resource type, the filter and the sort order, for CURSOR_TIMEOUT_SECONDS.
import { describe, expect, it } from "vitest";
import { makeTenant } from "../support/build-test-app.js";
import { bearer } from "../support/scim-client.js";
import { TEST_NOW } from "../support/test-clock.js";
import { useTestApp } from "../support/use-test-app.js";
import { issueToken } from "../../src/auth/tokens.js";
import { CURSOR_TIMEOUT_SECONDS } from "../../src/scim/cursor.js";

const t = useTestApp();

/** GET /Users as `who`, by default the demo token. */
const users = async (query: Record<string, string | number>, who?: string) =>
  t.request().get("/scim/v2/Users").query(query).set(bearer(who ?? await t.token("demo")));

describe("cursors", () => {
  it("carry no readable sort value or id", async () => {
    const page = await users({ cursor: "", count: 1, sortBy: "userName" });
    const last = page.body.Resources[0];
    const cursor: string = page.body.nextCursor;
    const decoded = Buffer.from(cursor.replace(/^[^.]*\./, ""), "base64url").toString("latin1");
    expect(decoded).not.toContain(last.userName);
    expect(cursor).not.toContain(Buffer.from(last.userName).toString("base64url").slice(0, 8));
  });

  it("refuse a cursor made by a client: unsigned JSON, a random one, or a genuine one altered by one bit", async () => {
    const page = await users({ cursor: "", count: 2 });
    const genuine: string = page.body.nextCursor;
    const raw = Buffer.from(genuine.slice(3), "base64url");
    raw[raw.length - 20] ^= 1;
    const forgeries = [
      Buffer.from(JSON.stringify({ r: "User", s: "", o: "a", f: "", v: null, i: 1 })).toString("base64url"),
      `c1.${Buffer.alloc(64, 3).toString("base64url")}`,
      `c1.${raw.toString("base64url")}`,
      genuine.slice(0, -2),
      "c1.",
    ];
    for (const cursor of forgeries) {
      const res = await users({ cursor, count: 2 });
      expect(res.status, cursor).toBe(400);
      expect(res.body.scimType).toBe("invalidCursor");
    }
    expect((await users({ cursor: genuine, count: 2 })).status).toBe(200);
  });

  it("are bound to the tenant: another tenant's token cannot use it", async () => {
    const page = await users({ cursor: "", count: 2 });
    const other = await t.token("other");
    const res = await users({ cursor: page.body.nextCursor, count: 2 }, other);
    expect(res.status).toBe(400);
    expect(res.body.scimType).toBe("invalidCursor");
  });

  it("are bound to the filter, the sort key and order, and the resource type", async () => {
    const page = await users({ cursor: "", count: 2, filter: "active eq true", sortBy: "userName" });
    const cursor = page.body.nextCursor;
    const variants: Record<string, string>[] = [{ filter: "active eq false", sortBy: "userName" }, { filter: "active eq true" }, { filter: "active eq true", sortBy: "userName", sortOrder: "descending" }];
    for (const query of variants) {
      const res = await users({ cursor, count: 2, ...query });
      expect(res.status).toBe(400);
      expect(res.body.scimType).toBe("invalidCursor");
    }
    const demo = await t.token("demo");
    const groups = await t.request().get("/scim/v2/Groups").query({ cursor, count: 2, filter: "active eq true", sortBy: "userName" }).set(bearer(demo));
    expect(groups.status).toBe(400);
    expect((await users({ cursor, count: 2, filter: "active eq true", sortBy: "userName" })).status).toBe(200);
  });

  it("expire after the advertised cursorTimeout with expiredCursor", async () => {
    const tenant = await makeTenant(t.db);
    const { token: own } = await issueToken(t.db, { tenantId: tenant.id, name: "cursor-expiry", permissions: [], createdBy: "test", now: t.now() });
    for (const login of ["a.one", "b.two", "c.three"]) {
      const [e] = await t.db("employees").insert({ tenant_id: tenant.id, login, first_name: "A", last_name: "B" }).returning("id");
      await t.db("contracts").insert({ tenant_id: tenant.id, employee_id: e.id, start_date: "2020-01-01" });
    }
    try {
      const page = await users({ cursor: "", count: 1 }, own);
      t.setNow(new Date(TEST_NOW.getTime() + (CURSOR_TIMEOUT_SECONDS - 1) * 1000));
      expect((await users({ cursor: page.body.nextCursor, count: 1 }, own)).status).toBe(200);
      t.setNow(new Date(TEST_NOW.getTime() + (CURSOR_TIMEOUT_SECONDS + 1) * 1000));
      const expired = await users({ cursor: page.body.nextCursor, count: 1 }, own);
      expect(expired.status).toBe(400);
      expect(expired.body.scimType).toBe("expiredCursor");
      expect(expired.body.detail).toMatch(/cursor=/);
    } finally {
      t.setNow(TEST_NOW);
    }
  });
});

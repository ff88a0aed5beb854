// startIndex paging (RFC 7644 section 3.4.2.4) continued by keyset: without changes, pages are exactly
// the slices of the whole list, in any order and with a filter, whether a page continues a scan or
// jumps into it; while HR data changes between pages, no row is served twice or skipped; and a
// repeated startIndex gives the same page.
import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issueToken } from "../../src/auth/tokens.js";
import { buildTestApp, makeTenant, type TestApp } from "../support/build-test-app.js";
import { bearer } from "../support/scim-client.js";

let t: TestApp;
beforeAll(async () => { t = await buildTestApp(); });
afterAll(() => t.close());

/** A tenant of its own with `n` employees (logins in a shuffled order, so that id and userName orders differ). */
async function tenantWith(n: number) {
  const tenant = await makeTenant(t.db, {});
  const logins = Array.from({ length: n }, (_, i) => `user.${String((i * 7) % n).padStart(3, "0")}`);
  const ids: number[] = [];
  for (const login of logins) ids.push(await addEmployee(tenant.id, login));
  const { token } = await issueToken(t.db, { tenantId: tenant.id, name: `p-${crypto.randomUUID()}`, permissions: [], createdBy: "test", now: t.now() });
  return { tenantId: tenant.id, token, ids };
}

async function addEmployee(tenantId: number, login: string): Promise<number> {
  const [row] = await t.db("employees").insert({ tenant_id: tenantId, login, first_name: "F", last_name: login }).returning("id");
  await t.db("contracts").insert({ tenant_id: tenantId, employee_id: row.id, start_date: "2020-01-01" });
  return row.id;
}

async function page(token: string, query: Record<string, string | number>) {
  const res = await t.request().get("/scim/v2/Users").query({ attributes: "userName", ...query }).set(bearer(token));
  expect(res.status).toBe(200);
  return res.body as { totalResults: number; startIndex: number; itemsPerPage: number; Resources: { id: string; userName: string }[] };
}

const names = (body: { Resources: { userName: string }[] }) => body.Resources.map((u) => u.userName);

describe("startIndex pages without changes", () => {
  const orders: { order: string; query: Record<string, string> }[] = [
    { order: "by id", query: {} },
    { order: "by userName descending", query: { sortBy: "userName", sortOrder: "descending" } },
    { order: "by name.familyName with a filter", query: { sortBy: "name.familyName", filter: 'userName sw "user.0"' } },
  ];
  it.each(orders)("are the slices of the whole list, $order, whether they continue a scan or jump into it", async ({ query }) => {
    const { token } = await tenantWith(23);
    const all = names(await page(token, { ...query, count: 1000 }));
    expect(all.length).toBeGreaterThan(5);
    const scanned: string[] = [];
    for (let start = 1; start <= all.length; start += 4) {
      const body = await page(token, { ...query, startIndex: start, count: 4 });
      expect(body.startIndex).toBe(start);
      expect(body.totalResults).toBe(all.length);
      expect(names(body)).toEqual(all.slice(start - 1, start + 3));
      scanned.push(...names(body));
    }
    expect(scanned).toEqual(all);
    for (const start of [all.length, 3, 1, Math.ceil(all.length / 2)]) {
      expect(names(await page(token, { ...query, startIndex: start, count: 5 })), `jump to ${start}`).toEqual(all.slice(start - 1, start + 4));
    }
    expect(names(await page(token, { ...query, startIndex: 9, count: 4 }))).toEqual(names(await page(token, { ...query, startIndex: 9, count: 4 })));
  });
});

describe("startIndex pages while HR data changes", () => {
  it("serve no row twice and skip none that stayed, when rows before the next page are removed or added", async () => {
    const { tenantId, token, ids } = await tenantWith(20);
    const first = await page(token, { startIndex: 1, count: 5 });
    // Two users of the first page leave HR (one deleted, one loses its contract: hidden), one arrives.
    await t.db("employees").where({ tenant_id: tenantId, id: ids[1] }).delete();
    await t.db("contracts").where({ tenant_id: tenantId, employee_id: ids[3] }).delete();
    const served = [...first.Resources.map((u) => u.id)];
    let start = 6;
    for (;;) {
      const body = await page(token, { startIndex: start, count: 5 });
      served.push(...body.Resources.map((u) => u.id));
      if (start === 11) await addEmployee(tenantId, "user.new");
      if (body.itemsPerPage < 5) break;
      start += 5;
    }
    expect(new Set(served).size).toBe(served.length);
    const stayed = ids.filter((id) => id !== ids[1] && id !== ids[3]).map(String);
    expect(stayed.every((id) => served.includes(id))).toBe(true);
  });

  it("serve no row twice when a user sorting before the next page arrives (sorted by userName)", async () => {
    const { tenantId, token } = await tenantWith(12);
    const query = { sortBy: "userName", count: 4 };
    const served = names(await page(token, { ...query, startIndex: 1 }));
    await addEmployee(tenantId, "user.000a"); // sorts within the first page
    served.push(...names(await page(token, { ...query, startIndex: 5 })), ...names(await page(token, { ...query, startIndex: 9 })));
    expect(new Set(served).size).toBe(served.length);
    expect(served).toHaveLength(12);
  });
});

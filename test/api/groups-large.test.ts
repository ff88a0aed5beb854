// A group of 20,000 members (docs/CLIENTS.md item 16): excludedAttributes=members never loads them;
// a full member listing reads them in keyset chunks of at most 5,000 rows; a page of groups holds
// min(count, remaining) groups whatever their members (Okta steps startIndex by count).
//
// Memory bound stated and checked here: no member query returns more than memberChunkSize (5,000)
// rows, and the response is streamed (chunked, no Content-Length), each chunk written and drained
// before the next is read (test/unit/streamed-json.test.ts), so the server holds one chunk of
// members whatever the group's size; serving the 20,000-member group grows this process's heap by
// less than 64 MiB, supertest's buffered text and parsed copy included.
import { beforeAll, describe, expect, it } from "vitest";
import { makeTenant } from "../support/build-test-app.js";
import { bearer } from "../support/scim-client.js";
import { useTestApp } from "../support/use-test-app.js";

const MEMBERS = 20_000;
const LIMITS = { memberChunkSize: 5_000 };

const t = useTestApp({ groupLimits: LIMITS });
let token: string;
let big: string;
let small: string;
let site: string;

beforeAll(async () => {
  const tenant = await makeTenant(t.db, { groupTypes: ["LUCCA_DEPT", "LUCCA_ETS"] });
  const at = "2026-01-05T08:00:00Z";
  const [lu] = await t.db("legal_units").insert({ tenant_id: tenant.id, name: "Big SA", country_code: "FR", updated_at: at }).returning("id");
  const [est] = await t.db("establishments").insert({ tenant_id: tenant.id, name: "Everywhere", legal_unit_id: lu.id, updated_at: at }).returning("id");
  const [dBig] = await t.db("departments").insert({ tenant_id: tenant.id, name: "Everyone", updated_at: at }).returning("id");
  const [dSmall] = await t.db("departments").insert({ tenant_id: tenant.id, name: "Few", updated_at: at }).returning("id");
  // Department ids order "LUCCA_DEPT-<big>" before "LUCCA_DEPT-<small>" when they have as many digits.
  big = `LUCCA_DEPT-${dBig.id}`;
  small = `LUCCA_DEPT-${dSmall.id}`;
  site = `LUCCA_ETS-${est.id}`;
  await t.db.raw(
    `insert into employees (tenant_id, login, first_name, last_name, department_id, establishment_id, created_at, updated_at)
     select ?, 'person' || n, 'Person', 'N' || n, case when n <= ? then ?::int else ?::int end, ?, ?, ?
       from generate_series(1, ?) as n`,
    [tenant.id, MEMBERS, dBig.id, dSmall.id, est.id, at, at, MEMBERS + 3],
  );
  await t.db.raw(`insert into contracts (tenant_id, employee_id, start_date) select tenant_id, id, date '2020-01-01' from employees where tenant_id = ?`, [tenant.id]);
  token = await t.token(tenant.slug);
});

/** Runs `fn` while recording member queries and the number of rows each returned. */
async function watchMemberQueries<T>(fn: () => Promise<T>): Promise<{ result: T; chunks: number[]; counts: number }> {
  const chunks: number[] = [];
  let counts = 0;
  const listener = (response: unknown, query: { sql: string }) => {
    if (query.sql.includes("group-members")) chunks.push(Array.isArray(response) ? response.length : -1);
    if (query.sql.includes("group-member-counts")) counts++;
  };
  t.db.on("query-response", listener);
  try {
    return { result: await fn(), chunks, counts };
  } finally {
    t.db.removeListener("query-response", listener);
  }
}

describe("a group of 20,000 members", () => {
  it("is listed with excludedAttributes=members without any member query", async () => {
    const { result: res, chunks, counts } = await watchMemberQueries(() =>
      t.request().get("/scim/v2/Groups").query({ excludedAttributes: "members" }).set(bearer(token)));
    expect(res.status).toBe(200);
    expect(res.body.Resources.map((g: any) => g.id).sort()).toEqual([big, small, site].sort());
    expect(res.body.Resources.every((g: any) => g.members === undefined)).toBe(true);
    expect(Number(res.headers["content-length"])).toBe(Buffer.byteLength(res.text));
    expect(chunks).toEqual([]);
    expect(counts).toBe(0);
    const one = await watchMemberQueries(() => t.request().get(`/scim/v2/Groups/${big}`).query({ attributes: "displayName" }).set(bearer(token)));
    expect(one.result.body).toEqual({ id: big, schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName: "LUCCA_DEPT Everyone" });
    expect(one.chunks).toEqual([]);
  });

  it("lists all 20,000 members by id in chunks of at most 5,000 rows, within the stated heap bound", async () => {
    const heapBefore = process.memoryUsage().heapUsed;
    const { result: res, chunks } = await watchMemberQueries(() => t.request().get(`/scim/v2/Groups/${big}`).set(bearer(token)));
    const heapDelta = process.memoryUsage().heapUsed - heapBefore;
    expect(res.status).toBe(200);
    expect(res.headers["transfer-encoding"]).toBe("chunked");
    expect(res.headers["content-length"]).toBeUndefined();
    const values: string[] = res.body.members.map((m: any) => m.value);
    expect(values.length).toBe(MEMBERS);
    expect(new Set(values).size).toBe(MEMBERS);
    expect(values.map(Number)).toEqual(values.map(Number).sort((a, b) => a - b));
    expect(chunks.length).toBeGreaterThanOrEqual(MEMBERS / LIMITS.memberChunkSize);
    expect(Math.max(...chunks)).toBeLessThanOrEqual(LIMITS.memberChunkSize);
    expect(chunks.reduce((a, b) => a + b, 0)).toBe(MEMBERS);
    expect(heapDelta).toBeLessThan(64 * 1024 * 1024);
  });

  it("returns full pages whatever the members, so that an Okta-style import (startIndex += count) sees every group exactly once", async () => {
    // Before, a page stopped early at a member budget (25,000 here, 50,000 by default) and Okta,
    // which steps startIndex by count and not by itemsPerPage, skipped the groups after it.
    const seen: string[] = [];
    for (let startIndex = 1, total = Infinity; startIndex <= total; startIndex += 2) {
      const page = await t.request().get("/scim/v2/Groups").query({ startIndex, count: 2 }).set(bearer(token));
      expect(page.status).toBe(200);
      total = page.body.totalResults;
      expect(page.body.itemsPerPage).toBe(Math.min(2, total - startIndex + 1));
      seen.push(...page.body.Resources.map((g: any) => g.id));
    }
    expect(seen.sort()).toEqual([big, small, site].sort());
    const all = await t.request().get("/scim/v2/Groups").query({ count: 100 }).set(bearer(token));
    expect(all.body.itemsPerPage).toBe(3);
    expect(all.body.Resources.map((g: any) => g.members.length).sort((a: number, b: number) => a - b)).toEqual([3, MEMBERS, MEMBERS + 3]);

    const c1 = await t.request().get("/scim/v2/Groups").query({ count: 2, cursor: "" }).set(bearer(token));
    expect(c1.body.itemsPerPage).toBe(2);
    const c2 = await t.request().get("/scim/v2/Groups").query({ count: 2, cursor: c1.body.nextCursor }).set(bearer(token));
    expect([...c1.body.Resources, ...c2.body.Resources].map((g: any) => g.id).sort()).toEqual([big, small, site].sort());
    expect(c2.body.nextCursor).toBeUndefined();
  });

  it("filters members.value eq on the large group without loading its members", async () => {
    const { result: res, chunks } = await watchMemberQueries(() =>
      t.request().get("/scim/v2/Groups").query({ filter: 'members.value eq "1"', excludedAttributes: "members" }).set(bearer(token)));
    expect(res.status).toBe(200);
    expect(chunks).toEqual([]);
  });
});

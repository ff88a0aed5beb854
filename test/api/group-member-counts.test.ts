// The stored group member counts (migration 20261206_001, hr/group-member-counts.ts): after every
// kind of HR write (employees inserted, contracts moving the first start, department and
// establishment moves one at a time and in bulk, deletions, an establishment moving to another legal
// unit, the day passing), the count stored for each group equals the members /Groups returns, for a
// token with and without future-employees:read; compaction leaves them as they were; a deleted
// tenant leaves none. A /Groups page whose members fit in a chunk sends one member statement, and
// groups without members none.
import { describe, expect, it } from "vitest";
import { compactVisibleCounts, refreshLifecycle, tenantsWithLooseCounts } from "../../src/hr/lifecycle-state.js";
import { makeTenant } from "../support/build-test-app.js";
import { bearer } from "../support/scim-client.js";
import { TEST_TODAY } from "../support/test-clock.js";
import { useTestApp } from "../support/use-test-app.js";
import { listGroups, makeSmallOrganisation } from "./groups-fixture.js";

const t = useTestApp();

const ALL_TYPES = ["LUCCA_DEPT", "LUCCA_ETS", "LUCCA_LU", "LUCCA_COUNTRY"] as const;

/** Each group's count as stored, summed by SQL straight from the deltas (not through the reader), up to `until`. */
async function storedCounts(tenantId: number, until: string): Promise<Map<string, number>> {
  const { rows } = await t.db.raw(
    `select 'LUCCA_DEPT-' || c.org_id as id, sum(c.members) as n from group_member_counts c
      where c.tenant_id = ? and c.org_kind = 'department' and c.visible_from <= ?::date group by c.org_id
     union all
     select 'LUCCA_ETS-' || c.org_id, sum(c.members) from group_member_counts c
      where c.tenant_id = ? and c.org_kind = 'establishment' and c.visible_from <= ?::date group by c.org_id
     union all
     select 'LUCCA_LU-' || x.legal_unit_id, sum(c.members) from group_member_counts c
       join establishments x on x.tenant_id = c.tenant_id and x.id = c.org_id
      where c.tenant_id = ? and c.org_kind = 'establishment' and c.visible_from <= ?::date group by x.legal_unit_id
     union all
     select 'LUCCA_COUNTRY-' || trim(y.country_code), sum(c.members) from group_member_counts c
       join establishments x on x.tenant_id = c.tenant_id and x.id = c.org_id
       join legal_units y on y.tenant_id = x.tenant_id and y.id = x.legal_unit_id
      where c.tenant_id = ? and c.org_kind = 'establishment' and c.visible_from <= ?::date group by y.country_code`,
    [tenantId, until, tenantId, until, tenantId, until, tenantId, until],
  );
  return new Map(rows.map((r: { id: string; n: string | number }) => [r.id, Number(r.n)]));
}

/** Every group's members as /Groups returns them to the token. */
async function membersByGroup(token: string): Promise<Map<string, number>> {
  const body = await listGroups(t, token);
  return new Map(body.Resources.map((g: any) => [g.id as string, (g.members ?? []).length as number]));
}

/** For both tokens: every group's stored count equals its members on /Groups (a group missing from the deltas counts 0). */
async function expectCountsAsMembers(org: { tenantId: number; slug: string }, label: string, today = TEST_TODAY) {
  const plain = await t.token(org.slug);
  const future = await t.token(org.slug, ["future-employees:read"]);
  const seen: Record<string, Record<string, number>> = {};
  for (const [name, token, until] of [["plain", plain, today], ["future", future, "infinity"]] as const) {
    const members = await membersByGroup(token);
    const stored = await storedCounts(org.tenantId, until);
    expect(members.size, `${label}: groups`).toBeGreaterThan(0);
    for (const id of stored.keys()) expect(members.has(id) || stored.get(id) === 0, `${label} (${name}): ${id} is a group`).toBe(true);
    expect(Object.fromEntries([...members.keys()].map((id) => [id, stored.get(id) ?? 0])), `${label} (${name})`).toEqual(Object.fromEntries(members));
    seen[name] = Object.fromEntries(members);
  }
  return seen;
}

/** The statements whose text includes `marker` that `send` makes the app send, with the rows each returned. */
async function statementsMarked<T>(marker: string, send: () => Promise<T>): Promise<{ result: T; rows: number[] }> {
  const rows: number[] = [];
  const listener = (response: unknown, query: { sql: string }) => {
    if (query.sql.includes(marker)) rows.push(Array.isArray(response) ? response.length : (response as { rows?: unknown[] })?.rows?.length ?? -1);
  };
  t.db.on("query-response", listener);
  try {
    return { result: await send(), rows };
  } finally {
    t.db.removeListener("query-response", listener);
  }
}

async function addEmployee(tenantId: number, login: string, org: { departmentId?: number | null; establishmentId?: number | null }, starts: string[]) {
  const [e] = await t.db("employees").insert({
    tenant_id: tenantId, login, first_name: login, last_name: "Counted",
    department_id: org.departmentId ?? null, establishment_id: org.establishmentId ?? null,
  }).returning("id");
  if (starts.length) await t.db("contracts").insert(starts.map((start) => ({ tenant_id: tenantId, employee_id: e.id, start_date: start })));
  return e.id as number;
}

describe("the stored member count of every group", () => {
  it("equals the members /Groups returns after every kind of HR write, with and without future employees, and through compaction", async () => {
    const org = await makeSmallOrganisation(t.db, [...ALL_TYPES], [{ login: "ann" }, { login: "bob" }, { login: "cat", start: "2027-01-01" }]);
    const T = org.tenantId;
    const [luDe] = await t.db("legal_units").insert({ tenant_id: T, name: "Acme GmbH", country_code: "DE" }).returning("id");
    const [luFr2] = await t.db("legal_units").insert({ tenant_id: T, name: "Acme Services", country_code: "FR" }).returning("id");
    const [berlin] = await t.db("establishments").insert({ tenant_id: T, name: "Berlin", legal_unit_id: luDe.id, country_code: "DE" }).returning("id");
    const [lyon] = await t.db("establishments").insert({ tenant_id: T, name: "Lyon", legal_unit_id: luFr2.id, country_code: "FR" }).returning("id");
    const [labs] = await t.db("departments").insert({ tenant_id: T, name: "Labs" }).returning("id");
    const [empty] = await t.db("departments").insert({ tenant_id: T, name: "Empty" }).returning("id");
    const dept = { ops: org.departmentId, labs: labs.id as number, empty: empty.id as number };
    const ets = { nantes: org.establishmentId, berlin: berlin.id as number, lyon: lyon.id as number };

    // Inserts: in both, in one only, in none; with no contract; starting later; with two contracts.
    const dan = await addEmployee(T, "dan", { departmentId: dept.labs, establishmentId: ets.berlin }, ["2024-03-01"]);
    const eve = await addEmployee(T, "eve", { departmentId: dept.labs }, ["2026-09-01"]);
    const fay = await addEmployee(T, "fay", { establishmentId: ets.lyon }, ["2025-01-01", "2021-05-01"]);
    const gus = await addEmployee(T, "gus", { departmentId: dept.ops, establishmentId: ets.lyon }, []);
    await addEmployee(T, "hal", {}, ["2020-01-01"]);
    let seen = await expectCountsAsMembers(org, "after the inserts");
    expect(seen.plain[`LUCCA_DEPT-${dept.labs}`]).toBe(1);
    expect(seen.future[`LUCCA_DEPT-${dept.labs}`]).toBe(2);
    expect(seen.plain[`LUCCA_DEPT-${dept.empty}`]).toBe(0);
    expect(seen.future["LUCCA_COUNTRY-FR"]).toBe(4);

    // Contracts moving the first start: a future employee starting earlier, a current one later,
    // the only contract deleted, a first contract given, one of two contracts moved.
    await t.db("contracts").insert({ tenant_id: T, employee_id: eve, start_date: "2026-01-01" });
    await t.db("contracts").where({ tenant_id: T, employee_id: org.employees.bob }).update({ start_date: "2026-12-01" });
    await t.db("contracts").where({ tenant_id: T, employee_id: dan }).delete();
    await t.db("contracts").insert({ tenant_id: T, employee_id: gus, start_date: "2026-06-15" });
    await t.db("contracts").where({ tenant_id: T, employee_id: fay, start_date: "2021-05-01" }).update({ start_date: "2026-07-01" });
    seen = await expectCountsAsMembers(org, "after the contract changes");
    expect(seen.plain[`LUCCA_DEPT-${dept.labs}`]).toBe(1);
    expect(seen.plain[`LUCCA_ETS-${ets.berlin}`]).toBe(0);

    // Moves: one at a time, to none, and in bulk (one statement moving every member of a department).
    await t.db("employees").where({ tenant_id: T, id: org.employees.ann }).update({ establishment_id: ets.berlin });
    await t.db("employees").where({ tenant_id: T, id: fay }).update({ establishment_id: null, department_id: dept.ops });
    await t.db("employees").where({ tenant_id: T, id: dan }).update({ department_id: null });
    await expectCountsAsMembers(org, "after single moves");
    await t.db("employees").where({ tenant_id: T, department_id: dept.ops }).update({ department_id: dept.labs, establishment_id: ets.lyon });
    seen = await expectCountsAsMembers(org, "after a bulk move");
    expect(seen.future[`LUCCA_DEPT-${dept.ops}`]).toBe(0);

    // Writes that move nothing: touches, a hand-written lifecycle column, an HR column.
    const rowsBefore = Number((await t.db("group_member_counts").where({ tenant_id: T }).count({ n: "*" }))[0].n);
    await t.db("employees").where({ tenant_id: T }).update({ related_modified: null });
    await t.db("employees").where({ tenant_id: T }).update({ visible_from: "1999-01-01" });
    await t.db("employees").where({ tenant_id: T }).update({ job_title: "Same groups" });
    expect(Number((await t.db("group_member_counts").where({ tenant_id: T }).count({ n: "*" }))[0].n)).toBe(rowsBefore);

    // An establishment moving to another legal unit (and so country): nothing stored moves, the sums follow.
    await t.db("establishments").where({ tenant_id: T, id: ets.lyon }).update({ legal_unit_id: luDe.id, updated_at: new Date() });
    seen = await expectCountsAsMembers(org, "after an establishment moved to another legal unit");
    expect(seen.future[`LUCCA_LU-${luFr2.id}`]).toBe(0);
    expect(seen.future["LUCCA_COUNTRY-DE"]).toBeGreaterThan(0);

    // Deletions: one, then several in one statement.
    await t.db("employees").where({ tenant_id: T, id: dan }).delete();
    await expectCountsAsMembers(org, "after a deletion");
    await t.db("employees").where({ tenant_id: T }).whereIn("id", [eve, gus]).delete();
    const beforeCompaction = await expectCountsAsMembers(org, "after a bulk deletion");

    // Compaction (the job's path, then the midnight step's): one row per key, the same counts.
    expect(await tenantsWithLooseCounts(t.db, 0)).toContain(T);
    expect(await compactVisibleCounts(t.db, T)).toBe(true);
    const keys = await t.db("group_member_counts").where({ tenant_id: T }).select("org_kind", "org_id", "visible_from");
    expect(new Set(keys.map((k: any) => `${k.org_kind} ${k.org_id} ${String(k.visible_from)}`)).size).toBe(keys.length);
    expect(await expectCountsAsMembers(org, "after compaction")).toEqual(beforeCompaction);
    await t.db("employees").where({ tenant_id: T, id: fay }).update({ department_id: dept.ops });
    await refreshLifecycle(t.db, T, "2026-06-16");
    await refreshLifecycle(t.db, T, TEST_TODAY);
    await expectCountsAsMembers(org, "after the midnight step's compaction");

    // The day passing: an employee starting in December is counted for the plain token from then on.
    t.setNow("2026-12-02T10:00:00Z");
    try {
      seen = await expectCountsAsMembers(org, "on a later day", "2026-12-02");
      expect(seen.plain[`LUCCA_DEPT-${dept.labs}`]).toBe(seen.future[`LUCCA_DEPT-${dept.labs}`] - 1); // cat starts in 2027
    } finally {
      t.setNow(new Date("2026-06-15T10:00:00Z"));
    }
  });

  it("are gone with their tenant, which is deleted without error", async () => {
    const org = await makeSmallOrganisation(t.db, ["LUCCA_DEPT"], [{ login: "one" }, { login: "two" }]);
    expect(Number((await t.db("group_member_counts").where({ tenant_id: org.tenantId }).count({ n: "*" }))[0].n)).toBeGreaterThan(0);
    await t.db("tenants").where({ id: org.tenantId }).delete();
    expect(Number((await t.db("group_member_counts").where({ tenant_id: org.tenantId }).count({ n: "*" }))[0].n)).toBe(0);
    expect(await tenantsWithLooseCounts(t.db, 0)).not.toContain(org.tenantId);
  });

  it("counts the demo tenant's existing employees (the migration's backfill), as /Groups returns them", async () => {
    const demo = await t.db("tenants").where({ slug: "demo" }).first("id", "slug");
    await t.db.raw("select hr_compact_visible_counts(?::integer)", [demo.id]);
    await expectCountsAsMembers({ tenantId: demo.id, slug: demo.slug }, "the demo tenant");
  });
});

describe("a /Groups page's member statements", () => {
  it("is one statement when the page's members fit in a chunk, after one count statement, and none for groups without members", async () => {
    const org = await makeSmallOrganisation(t.db, [...ALL_TYPES], [{ login: "a" }, { login: "b" }, { login: "c", start: "2027-01-01" }]);
    await t.db("departments").insert({ tenant_id: org.tenantId, name: "Nobody" });
    const token = await t.token(org.slug, ["future-employees:read"]);
    const expectedMembers = Object.values(org.employees).map(String).sort();

    const counts = await statementsMarked("group-member-counts", () =>
      statementsMarked("group-members", () => t.request().get("/scim/v2/Groups").query({ count: 100 }).set(bearer(token))));
    const page = counts.result.result;
    expect(page.status).toBe(200);
    expect(page.body.Resources).toHaveLength(5);
    for (const group of page.body.Resources) {
      const ids = (group.members ?? []).map((m: any) => m.value).sort();
      expect(ids, group.displayName).toEqual(group.displayName === "LUCCA_DEPT Nobody" ? [] : expectedMembers);
    }
    expect(counts.rows).toEqual([5]);
    expect(counts.result.rows).toEqual([4 * 3]);

    const nobody = page.body.Resources.find((g: any) => g.displayName === "LUCCA_DEPT Nobody");
    const one = await statementsMarked("group-members", () => t.request().get(`/scim/v2/Groups/${nobody.id}`).set(bearer(token)));
    expect(one.result.status).toBe(200);
    expect(one.result.body.members ?? []).toEqual([]);
    expect(one.rows).toEqual([]);
  });

  it("reads no counts when members are not returned", async () => {
    const org = await makeSmallOrganisation(t.db, ["LUCCA_DEPT"], [{ login: "x" }]);
    const token = await t.token(org.slug);
    const counts = await statementsMarked("group-member-counts", () =>
      t.request().get("/scim/v2/Groups").query({ excludedAttributes: "members" }).set(bearer(token)));
    expect(counts.result.status).toBe(200);
    expect(counts.rows).toEqual([]);
  });
});

describe("with a small member chunk", () => {
  const small = useTestApp({ groupLimits: { memberChunkSize: 6 } });

  it("reads small groups whole in the first statement and streams only the rest of the large one, with the same members", async () => {
    const tenant = await makeTenant(small.db, { groupTypes: ["LUCCA_DEPT"] });
    const [big] = await small.db("departments").insert({ tenant_id: tenant.id, name: "Big" }).returning("id");
    const [few] = await small.db("departments").insert({ tenant_id: tenant.id, name: "Few" }).returning("id");
    await small.db("departments").insert({ tenant_id: tenant.id, name: "None" });
    const ids: Record<string, number[]> = { Big: [], Few: [] };
    for (let i = 0; i < 12; i++) {
      const name = i < 10 ? "Big" : "Few";
      const [e] = await small.db("employees").insert({ tenant_id: tenant.id, login: `m${i}`, first_name: "M", last_name: `${i}`, department_id: name === "Big" ? big.id : few.id }).returning("id");
      await small.db("contracts").insert({ tenant_id: tenant.id, employee_id: e.id, start_date: "2020-01-01" });
      ids[name].push(e.id);
    }
    const token = await small.tokenFor(tenant.slug);
    const rows: number[] = [];
    const listener = (response: unknown, query: { sql: string }) => { if (query.sql.includes("group-members")) rows.push(Array.isArray(response) ? response.length : -1); };
    small.db.on("query-response", listener);
    let res;
    try {
      res = await small.request().get("/scim/v2/Groups").set(bearer(token));
    } finally {
      small.db.removeListener("query-response", listener);
    }
    expect(res.status).toBe(200);
    const members = Object.fromEntries(res.body.Resources.map((g: any) => [g.displayName, (g.members ?? []).map((m: any) => Number(m.value))]));
    expect(members).toEqual({ "LUCCA_DEPT Big": ids.Big, "LUCCA_DEPT Few": ids.Few, "LUCCA_DEPT None": [] });
    // Few gets 2 + 1, Big the 3 left; Big's 7 others stream in chunks of 6.
    expect(rows).toEqual([5, 6, 1]);
    expect(Math.max(...rows)).toBeLessThanOrEqual(6);
  });
});

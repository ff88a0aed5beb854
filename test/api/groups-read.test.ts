// GET /Groups and /Groups/{id} on the demo seed (docs/BEHAVIOUR.md section 4, docs/CLIENTS.md items
// 9, 16, 22, 28): membership rules, visibility of future employees, disabled types, read-only
// groups, tenant isolation, filters, sorting and both paginations, the User's groups attribute,
// lastModified.
import { describe, expect, it } from "vitest";
import { bearer } from "../support/scim-client.js";
import { useTestApp } from "../support/use-test-app.js";
import { GROUP, groupByName, listGroups, makeSmallOrganisation, memberIds, userIdOf } from "./groups-fixture.js";

const t = useTestApp();

/** docs/BEHAVIOUR.md section 4 applied by hand to the seed's named employees (department, establishment, legal unit, country). */
const EXPECTED: Record<string, string[]> = {
  "ada.lovelace": ["LUCCA_DEPT Engineering", "LUCCA_ETS Paris HQ", "LUCCA_LU Demo SA", "LUCCA_COUNTRY France"],
  "grace.hopper": ["LUCCA_DEPT Platform", "LUCCA_ETS Berlin", "LUCCA_LU Demo GmbH", "LUCCA_COUNTRY Germany"],
  "elodie.durand-muller": ["LUCCA_DEPT Sales", "LUCCA_ETS Lyon", "LUCCA_LU Demo SA", "LUCCA_COUNTRY France"],
  "liam.leaver": ["LUCCA_DEPT Sales", "LUCCA_ETS Lyon", "LUCCA_LU Demo SA", "LUCCA_COUNTRY France"],
  "tara.today": ["LUCCA_DEPT Finance", "LUCCA_ETS Paris HQ", "LUCCA_LU Demo SA", "LUCCA_COUNTRY France"],
  "rita.rehire": ["LUCCA_DEPT People & Culture", "LUCCA_ETS Paris HQ", "LUCCA_LU Demo SA", "LUCCA_COUNTRY France"],
  "greg.gap": ["LUCCA_DEPT Sales", "LUCCA_ETS Berlin", "LUCCA_LU Demo GmbH", "LUCCA_COUNTRY Germany"],
  "carl.contiguous": ["LUCCA_DEPT Platform", "LUCCA_ETS Berlin", "LUCCA_LU Demo GmbH", "LUCCA_COUNTRY Germany"],
  "jose.garcia": ["LUCCA_DEPT People & Culture", "LUCCA_ETS Madrid", "LUCCA_LU Demo España SL", "LUCCA_COUNTRY Spain"],
};
const NOAH = ["LUCCA_DEPT Engineering", "LUCCA_ETS Paris HQ", "LUCCA_LU Demo SA", "LUCCA_COUNTRY France"];

/** user id -> displayNames of the groups listing them as members, from one full /Groups listing. */
async function groupsByMember(tok: string): Promise<Map<string, string[]>> {
  const body = await listGroups(t, tok);
  const out = new Map<string, string[]>();
  for (const g of body.Resources) for (const id of memberIds(g)) out.set(id, [...(out.get(id) ?? []), g.displayName]);
  return out;
}

describe("membership on the demo seed", () => {
  it("serves the fifteen groups of the four enabled types with <TYPE>-<hr id> ids and <TYPE> <name> display names", async () => {
    const token = await t.token("demo");
    const body = await listGroups(t, token, { excludedAttributes: "members" });
    expect(body.totalResults).toBe(15);
    expect(body.Resources.map((g) => g.displayName).sort()).toEqual([
      "LUCCA_COUNTRY France", "LUCCA_COUNTRY Germany", "LUCCA_COUNTRY Spain",
      "LUCCA_DEPT Engineering", "LUCCA_DEPT Finance", "LUCCA_DEPT People & Culture", "LUCCA_DEPT Platform", "LUCCA_DEPT Sales",
      "LUCCA_ETS Berlin", "LUCCA_ETS Lyon", "LUCCA_ETS Madrid", "LUCCA_ETS Paris HQ",
      "LUCCA_LU Demo España SL", "LUCCA_LU Demo GmbH", "LUCCA_LU Demo SA",
    ]);
    for (const g of body.Resources) {
      expect(g.id).toMatch(/^(LUCCA_DEPT|LUCCA_ETS|LUCCA_LU)-[1-9][0-9]*$|^LUCCA_COUNTRY-[A-Z]{2}$/);
      expect(g.displayName.startsWith(g.id.split("-")[0] + " ")).toBe(true);
      expect(g.schemas).toEqual([GROUP]);
      expect(g.members).toBeUndefined();
    }
    expect(body.Resources.find((g) => g.displayName === "LUCCA_COUNTRY Spain").id).toBe("LUCCA_COUNTRY-ES");
  });

  it("puts each named employee in exactly the groups the rules give, seen from /Groups members and from the User's groups", async () => {
    const token = await t.token("demo");
    const byMember = await groupsByMember(token);
    for (const [login, expected] of Object.entries(EXPECTED)) {
      const id = (await userIdOf(t, token, login))!;
      expect(byMember.get(id)?.sort(), login).toEqual([...expected].sort());
      const user = (await t.request().get(`/scim/v2/Users/${id}`).set(bearer(token))).body;
      expect(user.groups.map((g: any) => g.display).sort(), login).toEqual([...expected].sort());
    }
  });

  it("has Grace Hopper in LUCCA_DEPT Platform but not in its parent LUCCA_DEPT Engineering (direct members only)", async () => {
    const token = await t.token("demo");
    const grace = (await userIdOf(t, token, "grace.hopper"))!;
    expect(memberIds(await groupByName(t, token, "LUCCA_DEPT Platform"))).toContain(grace);
    expect(memberIds(await groupByName(t, token, "LUCCA_DEPT Engineering"))).not.toContain(grace);
  });

  it("has José García in LUCCA_ETS Madrid, LUCCA_LU Demo España SL and LUCCA_COUNTRY Spain, whose members are exactly Madrid's", async () => {
    const token = await t.token("demo");
    const jose = (await userIdOf(t, token, "jose.garcia"))!;
    const madrid = await groupByName(t, token, "LUCCA_ETS Madrid");
    const spainLu = await groupByName(t, token, "LUCCA_LU Demo España SL");
    const spain = await groupByName(t, token, "LUCCA_COUNTRY Spain");
    for (const g of [madrid, spainLu, spain]) expect(memberIds(g)).toContain(jose);
    expect(memberIds(spainLu).sort()).toEqual(memberIds(madrid).sort());
    expect(memberIds(spain).sort()).toEqual(memberIds(madrid).sort());
  });

  it("makes a legal unit the union of its establishments and a country the union of its legal units", async () => {
    const token = await t.token("demo");
    const ids = async (name: string) => memberIds(await groupByName(t, token, name)).sort();
    expect(await ids("LUCCA_LU Demo SA")).toEqual([...(await ids("LUCCA_ETS Paris HQ")), ...(await ids("LUCCA_ETS Lyon"))].sort());
    expect(await ids("LUCCA_COUNTRY France")).toEqual(await ids("LUCCA_LU Demo SA"));
    expect(await ids("LUCCA_COUNTRY Germany")).toEqual(await ids("LUCCA_ETS Berlin"));
  });

  it("gives members as {value, $ref, display} in ascending id order, every visible user in one group per type", async () => {
    const token = await t.token("demo");
    const group = await groupByName(t, token, "LUCCA_DEPT Platform");
    const grace = (await userIdOf(t, token, "grace.hopper"))!;
    expect(group.members).toContainEqual({ value: grace, $ref: `https://scim.test/scim/v2/Users/${grace}`, display: "Grace Hopper" });
    const values = memberIds(group).map(Number);
    expect(values).toEqual([...values].sort((a, b) => a - b));
    const users = (await t.request().get("/scim/v2/Users").query({ count: 1000, attributes: "id" }).set(bearer(token))).body;
    const byMember = await groupsByMember(token);
    for (const u of users.Resources) expect(byMember.get(u.id)?.length, u.id).toBe(4);
  });
});

describe("future employees in groups", () => {
  it("leaves a hidden future employee out of members and members.value filters, and shows them with future-employees:read", async () => {
    const futureToken = await t.token("demo", ["future-employees:read"]);
    const token = await t.token("demo");
    const noah = (await userIdOf(t, futureToken, "noah.future"))!;
    expect(await userIdOf(t, token, "noah.future")).toBeUndefined();

    const plain = await groupsByMember(token);
    expect(plain.has(noah)).toBe(false);
    expect((await listGroups(t, token, { filter: `members.value eq "${noah}"` })).totalResults).toBe(0);
    expect(memberIds(await groupByName(t, token, "LUCCA_DEPT Engineering"))).not.toContain(noah);

    const withPermission = await groupsByMember(futureToken);
    expect(withPermission.get(noah)?.sort()).toEqual([...NOAH].sort());
    const filtered = await listGroups(t, futureToken, { filter: `members.value eq "${noah}"`, attributes: "displayName" });
    expect(filtered.Resources.map((g) => g.displayName).sort()).toEqual([...NOAH].sort());
  });

  it("counts one more member of Engineering with the permission than without", async () => {
    const futureToken = await t.token("demo", ["future-employees:read"]);
    const token = await t.token("demo");
    const plain = memberIds(await groupByName(t, token, "LUCCA_DEPT Engineering"));
    const seeing = memberIds(await groupByName(t, futureToken, "LUCCA_DEPT Engineering"));
    expect(seeing.length).toBeGreaterThan(plain.length);
    expect(seeing.filter((id) => !plain.includes(id)).length).toBe(seeing.length - plain.length);
  });
});

describe("GET /Groups/{id}", () => {
  it("serves a group by id with meta, an ETag equal to meta.version, and 304 for If-None-Match", async () => {
    const token = await t.token("demo");
    const res = await t.request().get("/scim/v2/Groups/LUCCA_COUNTRY-ES").set(bearer(token));
    expect(res.status).toBe(200);
    expect(res.body.displayName).toBe("LUCCA_COUNTRY Spain");
    expect(res.body.meta).toMatchObject({ resourceType: "Group", location: "https://scim.test/scim/v2/Groups/LUCCA_COUNTRY-ES" });
    expect(new Date(res.body.meta.lastModified).toISOString()).toBe(res.body.meta.lastModified);
    // docs/CLIENTS.md item 17: created too, no later than lastModified; the seed created it on its day.
    expect(new Date(res.body.meta.created).toISOString()).toBe(res.body.meta.created);
    expect(new Date(res.body.meta.created) <= new Date(res.body.meta.lastModified)).toBe(true);
    expect(res.headers.etag).toBe(res.body.meta.version);
    const again = await t.request().get("/scim/v2/Groups/LUCCA_COUNTRY-ES").set(bearer(token)).set("If-None-Match", res.body.meta.version);
    expect(again.status).toBe(304);
  });

  it("answers 404 with a SCIM error for unknown ids and wrong case", async () => {
    const token = await t.token("demo");
    for (const id of ["LUCCA_COUNTRY-IT", "lucca_country-es", "LUCCA_DEPT-999999", "LUCCA_DEPT-abc", "12"]) {
      const res = await t.request().get(`/scim/v2/Groups/${id}`).set(bearer(token));
      expect(res.status, id).toBe(404);
      expect(JSON.parse(res.text)).toMatchObject({ schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: "404" });
    }
  });

  it("applies attributes and excludedAttributes to one group", async () => {
    const token = await t.token("demo");
    const only = (await t.request().get("/scim/v2/Groups/LUCCA_COUNTRY-ES").query({ attributes: "displayName" }).set(bearer(token))).body;
    expect(only).toEqual({ id: "LUCCA_COUNTRY-ES", schemas: [GROUP], displayName: "LUCCA_COUNTRY Spain" });
    const without = (await t.request().get("/scim/v2/Groups/LUCCA_COUNTRY-ES").query({ excludedAttributes: "members" }).set(bearer(token))).body;
    expect(without.members).toBeUndefined();
    expect(without.meta.resourceType).toBe("Group");
  });
});

describe("excludedAttributes=members and attributes=displayName", () => {
  it("run no member query at all, while a plain list does", async () => {
    const token = await t.token("demo");
    const seen: string[] = [];
    const listener = (q: { sql: string }) => seen.push(q.sql);
    t.db.on("query", listener);
    try {
      await listGroups(t, token, { excludedAttributes: "members" });
      await listGroups(t, token, { attributes: "displayName" });
      await t.request().get("/scim/v2/Groups/LUCCA_COUNTRY-ES").query({ excludedAttributes: "members" }).set(bearer(token));
      await t.request().post("/scim/v2/Groups/.search").set(bearer(token)).send({ excludedAttributes: ["members"] });
      expect(seen.length).toBeGreaterThan(0);
      expect(seen.filter((sql) => sql.includes("group-member"))).toEqual([]);
      await listGroups(t, token);
      expect(seen.filter((sql) => sql.includes("group-members")).length).toBeGreaterThan(0);
    } finally {
      t.db.removeListener("query", listener);
    }
  });
});

describe("a page of groups with members", () => {
  it("reads the members of every group on the page in one statement", async () => {
    const token = await t.token("demo");
    const memberQueries: string[] = [];
    const listener = (q: { sql: string }) => { if (q.sql.includes("group-members")) memberQueries.push(q.sql); };
    t.db.on("query", listener);
    try {
      const body = await listGroups(t, token, { count: 100 });
      expect(body.Resources.length).toBeGreaterThan(10);
      expect(body.Resources.filter((g: any) => (g.members ?? []).length > 0).length).toBeGreaterThan(10);
      expect(memberQueries).toHaveLength(1);
    } finally {
      t.db.removeListener("query", listener);
    }
  });
});

describe("filters, sorting and paging", () => {
  const names = (body: { Resources: any[] }) => body.Resources.map((g) => g.displayName);

  it("filters on displayName eq (case-insensitive), sw and co", async () => {
    const token = await t.token("demo");
    expect(names(await listGroups(t, token, { filter: 'displayName eq "lucca_dept platform"', attributes: "displayName" }))).toEqual(["LUCCA_DEPT Platform"]);
    expect(names(await listGroups(t, token, { filter: 'DISPLAYNAME SW "LUCCA_ETS"', attributes: "displayName" })).sort())
      .toEqual(["LUCCA_ETS Berlin", "LUCCA_ETS Lyon", "LUCCA_ETS Madrid", "LUCCA_ETS Paris HQ"]);
    expect(names(await listGroups(t, token, { filter: 'displayName co "españa"', attributes: "displayName" }))).toEqual(["LUCCA_LU Demo España SL"]);
  });

  it("filters on id eq, and on externalId eq without error and without match", async () => {
    const token = await t.token("demo");
    expect(names(await listGroups(t, token, { filter: 'id eq "LUCCA_COUNTRY-ES"' }))).toEqual(["LUCCA_COUNTRY Spain"]);
    expect((await listGroups(t, token, { filter: 'id eq "lucca_country-es"' })).totalResults).toBe(0);
    const ext = await listGroups(t, token, { filter: 'externalId eq "LUCCA_COUNTRY-ES"' });
    expect(ext.totalResults).toBe(0);
    expect(ext.Resources).toEqual([]);
  });

  it("filters on members.value eq: the groups of one user", async () => {
    const token = await t.token("demo");
    const grace = (await userIdOf(t, token, "grace.hopper"))!;
    const body = await listGroups(t, token, { filter: `members.value eq "${grace}"`, attributes: "displayName" });
    expect(names(body).sort()).toEqual([...EXPECTED["grace.hopper"]].sort());
    expect((await listGroups(t, token, { filter: 'members.value eq "not-an-id"' })).totalResults).toBe(0);
  });

  it("combines and, or, not and parentheses, and compares meta.lastModified", async () => {
    const token = await t.token("demo");
    const grace = (await userIdOf(t, token, "grace.hopper"))!;
    const body = await listGroups(t, token, {
      filter: `members.value eq "${grace}" and not (displayName sw "LUCCA_COUNTRY" or id eq "LUCCA_LU-0") and meta.lastModified gt "2000-01-01T00:00:00.0000000Z"`,
      attributes: "displayName",
    });
    expect(names(body).sort()).toEqual(["LUCCA_DEPT Platform", "LUCCA_ETS Berlin", "LUCCA_LU Demo GmbH"]);
    expect((await listGroups(t, token, { filter: 'meta.lastModified gt "2999-01-01T00:00:00Z"' })).totalResults).toBe(0);
    expect((await listGroups(t, token, { filter: 'meta.lastModified le "2999-01-01T00:00:00Z"', excludedAttributes: "members" })).totalResults).toBe(15);
  });

  it("answers 400 invalidFilter for attributes groups do not have and for syntax errors", async () => {
    const token = await t.token("demo");
    for (const filter of ['userName eq "ada.lovelace"', "displayName eq", 'members.nope eq "1"']) {
      const res = await t.request().get("/scim/v2/Groups").query({ filter }).set(bearer(token));
      expect(res.status, filter).toBe(400);
      expect(JSON.parse(res.text).scimType).toBe("invalidFilter");
    }
  });

  it("sorts by displayName both ways, and by id by default", async () => {
    const token = await t.token("demo");
    const asc = names(await listGroups(t, token, { sortBy: "displayName", attributes: "displayName" }));
    expect(asc).toEqual([...asc].sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1)));
    const desc = names(await listGroups(t, token, { sortBy: "displayName", sortOrder: "descending", attributes: "displayName" }));
    expect(desc).toEqual([...asc].reverse());
    const ids = (await listGroups(t, token, { attributes: "id" })).Resources.map((g) => g.id);
    expect(ids).toEqual([...ids].sort());
  });

  it("pages with startIndex and count without overlap or gap, and past the end with an empty page", async () => {
    const token = await t.token("demo");
    const all = (await listGroups(t, token, { attributes: "id" })).Resources.map((g) => g.id);
    const seen: string[] = [];
    for (let start = 1; start <= 15; start += 4) {
      const page = await listGroups(t, token, { startIndex: start, count: 4, attributes: "id" });
      expect(page.totalResults).toBe(15);
      expect(page.startIndex).toBe(start);
      expect(page.itemsPerPage).toBe(page.Resources.length);
      seen.push(...page.Resources.map((g) => g.id));
    }
    expect(seen).toEqual(all);
    const past = await listGroups(t, token, { startIndex: 16, count: 4 });
    expect(past.Resources).toEqual([]);
  });

  it("pages with cursors (RFC 9865) through all groups in order, members included", async () => {
    const token = await t.token("demo");
    const all = (await listGroups(t, token, { attributes: "id" })).Resources.map((g) => g.id);
    const seen: string[] = [];
    let cursor = "";
    for (let i = 0; i < 10; i++) {
      const page = await listGroups(t, token, { cursor, count: 4 });
      seen.push(...page.Resources.map((g) => g.id));
      expect(page.Resources.every((g) => Array.isArray(g.members))).toBe(true);
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    expect(seen).toEqual(all);
  });

  it("serves POST /Groups/.search like GET /Groups", async () => {
    const token = await t.token("demo");
    const res = await t.request().post("/scim/v2/Groups/.search").set(bearer(token))
      .send({ schemas: ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"], filter: 'displayName sw "LUCCA_LU"', attributes: ["displayName"], sortBy: "displayName" });
    expect(res.status).toBe(200);
    expect(res.body.Resources.map((g: any) => g.displayName)).toEqual(["LUCCA_LU Demo España SL", "LUCCA_LU Demo GmbH", "LUCCA_LU Demo SA"]);
  });
});

describe("the User's groups attribute", () => {
  it("lists a user's groups as {value, $ref, display, type: direct}", async () => {
    const token = await t.token("demo");
    const grace = (await userIdOf(t, token, "grace.hopper"))!;
    const platform = await groupByName(t, token, "LUCCA_DEPT Platform");
    const user = (await t.request().get(`/scim/v2/Users/${grace}`).set(bearer(token))).body;
    expect(user.groups).toContainEqual({ value: platform.id, $ref: `https://scim.test/scim/v2/Groups/${platform.id}`, display: "LUCCA_DEPT Platform", type: "direct" });
    expect(user.groups).toContainEqual({ value: "LUCCA_COUNTRY-DE", $ref: "https://scim.test/scim/v2/Groups/LUCCA_COUNTRY-DE", display: "LUCCA_COUNTRY Germany", type: "direct" });
  });

  it("filters users on groups.value eq: exactly the group's members", async () => {
    const token = await t.token("demo");
    const platform = await groupByName(t, token, "LUCCA_DEPT Platform");
    const res = await t.request().get("/scim/v2/Users").query({ filter: `groups.value eq "${platform.id}"`, attributes: "id", count: 1000 }).set(bearer(token));
    expect(res.status).toBe(200);
    expect(res.body.Resources.map((u: any) => u.id).sort()).toEqual(memberIds(platform).sort());
    const spain = await t.request().get("/scim/v2/Users").query({ filter: 'groups.value eq "LUCCA_COUNTRY-ES" and groups.display co "madrid"', attributes: "id", count: 1000 }).set(bearer(token));
    expect(spain.body.Resources.map((u: any) => u.id).sort()).toEqual(memberIds(await groupByName(t, token, "LUCCA_ETS Madrid")).sort());
  });
});

describe("meta.lastModified of a group", () => {
  it("moves when a member leaves (end of contract) and when a future employee starts, and the ETag with it", async () => {
    const token = await t.token("demo");
    try {
      const before = await groupByName(t, token, "LUCCA_DEPT Finance");
      expect(new Date(before.meta.lastModified) < new Date("2026-06-15T22:00:00Z")).toBe(true);
      // Tara Today's contract ends on T (2026-06-15): inactive from 00:00 on the 16th, Paris time.
      t.setNow("2026-06-16T08:00:00Z");
      const after = await groupByName(t, token, "LUCCA_DEPT Finance");
      expect(after.meta.lastModified).toBe("2026-06-15T22:00:00.000Z");
      expect(after.meta.version).not.toBe(before.meta.version);
      expect(memberIds(after)).toEqual(memberIds(before));
      // Noah Future starts on T+14: Engineering changes on that day for a token without the permission.
      const engineering = await groupByName(t, token, "LUCCA_DEPT Engineering");
      t.setNow("2026-06-29T08:00:00Z");
      const started = await groupByName(t, token, "LUCCA_DEPT Engineering");
      expect(started.meta.lastModified).toBe("2026-06-28T22:00:00.000Z");
      expect(started.members.length).toBeGreaterThan(engineering.members.length);
      const filtered = await listGroups(t, token, { filter: `meta.lastModified gt "${engineering.meta.lastModified}"`, attributes: "displayName" });
      expect(filtered.Resources.map((g) => g.displayName)).toContain("LUCCA_DEPT Engineering");
    } finally {
      t.setNow("2026-06-15T10:00:00Z");
    }
  });
});

describe("displayName unique per tenant (docs/CLIENTS.md item 16)", () => {
  it("adds the HR id to a name two departments share, in the groups and in the User's groups, and keeps a unique name as it is", async () => {
    const org = await makeSmallOrganisation(t.db, ["LUCCA_DEPT", "LUCCA_ETS"], [{ login: "one" }, { login: "two" }]);
    const [other] = await t.db("departments").insert({ tenant_id: org.tenantId, name: "OPS", updated_at: "2026-01-05T08:00:00Z" }).returning("id");
    await t.db("employees").where({ tenant_id: org.tenantId, id: org.employees.two }).update({ department_id: other.id });
    const tok = await t.token(org.slug);
    const names = (await listGroups(t, tok)).Resources.map((g) => g.displayName).sort();
    expect(names).toEqual([`LUCCA_DEPT OPS (${other.id})`, `LUCCA_DEPT Ops (${org.departmentId})`, "LUCCA_ETS Nantes"]);
    expect(new Set(names.map((n) => n.toLowerCase())).size).toBe(names.length);
    const found = await listGroups(t, tok, { filter: `displayName eq "LUCCA_DEPT Ops (${org.departmentId})"` });
    expect(found.Resources.map((g) => g.id)).toEqual([`LUCCA_DEPT-${org.departmentId}`]);
    const user = (await t.request().get(`/scim/v2/Users/${org.employees.two}`).set(bearer(tok))).body;
    expect(user.groups.map((g: any) => g.display).sort()).toEqual([`LUCCA_DEPT OPS (${other.id})`, "LUCCA_ETS Nantes"]);
  });
});

describe("groups are read-only", () => {
  it("refuses POST, PUT, PATCH and DELETE with 405, Allow: GET and a detail naming Okta's Push groups, and changes nothing", async () => {
    const token = await t.token("demo");
    const before = (await t.request().get("/scim/v2/Groups/LUCCA_COUNTRY-ES").set(bearer(token))).body;
    const body = { schemas: [GROUP], displayName: "LUCCA_COUNTRY Spain", members: [] };
    const patch = { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "remove", path: "members" }] };
    const calls = [
      () => t.request().post("/scim/v2/Groups").set(bearer(token)).send({ schemas: [GROUP], displayName: "New" }),
      () => t.request().put("/scim/v2/Groups/LUCCA_COUNTRY-ES").set(bearer(token)).send(body),
      () => t.request().patch("/scim/v2/Groups/LUCCA_COUNTRY-ES").set(bearer(token)).send(patch),
      () => t.request().delete("/scim/v2/Groups/LUCCA_COUNTRY-ES").set(bearer(token)),
    ];
    for (const call of calls) {
      const res = await call();
      expect(res.status).toBe(405);
      expect(res.headers.allow).toBe("GET");
      expect(res.headers["content-type"]).toBe("application/scim+json; charset=utf-8");
      const error = JSON.parse(res.text);
      expect(error).toMatchObject({ schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: "405" });
      expect(error.detail).toContain("Push groups");
      expect(error.detail).toContain("Entra");
    }
    const after = (await t.request().get("/scim/v2/Groups/LUCCA_COUNTRY-ES").set(bearer(token))).body;
    expect(after).toEqual(before);
    expect((await listGroups(t, token, { excludedAttributes: "members" })).totalResults).toBe(15);
  });
});

describe("tenants and group types", () => {
  it("shows the other tenant's token none of demo's groups, and 404 for demo's group ids", async () => {
    const token = await t.token("demo");
    const other = await t.token("other");
    expect((await listGroups(t, other)).totalResults).toBe(0);
    for (const id of ["LUCCA_COUNTRY-ES", (await groupByName(t, token, "LUCCA_DEPT Platform")).id]) {
      expect((await t.request().get(`/scim/v2/Groups/${id}`).set(bearer(other))).status).toBe(404);
    }
  });

  it("keeps a tenant's same-named country group to its own employees, and demo's ids and members out of reach", async () => {
    const token = await t.token("demo");
    const org = await makeSmallOrganisation(t.db, ["LUCCA_DEPT", "LUCCA_ETS", "LUCCA_LU", "LUCCA_COUNTRY"], [{ login: "ann" }, { login: "bob" }]);
    const own = await t.token(org.slug);
    const list = await listGroups(t, own);
    expect(list.Resources.map((g) => g.id).sort()).toEqual([
      "LUCCA_COUNTRY-FR", `LUCCA_DEPT-${org.departmentId}`, `LUCCA_ETS-${org.establishmentId}`, `LUCCA_LU-${org.legalUnitId}`,
    ].sort());
    const france = list.Resources.find((g) => g.id === "LUCCA_COUNTRY-FR");
    expect(memberIds(france).sort()).toEqual(Object.values(org.employees).map(String).sort());
    const demoPlatform = (await groupByName(t, token, "LUCCA_DEPT Platform")).id;
    expect((await t.request().get(`/scim/v2/Groups/${demoPlatform}`).set(bearer(own))).status).toBe(404);
    const ada = (await userIdOf(t, token, "ada.lovelace"))!;
    expect((await listGroups(t, own, { filter: `members.value eq "${ada}"` })).totalResults).toBe(0);
    expect(memberIds(await groupByName(t, token, "LUCCA_COUNTRY France"))).not.toContain(String(org.employees.ann));
  });

  it("makes a disabled type's groups absent: not listed, 404 by id, not in a user's groups, never matched by groups.value", async () => {
    const org = await makeSmallOrganisation(t.db, ["LUCCA_DEPT"]);
    const own = await t.token(org.slug);
    const list = await listGroups(t, own);
    expect(list.Resources.map((g) => g.id)).toEqual([`LUCCA_DEPT-${org.departmentId}`]);
    for (const id of [`LUCCA_ETS-${org.establishmentId}`, `LUCCA_LU-${org.legalUnitId}`, "LUCCA_COUNTRY-FR"]) {
      expect((await t.request().get(`/scim/v2/Groups/${id}`).set(bearer(own))).status, id).toBe(404);
    }
    const user = (await t.request().get(`/scim/v2/Users/${org.employees.solo}`).set(bearer(own))).body;
    expect(user.groups).toEqual([{ value: `LUCCA_DEPT-${org.departmentId}`, $ref: `https://scim.test/scim/v2/Groups/LUCCA_DEPT-${org.departmentId}`, display: "LUCCA_DEPT Ops", type: "direct" }]);
    const ets = await t.request().get("/scim/v2/Users").query({ filter: `groups.value eq "LUCCA_ETS-${org.establishmentId}"` }).set(bearer(own));
    expect(ets.body.totalResults).toBe(0);
    const types = (await t.request().get("/scim/v2/ResourceTypes").set(bearer(own))).body.Resources.map((r: any) => r.id);
    expect(types).toEqual(["User", "Group"]);
  });

  it("serves no groups, no Group resource type and no User groups for a tenant with no type enabled", async () => {
    const org = await makeSmallOrganisation(t.db, []);
    const own = await t.token(org.slug);
    const list = await listGroups(t, own);
    expect(list).toMatchObject({ totalResults: 0, itemsPerPage: 0, Resources: [] });
    expect((await t.request().get(`/scim/v2/Groups/LUCCA_DEPT-${org.departmentId}`).set(bearer(own))).status).toBe(404);
    const user = (await t.request().get(`/scim/v2/Users/${org.employees.solo}`).set(bearer(own))).body;
    expect(user.groups).toBeUndefined();
    const filter = await t.request().get("/scim/v2/Users").query({ filter: 'groups.value eq "x"' }).set(bearer(own));
    expect(filter.status).toBe(400);
    const types = (await t.request().get("/scim/v2/ResourceTypes").set(bearer(own))).body.Resources.map((r: any) => r.id);
    expect(types).toEqual(["User"]);
  });
});

describe("POST /.search at the root", () => {
  const search = async (body: Record<string, unknown>) =>
    t.request().post("/scim/v2/.search").set(bearer(await t.token("demo"))).send({ schemas: ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"], ...body });

  it("returns users then groups for an unfiltered search, totalResults summing both", async () => {
    const token = await t.token("demo");
    const users = (await t.request().get("/scim/v2/Users").query({ count: 0 }).set(bearer(token))).body.totalResults;
    const res = await search({ count: 1000, excludedAttributes: ["members"] });
    expect(res.status).toBe(200);
    expect(res.body.totalResults).toBe(users + 15);
    const types = res.body.Resources.map((r: any) => r.meta.resourceType);
    expect(types.filter((x: string) => x === "User").length).toBe(users);
    expect(types.slice(users)).toEqual(Array(15).fill("Group"));
  });

  it("pages over the boundary between users and groups", async () => {
    const token = await t.token("demo");
    const users = (await t.request().get("/scim/v2/Users").query({ count: 0 }).set(bearer(token))).body.totalResults;
    const res = await search({ startIndex: users, count: 3, attributes: ["id"] });
    expect(res.body.itemsPerPage).toBe(3);
    expect(res.body.startIndex).toBe(users);
    const ids = res.body.Resources.map((r: any) => r.id);
    expect(ids[0]).toMatch(/^[0-9]+$/);
    expect(ids.slice(1)).toEqual((await listGroups(t, token, { count: 2, attributes: "id" })).Resources.map((g) => g.id));
  });

  it("returns the resources of each type that match, a type lacking the attribute contributing none", async () => {
    const token = await t.token("demo");
    const groups = await search({ filter: 'displayName sw "LUCCA_ETS"', attributes: ["displayName"] });
    expect(groups.body.totalResults).toBe(4);
    const users = await search({ filter: 'userName eq "ada.lovelace"' });
    expect(users.body.Resources.map((r: any) => r.userName)).toEqual(["ada.lovelace"]);
    const onlyGroups = await search({ filter: 'meta.resourceType eq "Group"', count: 1000, excludedAttributes: ["members"] });
    expect(onlyGroups.body.totalResults).toBe(15);
    const grace = (await userIdOf(t, token, "grace.hopper"))!;
    const both = await search({ filter: `id eq "${grace}" or id eq "LUCCA_COUNTRY-ES"`, attributes: ["id"] });
    expect(both.body.Resources.map((r: any) => r.id)).toEqual([grace, "LUCCA_COUNTRY-ES"]);
    const none = await search({ filter: 'nothing eq "x"' });
    expect(none.status).toBe(400);
    expect(JSON.parse(none.text).scimType).toBe("invalidFilter");
  });
});

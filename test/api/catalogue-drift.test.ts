// The catalogue is the one table of what an attribute is: a filter can match only what the projection
// shows, and /Schemas lists exactly what the catalogue exposes. For every exposed, filterable path
// of Users and Groups on the demo seed, the value a resource shows finds that resource with `eq`;
// values a token may not see (a future employee, a manager it may not see) match nothing.
import { beforeAll, describe, expect, it } from "vitest";
import { findTenantBySlug } from "../../src/hr/tenants.js";
import { groupCatalogue, userCatalogue, type Catalogue } from "../../src/scim/catalogue/catalogue.js";
import type { CatalogueEntry } from "../../src/scim/catalogue/types.js";
import { makeTenant } from "../support/build-test-app.js";
import { bearer } from "../support/scim-client.js";
import { useTestApp } from "../support/use-test-app.js";

const t = useTestApp();
let users: Catalogue;
let groups: Catalogue;

beforeAll(async () => {
  const demo = (await findTenantBySlug(t.db, "demo"))!;
  users = userCatalogue(demo.settings);
  groups = groupCatalogue(demo.settings);
});

/** The exposed paths a filter can compare, as clients name them. */
function filterablePaths(catalogue: Catalogue): CatalogueEntry[] {
  return catalogue.entries.filter((e) => {
    if (!catalogue.isExposed(e)) return false;
    if (e.column) return true;
    const parent = e.parent === null ? undefined : catalogue.byPath(e.parent.toLowerCase());
    if (parent?.elements) return parent.elements.some((el) => Object.hasOwn(el.sub, e.name));
    if (parent?.related) return Object.hasOwn(parent.related.sub, e.name);
    return false;
  });
}

/** The values a resource shows at a catalogue path (every element of a multi-valued attribute). */
function shownValues(catalogue: Catalogue, resource: Record<string, unknown>, entry: CatalogueEntry): unknown[] {
  const names: string[] = [];
  for (let e: CatalogueEntry | undefined = entry; e; e = e.parent === null ? undefined : catalogue.byPath(e.parent.toLowerCase())) names.unshift(e.name);
  let values: unknown[] = [entry.urn === catalogue.coreUrn || entry.common ? resource : resource[entry.urn]];
  for (const name of names) {
    values = values.flatMap((v) => (v && typeof v === "object" && !Array.isArray(v) ? [(v as Record<string, unknown>)[name]] : []))
      .flatMap((v) => (Array.isArray(v) ? v : [v]));
  }
  return values.filter((v) => v !== undefined && v !== null && v !== "");
}

const literal = (value: unknown) => (typeof value === "boolean" || typeof value === "number" ? String(value) : JSON.stringify(value));

async function list(token: string, resource: "Users" | "Groups", query: Record<string, string>) {
  const res = await t.request().get(`/scim/v2/${resource}`).query({ count: 1000, ...query }).set(bearer(token));
  expect(res.status, `${query.filter}: ${res.text.slice(0, 300)}`).toBe(200);
  return res.body as { totalResults: number; Resources: Record<string, any>[] };
}

describe("a filter finds what the projection shows", () => {
  it.each(["Users", "Groups"] as const)("for every exposed, filterable path of %s", async (resource) => {
    const token = await t.token("demo", ["future-employees:read"]);
    const catalogue = resource === "Users" ? users : groups;
    const all = (await list(token, resource, {})).Resources;
    const checked: string[] = [];
    for (const entry of filterablePaths(catalogue)) {
      const holder = all.find((r) => shownValues(catalogue, r, entry).length > 0);
      if (!holder) continue; // nothing on the demo seed shows it (Groups carry no externalId)
      const value = shownValues(catalogue, holder, entry)[0];
      const filter = `${entry.path} eq ${literal(value)}`;
      const found = await list(token, resource, { filter, attributes: "id" });
      expect(found.Resources.map((r) => r.id), filter).toContain(holder.id);
      checked.push(entry.path);
    }
    // Enough of the catalogue was exercised for the check to mean something.
    expect(checked.length).toBeGreaterThan(resource === "Users" ? 25 : 5);
  });
});

describe("values a token may not see match nothing", () => {
  it("a future employee's values, for a token without future-employees:read", async () => {
    const all = await t.token("demo", ["future-employees:read"]);
    const plain = await t.token("demo");
    const future = (await list(all, "Users", { filter: 'userName eq "noah.future"' })).Resources[0];
    expect(future).toBeDefined();
    for (const filter of [`id eq "${future.id}"`, `userName eq "noah.future"`, `name.familyName eq "Future"`, `emails.value eq "${future.emails[0].value}"`]) {
      expect((await list(plain, "Users", { filter })).totalResults, filter).toBe(0);
    }
    expect((await list(plain, "Groups", { filter: `members.value eq "${future.id}"` })).totalResults).toBe(0);
    expect((await list(all, "Groups", { filter: `members.value eq "${future.id}"` })).totalResults).toBeGreaterThan(0);
  });

  it("a manager the token may not see (a future employee) is no manager to filters", async () => {
    const tenant = await makeTenant(t.db, { propertyMapping: { attributes: ["manager"], namespace: null, extendedFields: {} } });
    const add = async (login: string, start: string, managerId?: number) => {
      const [e] = await t.db("employees").insert({ tenant_id: tenant.id, login, first_name: "M", last_name: login, manager_id: managerId ?? null }).returning("id");
      await t.db("contracts").insert({ tenant_id: tenant.id, employee_id: e.id, start_date: start });
      return e.id as number;
    };
    const boss = await add("future.boss", "2030-01-01");
    await add("report", "2020-01-01", boss);
    const plain = (await t.tokenFor(tenant.slug));
    const seeing = (await t.tokenFor(tenant.slug, ["future-employees:read"]));
    const managerOf = (r: Record<string, any>) => r["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"]?.manager;
    expect(managerOf((await list(plain, "Users", { filter: 'userName eq "report"' })).Resources[0])).toBeUndefined();
    expect(managerOf((await list(seeing, "Users", { filter: 'userName eq "report"' })).Resources[0])).toMatchObject({ value: String(boss) });
    expect((await list(plain, "Users", { filter: `manager.value eq "${boss}"` })).totalResults).toBe(0);
    expect((await list(plain, "Users", { filter: "manager.displayName co \"boss\"" })).totalResults).toBe(0);
    expect((await list(plain, "Users", { filter: 'userName eq "report" and not (manager.value pr)' })).totalResults).toBe(1);
    expect((await list(plain, "Users", { filter: 'userName eq "report" and manager.value eq null' })).totalResults).toBe(1);
    expect((await list(seeing, "Users", { filter: `manager.value eq "${boss}"` })).totalResults).toBe(1);
  });
});

describe("/Schemas lists exactly the catalogue's exposed attributes", () => {
  const flatten = (schemas: any[]) => schemas.flatMap((s: any) => s.attributes.flatMap((a: any) => {
    const top = s.id === "urn:ietf:params:scim:schemas:core:2.0:User" || s.id === "urn:ietf:params:scim:schemas:core:2.0:Group" ? a.name : `${s.id}:${a.name}`;
    return [top, ...(a.subAttributes ?? []).map((sub: any) => `${top}.${sub.name}`)];
  })).sort();
  const exposed = (catalogue: Catalogue) => catalogue.entries
    .filter((e) => catalogue.isExposed(e) && !e.common && !(e.parent && catalogue.byPath(e.parent.toLowerCase())?.common))
    .map((e) => e.path).sort();

  it.each(["demo", "other"])("for tenant %s", async (slug) => {
    const tenant = (await findTenantBySlug(t.db, slug))!;
    const res = await t.request().get("/scim/v2/Schemas").set(bearer(await t.token(slug)));
    const expected = [...exposed(userCatalogue(tenant.settings)), ...(tenant.settings.groupTypes.length ? exposed(groupCatalogue(tenant.settings)) : [])].sort();
    expect(flatten(res.body.Resources)).toEqual(expected);
  });
});

describe("groups.display compares the name the projection shows", () => {
  it("finds a user by a department name two departments share, which takes the HR id", async () => {
    const tenant = await makeTenant(t.db, { groupTypes: ["LUCCA_DEPT"] });
    const [a] = await t.db("departments").insert({ tenant_id: tenant.id, name: "Sales" }).returning("id");
    const [b] = await t.db("departments").insert({ tenant_id: tenant.id, name: "sales" }).returning("id");
    for (const [login, department] of [["in.a", a.id], ["in.b", b.id]]) {
      const [e] = await t.db("employees").insert({ tenant_id: tenant.id, login, first_name: "S", last_name: login, department_id: department }).returning("id");
      await t.db("contracts").insert({ tenant_id: tenant.id, employee_id: e.id, start_date: "2020-01-01" });
    }
    const token = await t.tokenFor(tenant.slug);
    const shown = (await list(token, "Users", { filter: 'userName eq "in.a"' })).Resources[0].groups[0].display;
    expect(shown).toBe(`LUCCA_DEPT Sales (${a.id})`);
    const found = await list(token, "Users", { filter: `groups.display eq "${shown}"` });
    expect(found.Resources.map((u) => u.userName)).toEqual(["in.a"]);
    expect((await list(token, "Users", { filter: 'groups.display eq "LUCCA_DEPT Sales"' })).totalResults).toBe(0);
  });
});

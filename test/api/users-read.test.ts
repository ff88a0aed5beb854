// GET /Users and /Users/{id}: projection, paging (docs/CLIENTS.md items 1-6), attributes, ETag.
import { describe, expect, it } from "vitest";
import { bearer, ENTERPRISE, listAll, userByLogin } from "../support/scim-client.js";
import { useTestApp } from "../support/use-test-app.js";

const t = useTestApp();

describe("the User projection", () => {
  it("projects Ada with core, enterprise and custom attributes as docs/BEHAVIOUR.md section 3 says", async () => {
    const token = await t.token("demo");
    const ada = await userByLogin(t, token, "ada.lovelace");
    expect(ada.schemas).toEqual(["urn:ietf:params:scim:schemas:core:2.0:User", ENTERPRISE]);
    expect(ada.userName).toBe("ada.lovelace");
    expect(ada.name).toEqual({ formatted: "Ada Lovelace", familyName: "Lovelace", givenName: "Ada" });
    expect(ada.displayName).toBe("Ada Lovelace");
    expect(ada.emails).toEqual([{ value: "ada.lovelace@demo.example", type: "work", primary: true }]);
    expect(ada.phoneNumbers).toEqual([
      { value: "+33 1 42 68 53 01", type: "work", primary: true },
      { value: "+33 6 12 34 56 78", type: "mobile", primary: false },
    ]);
    expect(ada.addresses[0]).toMatchObject({ type: "work", locality: "Paris", country: "FR", primary: true });
    expect(ada.title).toBe("CTO");
    expect(ada.active).toBe(true);
    expect(ada[ENTERPRISE]).toMatchObject({
      employeeNumber: "E0001", organization: "Demo SA", division: "Paris HQ", department: "Engineering",
      dtContractStart: "2015-01-05", countryCode: "FR", costCenter: "CC-ENG",
    });
    expect(ada[ENTERPRISE].manager).toBeUndefined();
    expect(ada[ENTERPRISE].dtContractEnd).toBeUndefined();
    expect(ada.meta).toMatchObject({ resourceType: "User", location: `https://scim.test/scim/v2/Users/${ada.id}` });
    expect(ada.meta.version).toMatch(/^W\/".+"$/);
    expect(typeof ada.id).toBe("string");
  });

  it("gives a manager as {value, $ref, displayName} and one primary phone when only a mobile exists", async () => {
    const token = await t.token("demo");
    const ada = await userByLogin(t, token, "ada.lovelace");
    const elodie = await userByLogin(t, token, "elodie.durand-muller");
    expect(elodie.name.givenName).toBe("Élodie");
    expect(elodie[ENTERPRISE].manager).toEqual({ value: ada.id, $ref: `https://scim.test/scim/v2/Users/${ada.id}`, displayName: "Ada Lovelace" });
    expect(elodie.phoneNumbers).toEqual([{ value: "+33 6 71 22 48 90", type: "mobile", primary: true }]);
  });

  it("shows the current contract's dates for a rehire and the ending date of a leaver", async () => {
    const token = await t.token("demo");
    const rita = await userByLogin(t, token, "rita.rehire");
    expect(rita[ENTERPRISE].dtContractStart).toBe("2026-05-16");
    const liam = await userByLogin(t, token, "liam.leaver");
    expect(liam[ENTERPRISE].dtContractEnd).toBe("2026-06-14");
  });

  it("serves a user by id with an ETag equal to meta.version, and 304 for If-None-Match", async () => {
    const token = await t.token("demo");
    const ada = await userByLogin(t, token, "ada.lovelace");
    const res = await t.request().get(`/scim/v2/Users/${ada.id}`).set(bearer(token));
    expect(res.status).toBe(200);
    expect(res.headers.etag).toBe(ada.meta.version);
    expect(res.body).toEqual(ada);
    const again = await t.request().get(`/scim/v2/Users/${ada.id}`).set({ ...bearer(token), "If-None-Match": ada.meta.version });
    expect(again.status).toBe(304);
    const stale = await t.request().get(`/scim/v2/Users/${ada.id}`).set({ ...bearer(token), "If-None-Match": 'W/"stale"' });
    expect(stale.status).toBe(200);
    // Weak comparison: the tag without W/, and within a list.
    const strongForm = ada.meta.version.replace(/^W\//, "");
    for (const header of [strongForm, `W/"other", ${ada.meta.version}`]) {
      expect((await t.request().get(`/scim/v2/Users/${ada.id}`).set({ ...bearer(token), "If-None-Match": header })).status, header).toBe(304);
    }
  });

  it("answers 404 for unknown and malformed ids", async () => {
    const token = await t.token("demo");
    for (const id of ["999999", "abc", "0", "1bulkId", "99999999999999"]) {
      const res = await t.request().get(`/scim/v2/Users/${id}`).set(bearer(token));
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: "404" });
    }
  });
});

describe("paging with startIndex and count", () => {
  it("answers Okta's connection test GET /Users?startIndex=1&count=2 with integers", async () => {
    const token = await t.token("demo");
    const res = await t.request().get("/scim/v2/Users?startIndex=1&count=2").set(bearer(token));
    expect(res.status).toBe(200);
    expect(res.body.schemas).toEqual(["urn:ietf:params:scim:api:messages:2.0:ListResponse"]);
    expect(res.body.itemsPerPage).toBe(2);
    expect(res.body.startIndex).toBe(1);
    expect(Number.isInteger(res.body.totalResults)).toBe(true);
    expect(res.body.Resources).toHaveLength(2);
  });

  it("walks every page without overlap or gap, in the same order as one big page", async () => {
    const token = await t.token("demo");
    const all = await listAll(t, token);
    const seen: string[] = [];
    for (let start = 1; start <= all.totalResults; start += 37) {
      const res = await t.request().get("/scim/v2/Users").query({ startIndex: start, count: 37 }).set(bearer(token));
      expect(res.body.totalResults).toBe(all.totalResults);
      seen.push(...res.body.Resources.map((u: any) => u.id));
    }
    expect(seen).toEqual(all.Resources.map((u) => u.id));
    expect(new Set(seen).size).toBe(all.totalResults);
  });

  it("treats startIndex below 1 as 1, negative count as 0, and caps count at the maximum", async () => {
    const token = await t.token("demo");
    const zero = await t.request().get("/scim/v2/Users?startindex=0&Count=3").set(bearer(token));
    expect(zero.body.startIndex).toBe(1);
    expect(zero.body.itemsPerPage).toBe(3);
    const negative = await t.request().get("/scim/v2/Users?count=-5").set(bearer(token));
    expect(negative.body.itemsPerPage).toBe(0);
    expect(negative.body.Resources).toEqual([]);
    expect(negative.body.totalResults).toBeGreaterThan(0);
    const huge = await t.request().get("/scim/v2/Users?count=100000").set(bearer(token));
    expect(huge.body.itemsPerPage).toBe(huge.body.totalResults); // demo has fewer than 1000
  });

  it("defaults to pages of 100", async () => {
    const token = await t.token("demo");
    const res = await t.request().get("/scim/v2/Users").set(bearer(token));
    expect(res.body.itemsPerPage).toBe(100);
  });

  it("returns an empty page past the end with status 200", async () => {
    const token = await t.token("demo");
    const res = await t.request().get("/scim/v2/Users?startIndex=100000&count=10").set(bearer(token));
    expect(res.status).toBe(200);
    expect(res.body.Resources).toEqual([]);
    expect(res.body.itemsPerPage).toBe(0);
  });

  it("rejects a non-numeric count with a SCIM 400", async () => {
    const token = await t.token("demo");
    const res = await t.request().get("/scim/v2/Users?count=ten").set(bearer(token));
    expect(res.status).toBe(400);
    expect(res.body.scimType).toBe("invalidValue");
  });
});

describe("sorting", () => {
  it("sorts by userName ascending and descending, and by a date attribute", async () => {
    const token = await t.token("demo");
    const asc = await listAll(t, token, { sortBy: "userName" });
    const names = asc.Resources.map((u) => u.userName.toLowerCase());
    expect(names).toEqual([...names].sort());
    const desc = await listAll(t, token, { sortBy: "userName", sortOrder: "descending" });
    expect(desc.Resources.map((u) => u.userName.toLowerCase())).toEqual([...names].reverse());
    const byModified = await listAll(t, token, { sortBy: "meta.lastModified", sortOrder: "descending" });
    expect(byModified.totalResults).toBe(asc.totalResults);
  });

  it("sorts on an enterprise attribute by its URN and puts missing values last", async () => {
    const token = await t.token("demo");
    const res = await listAll(t, token, { sortBy: `${ENTERPRISE}:employeeNumber` });
    const numbers = res.Resources.map((u) => u[ENTERPRISE]?.employeeNumber ?? null);
    const present = numbers.filter((n) => n !== null);
    expect(present).toEqual([...present].sort());
    expect(numbers.indexOf(null) === -1 || numbers.slice(numbers.indexOf(null)).every((n) => n === null)).toBe(true);
  });

  it("refuses to sort on an unknown attribute", async () => {
    const token = await t.token("demo");
    const res = await t.request().get("/scim/v2/Users?sortBy=shoeSize").set(bearer(token));
    expect(res.status).toBe(400);
  });
});

describe("cursor pagination (RFC 9865)", () => {
  it("walks all users with nextCursor, then stops, matching the index order", async () => {
    const token = await t.token("demo");
    const all = await listAll(t, token, { sortBy: "name.familyName" });
    const seen: string[] = [];
    let cursor = "";
    for (let i = 0; i < 100; i++) {
      const res = await t.request().get("/scim/v2/Users").query({ cursor, count: 50, sortBy: "name.familyName" }).set(bearer(token));
      expect(res.status).toBe(200);
      expect(res.body.startIndex).toBeUndefined();
      seen.push(...res.body.Resources.map((u: any) => u.id));
      if (!res.body.nextCursor) break;
      cursor = res.body.nextCursor;
    }
    expect(seen).toEqual(all.Resources.map((u) => u.id));
  });

  it("does not skip or repeat when a user appears between two pages", async () => {
    const token = await t.token("demo");
    const first = await t.request().get("/scim/v2/Users").query({ cursor: "", count: 10 }).set(bearer(token));
    const next = await t.request().get("/scim/v2/Users").query({ cursor: first.body.nextCursor, count: 10 }).set(bearer(token));
    const ids = [...first.body.Resources, ...next.body.Resources].map((u: any) => Number(u.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(20);
  });

  it("rejects a forged cursor and one from another filter with invalidCursor", async () => {
    const token = await t.token("demo");
    const forged = await t.request().get("/scim/v2/Users").query({ cursor: "not-a-cursor" }).set(bearer(token));
    expect(forged.status).toBe(400);
    expect(forged.body.scimType).toBe("invalidCursor");
    const first = await t.request().get("/scim/v2/Users").query({ cursor: "", count: 5 }).set(bearer(token));
    const other = await t.request().get("/scim/v2/Users").query({ cursor: first.body.nextCursor, filter: "active eq true" }).set(bearer(token));
    expect(other.body.scimType).toBe("invalidCursor");
  });
});

describe("attributes and excludedAttributes", () => {
  it("returns only id, schemas and the asked attributes", async () => {
    const token = await t.token("demo");
    const res = await t.request().get("/scim/v2/Users").query({ attributes: "userName,name.givenName", count: 1 }).set(bearer(token));
    const user = res.body.Resources[0];
    expect(Object.keys(user).sort()).toEqual(["id", "name", "schemas", "userName"]);
    expect(Object.keys(user.name)).toEqual(["givenName"]);
  });

  it("accepts URN-qualified names and drops excluded ones, never id", async () => {
    const token = await t.token("demo");
    const ada = await userByLogin(t, token, "ada.lovelace");
    const res = await t.request().get(`/scim/v2/Users/${ada.id}`)
      .query({ excludedAttributes: `emails,${ENTERPRISE}:manager,id,urn:ietf:params:scim:schemas:core:2.0:User:phoneNumbers` }).set(bearer(token));
    expect(res.body.id).toBe(ada.id);
    expect(res.body.emails).toBeUndefined();
    expect(res.body.phoneNumbers).toBeUndefined();
    expect(res.body[ENTERPRISE].employeeNumber).toBe("E0001");
    const only = await t.request().get(`/scim/v2/Users/${ada.id}`).query({ attributes: `${ENTERPRISE}:employeeNumber` }).set(bearer(token));
    expect(only.body).toEqual({ schemas: ["urn:ietf:params:scim:schemas:core:2.0:User", ENTERPRISE], id: ada.id, [ENTERPRISE]: { employeeNumber: "E0001" } });
  });
});

describe("POST .search", () => {
  it("searches users with a SearchRequest body at /Users/.search and at the root", async () => {
    const token = await t.token("demo");
    for (const path of ["/scim/v2/Users/.search", "/scim/v2/.search"]) {
      const res = await t.request().post(path).set(bearer(token)).set("Content-Type", "application/scim+json")
        .send(JSON.stringify({ schemas: ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"], filter: 'userName eq "grace.hopper"', attributes: ["userName"], startIndex: 1, count: 10 }));
      expect(res.status).toBe(200);
      expect(res.body.totalResults).toBe(1);
      expect(res.body.Resources[0]).toEqual({ schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], id: expect.any(String), userName: "grace.hopper" });
    }
  });

  it("rejects a SearchRequest that is not an object", async () => {
    const token = await t.token("demo");
    const res = await t.request().post("/scim/v2/Users/.search").set(bearer(token)).set("Content-Type", "application/json").send("[1,2]");
    expect(res.status).toBe(400);
    expect(res.body.scimType).toBe("invalidSyntax");
  });
});

// Write-back through PATCH and PUT on /Users/{id} (docs/BEHAVIOUR.md section 5, docs/CLIENTS.md
// items 24-27): Okta's PUT, Entra's PATCH dialect, mutability, value checks, uniqueness and the
// response shapes. Every write goes to a tenant of its own, never to the shared demo tenant.
import { beforeAll, describe, expect, it } from "vitest";
import { bearer, ENTERPRISE } from "../support/scim-client.js";
import { useTestApp } from "../support/use-test-app.js";
import { CORE, DOMAIN, getUser, ops, patch, put, writeTenant, type WriteTenant } from "./write-back-fixture.js";

const t = useTestApp();
/** The tenant every test writes to unless it needs settings of its own. */
let w: WriteTenant;

beforeAll(async () => {
  w = await writeTenant(t);
});

/** The user without what a write legitimately moves, to compare before and after. */
function stable(user: any) {
  const { meta, ...rest } = user;
  return { ...rest, meta: { ...meta, version: undefined, lastModified: undefined } };
}

describe("Okta's write-back: GET the user, PUT the whole object back", () => {
  it("applies only the writable attribute it changed and ignores active, read-only and absent attributes", async () => {
    const manager = await w.addEmployee({ login: "okta.manager" });
    const id = await w.addEmployee({ login: "okta.user", firstName: "Olga", mobilePhone: "+33 6 00 00 00 02", managerId: Number(manager) });
    const before = await getUser(t, w.reader, id);
    expect(before.phoneNumbers).toHaveLength(2);

    const sent = structuredClone(before);
    sent.name.givenName = "Olivia";
    sent.active = false;
    delete sent.phoneNumbers;
    sent[ENTERPRISE].employeeNumber = "CHANGED";
    sent[ENTERPRISE].manager = { value: "1" };
    sent.groups = [{ value: "LUCCA_DEPT-1" }];
    sent.id = "123456";
    sent.meta.version = 'W/"forged"';
    sent.displayName = "Someone Else";
    const res = await put(t, w.writer, id, sent);

    expect(res.status).toBe(200);
    const after = await getUser(t, w.reader, id);
    expect(res.body).toEqual(after);
    expect(res.headers.etag).toBe(after.meta.version);
    expect(after.name).toEqual({ formatted: "Olivia Doe", givenName: "Olivia", familyName: "Doe" });
    expect(after.displayName).toBe("Olivia Doe");
    expect(after.active).toBe(true);
    expect(after.phoneNumbers).toEqual(before.phoneNumbers);
    expect(after[ENTERPRISE]).toEqual(before[ENTERPRISE]);
    expect(after.id).toBe(id);
    expect(stable({ ...after, name: before.name, displayName: before.displayName })).toEqual(stable(before));
    expect(after.meta.version).not.toBe(before.meta.version);
  });

  it("clears an optional attribute given explicitly empty and refuses to empty a required one", async () => {
    const id = await w.addEmployee({ mobilePhone: "+33 6 11 11 11 11" });
    const user = await getUser(t, w.reader, id);
    const workPhone = user.phoneNumbers.find((p: any) => p.type === "work");
    expect(workPhone).toBeDefined();
    // A list carrying the mobile number alone writes it and leaves the work number (incomplete mapping).
    const mobileOnly = await put(t, w.writer, id, { ...user, phoneNumbers: [{ value: "+33 6 98", type: "mobile" }] });
    expect(mobileOnly.status).toBe(200);
    expect(mobileOnly.body.phoneNumbers.map((p: any) => [p.type, p.value])).toEqual([["work", workPhone.value], ["mobile", "+33 6 98"]]);
    // Clearing is explicit: a null title, a null work number.
    const res = await put(t, w.writer, id, { ...user, title: null, phoneNumbers: [{ value: null, type: "work" }, { value: "+33 6 99", type: "mobile" }] });
    expect(res.status).toBe(200);
    expect(res.body.title).toBeUndefined();
    expect(res.body.phoneNumbers).toEqual([{ value: "+33 6 99", type: "mobile", primary: true }]);
    // A list of only types hr-scim does not store, or a home email alone, is refused: nothing changes.
    for (const body of [{ phoneNumbers: [{ value: "+1 555", type: "fax" }] }, { emails: [{ value: "me@home.example", type: "home" }] }]) {
      const refused = await put(t, w.writer, id, { ...res.body, ...body });
      expect(refused.status).toBe(400);
      expect(refused.body.scimType).toBe("invalidValue");
    }
    const unchanged = await getUser(t, w.reader, id);
    expect(unchanged.meta.version).toBe(res.body.meta.version);
    expect(unchanged.emails).toEqual(user.emails);

    const blank = await put(t, w.writer, id, { ...res.body, name: { givenName: "", familyName: "Doe" } });
    expect(blank.status).toBe(400);
    expect(blank.body).toMatchObject({ status: "400", scimType: "invalidValue" });
  });

  it("takes a minimal PUT body and changes nothing else", async () => {
    const id = await w.addEmployee({ title: "Keeper" });
    const before = await getUser(t, w.reader, id);
    const res = await put(t, w.writer, id, { schemas: [CORE], externalId: "okta-00u1" });
    expect(res.status).toBe(200);
    expect(res.body.externalId).toBe("okta-00u1");
    expect(stable({ ...res.body, externalId: undefined })).toEqual(stable({ ...before, externalId: undefined }));
  });
});

describe("Entra's PATCH dialect (docs/CLIENTS.md item 25)", () => {
  it("accepts op names in any case", async () => {
    const id = await w.addEmployee({ mobilePhone: "+33 6 22" });
    const res = await patch(t, w.writer, id, ops(
      { op: "Replace", path: "title", value: "Lead" },
      { op: "Add", path: "preferredLanguage", value: "fr-FR" },
      { op: "Remove", path: 'phoneNumbers[type eq "mobile"]' },
      { op: "REPLACE", path: "name.familyName", value: "Smith" },
    ));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ title: "Lead", preferredLanguage: "fr-FR", name: { familyName: "Smith" } });
    expect(res.body.phoneNumbers).toEqual([{ value: "+33 1 00 00 00 01", type: "work", primary: true }]);
  });

  it("reads booleans sent as strings: \"True\" where a boolean is writable, and active \"False\" refused as read-only", async () => {
    const id = await w.addEmployee();
    const before = await getUser(t, w.reader, id);
    const primary = await patch(t, w.writer, id, ops(
      { op: "replace", path: 'emails[type eq "work"].primary', value: "True" },
      { op: "add", path: "phoneNumbers", value: [{ value: "+33 6 33", type: "mobile", primary: "false" }] },
    ));
    expect(primary.status).toBe(200);
    expect(primary.body.emails).toEqual(before.emails);
    expect(primary.body.phoneNumbers).toContainEqual({ value: "+33 6 33", type: "mobile", primary: false });

    const deactivate = await patch(t, w.writer, id, ops({ op: "Replace", path: "active", value: "False" }));
    expect(deactivate.status).toBe(400);
    expect(deactivate.body).toMatchObject({ schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: "400", scimType: "mutability" });
    expect(deactivate.body.detail).toContain('"active"');
    expect((await getUser(t, w.reader, id)).active).toBe(true);
  });

  it("applies a path-less value object with simple, dotted and URN-qualified keys", async () => {
    const id = await w.addEmployee();
    const res = await patch(t, w.writer, id, ops({
      op: "replace",
      value: { title: "Architect", "name.givenName": "A", [`${CORE}:preferredLanguage`]: "de-DE", [`${CORE}:name.familyName`]: "B" },
    }));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ title: "Architect", preferredLanguage: "de-DE", name: { givenName: "A", familyName: "B", formatted: "A B" }, displayName: "A B" });
  });

  it("refuses docs/CLIENTS.md's exact path-less example, which sets the read-only employeeNumber, and applies none of it", async () => {
    const id = await w.addEmployee({ firstName: "Kept" });
    const before = await getUser(t, w.reader, id);
    const res = await patch(t, w.writer, id, ops({
      op: "replace", value: { "name.givenName": "A", [`${ENTERPRISE}:employeeNumber`]: "7" },
    }));
    expect(res.status).toBe(400);
    expect(res.body.scimType).toBe("mutability");
    expect(res.body.detail).toContain(`${ENTERPRISE}:employeeNumber`);
    expect(await getUser(t, w.reader, id)).toEqual(before);
  });

  it("writes emails[type eq \"work\"].value and phoneNumbers[type eq \"mobile\"].value, creating the mobile number when none exists", async () => {
    const id = await w.addEmployee({ mobilePhone: null });
    const res = await patch(t, w.writer, id, ops(
      { op: "replace", path: 'emails[type eq "work"].value', value: `new.address@${DOMAIN}` },
      { op: "add", path: 'phoneNumbers[type eq "mobile"].value', value: "+33 6 44 44 44 44" },
    ));
    expect(res.status).toBe(200);
    expect(res.body.emails).toEqual([{ value: `new.address@${DOMAIN}`, type: "work", primary: true }]);
    expect(res.body.phoneNumbers).toEqual([
      { value: "+33 1 00 00 00 01", type: "work", primary: true },
      { value: "+33 6 44 44 44 44", type: "mobile", primary: false },
    ]);
    const replace = await patch(t, w.writer, id, ops({ op: "Replace", path: 'phoneNumbers[type eq "mobile"].value', value: "+33 6 55" }));
    expect(replace.body.phoneNumbers[1]).toEqual({ value: "+33 6 55", type: "mobile", primary: false });
  });

  it("also creates the work email with replace when the user has none", async () => {
    const id = await w.addEmployee({ workEmail: null });
    expect((await getUser(t, w.reader, id)).emails).toBeUndefined();
    const res = await patch(t, w.writer, id, ops({ op: "replace", path: 'emails[type eq "work"].value', value: `fresh@${DOMAIN}` }));
    expect(res.status).toBe(200);
    expect(res.body.emails).toEqual([{ value: `fresh@${DOMAIN}`, type: "work", primary: true }]);
  });

  it("answers manager sent as an array with 400 mutability, by path and path-less", async () => {
    const manager = await w.addEmployee();
    const id = await w.addEmployee();
    const value = [{ value: manager, $ref: `https://scim.test/scim/v2/Users/${manager}` }];
    for (const operation of [
      { op: "Add", path: `${ENTERPRISE}:manager`, value },
      { op: "Replace", path: "manager", value },
      { op: "Add", value: { [ENTERPRISE]: { manager: value } } },
      { op: "Add", value: { [`${ENTERPRISE}:manager`]: value } },
    ]) {
      const res = await patch(t, w.writer, id, ops(operation));
      expect(res.status, JSON.stringify(operation)).toBe(400);
      expect(res.body.scimType).toBe("mutability");
      expect(res.body.detail).toContain("manager");
    }
    expect((await getUser(t, w.reader, id))[ENTERPRISE].manager).toBeUndefined();
  });

  it("treats explicit nulls as removals, with or without a path", async () => {
    const id = await w.addEmployee({ mobilePhone: "+33 6 66" });
    const res = await patch(t, w.writer, id, ops(
      { op: "replace", path: "title", value: null },
      { op: "Add", value: { preferredLanguage: null, externalId: null } },
      { op: "replace", path: 'phoneNumbers[type eq "mobile"].value', value: null },
      { op: "remove", path: "externalId", value: null },
    ));
    expect(res.status).toBe(200);
    expect(res.body.title).toBeUndefined();
    expect(res.body.phoneNumbers).toEqual([{ value: "+33 1 00 00 00 01", type: "work", primary: true }]);
    const required = await patch(t, w.writer, id, ops({ op: "replace", path: "userName", value: null }));
    expect(required.status).toBe(400);
    expect(required.body.scimType).toBe("invalidValue");
  });
});

describe("atomicity, versions and If-Match", () => {
  it("leaves the user untouched when the second of two operations is invalid", async () => {
    const id = await w.addEmployee({ title: "Original" });
    const before = await getUser(t, w.reader, id);
    const res = await patch(t, w.writer, id, ops(
      { op: "replace", path: "title", value: "Changed" },
      { op: "replace", path: "addresses", value: [{ locality: "Nowhere" }] },
    ));
    expect(res.status).toBe(400);
    expect(res.body.scimType).toBe("mutability");
    expect(res.body.detail).toContain("operation 2");
    const after = await getUser(t, w.reader, id);
    expect(after).toEqual(before);
    expect(after.meta.version).toBe(before.meta.version);
  });

  it("bumps meta.version and meta.lastModified on every write, so a lastModified filter finds the user", async () => {
    const id = await w.addEmployee();
    const before = await getUser(t, w.reader, id);
    expect(before.meta.version).toMatch(/^W\/"1-/);
    t.setNow("2026-06-15T11:00:00Z");
    try {
      const first = await patch(t, w.writer, id, ops({ op: "replace", path: "title", value: "One" }));
      expect(first.status).toBe(200);
      expect(first.body.meta.version).toMatch(/^W\/"2-/);
      expect(first.body.meta.lastModified).toBe("2026-06-15T11:00:00.000Z");
      expect(first.headers.etag).toBe(first.body.meta.version);

      t.setNow("2026-06-15T11:05:00Z");
      const second = await put(t, w.writer, id, { ...first.body, title: "Two" });
      expect(second.status).toBe(200);
      expect(second.body.meta.version).toMatch(/^W\/"3-/);
      expect(second.body.meta.lastModified).toBe("2026-06-15T11:05:00.000Z");

      const found = await t.request().get("/scim/v2/Users")
        .query({ filter: `meta.lastModified gt "${first.body.meta.lastModified}"` }).set(bearer(w.reader));
      expect(found.body.Resources.map((u: any) => u.id)).toEqual([id]);
    } finally {
      t.setNow("2026-06-15T10:00:00Z");
    }
  });

  it("keeps the version of a write that changes nothing (a no-op PUT of what was read)", async () => {
    const id = await w.addEmployee();
    const before = await getUser(t, w.reader, id);
    const res = await put(t, w.writer, id, before);
    expect(res.status).toBe(200);
    expect(res.body).toEqual(before);
  });

  it("refuses a stale If-Match with 412 and changes nothing; a current one is applied", async () => {
    const id = await w.addEmployee({ title: "Before" });
    const before = await getUser(t, w.reader, id);
    const stale = await patch(t, w.writer, id, ops({ op: "replace", path: "title", value: "After" }), { "If-Match": 'W/"1-0"' });
    expect(stale.status).toBe(412);
    expect(stale.body).toMatchObject({ status: "412" });
    expect(await getUser(t, w.reader, id)).toEqual(before);
    const stalePut = await put(t, w.writer, id, { ...before, title: "After" }, { "If-Match": 'W/"1-0"' });
    expect(stalePut.status).toBe(412);

    const current = await patch(t, w.writer, id, ops({ op: "replace", path: "title", value: "After" }), { "If-Match": before.meta.version });
    expect(current.status).toBe(200);
    expect(current.body.title).toBe("After");
    const star = await put(t, w.writer, id, { title: "Star" }, { "If-Match": "*" });
    expect(star.status).toBe(200);
  });

  it("gives exactly one success and nineteen 412 to twenty concurrent PATCHes with the same If-Match", async () => {
    const id = await w.addEmployee({ title: "Start" });
    const before = await getUser(t, w.reader, id);
    const responses = await Promise.all(Array.from({ length: 20 }, (_, i) =>
      patch(t, w.writer, id, ops({ op: "replace", path: "title", value: `Title ${i}` }), { "If-Match": before.meta.version })));
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 412)).toHaveLength(19);
    const winner = responses.find((r) => r.status === 200)!;
    const after = await getUser(t, w.reader, id);
    expect(after.title).toBe(winner.body.title);
    expect(after.meta.version).toMatch(/^W\/"2-/);
  });
});

describe("what may be written", () => {
  it("refuses a read-only attribute in a PATCH with 400 mutability naming it", async () => {
    const id = await w.addEmployee();
    const before = await getUser(t, w.reader, id);
    for (const [path, name] of [["id", "id"], ["meta.lastModified", "meta"], ["addresses", "addresses"], ["groups", "groups"],
      [`${ENTERPRISE}:department`, `${ENTERPRISE}:department`], ["employeeNumber", `${ENTERPRISE}:employeeNumber`]] as const) {
      const res = await patch(t, w.writer, id, ops({ op: "replace", path, value: "x" }));
      expect(res.status, path).toBe(400);
      expect(res.body.scimType, path).toBe("mutability");
      expect(res.body.detail, path).toContain(`"${name}`);
    }
    expect(await getUser(t, w.reader, id)).toEqual(before);
  });

  it("ignores displayName and name.formatted, in PATCH and PUT", async () => {
    const id = await w.addEmployee();
    const before = await getUser(t, w.reader, id);
    const p = await patch(t, w.writer, id, ops({ op: "replace", path: "displayName", value: "Nick" }, { op: "replace", path: "name.formatted", value: "N" }));
    expect(p.status).toBe(200);
    expect(p.body).toEqual(before);
    const u = await put(t, w.writer, id, { displayName: "Nick" });
    expect(u.status).toBe(200);
    expect(u.body).toEqual(before);
  });

  it("refuses a work email outside allowedEmailDomains with 400 invalidValue, in PATCH and PUT", async () => {
    const id = await w.addEmployee();
    const before = await getUser(t, w.reader, id);
    const p = await patch(t, w.writer, id, ops({ op: "replace", path: 'emails[type eq "work"].value', value: "someone@elsewhere.example" }));
    expect(p.status).toBe(400);
    expect(p.body.scimType).toBe("invalidValue");
    expect(p.body.detail).toContain(DOMAIN);
    const u = await put(t, w.writer, id, { emails: [{ value: "someone@eu.acme.example", type: "work", primary: true }] });
    expect(u.status).toBe(400);
    expect(u.body.scimType).toBe("invalidValue");
    expect(await getUser(t, w.reader, id)).toEqual(before);
    const ok = await patch(t, w.writer, id, ops({ op: "replace", path: "emails[type eq \"work\"].value", value: `Someone@ACME.example` }));
    expect(ok.status).toBe(200);
  });

  it("refuses a userName another employee has in another letter case with 409 uniqueness, even a hidden future one", async () => {
    await w.addEmployee({ login: "taken.name" });
    await w.addEmployee({ login: "future.name", start: "2026-09-01" });
    const id = await w.addEmployee({ login: "free.name" });
    const before = await getUser(t, w.reader, id);
    for (const userName of ["TAKEN.Name", "Future.NAME", " taken.name ", "\ttaken.NAME"]) {
      const res = await patch(t, w.writer, id, ops({ op: "replace", path: "userName", value: userName }));
      expect(res.status, userName).toBe(409);
      expect(res.body).toMatchObject({ status: "409", scimType: "uniqueness" });
      const viaPut = await put(t, w.writer, id, { ...before, userName });
      expect(viaPut.status).toBe(409);
    }
    expect(await getUser(t, w.reader, id)).toEqual(before);
    const own = await patch(t, w.writer, id, ops({ op: "replace", path: "userName", value: "Free.Name" }));
    expect(own.status).toBe(200);
    expect(own.body.userName).toBe("Free.Name");
  });

  it("checks uniqueness and the domain on the work email when the tenant's userName is the work email", async () => {
    const tenant = await writeTenant(t, { userNameSource: "workEmail" });
    await tenant.addEmployee({ login: "first", workEmail: `first@${DOMAIN}` });
    const id = await tenant.addEmployee({ login: "second", workEmail: `second@${DOMAIN}` });
    const taken = await patch(t, tenant.writer, id, ops({ op: "replace", path: "userName", value: `FIRST@${DOMAIN}` }));
    expect(taken.status).toBe(409);
    const outside = await patch(t, tenant.writer, id, ops({ op: "replace", path: "userName", value: "second@other.example" }));
    expect(outside.status).toBe(400);
    expect(outside.body.scimType).toBe("invalidValue");
    const ok = await patch(t, tenant.writer, id, ops({ op: "replace", path: "userName", value: `second.new@${DOMAIN}` }));
    expect(ok.status).toBe(200);
    expect(ok.body.userName).toBe(`second.new@${DOMAIN}`);
    expect(ok.body.emails[0].value).toBe(`second.new@${DOMAIN}`);
  });

  it("refuses an attribute the tenant does not expose with 400 invalidPath", async () => {
    const tenant = await writeTenant(t, { propertyMapping: { attributes: [], namespace: ENTERPRISE, extendedFields: {} } });
    const id = await tenant.addEmployee();
    const res = await patch(t, tenant.writer, id, ops({ op: "replace", path: "title", value: "x" }));
    expect(res.status).toBe(400);
    expect(res.body.scimType).toBe("invalidPath");
  });
});

describe("malformed requests", () => {
  const cases: [string, unknown, string][] = [
    ["a body without schemas", { Operations: [{ op: "replace", path: "title", value: "x" }] }, "invalidSyntax"],
    ["an empty Operations array", ops(), "invalidSyntax"],
    ["an array body", [{ op: "replace", path: "title", value: "x" }], "invalidSyntax"],
    ["an unknown op", ops({ op: "move", path: "title", value: "x" }), "invalidSyntax"],
    ["an add without value", ops({ op: "add", path: "title" }), "invalidSyntax"],
    ["a remove without path", ops({ op: "remove" }), "noTarget"],
    ["a malformed path", ops({ op: "replace", path: "name..givenName", value: "x" }), "invalidPath"],
    ["an attribute hr-scim does not store", ops({ op: "replace", path: "nickName", value: "x" }), "invalidPath"],
    ["an unbalanced value filter", ops({ op: "replace", path: 'emails[type eq "work".value', value: "x" }), "invalidPath"],
    ["a malformed value filter", ops({ op: "replace", path: 'emails[type zz "work"].value', value: "x" }), "invalidFilter"],
    ["a number for a string", ops({ op: "replace", path: "title", value: 42 }), "invalidValue"],
    ["a string for name", ops({ op: "replace", path: "name", value: "Ada" }), "invalidValue"],
    ["a non-boolean primary", ops({ op: "replace", path: 'emails[type eq "work"].primary', value: "yes" }), "invalidValue"],
    ["a home phone", ops({ op: "add", path: "phoneNumbers", value: [{ value: "1", type: "home" }] }), "invalidValue"],
  ];

  it.each(cases)("answers %s with 400 and its scimType", async (_label, body, scimType) => {
    const id = await w.addEmployee();
    const before = await getUser(t, w.reader, id);
    const res = await patch(t, w.writer, id, body);
    expect(res.status).toBe(400);
    expect(res.headers["content-type"]).toBe("application/scim+json; charset=utf-8");
    expect(res.body).toMatchObject({ schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: "400", scimType });
    expect(await getUser(t, w.reader, id)).toEqual(before);
  });

  it("answers invalid JSON with 400 invalidSyntax", async () => {
    const id = await w.addEmployee();
    const res = await t.request().patch(`/scim/v2/Users/${id}`).set({ ...bearer(w.writer), "Content-Type": "application/scim+json" }).send('{"schemas": [');
    expect(res.status).toBe(400);
    expect(res.body.scimType).toBe("invalidSyntax");
  });

  it("answers a PUT with a PatchOp body, or a non-object body, with 400 invalidSyntax and a wrong type with invalidValue", async () => {
    const id = await w.addEmployee();
    expect((await put(t, w.writer, id, ops({ op: "replace", path: "title", value: "x" }))).body.scimType).toBe("invalidSyntax");
    expect((await put(t, w.writer, id, ["x"])).body.scimType).toBe("invalidSyntax");
    const wrong = await put(t, w.writer, id, { title: { text: "x" } });
    expect(wrong.status).toBe(400);
    expect(wrong.body.scimType).toBe("invalidValue");
  });
});

describe("responses", () => {
  it("answers PATCH with the attributes asked for (200, as RFC 7644 section 3.5.2 requires), and 204 for an empty attributes= or Prefer: return=minimal", async () => {
    const id = await w.addEmployee();
    const selected = await patch(t, w.writer, `${id}?attributes=title`, ops({ op: "replace", path: "title", value: "Selected" }));
    expect(selected.status).toBe(200);
    expect(selected.body).toEqual({ schemas: [CORE], id, title: "Selected" });
    const minimal = await patch(t, w.writer, id, ops({ op: "replace", path: "title", value: "Minimal" }), { Prefer: "return=minimal" });
    expect(minimal.status).toBe(204);
    expect(minimal.text).toBe("");
    const after = await getUser(t, w.reader, id);
    expect(after.title).toBe("Minimal");
    expect(minimal.headers.etag).toBe(after.meta.version);
    const none = await patch(t, w.writer, `${id}?attributes=`, ops({ op: "replace", path: "title", value: "No content" }));
    expect(none.status).toBe(204);
    expect(none.text).toBe("");
    const written = await getUser(t, w.reader, id);
    expect(written.title).toBe("No content");
    expect(none.headers.etag).toBe(written.meta.version);
  });

  it("answers a hidden future employee with 404, and writes it for a token that may see future employees", async () => {
    const id = await w.addEmployee({ start: "2026-07-01" });
    const hidden = await patch(t, w.writer, id, ops({ op: "replace", path: "title", value: "x" }));
    expect(hidden.status).toBe(404);
    expect((await put(t, w.writer, id, { title: "x" })).status).toBe(404);
    const seeing = await w.token(["users:write", "future-employees:read"]);
    const res = await patch(t, seeing.token, id, ops({ op: "replace", path: "title", value: "Future title" }));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ title: "Future title", active: false });
  });

  it("refuses POST /Users and DELETE /Users/{id} with the provisioning action to switch off", async () => {
    const id = await w.addEmployee();
    const post = await t.request().post("/scim/v2/Users").set({ ...bearer(w.writer), "Content-Type": "application/scim+json" }).send({ schemas: [CORE], userName: "new.user" });
    expect(post.status).toBe(405);
    expect(post.body.detail).toMatch(/Create Users.*Okta.*Create target action.*Entra/s);
    const del = await t.request().delete(`/scim/v2/Users/${id}`).set(bearer(w.writer));
    expect(del.status).toBe(405);
    expect(del.body.detail).toMatch(/Deactivate Users.*Okta.*Delete target action.*Entra/s);
    expect((await getUser(t, w.reader, id)).active).toBe(true);
    for (const method of ["put", "patch", "delete"] as const) {
      const res = await t.request()[method]("/scim/v2/Users").set(bearer(w.writer)).send({});
      expect(res.status, method).toBe(405);
      expect(res.headers.allow).toBe("GET");
      expect(res.body.detail).toMatch(/\/Users\/\{id\}/);
    }
  });

  it("announces PATCH and ETags in ServiceProviderConfig and the true mutability in /Schemas", async () => {
    const spc = await t.request().get("/scim/v2/ServiceProviderConfig").set(bearer(w.reader));
    expect(spc.body.patch).toEqual({ supported: true });
    expect(spc.body.etag).toEqual({ supported: true });
    const schema = await t.request().get(`/scim/v2/Schemas/${CORE}`).set(bearer(w.reader));
    const byName = Object.fromEntries(schema.body.attributes.map((a: any) => [a.name, a]));
    expect(byName.userName.mutability).toBe("readWrite");
    expect(byName.title.mutability).toBe("readWrite");
    expect(byName.active.mutability).toBe("readOnly");
    expect(byName.displayName.mutability).toBe("readOnly");
    expect(byName.addresses.mutability).toBe("readOnly");
    const emailValue = byName.emails.subAttributes.find((s: any) => s.name === "value");
    expect(emailValue.mutability).toBe("readWrite");
    const enterprise = await t.request().get(`/scim/v2/Schemas/${ENTERPRISE}`).set(bearer(w.reader));
    expect(enterprise.body.attributes.every((a: any) => a.mutability === "readOnly")).toBe(true);
  });
});

// Regression: `excludedAttributes=__proto__.hasOwnProperty` walked into Object.prototype and deleted
// hasOwnProperty, after which every SCIM request of every tenant answered 500 until a restart. Client
// names that reach into prototypes (`__proto__`, `constructor`, `prototype`) are unknown attributes
// everywhere client text names attributes: selection, filters, PATCH paths and values, PUT bodies,
// .search bodies and tenant settings.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { applySetting, InvalidSettingError } from "../../src/hr/tenant-settings.js";
import { buildTestApp, type TestApp } from "../support/build-test-app.js";
import { bearer } from "../support/scim-client.js";
import { ops, writeTenant, type WriteTenant } from "../api/write-back-fixture.js";

let t: TestApp;
let w: WriteTenant;
let userId: string;
let otherToken: string;
const prototypeKeys = () => Object.getOwnPropertyNames(Object.prototype).sort();
let pristine: string[];

beforeAll(async () => {
  t = await buildTestApp();
  w = await writeTenant(t);
  userId = await w.addEmployee({ login: "proto.target" });
  otherToken = await t.tokenFor("other");
  pristine = prototypeKeys();
});
afterAll(() => t.close());

/** After each hostile request: Object.prototype is intact and another tenant is served. */
afterEach(async () => {
  expect(prototypeKeys()).toEqual(pristine);
  expect(typeof Object.prototype.hasOwnProperty).toBe("function");
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  const res = await t.request().get("/scim/v2/Users").query({ count: 1 }).set(bearer(otherToken));
  expect(res.status).toBe(200);
});

const SELECTIONS = [
  "__proto__.hasOwnProperty", "__proto__", "constructor.prototype.toString", "name.__proto__.toString",
  "name.constructor", "emails.__proto__.valueOf", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:__proto__.toString",
  "prototype", "__PROTO__.hasOwnProperty",
];

describe("attribute selection ignores prototype names (unknown attributes)", () => {
  for (const path of SELECTIONS) {
    it(`excludedAttributes=${path} on GET /Users/{id}`, async () => {
      const res = await t.request().get(`/scim/v2/Users/${userId}`).query({ excludedAttributes: path }).set(bearer(w.reader));
      expect(res.status).toBe(200);
      expect(res.body.userName).toBe("proto.target");
    });
    it(`attributes=${path} on GET /Users`, async () => {
      const res = await t.request().get("/scim/v2/Users").query({ attributes: path, count: 2 }).set(bearer(w.reader));
      expect(res.status).toBe(200);
      for (const user of res.body.Resources) expect(Object.keys(user).sort()).toEqual(["id", "schemas"]);
    });
  }

  it("in a /.search body", async () => {
    const res = await t.request().post("/scim/v2/.search").set(bearer(w.reader)).set("Content-Type", "application/scim+json")
      .send({ schemas: ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"], excludedAttributes: ["name.__proto__.toString", "__proto__.hasOwnProperty"] });
    expect(res.status).toBe(200);
  });

  it("on Groups", async () => {
    const demo = await t.tokenFor("demo");
    const res = await t.request().get("/scim/v2/Groups").query({ excludedAttributes: "members.__proto__.hasOwnProperty", count: 1 }).set(bearer(demo));
    expect(res.status).toBe(200);
  });
});

describe("filters, PATCH and PUT refuse or ignore prototype names", () => {
  for (const filter of ['__proto__ eq "x"', 'name.__proto__ eq "x"', 'constructor pr', 'emails[__proto__ eq "x"]', 'name.constructor.prototype eq "x"']) {
    it(`filter ${filter} is 400 invalidFilter`, async () => {
      const res = await t.request().get("/scim/v2/Users").query({ filter }).set(bearer(w.reader));
      expect(res.status).toBe(400);
      expect(res.body.scimType).toBe("invalidFilter");
    });
  }

  for (const path of ["__proto__.polluted", "constructor", "name.__proto__", "prototype", 'emails[type eq "work"].__proto__']) {
    it(`PATCH path ${path} is 400 and changes nothing`, async () => {
      const res = await t.request().patch(`/scim/v2/Users/${userId}`).set(bearer(w.writer)).send(ops({ op: "replace", path, value: { polluted: true } }));
      expect(res.status).toBe(400);
      expect(["invalidPath", "invalidFilter"]).toContain(res.body.scimType);
    });
  }

  it("a path-less PATCH value with prototype keys is 400 and changes nothing", async () => {
    const body = JSON.parse('{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","value":{"__proto__":{"polluted":true},"name":{"__proto__":{"polluted":true}}}}]}');
    const res = await t.request().patch(`/scim/v2/Users/${userId}`).set(bearer(w.writer)).set("Content-Type", "application/scim+json").send(JSON.stringify(body));
    expect(res.status).toBe(400);
    const user = await t.request().get(`/scim/v2/Users/${userId}`).set(bearer(w.reader));
    expect(user.body.name.givenName).toBe("Jane");
  });

  it("a PUT body with prototype keys applies its attributes and ignores those keys", async () => {
    const body = '{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"proto.target","__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"name":{"givenName":"Janet","familyName":"Doe","__proto__":{"polluted":true}}}';
    const res = await t.request().put(`/scim/v2/Users/${userId}`).set(bearer(w.writer)).set("Content-Type", "application/scim+json").send(body);
    expect(res.status).toBe(200);
    expect(res.body.name.givenName).toBe("Janet");
  });
});

describe("tenant settings refuse prototype names", () => {
  for (const fields of ['{"constructor":"x"}', '{"prototype":"x"}', '{"__proto__":"x"}', '{"ok":"constructor"}', '{"ok":"__proto__"}']) {
    it(`extendedFields ${fields}`, () => {
      expect(() => applySetting({}, "propertyMapping", `{"attributes":[],"extendedFields":${fields}}`)).toThrow(InvalidSettingError);
    });
  }
});

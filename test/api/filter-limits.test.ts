// The cost bounds of a filter through HTTP: too many conditions, too deep a nesting, or more than
// MAX_RELATED_CONDITIONS conditions on members / groups are 400 invalidFilter before any query;
// filters within the bounds answer as usual. Demo seed, read only.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_RELATED_CONDITIONS } from "../../src/scim/filter/compile-sql.js";
import { MAX_FILTER_DEPTH, MAX_FILTER_NODES } from "../../src/scim/filter/parse.js";
import { buildTestApp, type TestApp } from "../support/build-test-app.js";
import { bearer, json } from "../support/scim-client.js";

let t: TestApp;
let token: string;

beforeAll(async () => {
  t = await buildTestApp();
  token = await t.tokenFor("demo");
});
afterAll(() => t.close());

const ERROR = "urn:ietf:params:scim:api:messages:2.0:Error";
const conditions = (n: number, make: (i: number) => string) => Array.from({ length: n }, (_, i) => make(i)).join(" or ");

function expectInvalidFilter(res: { status: number; text: string }, detail: RegExp) {
  expect(res.status, res.text).toBe(400);
  expect(json(res)).toMatchObject({ schemas: [ERROR], status: "400", scimType: "invalidFilter" });
  expect(json(res).detail).toMatch(detail);
}

describe("filter cost bounds", () => {
  it(`refuses more than ${MAX_RELATED_CONDITIONS} conditions on members with 400 invalidFilter, and answers ${MAX_RELATED_CONDITIONS}`, async () => {
    const over = await t.request().get("/scim/v2/Groups").query({ filter: conditions(MAX_RELATED_CONDITIONS + 1, (i) => `members.display co "x${i}"`) }).set(bearer(token));
    expectInvalidFilter(over, /more than 10 conditions on members or groups/);
    const within = await t.request().get("/scim/v2/Groups").query({ filter: conditions(MAX_RELATED_CONDITIONS, (i) => `members.display co "x${i}"`), excludedAttributes: "members" }).set(bearer(token));
    expect(within.status, within.text).toBe(200);
  });

  it("refuses too many conditions on a user's groups, also through POST /.search", async () => {
    const filter = conditions(MAX_RELATED_CONDITIONS + 1, (i) => `groups.display co "x${i}"`);
    expectInvalidFilter(await t.request().get("/scim/v2/Users").query({ filter }).set(bearer(token)), /conditions on members or groups/);
    const search = await t.request().post("/scim/v2/Users/.search").set(bearer(token)).set("Content-Type", "application/scim+json")
      .send({ schemas: ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"], filter });
    expectInvalidFilter(search, /conditions on members or groups/);
  });

  it(`refuses more than ${MAX_FILTER_NODES} conditions and operators, or nesting deeper than ${MAX_FILTER_DEPTH}`, async () => {
    const many = conditions(26, (i) => `userName eq "u${i}"`);
    expectInvalidFilter(await t.request().get("/scim/v2/Users").query({ filter: many }).set(bearer(token)), /more than 50 conditions/);
    const deep = `${"(".repeat(MAX_FILTER_DEPTH + 1)}userName eq "x"${")".repeat(MAX_FILTER_DEPTH + 1)}`;
    expectInvalidFilter(await t.request().get("/scim/v2/Users").query({ filter: deep }).set(bearer(token)), /deeper than 8/);
  });

  it("answers the filters identity providers send", async () => {
    for (const filter of [
      'userName eq "ada.lovelace"',
      'externalId eq "x" or emails[type eq "work"].value eq "a@b.c"',
      'active eq true and meta.lastModified gt "2026-01-01T00:00:00Z" and (name.familyName sw "L" or name.givenName sw "A")',
    ]) {
      const res = await t.request().get("/scim/v2/Users").query({ filter }).set(bearer(token));
      expect(res.status, `${filter}: ${res.text}`).toBe(200);
    }
  });
});

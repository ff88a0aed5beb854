// Regression: a base URL given with a trailing slash (`https://host/scim/v2/`) makes clients ask for
// `/scim/v2//Users`, which was 404 (docs/CLIENTS.md item 20). Repeated slashes in a path now count
// as one, for every endpoint.
import { expect, it } from "vitest";
import { bearer, json, userByLogin } from "../support/scim-client.js";
import { useTestApp } from "../support/use-test-app.js";

const t = useTestApp();

it("works when the base URL was given with a trailing slash and the client joins paths with another one", async () => {
  const token = await t.token("demo");
  const expected = json(await t.request().get("/scim/v2/Users?startIndex=1&count=2").set(bearer(token)));
  const listed = await t.request().get("/scim/v2//Users?startIndex=1&count=2").set(bearer(token));
  expect(listed.status).toBe(200);
  expect(json(listed)).toEqual(expected);
  const ada = await userByLogin(t, token, "ada.lovelace");
  for (const path of [`/scim/v2//Users/${ada.id}`, `/scim/v2/Users//${ada.id}?aadOptscim062020`, "/scim/v2//Groups?count=1", "/scim/v2//ServiceProviderConfig"]) {
    expect((await t.request().get(path).set(bearer(token))).status, path).toBe(200);
  }
  const searched = await t.request().post("/scim/v2//Users/.search").set(bearer(token)).send({ count: 2 });
  expect(json(searched).Resources).toEqual(expected.Resources);
});

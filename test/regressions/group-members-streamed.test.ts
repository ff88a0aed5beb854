// Regression: a Group's members were read from the database in chunks but gathered into one
// response body in memory, so serving a group held all of its members at once (a country group of
// a large tenant holds every employee). Members are now streamed: each chunk is written, and
// drained, before the next one is read, in a chunked response without Content-Length. Here the
// chunk size is 2; test/api/groups-large.test.ts serves a group of 20,000 members in chunks of 5,000.
import { expect, it } from "vitest";
import { bearer } from "../support/scim-client.js";
import { useTestApp } from "../support/use-test-app.js";
import { makeSmallOrganisation, memberIds } from "../api/groups-fixture.js";

const t = useTestApp({ groupLimits: { memberChunkSize: 2 } });

/** Runs `fn` while recording the number of rows each member query returned. */
async function memberChunks<T>(fn: () => Promise<T>): Promise<{ result: T; chunks: number[] }> {
  const chunks: number[] = [];
  const listener = (response: unknown, query: { sql: string }) => {
    if (query.sql.includes("group-members")) chunks.push(Array.isArray(response) ? response.length : -1);
  };
  t.db.on("query-response", listener);
  try {
    return { result: await fn(), chunks };
  } finally {
    t.db.removeListener("query-response", listener);
  }
}

it("streams a group's members, reading at most a chunk of them at a time, by id and in lists", async () => {
  const org = await makeSmallOrganisation(t.db, ["LUCCA_DEPT"], ["a", "b", "c", "d", "e"].map((login) => ({ login })));
  const token = await t.token(org.slug);
  const everyone = Object.values(org.employees).map(String).sort();

  const one = await memberChunks(() => t.request().get(`/scim/v2/Groups/LUCCA_DEPT-${org.departmentId}`).set(bearer(token)));
  expect(one.result.status).toBe(200);
  expect(one.result.headers["transfer-encoding"]).toBe("chunked");
  expect(one.result.headers["content-length"]).toBeUndefined();
  expect(memberIds(one.result.body).sort()).toEqual(everyone);
  expect(Math.max(...one.chunks)).toBeLessThanOrEqual(2);
  expect(one.chunks.reduce((a, b) => a + b, 0)).toBe(5);

  const list = await memberChunks(() => t.request().get("/scim/v2/Groups").set(bearer(token)));
  expect(list.result.status).toBe(200);
  expect(list.result.headers["transfer-encoding"]).toBe("chunked");
  expect(memberIds(list.result.body.Resources[0]).sort()).toEqual(everyone);
  expect(Math.max(...list.chunks)).toBeLessThanOrEqual(2);
});

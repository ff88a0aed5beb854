// Regression: requests Node refuses before express sees them (a request line and headers over the
// limit, bytes that are not HTTP) were answered with Node's bare status line: no SCIM error body,
// no SCIM content type (docs/CLIENTS.md items 18 and 22). src/http/server.ts now answers them as
// SCIM errors: 431 with a detail pointing to POST .search, and 400.
import type { Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeServer, listenOnSocket, sendRaw } from "../support/raw-http.js";
import { useTestApp } from "../support/use-test-app.js";

const t = useTestApp();
let server: Server;
beforeAll(async () => { server = await listenOnSocket(t.app); });
afterAll(() => closeServer(server));

describe("requests Node refuses before express", () => {
  it("answers a request line over the limit with 431 and a SCIM error body", async () => {
    const token = await t.token("demo");
    const res = await sendRaw(server, `GET /scim/v2/Users?filter=${"x".repeat(70_000)} HTTP/1.1\r\nHost: scim.test\r\nAuthorization: Bearer ${token}\r\n\r\n`);
    expect(res.status).toBe(431);
    expect(res.headers).toMatch(/content-type: application\/scim\+json; charset=utf-8/i);
    expect(JSON.parse(res.body)).toMatchObject({ schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: "431" });
    expect(JSON.parse(res.body).detail).toMatch(/\.search/);
  });

  it("answers a malformed request with 400 and a SCIM error body", async () => {
    const res = await sendRaw(server, "NOT AN HTTP REQUEST\r\n\r\n");
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toMatchObject({ status: "400" });
  });
});

// src/http/server.ts over a real socket: requests Node refuses before express (a request line over
// the header limit, a malformed request) still get a SCIM error body (clients.md items 18 and 22),
// and a request line holding the longest filter the app accepts gets through to it.
import net from "node:net";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.js";
import { createServer } from "../../src/http/server.js";
import { createLogger } from "../../src/logger.js";
import { buildTestApp, type TestApp } from "../support/build-test-app.js";

let t: TestApp;
let server: Server;
let token: string;

beforeAll(async () => {
  t = await buildTestApp();
  token = await t.tokenFor("demo");
  server = createServer(createApp({ db: t.db, clock: () => t.now(), logger: createLogger("silent"), integrationLog: t.integrationLog, baseUrl: "https://scim.test" }));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await t.close();
});

/** Sends raw bytes and reads the whole answer (the server closes these connections). */
function raw(request: string): Promise<{ status: number; headers: string; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect((server.address() as AddressInfo).port, "127.0.0.1", () => socket.write(request));
    let data = "";
    socket.on("data", (chunk) => { data += chunk; });
    socket.on("error", reject);
    socket.on("close", () => {
      const [head, ...rest] = data.split("\r\n\r\n");
      resolve({ status: Number(head.split(" ")[1]), headers: head, body: rest.join("\r\n\r\n") });
    });
  });
}

describe("requests Node refuses before express", () => {
  it("answers a request line over the limit with 431 and a SCIM error body", async () => {
    const res = await raw(`GET /scim/v2/Users?filter=${"x".repeat(70_000)} HTTP/1.1\r\nHost: scim.test\r\nAuthorization: Bearer ${token}\r\n\r\n`);
    expect(res.status).toBe(431);
    expect(res.headers).toMatch(/content-type: application\/scim\+json; charset=utf-8/i);
    expect(JSON.parse(res.body)).toMatchObject({ schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: "431" });
    expect(JSON.parse(res.body).detail).toMatch(/\.search/);
  });

  it("answers a malformed request with 400 and a SCIM error body", async () => {
    const res = await raw("NOT AN HTTP REQUEST\r\n\r\n");
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toMatchObject({ status: "400" });
  });

  it("lets the longest accepted filter through, percent-encoded (about 30 KB of request line)", async () => {
    // 25 conditions (49 nodes, within MAX_FILTER_NODES), padded to the length limit.
    let filter = 'userName eq "ada.lovelace"';
    for (let i = 10; i < 34; i++) filter += ` or userName eq "${"ü".repeat(394)}${i}"`;
    expect(filter.length).toBeGreaterThan(9_900);
    expect(filter.length).toBeLessThanOrEqual(10_000);
    const encoded = encodeURIComponent(filter);
    expect(encoded.length).toBeGreaterThan(16 * 1024);
    const res = await raw(`GET /scim/v2/Users?attributes=userName&filter=${encoded} HTTP/1.1\r\nHost: scim.test\r\nAuthorization: Bearer ${token}\r\nConnection: close\r\n\r\n`);
    expect(res.status, res.body).toBe(200);
    expect(JSON.parse(res.body).Resources.map((u: any) => u.userName)).toEqual(["ada.lovelace"]);
  });
});

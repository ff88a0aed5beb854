// Regression: Node's default limit on the request line and headers (16 KiB) refused the longest
// filter the app accepts (10,000 characters, which percent-encoded take about 30 KB), so a valid
// GET failed with 431. The server now takes 64 KiB of request line and headers.
import type { Server } from "node:http";
import { afterAll, beforeAll, expect, it } from "vitest";
import { closeServer, listenOnSocket, sendRaw } from "../support/raw-http.js";
import { useTestApp } from "../support/use-test-app.js";

const t = useTestApp();
let server: Server;
beforeAll(async () => { server = await listenOnSocket(t.app); });
afterAll(() => closeServer(server));

it("lets the longest accepted filter through, percent-encoded (about 30 KB of request line)", async () => {
  const token = await t.token("demo");
  // 25 conditions (49 nodes, within MAX_FILTER_NODES), padded to the length limit.
  let filter = 'userName eq "ada.lovelace"';
  for (let i = 10; i < 34; i++) filter += ` or userName eq "${"ü".repeat(394)}${i}"`;
  expect(filter.length).toBeGreaterThan(9_900);
  expect(filter.length).toBeLessThanOrEqual(10_000);
  const encoded = encodeURIComponent(filter);
  expect(encoded.length).toBeGreaterThan(16 * 1024);
  const res = await sendRaw(server, `GET /scim/v2/Users?attributes=userName&filter=${encoded} HTTP/1.1\r\nHost: scim.test\r\nAuthorization: Bearer ${token}\r\nConnection: close\r\n\r\n`);
  expect(res.status, res.body).toBe(200);
  expect(JSON.parse(res.body).Resources.map((u: any) => u.userName)).toEqual(["ada.lovelace"]);
});

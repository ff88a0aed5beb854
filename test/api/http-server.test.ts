// src/http/server.ts over a real socket: requests Node refuses before express (an unknown Expect, a
// request not received in time) still get a SCIM error body (docs/CLIENTS.md items 18 and 22); slow
// clients are cut after the configured timeouts (small here), connections beyond the cap are
// refused, and a graceful close lets requests in flight finish. (An over-long request line, a
// malformed request and the longest filter are in test/regressions.)
import http from "node:http";
import net from "node:net";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.js";
import { DEFAULT_HTTP_LIMITS } from "../../src/config.js";
import { closeGracefully, createServer, type HttpLimits } from "../../src/http/server.js";
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
  it("answers an Expect header other than 100-continue with 417 and a SCIM error body", async () => {
    const res = await raw(`GET /scim/v2/Users HTTP/1.1\r\nHost: scim.test\r\nExpect: something-else\r\nAuthorization: Bearer ${token}\r\n\r\n`);
    expect(res.status).toBe(417);
    expect(res.headers).toMatch(/content-type: application\/scim\+json; charset=utf-8/i);
    expect(res.headers).toMatch(/^x-content-type-options: nosniff$/im);
    expect(JSON.parse(res.body)).toMatchObject({ schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: "417" });
  });

});

/** A server of the real app with the given limits, listening on a free port; closed by the caller. */
async function serverWith(limits: Partial<HttpLimits>): Promise<{ server: Server; port: number }> {
  const app = createApp({ db: t.db, clock: () => t.now(), logger: createLogger("silent"), integrationLog: t.integrationLog, baseUrl: "https://scim.test" });
  const limited = createServer(app, { ...DEFAULT_HTTP_LIMITS, ...limits });
  await new Promise<void>((resolve) => limited.listen(0, "127.0.0.1", resolve));
  return { server: limited, port: (limited.address() as AddressInfo).port };
}

/** Connects, writes `head`, then one byte of `trickle` every 50 ms; resolves with what came back and when the server closed. */
function trickling(port: number, head: string, trickle: string): Promise<{ data: string; afterMs: number }> {
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = net.connect(port, "127.0.0.1", () => socket.write(head));
    let data = "";
    let i = 0;
    const timer = setInterval(() => { if (i < trickle.length && !socket.destroyed) socket.write(trickle[i++]); }, 50);
    socket.on("data", (chunk) => { data += chunk; });
    socket.on("error", () => {});
    socket.on("close", () => {
      clearInterval(timer);
      resolve({ data, afterMs: Date.now() - started });
    });
  });
}

describe("slow clients and the connection cap", () => {
  it("cuts a client that sends its headers and then trickles the body, after the request timeout, with a SCIM 408", async () => {
    const { server: limited, port } = await serverWith({ headersTimeoutMs: 300, requestTimeoutMs: 800 });
    try {
      const body = JSON.stringify({ filter: 'userName eq "ada.lovelace"', padding: "x".repeat(200) });
      const head = `POST /scim/v2/Users/.search HTTP/1.1\r\nHost: scim.test\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/scim+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`;
      const res = await trickling(port, head, body);
      expect(res.data).toMatch(/^HTTP\/1\.1 408 /);
      expect(res.data).toMatch(/^x-content-type-options: nosniff$/im);
      expect(JSON.parse(res.data.split("\r\n\r\n")[1])).toMatchObject({ status: "408" });
      expect(res.afterMs).toBeGreaterThanOrEqual(750);
      expect(res.afterMs).toBeLessThan(3_000);
    } finally {
      limited.closeAllConnections();
      await new Promise((resolve) => limited.close(resolve));
    }
  });

  it("cuts a client that never finishes its headers, after the headers timeout", async () => {
    const { server: limited, port } = await serverWith({ headersTimeoutMs: 300, requestTimeoutMs: 5_000 });
    try {
      const res = await trickling(port, "GET /scim/v2/Users HTTP/1.1\r\nHost: scim.test\r\n", "X-Slow: " + "a".repeat(200));
      expect(res.data).toMatch(/^HTTP\/1\.1 408 /);
      expect(res.afterMs).toBeGreaterThanOrEqual(250);
      expect(res.afterMs).toBeLessThan(2_000);
    } finally {
      limited.closeAllConnections();
      await new Promise((resolve) => limited.close(resolve));
    }
  });

  it("refuses connections beyond the cap and keeps serving the ones it holds", async () => {
    const { server: limited, port } = await serverWith({ maxConnections: 2 });
    const held: net.Socket[] = [];
    try {
      let accepted = 0;
      const bothAccepted = new Promise<void>((resolve) => limited.on("connection", () => { if (++accepted === 2) resolve(); }));
      for (let i = 0; i < 2; i++) held.push(net.connect(port, "127.0.0.1"));
      await bothAccepted;
      const refused = await new Promise<{ data: string }>((resolve) => {
        const extra = net.connect(port, "127.0.0.1");
        let data = "";
        extra.on("data", (chunk) => { data += chunk; });
        extra.on("error", () => {});
        extra.on("close", () => resolve({ data }));
      });
      expect(refused.data).toBe("");
      const answer = await new Promise<string>((resolve) => {
        let data = "";
        held[0].on("data", (chunk) => { data += chunk; if (data.includes("\r\n\r\n")) resolve(data); });
        held[0].write("GET /healthz HTTP/1.1\r\nHost: scim.test\r\n\r\n");
      });
      expect(answer).toMatch(/^HTTP\/1\.1 200 /);
    } finally {
      for (const socket of held) socket.destroy();
      limited.closeAllConnections();
      await new Promise((resolve) => limited.close(resolve));
    }
  });

  it("does not cut a response that takes longer to stream than the request timeout", async () => {
    const app = express();
    app.get("/stream", (_req, res) => {
      let i = 0;
      const timer = setInterval(() => {
        res.write(`chunk ${i}\n`);
        if (++i === 6) { clearInterval(timer); res.end("done\n"); }
      }, 100);
    });
    const limited = createServer(app, { ...DEFAULT_HTTP_LIMITS, headersTimeoutMs: 100, requestTimeoutMs: 200 });
    await new Promise<void>((resolve) => limited.listen(0, "127.0.0.1", resolve));
    try {
      const res = await fetch(`http://127.0.0.1:${(limited.address() as AddressInfo).port}/stream`);
      expect(await res.text()).toMatch(/chunk 5\ndone\n$/);
    } finally {
      limited.closeAllConnections();
      await new Promise((resolve) => limited.close(resolve));
    }
  });
});

describe("graceful close", () => {
  /** An app whose /slow answers when the test releases it. */
  function slowApp() {
    let release = () => {};
    const released = new Promise<void>((resolve) => { release = resolve; });
    const app = express();
    app.get("/slow", async (_req, res) => { await released; res.send("finished"); });
    app.get("/fast", (_req, res) => { res.send("fast"); });
    return { app, release };
  }

  function get(port: number, path: string, agent: http.Agent): Promise<{ status: number; connection?: string; body: string }> {
    return new Promise((resolve, reject) => {
      http.get({ host: "127.0.0.1", port, path, agent }, (res) => {
        let body = "";
        res.on("data", (chunk) => { body += chunk; });
        res.on("end", () => resolve({ status: res.statusCode!, connection: res.headers.connection, body }));
      }).on("error", reject);
    });
  }

  it("lets a request in flight finish, closes its keep-alive connection after it, and resolves long before the timeout", async () => {
    const { app, release } = slowApp();
    const server = createServer(app, { ...DEFAULT_HTTP_LIMITS, keepAliveTimeoutMs: 60_000 });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;
    const agent = new http.Agent({ keepAlive: true });
    try {
      expect((await get(port, "/fast", agent)).connection).toBe("keep-alive");
      const slow = get(port, "/slow", agent);
      await new Promise((resolve) => setTimeout(resolve, 50));
      const started = Date.now();
      const closed = closeGracefully(server, 10_000);
      release();
      expect(await slow).toMatchObject({ status: 200, body: "finished", connection: "close" });
      expect(await closed).toBe(true);
      expect(Date.now() - started).toBeLessThan(2_000);
    } finally {
      agent.destroy();
    }
  });

  it("cuts what is still running after the timeout and says so", async () => {
    const { app, release } = slowApp();
    const server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;
    const agent = new http.Agent({ keepAlive: true });
    try {
      const slow = get(port, "/slow", agent).catch((e: Error) => e);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(await closeGracefully(server, 200)).toBe(false);
      expect(await slow).toBeInstanceOf(Error);
    } finally {
      release();
      agent.destroy();
    }
  });
});

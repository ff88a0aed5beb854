// HTTP behaviour real clients depend on (docs/CLIENTS.md items 18-23): content types, Accept, base
// URL forms, helpful root, SCIM 404s and 400s, no internals in error bodies, request ids, health;
// caching and sniffing headers on every response, OPTIONS, and log lines of bounded length.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import supertest from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.js";
import { createServer } from "../../src/http/server.js";
import { createLogger } from "../../src/logger.js";
import { bearer, json, userByLogin } from "../support/scim-client.js";
import { useTestApp } from "../support/use-test-app.js";

const t = useTestApp();
let token: string;
beforeAll(async () => { token = await t.token("demo"); });

const SCIM_TYPE = "application/scim+json; charset=utf-8";
const ERROR = "urn:ietf:params:scim:api:messages:2.0:Error";

/** A raw request, so that no client library adds an Accept or Content-Type header. */
async function raw(method: string, path: string, headers: Record<string, string>, body?: string) {
  const server = t.app.listen(0);
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  try {
    const { port } = server.address() as AddressInfo;
    return await new Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string }>((resolve, reject) => {
      const req = http.request({ host: "127.0.0.1", port, method, path, headers }, (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (c) => { text += c; });
        res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, text }));
      });
      req.on("error", reject);
      if (body !== undefined) req.write(body);
      req.end();
    });
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

function expectScimError(res: { status: number; headers: Record<string, any>; text: string }, status: number, scimType?: string) {
  expect(res.status, res.text.slice(0, 300)).toBe(status);
  expect(res.headers["content-type"]).toBe(SCIM_TYPE);
  const body = JSON.parse(res.text);
  expect(body.schemas).toEqual([ERROR]);
  expect(body.status).toBe(String(status));
  expect(typeof body.detail).toBe("string");
  if (scimType) expect(body.scimType).toBe(scimType);
  return body;
}

describe("Content-Type of every response (item 18)", () => {
  it("is application/scim+json; charset=utf-8 on successes, errors and 404s, in and out of /scim/v2", async () => {
    const token = await t.token("demo");
    const ada = await userByLogin(t, token, "ada.lovelace");
    const cases: [() => Promise<any>, number][] = [
      [() => t.request().get("/scim/v2/Users?count=1").set(bearer(token)), 200],
      [() => t.request().get(`/scim/v2/Users/${ada.id}`).set(bearer(token)), 200],
      [() => t.request().post("/scim/v2/Users/.search").set(bearer(token)).send({}), 200],
      [() => t.request().get("/scim/v2/ServiceProviderConfig").set(bearer(token)), 200],
      [() => t.request().get("/scim/v2/Users/2147483000").set(bearer(token)), 404],
      [() => t.request().get("/scim/v2/Nothing").set(bearer(token)), 404],
      [() => t.request().get("/nothing"), 404],
      [() => t.request().get("/scim/v2/Users"), 401],
      [() => t.request().get("/scim/v2/Users?filter=bad").set(bearer(token)), 400],
      [() => t.request().post("/scim/v2/Users").set(bearer(token)).send({ userName: "x" }), 405],
      [() => t.request().get("/scim/v2"), 200],
    ];
    for (const [call, status] of cases) {
      const res = await call();
      expect(res.status, res.req?.path).toBe(status);
      expect(res.headers["content-type"], res.req?.path).toBe(SCIM_TYPE);
      expect(() => JSON.parse(res.text)).not.toThrow();
    }
  });
});

describe("request bodies and Accept (item 19)", () => {
  it("reads bodies sent as application/scim+json with or without charset, and application/json", async () => {
    const token = await t.token("demo");
    const body = JSON.stringify({ schemas: ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"], filter: 'userName eq "José.García"'.normalize("NFC").replace("José.García", "jose.garcia") });
    for (const type of ["application/scim+json", "application/scim+json; charset=utf-8", "application/scim+json;charset=UTF-8", "application/json", "application/json; charset=utf-8"]) {
      const res = await t.request().post("/scim/v2/Users/.search").set(bearer(token)).set("Content-Type", type).send(body);
      expect(res.status, type).toBe(200);
      expect(json(res).totalResults, type).toBe(1);
      expect(json(res).Resources[0].name.givenName).toBe("José");
    }
  });

  it("serves a GET without any Accept header, and with Accept: application/xml, never 406", async () => {
    const token = await t.token("demo");
    const none = await raw("GET", "/scim/v2/Users?count=1", { Authorization: `Bearer ${token}` });
    expect(none.status).toBe(200);
    expect(none.headers["content-type"]).toBe(SCIM_TYPE);
    expect(JSON.parse(none.text).Resources).toHaveLength(1);
    for (const accept of ["application/xml", "text/html", "application/scim+json", "application/json", "*/*"]) {
      const res = await t.request().get("/scim/v2/Users?count=1").set(bearer(token)).set("Accept", accept);
      expect(res.status, accept).toBe(200);
      expect(res.headers["content-type"]).toBe(SCIM_TYPE);
    }
  });

  it("answers a POST body without Content-Type as a SCIM error or a result, never a crash", async () => {
    const token = await t.token("demo");
    const res = await raw("POST", "/scim/v2/Users/.search", { Authorization: `Bearer ${token}` }, '{"filter":"userName eq \\"ada.lovelace\\""}');
    expect(res.status).toBeLessThan(500);
    expect(res.headers["content-type"]).toBe(SCIM_TYPE);
  });
});

describe("base URL forms (items 20-21)", () => {
  it("works with a trailing slash and with Entra's ?aadOptscim062020", async () => {
    const token = await t.token("demo");
    const expected = json(await t.request().get("/scim/v2/Users?startIndex=1&count=2").set(bearer(token)));
    for (const path of ["/scim/v2/Users/?startIndex=1&count=2", "/scim/v2/Users?aadOptscim062020&startIndex=1&count=2",
      "/scim/v2/Users/?aadOptscim062020&startIndex=1&count=2", "/scim/v2/Users?startIndex=1&count=2&aadOptscim062020"]) {
      const res = await t.request().get(path).set(bearer(token));
      expect(res.status, path).toBe(200);
      expect(json(res), path).toEqual(expected);
    }
    const ada = await userByLogin(t, token, "ada.lovelace");
    const byId = await t.request().get(`/scim/v2/Users/${ada.id}?aadOptscim062020`).set(bearer(token));
    expect(byId.status).toBe(200);
    expect(json(byId).id).toBe(ada.id);
    for (const path of ["/scim/v2/ServiceProviderConfig?aadOptscim062020", "/scim/v2/Schemas/", "/scim/v2/ResourceTypes/?aadOptscim062020"]) {
      expect((await t.request().get(path).set(bearer(token))).status, path).toBe(200);
    }
  });

  it("answers the base URL itself helpfully, with or without slash, query or token", async () => {
    const token = await t.token("demo");
    for (const path of ["/scim/v2", "/scim/v2/", "/scim/v2?aadOptscim062020", "/scim/v2/?aadOptscim062020"]) {
      for (const headers of [{}, bearer(token)]) {
        const res = await t.request().get(path).set(headers);
        expect(res.status, path).toBe(200);
        expect(res.headers["content-type"]).toBe(SCIM_TYPE);
        const body = json(res);
        expect(JSON.stringify(body)).toMatch(/Users/);
        expect(JSON.stringify(body)).toMatch(/Bearer/);
      }
    }
  });
});

describe("SCIM errors (item 22)", () => {
  it("answers unknown paths with a SCIM 404 saying where the endpoints are", async () => {
    const token = await t.token("demo");
    for (const path of ["/scim/v2/Nothing", "/scim/v2/Users/1/extra", "/scim/v2/Groupz", "/scim/v1/Users", "/", "/Users"]) {
      const res = await t.request().get(path).set(bearer(token));
      const body = expectScimError(res, 404);
      expect(body.detail, path).toMatch(/scim\/v2|Users/);
    }
  });

  it("answers a malformed JSON body with 400 invalidSyntax in SCIM form, never HTML", async () => {
    const token = await t.token("demo");
    const ada = await userByLogin(t, token, "ada.lovelace");
    for (const [method, path] of [["post", "/scim/v2/Users/.search"], ["post", "/scim/v2/.search"], ["patch", `/scim/v2/Users/${ada.id}`], ["put", `/scim/v2/Users/${ada.id}`]] as const) {
      for (const type of ["application/scim+json", "application/json"]) {
        const res = await t.request()[method](path).set(bearer(token)).set("Content-Type", type).send('{"filter": "userName eq \\"x\\"",');
        const body = expectScimError(res, 400, "invalidSyntax");
        expect(res.text).not.toMatch(/<html|<pre|<!DOCTYPE/i);
        expect(body.detail).toMatch(/JSON/);
      }
    }
  });

  it("puts no stack trace, SQL or exception text in any error body", async () => {
    const token = await t.token("demo");
    const bad = [
      "/scim/v2/Users?filter=" + encodeURIComponent('meta.lastModified gt "not a date"'),
      "/scim/v2/Users?filter=" + encodeURIComponent('meta.lastModified gt 5'),
      "/scim/v2/Users?filter=" + encodeURIComponent('active eq "yes"'),
      "/scim/v2/Users?filter=" + encodeURIComponent('id gt "abc"'),
      "/scim/v2/Users?filter=" + encodeURIComponent('userName gt true'),
      "/scim/v2/Users?filter=" + encodeURIComponent('userName eq "x" and ((('),
      "/scim/v2/Users?filter=" + encodeURIComponent('emails[type eq "work"]].value eq "x"'),
      "/scim/v2/Users?filter=" + encodeURIComponent('title eq "\\x"'),
      "/scim/v2/Users?sortBy=nothing",
      "/scim/v2/Users?sortBy=" + encodeURIComponent("userName; drop table employees"),
      "/scim/v2/Users?sortOrder=sideways",
      "/scim/v2/Users?startIndex=abc&count=x",
      "/scim/v2/Users?count=1e999",
      "/scim/v2/Users?cursor=" + encodeURIComponent("not-a-cursor"),
      "/scim/v2/Users?cursor=" + Buffer.from('{"s":"","o":"a","f":"x","v":null,"i":"1; select 1"}').toString("base64url"),
      "/scim/v2/Users?attributes=" + encodeURIComponent("[[["),
      "/scim/v2/Users/" + encodeURIComponent("1' or '1'='1"),
      "/scim/v2/Users/99999999999999999999",
      "/scim/v2/Schemas/urn:nothing",
      "/scim/v2/ResourceTypes/Nope",
    ];
    let errors = 0;
    for (const path of bad) {
      const res = await t.request().get(path).set(bearer(token));
      expect(res.status, `${path} -> ${res.text.slice(0, 300)}`).toBeLessThan(500);
      if (res.status < 400) continue;
      errors++;
      expect(res.headers["content-type"]).toBe(SCIM_TYPE);
      const text = res.text;
      expect(text, path).not.toMatch(/\bselect\b|syntax error at|relation "|\bu\.[a-z_]+\b|::(text|integer|boolean|timestamptz|numeric)\b|\blower\(/i);
      expect(text, path).not.toMatch(/\n\s+at |\bat [\w.<>]+ \(|\.ts:\d+|node_modules/);
      expect(text, path).not.toMatch(/\b(Type|Syntax|Range|Reference)?Error:/);
      expect(text, path).not.toMatch(/knex|pglite|postgres/i);
      expect(JSON.parse(text).schemas).toEqual([ERROR]);
    }
    expect(errors).toBeGreaterThan(10);
  });

  it("gives a status string and a detail that says what to do on the writes hr-scim refuses", async () => {
    const token = await t.token("demo");
    const post = expectScimError(await t.request().post("/scim/v2/Users").set(bearer(token)).send({ userName: "new.person" }), 405);
    expect(post.detail).toMatch(/Create/);
    const del = expectScimError(await t.request().delete("/scim/v2/Users/1").set(bearer(token)), 405);
    expect(del.detail).toMatch(/Delete|Deactivate/);
  });
});

describe("X-Request-Id", () => {
  it("echoes a sane incoming id, replaces an insane one, and makes one when absent, on errors too", async () => {
    const token = await t.token("demo");
    const echoed = await t.request().get("/scim/v2/Users?count=1").set(bearer(token)).set("X-Request-Id", "okta-import-42:abc");
    expect(echoed.headers["x-request-id"]).toBe("okta-import-42:abc");
    const error = await t.request().get("/scim/v2/Users").set("X-Request-Id", "req-401");
    expect(error.status).toBe(401);
    expect(error.headers["x-request-id"]).toBe("req-401");
    const notFound = await t.request().get("/nothing").set("X-Request-Id", "req-404");
    expect(notFound.headers["x-request-id"]).toBe("req-404");
    const insane = await t.request().get("/scim/v2/Users?count=1").set(bearer(token)).set("X-Request-Id", "<script>alert(1)</script>");
    expect(insane.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
    const made = await t.request().get("/scim/v2/Users?count=1").set(bearer(token));
    expect(made.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
    const other = await t.request().get("/scim/v2/Users?count=1").set(bearer(token));
    expect(other.headers["x-request-id"]).not.toBe(made.headers["x-request-id"]);
  });
});

describe("health", () => {
  it("answers /healthz and /readyz without a token", async () => {
    const live = await t.request().get("/healthz");
    expect(live.status).toBe(200);
    expect(live.body).toEqual({ status: "ok" });
    const ready = await t.request().get("/readyz");
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: "ready" });
  });
});

describe("caching and sniffing headers", () => {
  it("sends Cache-Control: no-store and X-Content-Type-Options: nosniff on every response: SCIM, errors, 304, 204, health, 404s", async () => {
    const ada = await userByLogin(t, token, "ada.lovelace");
    const version = (await t.request().get(`/scim/v2/Users/${ada.id}`).set(bearer(token))).headers.etag;
    const writer = await t.tokenFor("demo", ["users:write"]);
    const cases: [() => Promise<any>, number][] = [
      [() => t.request().get("/scim/v2/Users?count=1").set(bearer(token)), 200],
      [() => t.request().get(`/scim/v2/Users/${ada.id}`).set(bearer(token)), 200],
      [() => t.request().get(`/scim/v2/Users/${ada.id}`).set(bearer(token)).set("If-None-Match", version), 304],
      [() => t.request().patch(`/scim/v2/Users/${ada.id}`).set(bearer(writer)).set("Prefer", "return=minimal")
        .send({ schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "replace", path: "title", value: ada.title }] }), 204],
      [() => t.request().get("/scim/v2/Groups?count=1").set(bearer(token)), 200],
      [() => t.request().post("/scim/v2/Users/.search").set(bearer(token)).send({}), 200],
      [() => t.request().get("/scim/v2/Schemas").set(bearer(token)), 200],
      [() => t.request().get("/scim/v2"), 200],
      [() => t.request().get("/scim/v2/Users"), 401],
      [() => t.request().get("/scim/v2/Users?filter=bad").set(bearer(token)), 400],
      [() => t.request().get("/scim/v2/Users/2147483000").set(bearer(token)), 404],
      [() => t.request().get("/scim/v2/Nothing").set(bearer(token)), 404],
      [() => t.request().post("/scim/v2/Users").set(bearer(token)).send({}), 405],
      [() => t.request().get("/nothing"), 404],
      [() => t.request().get("/healthz"), 200],
      [() => t.request().get("/readyz"), 200],
      [() => t.request().options("/scim/v2/Users"), 204],
    ];
    for (const [call, status] of cases) {
      const res = await call();
      expect(res.status, res.req?.path).toBe(status);
      expect(res.headers["cache-control"], res.req?.path).toBe("no-store");
      expect(res.headers["x-content-type-options"], res.req?.path).toBe("nosniff");
    }
  });
});

describe("OPTIONS", () => {
  it("answers 204 with an Allow header naming the methods the path serves, with or without a token", async () => {
    const ada = await userByLogin(t, token, "ada.lovelace");
    const expected: [string, string][] = [
      ["/scim/v2", "GET, HEAD, OPTIONS"],
      ["/scim/v2/Users", "GET, HEAD, OPTIONS"],
      ["/scim/v2/users/", "GET, HEAD, OPTIONS"],
      ["/scim/v2//Users?aadOptscim062020", "GET, HEAD, OPTIONS"],
      ["/scim/v2/Users/.search", "POST, OPTIONS"],
      [`/scim/v2/Users/${ada.id}`, "GET, HEAD, PUT, PATCH, OPTIONS"],
      ["/scim/v2/Groups", "GET, HEAD, OPTIONS"],
      ["/scim/v2/Groups/.search", "POST, OPTIONS"],
      ["/scim/v2/Groups/LUCCA_DEPT-1", "GET, HEAD, OPTIONS"],
      ["/scim/v2/.search", "POST, OPTIONS"],
      ["/scim/v2/ServiceProviderConfig", "GET, HEAD, OPTIONS"],
      ["/scim/v2/ResourceTypes", "GET, HEAD, OPTIONS"],
      ["/scim/v2/ResourceTypes/User", "GET, HEAD, OPTIONS"],
      ["/scim/v2/Schemas", "GET, HEAD, OPTIONS"],
      ["/scim/v2/Schemas/urn:ietf:params:scim:schemas:core:2.0:User", "GET, HEAD, OPTIONS"],
      ["/healthz", "GET, HEAD, OPTIONS"],
      ["/readyz", "GET, HEAD, OPTIONS"],
    ];
    for (const [path, allow] of expected) {
      for (const headers of [{}, bearer(token)]) {
        const res = await t.request().options(path).set(headers);
        expect(res.status, path).toBe(204);
        expect(res.headers.allow, path).toBe(allow);
        expect(res.text, path).toBe("");
      }
    }
  });

  it("names in Allow exactly the methods that are served: the others answer 405 or 404", async () => {
    const ada = await userByLogin(t, token, "ada.lovelace");
    const paths = ["/scim/v2/Users", "/scim/v2/Users/.search", `/scim/v2/Users/${ada.id}`, "/scim/v2/Groups", "/scim/v2/Groups/.search",
      "/scim/v2/Groups/LUCCA_DEPT-1", "/scim/v2/.search", "/scim/v2/ServiceProviderConfig", "/scim/v2/ResourceTypes/User", "/scim/v2/Schemas"];
    for (const path of paths) {
      const allow = (await t.request().options(path)).headers.allow.split(", ");
      for (const method of ["get", "post", "put", "patch", "delete"] as const) {
        // A read-only token: PUT and PATCH stop at 403 (checked before anything else), and nothing changes.
        const res = await t.request()[method](path).set(bearer(token)).send(method === "get" || method === "delete" ? undefined : {});
        // 403: PUT or PATCH on /Users/.search is a write to a user ".search", refused to a read-only token.
        if (allow.includes(method.toUpperCase())) expect([404, 405], `${method} ${path}`).not.toContain(res.status);
        else expect([403, 404, 405], `${method} ${path} -> ${res.status}`).toContain(res.status);
      }
    }
  });

  it("answers an unknown path with a SCIM 404", async () => {
    for (const path of ["/scim/v2/Nothing", "/scim/v2/Users/1/extra", "/", "/Users", "/x".repeat(5_000)]) {
      const res = await t.request().options(path);
      expectScimError(res, 404);
      expect(res.headers.allow, path).toBeUndefined();
      expect(res.text.length, path).toBeLessThan(400);
    }
  });
});

describe("log lines", () => {
  it("bound the client's path: a 40,000-character path gives a short line", async () => {
    const lines: string[] = [];
    const capture = new Writable({ write(chunk, _encoding, done) { lines.push(...String(chunk).split("\n").filter(Boolean)); done(); } });
    const app = createApp({ db: t.db, clock: () => t.now(), logger: createLogger("info", { stream: capture }), integrationLog: t.integrationLog, baseUrl: "https://scim.test" });
    const server = createServer(app); // takes the 64 KiB request lines the real server takes
    const long = `/${"a".repeat(40_000)}`;
    try {
      for (const [method, path] of [["get", long], ["options", long], ["get", `/scim/v2${long}`], ["post", long]] as const) {
        expect([401, 404]).toContain((await supertest(server)[method](path)).status);
      }
    } finally {
      server.close();
    }
    await new Promise((resolve) => setImmediate(resolve));
    const requests = lines.map((l) => JSON.parse(l)).filter((l) => l.message === "request");
    expect(requests).toHaveLength(4);
    for (const line of lines) expect(line.length).toBeLessThan(600);
    expect(requests[0].route).toMatch(/^\/a{199}…\(39801 more\)$/);
  });
});

// /hr/v1 errors are RFC 9457 problem+json whatever raised them: an HrProblem with field errors, a
// ScimError from the shared middleware (401, 429 with Retry-After, 503 tenant busy), a database
// fault (503 with Retry-After), malformed JSON, and anything else as a 500 without internals.
import express from "express";
import supertest from "supertest";
import { describe, expect, it } from "vitest";
import { renderProblem } from "../../src/http/middleware/problem-json.js";
import { HrProblem } from "../../src/hr/write/problem.js";
import { createLogger } from "../../src/logger.js";
import { ScimError } from "../../src/scim/errors.js";

function appThrowing(error: unknown) {
  const app = express();
  app.use(express.json());
  app.post("/", () => { throw error; });
  app.use(renderProblem(createLogger("silent")));
  return app;
}

describe("renderProblem", () => {
  it.each([
    ["a field problem", new HrProblem(400, "The record is not valid", [{ path: "/login", message: "is required" }]), 400, undefined],
    ["a rate limit", new ScimError(429, "Too many requests", undefined, { "Retry-After": "3" }), 429, "3"],
    ["a busy tenant", new ScimError(503, "Busy", undefined, { "Retry-After": "2" }), 503, "2"],
    ["an unauthenticated request", new ScimError(401, "Missing token", undefined, { "WWW-Authenticate": "Bearer" }), 401, undefined],
    ["a database outage", Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }), 503, "5"],
    ["an unexpected error", new Error("select secret from somewhere"), 500, undefined],
  ])("renders %s as problem+json", async (_name, error, status, retryAfter) => {
    const res = await supertest(appThrowing(error)).post("/").send({});
    expect(res.status).toBe(status);
    expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ type: "about:blank", status, title: expect.any(String), detail: expect.any(String), errors: expect.any(Array) });
    if (retryAfter) expect(res.headers["retry-after"]).toBe(retryAfter);
    expect(res.text).not.toContain("secret");
  });

  it("renders malformed JSON as a 400 problem", async () => {
    const res = await supertest(appThrowing(null)).post("/").set("Content-Type", "application/json").send("{nope");
    expect(res.status).toBe(400);
    expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
  });
});

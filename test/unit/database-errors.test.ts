// classifyDatabaseError: which errors are the database being unavailable, which a statement over
// its time bound, and which neither (data errors and bugs stay 4xx/500).
import { describe, expect, it } from "vitest";
import { classifyDatabaseError } from "../../src/db/database-errors.js";
import { databaseFaultError } from "../../src/http/middleware/render-error.js";

const error = (message: string, fields: Record<string, unknown> = {}) => Object.assign(new Error(message), fields);

describe("classifyDatabaseError", () => {
  it.each([
    { name: "a refused connection", error: error("connect ECONNREFUSED 127.0.0.1:5432", { code: "ECONNREFUSED" }) },
    { name: "a reset connection", error: error("read ECONNRESET", { code: "ECONNRESET" }) },
    { name: "a server shutting down (57P01)", error: error("terminating connection due to administrator command", { code: "57P01" }) },
    { name: "a crashed server (57P02)", error: error("x", { code: "57P02" }) },
    { name: "a server starting up (57P03)", error: error("the database system is starting up", { code: "57P03" }) },
    { name: "a connection exception (08006)", error: error("x", { code: "08006" }) },
    { name: "too many connections (53300)", error: error("x", { code: "53300" }) },
    { name: "a connection ended under a query", error: error("select 1 - Connection terminated unexpectedly") },
    { name: "pg's connection timeout", error: error("timeout expired") },
    { name: "a client broken earlier", error: error("Client has encountered a connection error and is not queryable") },
    { name: "knex's acquire timeout", error: Object.assign(error("Knex: Timeout acquiring a connection. The pool is probably full."), { name: "KnexTimeoutError" }) },
  ])("takes $name as unavailable", ({ error: e }) => {
    expect(classifyDatabaseError(e)).toBe("unavailable");
  });

  it("takes a statement timeout (57014) and an idle transaction timeout (25P03) as timeout", () => {
    expect(classifyDatabaseError(error("canceling statement due to statement timeout", { code: "57014" }))).toBe("timeout");
    expect(classifyDatabaseError(error("x", { code: "25P03" }))).toBe("timeout");
  });

  it("takes a deadlock (40P01) and a serialization failure (40001) as conflict, answered 503 with a short Retry-After", () => {
    expect(classifyDatabaseError(error("deadlock detected", { code: "40P01" }))).toBe("conflict");
    expect(classifyDatabaseError(error("could not serialize access", { code: "40001" }))).toBe("conflict");
    const answer = databaseFaultError("conflict");
    expect(answer.status).toBe(503);
    expect(answer.headers).toEqual({ "Retry-After": "1" });
  });

  it.each([
    { name: "a unique violation", error: error("x", { code: "23505" }) },
    { name: "a data error whose SQL quotes a client value that reads like a connection fault", error: error(`select 'Connection terminated' - invalid input syntax`, { code: "22P02" }) },
    { name: "a programming error", error: new TypeError("cannot read properties of undefined") },
    { name: "no error object", error: "Connection terminated" },
    { name: "nothing", error: undefined },
  ])("takes $name as no database fault", ({ error: e }) => {
    expect(classifyDatabaseError(e)).toBeNull();
  });
});

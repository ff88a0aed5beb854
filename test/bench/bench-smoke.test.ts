// A smoke run of the benchmark (bench/bench.ts) at 1,000 employees: the floor and hr-scim start as
// child processes, every phase runs (imports, lookups under autocannon, the window after changes,
// writes, groups, the largest group, the Entra push) and both servers find the same rows. On
// PostgreSQL it works in the test database (its own tenant and floor schema, removed at the end; the
// servers run no scheduler); on PGlite in temporary directories started from the tests' template.
// Targets are not asserted (the machine is shared): docs/BENCHMARKS.md holds the 100,000-employee run.
import { inject, describe, expect, it } from "vitest";
import { runBench } from "../../bench/bench.js";

describe("npm run bench, smoke", () => {
  it("measures hr-scim against the floor on 1,000 employees", async () => {
    const report = await runBench({
      employees: 1_000, loadRequests: 30, groupImports: 1, log: () => {},
      databaseUrl: process.env.DATABASE_URL || undefined, pgliteTemplate: inject("pgliteTemplate") || undefined,
    });
    expect(report.store).toBe(process.env.DATABASE_URL ? "postgres" : "pglite");
    expect(report.visible).toBe(980); // 2% future employees
    const names = report.comparisons.map((c) => c.name.trim());
    for (const expected of ["full startIndex import", "full RFC 9865 cursor import", "userName eq, 16 connections: req/s", "GET /Users/{id}, 16 connections: req/s",
      "meta.lastModified window, first page", "PATCH write-back, 8 connections: req/s", "/Groups import with members", "/Groups import without members", "Entra payload build + send"]) {
      expect(names.some((n) => n.startsWith(expected)), expected).toBe(true);
    }
    for (const c of report.comparisons.filter((c) => c.name !== "Entra payload build + send" && !c.name.startsWith("demo"))) {
      expect(Number.isFinite(c.floor) && Number.isFinite(c.hrScim), c.name).toBe(true);
    }
    expect(report.lines.join("\n")).toMatch(/window after 10 employees changed: floor finds 10, hr-scim 10\b/);
    expect(report.lines.join("\n")).toMatch(/Entra full run: succeeded; 980 users planned, 980 sent/);
    expect(report.lines.join("\n")).not.toMatch(/errors or non-2xx/);
  }, 240_000); // 30-50 s on PostgreSQL; PGlite took 80-113 s with the machine at load 8-12
});

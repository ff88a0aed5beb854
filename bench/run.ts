// npm run bench [-- --employees N] [--dist] [--load-seconds S] [--group-imports N] [--scale-to N] [--no-entra] [--no-import] [--lookups-only]
// A generated tenant of N employees (default BENCH_EMPLOYEES or 100,000) served by hr-scim and by the
// floor in the same run (bench/bench.ts), with hr-scim/floor ratios and the targets of issue 10.
// Uses DATABASE_URL when set, else temporary PGlite directories. --dist runs `node dist/main.js`
// (npm run build first). --scale-to 2 also measures the lookups with 2 hr-scim processes (PostgreSQL).
// Then the HR CSV import (bench/hr-import.ts) of 20,000 rows and of N rows, each in a child process
// of its own, to show that its memory does not grow with the file (--no-import skips it).
// --lookups-only runs only the lookup phases (`userName eq` and GET /Users/{id} at 16 connections, and
// --scale-to's): no imports (SCIM or CSV), lastModified window, PATCH, groups or Entra push.
import { parseArgs } from "node:util";
import { runBench } from "./bench.js";
import { benchHrImportInChild, describeImport } from "./hr-import.js";

const { values } = parseArgs({
  options: {
    employees: { type: "string" },
    dist: { type: "boolean", default: false },
    "load-seconds": { type: "string" },
    "group-imports": { type: "string" },
    "scale-to": { type: "string" },
    "no-entra": { type: "boolean", default: false },
    "no-import": { type: "boolean", default: false },
    "lookups-only": { type: "boolean", default: false },
  },
});

function count(text: string | undefined, name: string, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`--${name} must be a positive whole number, got "${text}"`);
  return n;
}

const report = await runBench({
  employees: count(values.employees ?? process.env.BENCH_EMPLOYEES, "employees", 100_000),
  databaseUrl: process.env.DATABASE_URL || undefined,
  useDist: values.dist,
  loadSeconds: count(values["load-seconds"], "load-seconds", 10),
  groupImports: count(values["group-imports"], "group-imports", 10),
  scaleTo: process.env.DATABASE_URL ? count(values["scale-to"], "scale-to", 1) : 1,
  entra: !values["no-entra"],
  lookupsOnly: values["lookups-only"],
});
if (!values["no-import"] && !values["lookups-only"]) {
  const sizes = [...new Set([20_000, report.employees])].sort((a, b) => a - b);
  for (const rows of sizes) {
    const result = await benchHrImportInChild(rows);
    console.log(describeImport(result));
    if (rows === 100_000) report.comparisons.push({ name: "HR CSV import of 100,000 rows", floor: NaN, hrScim: result.ms / 1000, unit: "s", ratio: NaN, target: "< 60 s", met: result.ms < 60_000 });
  }
}
const missed = report.comparisons.filter((c) => c.target && !c.met);
console.log(report.store === "pglite"
  ? "\nPGlite: reported without targets."
  : `\ntargets: ${report.comparisons.filter((c) => c.target).length - missed.length} met, ${missed.length} missed${missed.length ? ": " + missed.map((c) => c.name.trim()).join("; ") : ""}`);

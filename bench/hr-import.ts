// Benchmark of the CSV import (issue 11): a generated file of N rows (one contract per employee,
// 200 departments, 40 establishments, 8 legal units named in the rows) imported into a new tenant
// through importCsv, as `hr import` and POST /hr/v1/imports do: time, rows/s, and the process's
// peak RSS and heap growth during the import (the import holds a batch of rows, not the file, so
// these do not grow with N); then the same file again, as a daily snapshot of a population that
// did not change (every row checked, none written). `npm run bench` runs it in child processes (each measures its own
// memory) for 20,000 rows and for its --employees; alone:
// `npm run bench:import [-- --rows N] [--json]` (DATABASE_URL, else a temporary PGlite directory).
import { spawn } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import v8 from "node:v8";
import { parseArgs } from "node:util";
import { pathToFileURL } from "node:url";
import type { Knex } from "knex";
import { openDatabase } from "../src/db/database.js";
import { migrateToLatest } from "../src/db/migrate.js";
import { withStatementTimeout } from "../src/db/statement-timeout.js";
import { importCsv, type ImportReport } from "../src/hr/import/csv-import.js";
import { createTenant } from "../src/hr/tenants.js";
import { ROOT } from "./servers.js";

export interface HrImportBench {
  rows: number;
  bytes: number;
  ms: number;
  /** Peak resident memory of the process seen during the import, in MiB. */
  peakRssMiB: number;
  /** Peak of the V8 heap in use during the import, over its level when the import began, in MiB. */
  heapGrowthMiB: number;
  /** The V8 heap's size limit of the process, in MiB (the child of `npm run bench` caps it: the import fits in it whatever N). */
  heapLimitMiB: number;
  /** 1-minute load average when the import ended (2 cores on the benchmark machine). */
  load: number;
  /** The same file imported again into the same tenant (every employee unchanged), ms. */
  reimportMs: number;
  report: ImportReport;
}

/** Writes an N-row import file and returns its path. */
export function writeImportFile(rows: number, dir = os.tmpdir()): string {
  const file = path.join(dir, `hr-import-${crypto.randomUUID().slice(0, 8)}.csv`);
  const out = fs.openSync(file, "w");
  fs.writeSync(out, "employeeNumber,login,firstName,lastName,workEmail,jobTitle,departmentKey,department,establishmentKey,establishment,legalUnitKey,legalUnit,countryCode,contractStart,contractEnd\n");
  let buffer = "";
  for (let g = 1; g <= rows; g++) {
    const start = `20${String(10 + (g % 15)).padStart(2, "0")}-0${(g % 9) + 1}-15`;
    const end = g % 12 === 0 ? "2025-12-31" : "";
    buffer += `I${g},imp${g},First${g},Last${g % 5000},imp${g}@bench.example,Job ${g % 50},D${(g % 200) + 1},Department ${(g % 200) + 1},S${(g % 40) + 1},Site ${(g % 40) + 1},L${(g % 40) % 8 + 1},LU ${(g % 40) % 8 + 1},FR,${start},${end}\n`;
    if (buffer.length > 1_000_000) { fs.writeSync(out, buffer); buffer = ""; }
  }
  fs.writeSync(out, buffer);
  fs.closeSync(out);
  return file;
}

const MiB = 2 ** 20;

/** Imports an N-row file into a new tenant and measures it; the tenant is deleted afterwards unless `keep`. */
export async function benchHrImport(db: Knex, rows = 100_000, options: { keep?: boolean } = {}): Promise<HrImportBench> {
  const file = writeImportFile(rows);
  const slug = `bench-import-${crypto.randomUUID().slice(0, 8)}`;
  const tenant = await createTenant(db, { slug, name: slug, settings: { groupTypes: [] } });
  try {
    const heapBefore = process.memoryUsage().heapUsed;
    let peakRss = process.memoryUsage().rss;
    let peakHeap = heapBefore;
    const sample = () => {
      const m = process.memoryUsage();
      peakRss = Math.max(peakRss, m.rss);
      peakHeap = Math.max(peakHeap, m.heapUsed);
    };
    const sampler = setInterval(sample, 50);
    const started = performance.now();
    try {
      const report = await importCsv(db, fs.createReadStream(file), { tenant, actor: "bench:hr-import", now: new Date() });
      if (report.errors.length) throw new Error(`the import was refused: ${JSON.stringify(report.errors.slice(0, 3))}`);
      const ms = performance.now() - started;
      sample();
      const load = +os.loadavg()[0].toFixed(2);
      const again = performance.now();
      const repeat = await importCsv(db, fs.createReadStream(file), { tenant, actor: "bench:hr-import", now: new Date() });
      if (repeat.errors.length || repeat.unchanged !== report.created) throw new Error(`the repeated import changed something: ${JSON.stringify({ ...repeat, errors: repeat.errors.slice(0, 3) })}`);
      const reimportMs = performance.now() - again;
      return {
        rows, bytes: fs.statSync(file).size, ms, peakRssMiB: Math.round(peakRss / MiB), heapGrowthMiB: Math.round((peakHeap - heapBefore) / MiB),
        heapLimitMiB: Math.round(v8.getHeapStatistics().heap_size_limit / MiB), load, reimportMs, report,
      };
    } finally {
      clearInterval(sampler);
    }
  } finally {
    fs.rmSync(file, { force: true });
    if (!options.keep) await db.transaction(async (trx) => {
      await withStatementTimeout(trx, 0);
      await trx("tenants").where({ id: tenant.id }).delete();
    });
  }
}

/** One line of the benchmark's report. */
export function describeImport(r: Pick<HrImportBench, "rows" | "bytes" | "ms" | "peakRssMiB" | "heapGrowthMiB" | "heapLimitMiB" | "load" | "reimportMs">): string {
  return `HR CSV import, ${r.rows.toLocaleString("en")} rows (${(r.bytes / MiB).toFixed(1)} MiB): ${(r.ms / 1000).toFixed(1)} s, `
    + `${Math.round(r.rows / (r.ms / 1000)).toLocaleString("en")} rows/s, peak RSS ${r.peakRssMiB} MiB, heap growth ${r.heapGrowthMiB} MiB, heap limit ${r.heapLimitMiB} MiB (load ${r.load}); `
    + `the same file again (all unchanged): ${(r.reimportMs / 1000).toFixed(1)} s`;
}

/** V8's old space in the child: the import's batches fit in it whatever the file's size (and the garbage collector then keeps the heap near what is live). */
const CHILD_OLD_SPACE_MIB = 64;

/** Runs the benchmark for `rows` in a child process of its own (its memory is the import's alone). */
export function benchHrImportInChild(rows: number, env: NodeJS.ProcessEnv = process.env): Promise<HrImportBench> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [`--max-old-space-size=${CHILD_OLD_SPACE_MIB}`, "--import", "tsx", path.join(ROOT, "bench/hr-import.ts"), "--rows", String(rows), "--json"], { cwd: ROOT, env, stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (d) => { out += d; });
    child.on("error", reject);
    child.on("exit", (code) => {
      if (code !== 0) { reject(new Error(`bench/hr-import.ts --rows ${rows} exited with ${code}`)); return; }
      resolve(JSON.parse(out.trim().split("\n").pop()!));
    });
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { values, positionals } = parseArgs({ options: { rows: { type: "string" }, json: { type: "boolean", default: false } }, allowPositionals: true });
  const rows = Number(values.rows ?? positionals[0] ?? 100_000);
  if (!Number.isSafeInteger(rows) || rows < 1) throw new Error(`--rows must be a positive whole number, got "${values.rows ?? positionals[0]}"`);
  const dataDir = process.env.DATABASE_URL ? undefined : fs.mkdtempSync(path.join(os.tmpdir(), "hr-scim-bench-import-"));
  const database = await openDatabase({ databaseUrl: process.env.DATABASE_URL, dataDir });
  try {
    await migrateToLatest(database.knex);
    const result = await benchHrImport(database.knex, rows);
    const { report, ...figures } = result;
    console.log(values.json ? JSON.stringify({ ...figures, created: report.created }) : `${database.kind}: ${describeImport(result)}`);
  } finally {
    await database.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

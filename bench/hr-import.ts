// Benchmark of the CSV import (issue 11): a generated file of N rows (one contract per employee,
// 200 departments, 40 establishments, 8 legal units named in the rows) imported into a new tenant
// through importCsv, as `hr import` and POST /hr/v1/imports do. benchHrImport is what bench/run.ts
// (or any script) calls; run directly: `DATABASE_URL=... npx tsx bench/hr-import.ts [rows]`.
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { Knex } from "knex";
import { openDatabase } from "../src/db/database.js";
import { migrateToLatest } from "../src/db/migrate.js";
import { importCsv, type ImportReport } from "../src/hr/import/csv-import.js";
import { createTenant } from "../src/hr/tenants.js";

export interface HrImportBench {
  rows: number;
  bytes: number;
  ms: number;
  /** Peak resident memory seen during the import, in MiB. */
  peakRssMiB: number;
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

/** Imports an N-row file into a new tenant and measures it. */
export async function benchHrImport(db: Knex, rows = 100_000): Promise<HrImportBench> {
  const file = writeImportFile(rows);
  try {
    const slug = `bench-import-${crypto.randomUUID().slice(0, 8)}`;
    const tenant = await createTenant(db, { slug, name: slug, settings: { groupTypes: [] } });
    let peak = process.memoryUsage().rss;
    const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 100);
    const started = performance.now();
    try {
      const report = await importCsv(db, fs.createReadStream(file), { tenant, actor: "bench:hr-import", now: new Date() });
      if (report.errors.length) throw new Error(`the import was refused: ${JSON.stringify(report.errors.slice(0, 3))}`);
      return { rows, bytes: fs.statSync(file).size, ms: performance.now() - started, peakRssMiB: Math.round(peak / 1024 / 1024), report };
    } finally {
      clearInterval(sampler);
    }
  } finally {
    fs.rmSync(file, { force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const rows = Number(process.argv[2] ?? 100_000);
  const dataDir = process.env.DATABASE_URL ? undefined : fs.mkdtempSync(path.join(os.tmpdir(), "hr-scim-bench-import-"));
  const database = await openDatabase({ databaseUrl: process.env.DATABASE_URL, dataDir });
  try {
    await migrateToLatest(database.knex);
    const result = await benchHrImport(database.knex, rows);
    console.log(JSON.stringify({ rows: result.rows, bytes: result.bytes, seconds: +(result.ms / 1000).toFixed(1), peakRssMiB: result.peakRssMiB, created: result.report.created }));
  } finally {
    await database.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

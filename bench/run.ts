// npm run bench: a generated tenant of BENCH_EMPLOYEES (default 100,000) employees, served over HTTP
// by the real app, measured the way identity providers read it. Reports absolute times and ratios
// measured in the same run. Uses DATABASE_URL when set, else a temporary PGlite directory.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { createApp } from "../src/app";
import { IntegrationLogBuffer } from "../src/audit/integration-log";
import { issueToken } from "../src/auth/tokens";
import { systemClock } from "../src/clock";
import { openDatabase } from "../src/db/database";
import { migrateToLatest } from "../src/db/migrate";
import { createLogger } from "../src/logger";
import { generateTenant } from "./generate-tenant";

const employees = Number(process.env.BENCH_EMPLOYEES ?? 100_000);
const pageSize = 100;
const dataDir = process.env.DATABASE_URL ? undefined : fs.mkdtempSync(path.join(os.tmpdir(), "hr-scim-bench-"));

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function main(): Promise<void> {
  const database = await openDatabase({ databaseUrl: process.env.DATABASE_URL, dataDir });
  await migrateToLatest(database.knex);
  let t0 = performance.now();
  const tenant = await generateTenant(database.knex, employees);
  const generateMs = performance.now() - t0;
  const { token } = await issueToken(database.knex, { tenantId: tenant.id, name: "bench", permissions: [], createdBy: "bench", now: new Date() });
  const logger = createLogger("silent");
  const integrationLog = new IntegrationLogBuffer(database.knex, logger);
  const app = createApp({ db: database.knex, clock: systemClock, logger, integrationLog });
  const server = app.listen(0);
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/scim/v2`;
  const get = async (pathAndQuery: string) => {
    const start = performance.now();
    const res = await fetch(base + pathAndQuery, { headers: { Authorization: `Bearer ${token}` } });
    const body = (await res.json()) as any;
    if (res.status !== 200) throw new Error(`${pathAndQuery}: ${res.status} ${JSON.stringify(body)}`);
    return { ms: performance.now() - start, body };
  };

  const first = await get(`/Users?startIndex=1&count=${pageSize}`);
  const total = first.body.totalResults as number;
  const firstPages = []; for (let i = 0; i < 10; i++) firstPages.push((await get(`/Users?startIndex=1&count=${pageSize}`)).ms);
  const lastStart = Math.max(1, total - pageSize + 1);
  const lastPages = []; for (let i = 0; i < 10; i++) lastPages.push((await get(`/Users?startIndex=${lastStart}&count=${pageSize}`)).ms);

  t0 = performance.now();
  let seen = 0;
  for (let start = 1; start <= total; start += pageSize) seen += (await get(`/Users?startIndex=${start}&count=${pageSize}`)).body.itemsPerPage;
  const indexScanMs = performance.now() - t0;
  if (seen !== total) throw new Error(`index scan saw ${seen} of ${total}`);

  t0 = performance.now();
  let cursor = ""; let cursorSeen = 0;
  for (;;) {
    const page = await get(`/Users?count=${pageSize}&cursor=${encodeURIComponent(cursor)}`);
    cursorSeen += page.body.itemsPerPage;
    if (!page.body.nextCursor) break;
    cursor = page.body.nextCursor;
  }
  const cursorScanMs = performance.now() - t0;

  const lookups = []; for (let i = 0; i < 50; i++) lookups.push((await get(`/Users?filter=${encodeURIComponent(`userName eq "user${1 + ((i * 7919) % employees)}"`)}`)).ms);
  const since = new Date(Date.now() - 30 * 60_000).toISOString();
  const delta = []; for (let i = 0; i < 5; i++) delta.push((await get(`/Users?filter=${encodeURIComponent(`active eq true and meta.lastModified ge "${since}"`)}&count=${pageSize}`)).ms);
  const byId = []; for (let i = 0; i < 50; i++) byId.push((await get(`/Users/${first.body.Resources[i % first.body.Resources.length].id}`)).ms);

  const pages = Math.ceil(total / pageSize);
  const lines = [
    `store: ${database.kind}; employees generated: ${employees} (visible: ${total}); generation ${(generateMs / 1000).toFixed(1)} s`,
    `first page (count=${pageSize}), median of 10: ${median(firstPages).toFixed(1)} ms`,
    `last page (startIndex=${lastStart}), median of 10: ${median(lastPages).toFixed(1)} ms   ratio last/first: ${(median(lastPages) / median(firstPages)).toFixed(2)}`,
    `full Okta-style import, ${pages} pages by startIndex: ${(indexScanMs / 1000).toFixed(1)} s (${(indexScanMs / pages).toFixed(1)} ms/page)   ratio to ${pages} x first page: ${(indexScanMs / (pages * median(firstPages))).toFixed(2)}`,
    `full import by RFC 9865 cursor: ${(cursorScanMs / 1000).toFixed(1)} s (${cursorSeen} users)   ratio cursor/index: ${(cursorScanMs / indexScanMs).toFixed(2)}`,
    `userName eq lookup, median of 50: ${median(lookups).toFixed(1)} ms   ratio to first page: ${(median(lookups) / median(firstPages)).toFixed(2)}`,
    `GET /Users/{id}, median of 50: ${median(byId).toFixed(1)} ms`,
    `delta window (active eq true and meta.lastModified ge now-30min), median of 5: ${median(delta).toFixed(1)} ms`,
    `process RSS at the end: ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`,
  ];
  console.log(lines.join("\n"));

  server.close();
  await integrationLog.flush();
  await database.knex("tenants").where({ id: tenant.id }).delete();
  await database.close();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
}

main().catch((e) => { console.error(e); process.exit(1); });

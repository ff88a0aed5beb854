// npm run bench: a generated tenant of BENCH_EMPLOYEES (default 100,000) employees, served over HTTP
// by the real app, measured the way identity providers read it. Reports absolute times and ratios
// measured in the same run. Uses DATABASE_URL when set, else a temporary PGlite directory.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { createApp } from "../src/app.js";
import { IntegrationLogBuffer } from "../src/audit/integration-log.js";
import { issueToken } from "../src/auth/tokens.js";
import { systemClock } from "../src/clock.js";
import { openDatabase } from "../src/db/database.js";
import { migrateToLatest } from "../src/db/migrate.js";
import { withStatementTimeout } from "../src/db/statement-timeout.js";
import { createLogger } from "../src/logger.js";
import { generateTenant } from "./generate-tenant.js";

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
  // A batch: its 100,000-row inserts run longer than the server's statement bound.
  const tenant = await database.knex.transaction(async (trx) => { await withStatementTimeout(trx, 0); return generateTenant(trx, employees); });
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
  // Filters on the User's groups compare the group display name the projection shows (unique names).
  const groupFilter = (filter: string) => get(`/Users?filter=${encodeURIComponent(filter)}&count=${pageSize}&attributes=userName`);
  const byGroupDisplay = []; for (let i = 0; i < 5; i++) byGroupDisplay.push((await groupFilter(`groups.display eq "LUCCA_DEPT Department ${7 + i}"`)).ms);
  const byGroupValue = []; for (let i = 0; i < 5; i++) byGroupValue.push((await groupFilter(`groups.value eq "LUCCA_ETS-${first.body.Resources[i].groups?.find((g: any) => g.value.startsWith("LUCCA_ETS-"))?.value.slice(10) ?? 1}"`)).ms);
  const byId = []; for (let i = 0; i < 50; i++) byId.push((await get(`/Users/${first.body.Resources[i % first.body.Resources.length].id}`)).ms);

  // Groups as Okta's "Import groups" reads them (members included), then the largest group alone,
  // read as a stream without parsing so that the RSS peak is the server's (client and server share
  // this process). RSS is sampled every 20 ms.
  let rssPeak = 0;
  const sampler = setInterval(() => { rssPeak = Math.max(rssPeak, process.memoryUsage().rss); }, 20);
  const rssBefore = process.memoryUsage().rss;
  t0 = performance.now();
  let groupsSeen = 0; let groupPages = 0; let slowestGroupPage = 0; let groupsTotal = Infinity; let membersSeen = 0;
  for (let start = 1; start <= groupsTotal; ) {
    const page = await get(`/Groups?startIndex=${start}&count=${pageSize}`);
    groupsTotal = page.body.totalResults;
    groupPages++;
    slowestGroupPage = Math.max(slowestGroupPage, page.ms);
    groupsSeen += page.body.itemsPerPage;
    for (const g of page.body.Resources) membersSeen += g.members?.length ?? 0;
    if (page.body.itemsPerPage === 0) break;
    start += pageSize; // as Okta does: by count, whatever itemsPerPage says
  }
  const groupImportMs = performance.now() - t0;
  const withoutMembers = []; for (let i = 0; i < 5; i++) withoutMembers.push((await get(`/Groups?excludedAttributes=members&count=${pageSize}`)).ms);
  global.gc?.();
  const rssBeforeLargest = process.memoryUsage().rss;
  rssPeak = rssBeforeLargest;
  t0 = performance.now();
  const largest = await fetch(`${base}/Groups/LUCCA_COUNTRY-FR`, { headers: { Authorization: `Bearer ${token}` } });
  let largestBytes = 0; let largestMembers = 0; let carry = "";
  const decoder = new TextDecoder();
  for await (const chunk of largest.body as unknown as AsyncIterable<Uint8Array>) {
    largestBytes += chunk.length;
    const text = carry + decoder.decode(chunk, { stream: true });
    largestMembers += (text.match(/"display":/g) ?? []).length;
    carry = text.slice(-10);
    largestMembers -= (carry.match(/"display":/g) ?? []).length;
  }
  largestMembers += (carry.match(/"display":/g) ?? []).length;
  const largestMs = performance.now() - t0;
  const largestRssGrowth = rssPeak - rssBeforeLargest;
  clearInterval(sampler);

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
    `groups.display eq "LUCCA_DEPT Department N" (first page), median of 5: ${median(byGroupDisplay).toFixed(1)} ms; groups.value eq "LUCCA_ETS-N": ${median(byGroupValue).toFixed(1)} ms`,
    `groups import (Okta "Import groups", members included, startIndex += ${pageSize}): ${groupsSeen} groups, ${membersSeen} memberships, ${groupPages} pages in ${(groupImportMs / 1000).toFixed(1)} s; slowest page ${(slowestGroupPage / 1000).toFixed(2)} s (Okta's limit: 60 s)`,
    `groups list with excludedAttributes=members, median of 5: ${median(withoutMembers).toFixed(1)} ms`,
    `largest group LUCCA_COUNTRY-FR: ${largestMembers} members, ${(largestBytes / 2 ** 20).toFixed(1)} MiB streamed in ${(largestMs / 1000).toFixed(2)} s; RSS growth while serving it: ${(largestRssGrowth / 2 ** 20).toFixed(0)} MiB`,
    `process RSS at the end: ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB (before groups: ${(rssBefore / 2 ** 20).toFixed(0)} MiB)`,
  ];
  console.log(lines.join("\n"));

  server.close();
  await integrationLog.flush();
  await database.knex("tenants").where({ id: tenant.id }).delete();
  await database.close();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
}

main().catch((e) => { console.error(e); process.exit(1); });

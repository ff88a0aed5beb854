// npx tsx bench/explain.ts: the statements that the main reads run, with EXPLAIN (ANALYZE, BUFFERS),
// on a generated tenant of BENCH_EMPLOYEES (default 100,000) employees, or on the tenant whose slug is
// BENCH_TENANT (kept: run it again without generating). PostgreSQL only (DATABASE_URL). EXPLAIN
// plans each statement afresh: "Planning Time" is what an unnamed statement costs; the app runs its
// hot shapes as named statements, which PostgreSQL stops planning after a few runs.
import type { AddressInfo } from "node:net";
import { createApp } from "../src/app.js";
import { IntegrationLogBuffer } from "../src/audit/integration-log.js";
import { issueToken } from "../src/auth/tokens.js";
import { systemClock } from "../src/clock.js";
import { openDatabase } from "../src/db/database.js";
import { migrateToLatest } from "../src/db/migrate.js";
import { createLogger } from "../src/logger.js";
import { generateTenant } from "./generate-tenant.js";

if (!process.env.DATABASE_URL) throw new Error("bench/explain.ts needs DATABASE_URL (PostgreSQL)");
const database = await openDatabase({ databaseUrl: process.env.DATABASE_URL });
const db = database.knex;
await migrateToLatest(db);
const slug = process.env.BENCH_TENANT;
const tenant = slug
  ? await db("tenants").where({ slug }).first("id", "slug")
  : await generateTenant(db, Number(process.env.BENCH_EMPLOYEES ?? 100_000));
if (!tenant) throw new Error(`no tenant ${slug}`);
console.log(`tenant ${tenant.slug}`);
const { token } = await issueToken(db, { tenantId: tenant.id, name: "explain", permissions: [], createdBy: "bench", now: new Date() });
const logger = createLogger("silent");
const integrationLog = new IntegrationLogBuffer(db, logger);
const server = createApp({ db, clock: systemClock, logger, integrationLog }).listen(0);
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/scim/v2`;

const statements: { sql: string; bindings: unknown[] }[] = [];
let capturing = false;
db.on("query", (q: { sql: string; bindings?: unknown[] }) => {
  if (capturing && !/"api_tokens"|"tenants"|"integration_log"/.test(q.sql)) statements.push({ sql: q.sql, bindings: q.bindings ?? [] });
});
const since = new Date(Date.now() - 30 * 60_000).toISOString();
const first = (await (await fetch(`${base}/Users?count=1`, { headers: { Authorization: `Bearer ${token}` } })).json()) as { totalResults: number; Resources: { id: string }[] };
const requests = [
  "/Users?startIndex=1&count=100",
  `/Users?startIndex=${Math.floor(first.totalResults / 2)}&count=100`,
  `/Users?filter=${encodeURIComponent('userName eq "user777"')}`,
  `/Users/${first.Resources[0].id}`,
  `/Users?filter=${encodeURIComponent(`active eq true and meta.lastModified ge "${since}"`)}&count=100`,
  "/Groups?excludedAttributes=members&count=100",
];
for (const path of requests) {
  statements.length = 0;
  capturing = true;
  const started = performance.now();
  const res = await fetch(base + path, { headers: { Authorization: `Bearer ${token}` } });
  await res.text();
  capturing = false;
  console.log(`\n### GET ${decodeURIComponent(path)}: ${res.status} in ${(performance.now() - started).toFixed(1)} ms, ${statements.length} statements`);
  for (const s of statements) {
    // The captured text has PostgreSQL's $n placeholders: run it on a connection of its own.
    const connection = await db.client.acquireConnection();
    try {
      const plan = await connection.query(`explain (analyze, buffers) ${s.sql}`, s.bindings);
      console.log(`--- ${s.sql.length} characters: ${s.sql.slice(0, 120)}...`);
      console.log(plan.rows.map((r: Record<string, string>) => r["QUERY PLAN"]).join("\n"));
    } finally {
      await db.client.releaseConnection(connection);
    }
  }
}
server.close();
await integrationLog.flush();
if (!slug) await db("tenants").where({ id: tenant.id }).delete();
await database.close();

// npm run bench:groups [-- --employees N] [--dist]: Okta's "Import groups" alone (members included,
// startIndex += 100) over a generated tenant of N employees (default 200,000), served by hr-scim as a
// child process; prints each page's time and the slowest, against Okta's 60 s per request
// (docs/BENCHMARKS.md). PostgreSQL only (DATABASE_URL): the size it answers for is beyond PGlite's.
import crypto from "node:crypto";
import { parseArgs } from "node:util";
import { issueToken } from "../src/auth/tokens.js";
import { openDatabase } from "../src/db/database.js";
import { migrateToLatest } from "../src/db/migrate.js";
import { updateTenantSetting } from "../src/hr/tenants.js";
import { generateTenant } from "./generate-tenant.js";
import { freePort, nodeArgs, sampleRss, startServer, type ServerProcess } from "./servers.js";

const PAGE = 100;
const { values } = parseArgs({ options: { employees: { type: "string" }, dist: { type: "boolean", default: false } } });
const employees = Number(values.employees ?? 200_000);
if (!Number.isSafeInteger(employees) || employees < 1) throw new Error(`--employees must be a positive whole number`);
const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) throw new Error("bench:groups runs on PostgreSQL: set DATABASE_URL");

const database = await openDatabase({ databaseUrl, limits: { statementTimeoutMs: 0 } });
const db = database.knex;
let server: ServerProcess | undefined;
let tenantId: number | undefined;
try {
  await migrateToLatest(db);
  let t0 = performance.now();
  const tenant = await generateTenant(db, employees);
  tenantId = tenant.id;
  console.log(`store: postgres; employees generated: ${employees} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  await updateTenantSetting(db, tenant.slug, "rateLimit", JSON.stringify({ requestsPerSecond: 100_000, burst: 100_000 }), new Date());
  const { token } = await issueToken(db, { tenantId: tenant.id, name: "bench", permissions: [], createdBy: "bench", now: new Date() });
  const port = await freePort();
  server = await startServer("hr-scim", nodeArgs({ ts: "src/main.ts", dist: "dist/main.js" }, values.dist ?? false), {
    ...process.env, NODE_ENV: "production", PORT: String(port), LOG_LEVEL: "warn", HR_SCIM_SCHEDULER: "off",
    HR_SCIM_SECRET_KEY: crypto.randomBytes(32).toString("base64"), DATABASE_URL: databaseUrl,
  }, port, "/readyz");
  const get = async (query: string) => {
    const started = performance.now();
    const res = await fetch(`http://127.0.0.1:${port}/scim/v2${query}`, { headers: { authorization: `Bearer ${token}` } });
    if (res.status !== 200) throw new Error(`${query}: HTTP ${res.status}`);
    const body = await res.json() as { totalResults: number; Resources: { members?: unknown[] }[] };
    return { ms: performance.now() - started, body };
  };
  const total = (await get(`/Groups?startIndex=1&count=1&excludedAttributes=members`)).body.totalResults;
  const rss = sampleRss(server);
  const pages: number[] = [];
  let groups = 0;
  let memberships = 0;
  t0 = performance.now();
  for (let s = 1; s <= total; s += PAGE) {
    const page = await get(`/Groups?startIndex=${s}&count=${PAGE}`);
    pages.push(page.ms);
    groups += page.body.Resources.length;
    for (const g of page.body.Resources) memberships += g.members?.length ?? 0;
  }
  const slowest = Math.max(...pages);
  console.log(`/Groups import with members, startIndex += ${PAGE}: ${groups} of ${total} groups, ${memberships} memberships in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  console.log(`pages: ${pages.map((ms) => (ms / 1000).toFixed(2)).join(" s, ")} s`);
  console.log(`slowest page ${(slowest / 1000).toFixed(2)} s (Okta's limit 60 s: ${slowest < 60_000 ? "inside" : "OVER"}); server peak RSS ${(rss.stop() / 1048576).toFixed(0)} MiB`);
} finally {
  await server?.stop().catch(() => {});
  if (tenantId !== undefined) await db("tenants").where("id", tenantId).delete();
  await database.close();
}

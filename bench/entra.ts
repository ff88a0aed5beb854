// npm run bench:entra: the Entra push alone (bench/entra-push.ts) over a generated tenant of
// BENCH_EMPLOYEES (default 100,000) employees; `npm run bench` measures it too.
// Uses DATABASE_URL when set, else a temporary PGlite directory.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openDatabase } from "../src/db/database.js";
import { migrateToLatest } from "../src/db/migrate.js";
import { measureEntraPush } from "./entra-push.js";
import { generateTenant } from "./generate-tenant.js";

const employees = Number(process.env.BENCH_EMPLOYEES ?? 100_000);
const dataDir = process.env.DATABASE_URL ? undefined : fs.mkdtempSync(path.join(os.tmpdir(), "hr-scim-bench-entra-"));

async function main(): Promise<void> {
  const database = await openDatabase({ databaseUrl: process.env.DATABASE_URL, dataDir, limits: { statementTimeoutMs: 0 } });
  const db = database.knex;
  let tenantId: number | undefined;
  try {
    await migrateToLatest(db);
    const t0 = performance.now();
    const tenant = await generateTenant(db, employees);
    tenantId = tenant.id;
    console.log(`store: ${database.kind}; employees generated: ${employees}; generation ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    console.log((await measureEntraPush(db, tenant.id)).lines.join("\n"));
  } finally {
    if (tenantId !== undefined) await db("tenants").where({ id: tenantId }).delete();
    await database.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

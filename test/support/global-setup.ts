// Runs once before all test files: with DATABASE_URL, migrates and seeds that (fresh) database;
// without, builds a migrated and seeded PGlite template that each test file loads into memory.
// Also creates this run's directory for logs and issued secrets (test-run.ts), fresh.
import fs from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import type { TestProject } from "vitest/node";
import { openDatabase } from "../../src/db/database.js";
import { migrateToLatest } from "../../src/db/migrate.js";
import { seedDemo } from "../../src/seeds/demo.js";
import { TEST_NOW } from "./test-clock.js";

export const TEMPLATE_FILE = path.resolve(".tmp/pglite-template.tar.gz");
/** Each run gets a directory below it (test-run.ts). */
export const TEST_RUN_ROOT = path.resolve(".tmp/test-run");

/** Old runs' directories are removed; a run started in the last hour (another suite in parallel) is left alone. */
function freshRunDirectory(): string {
  fs.mkdirSync(TEST_RUN_ROOT, { recursive: true });
  for (const entry of fs.readdirSync(TEST_RUN_ROOT)) {
    const dir = path.join(TEST_RUN_ROOT, entry);
    if (Date.now() - fs.statSync(dir).mtimeMs > 3_600_000) fs.rmSync(dir, { recursive: true, force: true });
  }
  const dir = path.join(TEST_RUN_ROOT, `${Date.now()}-${process.pid}`);
  fs.mkdirSync(dir);
  return dir;
}

export default async function setup(project: TestProject): Promise<void> {
  project.provide("testRunDir", freshRunDirectory());
  if (process.env.DATABASE_URL) {
    const db = await openDatabase({ databaseUrl: process.env.DATABASE_URL });
    await migrateToLatest(db.knex);
    await seedDemo(db.knex, { now: TEST_NOW });
    await db.close();
    project.provide("pgliteTemplate", "");
    return;
  }
  const pglite = new PGlite();
  const db = await openDatabase({ pglite });
  await migrateToLatest(db.knex);
  await seedDemo(db.knex, { now: TEST_NOW });
  const dump = await pglite.dumpDataDir("gzip");
  fs.mkdirSync(path.dirname(TEMPLATE_FILE), { recursive: true });
  fs.writeFileSync(TEMPLATE_FILE, Buffer.from(await dump.arrayBuffer()));
  await db.close();
  project.provide("pgliteTemplate", TEMPLATE_FILE);
}

declare module "vitest" {
  export interface ProvidedContext {
    pgliteTemplate: string;
    /** This run's directory of logs and issued secrets (test-run.ts). */
    testRunDir: string;
  }
}

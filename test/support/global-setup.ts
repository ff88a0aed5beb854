// Runs once before all test files: with DATABASE_URL, migrates and seeds that (fresh) database;
// without, builds a migrated and seeded PGlite template that each test file loads into memory.
import fs from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import type { TestProject } from "vitest/node";
import { openDatabase } from "../../src/db/database.js";
import { migrateToLatest } from "../../src/db/migrate.js";
import { seedDemo } from "../../src/seeds/demo.js";
import { TEST_NOW } from "./test-clock.js";

export const TEMPLATE_FILE = path.resolve(".tmp/pglite-template.tar.gz");

export default async function setup(project: TestProject): Promise<void> {
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
  }
}

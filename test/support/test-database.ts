// A database for one test file: PostgreSQL from DATABASE_URL (shared, migrated and seeded by the
// global setup), or a private in-memory PGlite loaded from the seeded template.
import fs from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { afterAll, beforeAll, inject } from "vitest";
import { openDatabase, type Database } from "../../src/db/database.js";

export async function openTestDatabase(): Promise<Database> {
  if (process.env.DATABASE_URL) return openDatabase({ databaseUrl: process.env.DATABASE_URL });
  const template = inject("pgliteTemplate");
  const pglite = new PGlite({ loadDataDir: new Blob([fs.readFileSync(template)]) });
  return openDatabase({ pglite });
}

/**
 * The test file's own database, opened before its tests and closed after them; `onOpen` receives
 * it (`let db: Knex; useTestDatabase((d) => { db = d.knex; });`). Files that need the app use
 * useTestApp() instead.
 */
export function useTestDatabase(onOpen: (database: Database) => void): void {
  let database: Database | undefined;
  beforeAll(async () => {
    database = await openTestDatabase();
    onOpen(database);
  }, 120_000);
  afterAll(async () => {
    await database?.close();
  });
}

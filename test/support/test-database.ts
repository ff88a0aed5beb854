// A database for one test file: PostgreSQL from DATABASE_URL (shared, migrated and seeded by the
// global setup), or a private in-memory PGlite loaded from the seeded template.
import fs from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { inject } from "vitest";
import { openDatabase, type Database } from "../../src/db/database.js";

export async function openTestDatabase(): Promise<Database> {
  if (process.env.DATABASE_URL) return openDatabase({ databaseUrl: process.env.DATABASE_URL });
  const template = inject("pgliteTemplate");
  const pglite = new PGlite({ loadDataDir: new Blob([fs.readFileSync(template)]) });
  return openDatabase({ pglite });
}

// Migrations named without file extension, so that running them through tsx or compiled JS
// records the same names in knex_migrations.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Knex } from "knex";
import { withStatementTimeout } from "./statement-timeout.js";

const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "migrations");

interface MigrationModule { up(knex: Knex): Promise<void>; down?(knex: Knex): Promise<void> }

const migrationSource: Knex.MigrationSource<string> = {
  async getMigrations() {
    return fs.readdirSync(MIGRATIONS_DIR)
      .filter((f) => /^\d+.*\.(ts|js)$/.test(f) && !f.endsWith(".d.ts"))
      .sort();
  },
  getMigrationName: (file) => file.replace(/\.(ts|js)$/, ""),
  async getMigration(file) {
    const mod = (await import(pathToFileURL(path.join(MIGRATIONS_DIR, file)).href)) as MigrationModule;
    const down = mod.down ?? (async () => {});
    return { up: (db: Knex) => unbounded(db, mod.up), down: (db: Knex) => unbounded(db, down) };
  },
};

/**
 * Migrations run before the server serves and may rewrite large tables: each one's transaction
 * lifts the connection's statement bound.
 */
async function unbounded(db: Knex, step: (db: Knex) => Promise<void>): Promise<void> {
  if ((db as Knex & { isTransaction?: boolean }).isTransaction) await withStatementTimeout(db as Knex.Transaction, 0);
  await step(db);
}

export async function migrateToLatest(db: Knex): Promise<void> {
  await db.migrate.latest({ migrationSource });
}

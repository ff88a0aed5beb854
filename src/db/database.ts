// Opens the store: PostgreSQL when a URL is given, else embedded PGlite on disk (under an exclusive lock).
import path from "node:path";
import knex, { type Knex } from "knex";
import { lockDataDirectory } from "./pglite-lock.js";

export interface Database {
  knex: Knex;
  kind: "postgres" | "pglite";
  close(): Promise<void>;
}

export interface DatabaseOptions {
  databaseUrl?: string;
  dataDir?: string;
  /** An already opened PGlite instance (tests load it from a template). */
  pglite?: unknown;
}

// pg returns int8 and numeric as strings; counts are converted where read (see toCount).
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.databaseUrl) {
    const db = knex({ client: "pg", connection: options.databaseUrl, pool: { min: 0, max: 10 } });
    return { knex: db, kind: "postgres", close: () => db.destroy() };
  }
  const { default: ClientPgLite } = await import("knex-pglite");
  let release = () => {};
  let connection: Record<string, unknown>;
  if (options.pglite) {
    connection = { pglite: options.pglite };
  } else {
    if (!options.dataDir) throw new Error("dataDir is required without DATABASE_URL");
    release = lockDataDirectory(options.dataDir);
    connection = { filename: path.join(options.dataDir, "pgdata") };
  }
  try {
    const db = knex({ client: ClientPgLite as unknown as typeof knex.Client, dialect: "postgres", connection, useNullAsDefault: true });
    await db.raw("select 1");
    return { knex: db, kind: "pglite", close: async () => { await db.destroy(); release(); } };
  } catch (e) {
    release();
    throw e;
  }
}

/** count(*) is a number from PGlite and a string from pg. */
export function toCount(value: unknown): number {
  return typeof value === "number" ? value : Number(value ?? 0);
}

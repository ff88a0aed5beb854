// Opens the store: PostgreSQL when a URL is given, else embedded PGlite on disk (under an exclusive lock).
// On PostgreSQL every connection carries the time bounds below, so that an unreachable server or a
// runaway query is answered within seconds (see database-errors.ts for how their errors read).
import path from "node:path";
import knex, { type Knex } from "knex";
import { lockDataDirectory } from "./pglite-lock.js";

export interface Database {
  knex: Knex;
  kind: "postgres" | "pglite";
  /** Connections the pool holds at most (1 for PGlite). */
  poolSize: number;
  close(): Promise<void>;
}

/** Time and size bounds of the PostgreSQL pool. PGlite has one connection and enforces none of the timeouts. */
export interface DatabaseLimits {
  poolSize: number;
  /** statement_timeout of every connection (ms); 0 leaves statements unbounded. Raise it per transaction with withStatementTimeout. */
  statementTimeoutMs: number;
  /** idle_in_transaction_session_timeout (ms): a transaction left open ends, and its locks go, after this. */
  idleInTransactionTimeoutMs: number;
  /** Opening one connection (pg connectionTimeoutMillis; unset, it waits on the operating system's TCP timeout). */
  connectTimeoutMs: number;
  /** Waiting for a connection from the pool, connecting included (knex acquireConnectionTimeout, 60 s by default). */
  acquireTimeoutMs: number;
}

export const DEFAULT_DATABASE_LIMITS: DatabaseLimits = {
  poolSize: 10,
  // The slowest statement of a legitimate request measured so far, a Groups page of a 100,000
  // employee tenant (its lastModified aggregate), took 3 s on a quiet machine and over 5 s on a
  // loaded one: 10 s leaves it a margin and still frees a connection held by a runaway query.
  statementTimeoutMs: 10_000,
  idleInTransactionTimeoutMs: 30_000,
  connectTimeoutMs: 2_000,
  acquireTimeoutMs: 3_000,
};

export interface DatabaseOptions {
  databaseUrl?: string;
  dataDir?: string;
  /** An already opened PGlite instance (tests load it from a template). */
  pglite?: unknown;
  /** PostgreSQL only; each one absent (or undefined) takes DEFAULT_DATABASE_LIMITS. */
  limits?: Partial<DatabaseLimits>;
}

// Per request, these are logged structurally where the error is answered (render-error); knex's
// own lines would repeat them unstructured, with stacks.
const CONNECTION_WARNING = /^(Acquire connection error|Connection Error):/;

function postgresConfig(databaseUrl: string, limits: DatabaseLimits): Knex.Config {
  return {
    client: "pg",
    // Parameters the URL itself sets (e.g. ?statement_timeout=) take precedence over these.
    connection: {
      connectionString: databaseUrl,
      connectionTimeoutMillis: limits.connectTimeoutMs,
      keepAlive: true,
      // Sent in the start-up packet: no extra round trip per connection.
      ...(limits.statementTimeoutMs > 0 ? { statement_timeout: limits.statementTimeoutMs } : {}),
      ...(limits.idleInTransactionTimeoutMs > 0 ? { idle_in_transaction_session_timeout: limits.idleInTransactionTimeoutMs } : {}),
    } as Knex.PgConnectionConfig,
    pool: { min: 0, max: limits.poolSize },
    acquireConnectionTimeout: limits.acquireTimeoutMs,
    log: { warn: (message: string) => { if (!CONNECTION_WARNING.test(message)) console.warn(message); } },
  };
}

// pg returns int8 and numeric as strings; counts are converted where read (see toCount).
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.databaseUrl) {
    const limits = { ...DEFAULT_DATABASE_LIMITS };
    for (const [name, value] of Object.entries(options.limits ?? {})) if (value !== undefined) limits[name as keyof DatabaseLimits] = value;
    const db = knex(postgresConfig(options.databaseUrl, limits));
    return { knex: db, kind: "postgres", poolSize: limits.poolSize, close: () => db.destroy() };
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
    return { knex: db, kind: "pglite", poolSize: 1, close: async () => { await db.destroy(); release(); } };
  } catch (e) {
    release();
    throw e;
  }
}

/** The pool size of a knex opened by openDatabase (knex-pglite fixes its pool at one connection). */
export function poolSizeOf(db: Knex): number {
  const max = (db.client as { config?: Knex.Config }).config?.pool?.max;
  return typeof max === "number" && max > 0 ? max : 1;
}

/** count(*) is a number from PGlite and a string from pg. */
export function toCount(value: unknown): number {
  return typeof value === "number" ? value : Number(value ?? 0);
}

// The CLI as a function (argv in, exit status out), so that it can be tested without a process.
import os from "node:os";
import type { Knex } from "knex";
import { systemClock, fixedClock, type Clock } from "../clock.js";
import { readConfig, type Config } from "../config.js";
import { HOW_TO_MAKE_A_KEY, loadOrCreateDataDirKey } from "../crypto/secret-key.js";
import { openDatabase, type Database } from "../db/database.js";
import { migrateToLatest } from "../db/migrate.js";
import { DataDirectoryLockedError } from "../db/pglite-lock.js";
import { CliError, parseArgs, UsageError } from "./args.js";
import { ARGS_SPEC, resolveCommand } from "./commands.js";
import type { CliContext, Runner } from "./context.js";
import { USAGE } from "./usage.js";

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: NodeJS.ProcessEnv;
}

function operator(): string {
  try {
    return `cli:${os.userInfo().username}`;
  } catch {
    return `cli:${process.env.USER ?? "unknown"}`;
  }
}

async function appliedMigrationNames(db: Knex): Promise<string[]> {
  const { rows } = await db.raw("select to_regclass('knex_migrations') is not null as present");
  if (!rows[0]?.present) return [];
  return (await db("knex_migrations").select("name")).map((r: { name: string }) => r.name);
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const fail = (message: string, hint = false) => {
    io.stderr(`error: ${message}\n${hint ? "Run with --help for usage.\n" : ""}`);
    return 1;
  };

  let runner: Runner;
  try {
    const args = parseArgs(argv, ARGS_SPEC);
    if (args.flags.has("help") || args.positionals[0] === "help") { io.stdout(USAGE); return 0; }
    if (args.positionals.length === 0) { io.stderr(USAGE); return 1; }
    runner = resolveCommand(args);
  } catch (e) {
    if (e instanceof UsageError) return fail(e.message, true);
    throw e;
  }

  let clock: Clock;
  let database: Database;
  let config: Config;
  try {
    config = readConfig(io.env);
    clock = config.fakeNow ? fixedClock(config.fakeNow) : systemClock;
    database = await openDatabase(config.databaseUrl ? { databaseUrl: config.databaseUrl } : { dataDir: config.dataDir });
  } catch (e) {
    if (e instanceof DataDirectoryLockedError) return fail(`${e.message} (the CLI cannot use a PGlite data directory while a server holds it)`);
    return fail(`cannot open the database: ${(e as Error).message}`);
  }

  try {
    const before = new Set(await appliedMigrationNames(database.knex));
    await migrateToLatest(database.knex);
    const appliedMigrations = (await appliedMigrationNames(database.knex)).filter((n) => !before.has(n));
    const ctx: CliContext = {
      db: database.knex,
      now: clock,
      actor: operator(),
      appliedMigrations,
      out: (line) => io.stdout(`${line}\n`),
      err: (line) => io.stderr(`${line}\n`),
      secretKey: () => {
        if (config.secretKey) return config.secretKey;
        if (config.databaseUrl) throw new CliError(`HR_SCIM_SECRET_KEY is required with DATABASE_URL (the server and the CLI must share it to read stored secrets); ${HOW_TO_MAKE_A_KEY}`);
        return loadOrCreateDataDirKey(config.dataDir);
      },
      smtp: config.smtp,
      logLevel: io.env.LOG_LEVEL || "error",
    };
    await runner(ctx);
    return 0;
  } catch (e) {
    if (e instanceof CliError) return fail(e.message, e instanceof UsageError);
    return fail((e as Error).message ?? String(e));
  } finally {
    await database.close();
  }
}

// Entry point: config -> database (migrated, demo seeded when empty) -> app -> listen; graceful SIGTERM.
// With HR_SCIM_WORKERS=N on PostgreSQL, this process prepares the store and forks N workers that
// each run the server on the same port (src/cluster.ts).
import cluster from "node:cluster";
import type { Server } from "node:http";
import { createApp, SCIM_PREFIX } from "./app.js";
import { isClusterWorker, reportListening, runClusterPrimary } from "./cluster.js";
import { IntegrationLogBuffer } from "./audit/integration-log.js";
import { fixedClock, systemClock } from "./clock.js";
import { readConfig } from "./config.js";
import { HOW_TO_MAKE_A_KEY, loadOrCreateDataDirKey } from "./crypto/secret-key.js";
import { openDatabase } from "./db/database.js";
import { DataDirectoryLockedError } from "./db/pglite-lock.js";
import { migrateToLatest } from "./db/migrate.js";
import { findTenantBySlug } from "./hr/tenants.js";
import { defaultTenantConcurrency } from "./http/middleware/tenant-concurrency.js";
import { closeGracefully, createServer } from "./http/server.js";
import { createLogger } from "./logger.js";
import { createEntraContext } from "./connectors/entra/context.js";
import { entraJob } from "./connectors/entra/scheduled.js";
import { smtpSender } from "./notifications/email.js";
import { Notifier } from "./notifications/notifier.js";
import { webhookPoster } from "./notifications/webhook.js";
import { lifecycleJob } from "./scheduler/lifecycle-job.js";
import { hrRetentionJob } from "./scheduler/hr-retention-job.js";
import { Scheduler } from "./scheduler/scheduler.js";
import { issueDemoAdminKey, issueDemoToken, seedDemoIfEmpty } from "./seeds/demo.js";
import { retentionJob } from "./admin/retention.js";
import { visibleCountsJob } from "./scheduler/visible-counts-job.js";
import { createMetrics, metricsOnlyServer } from "./http/metrics.js";
import { removeStaleSpools } from "./http/upload-spool.js";
import { startupNotice } from "./startup-notice.js";

/** A SIGTERM or SIGINT that arrives while the server starts: it stops once the step under way ends. */
let stopRequestedDuringStart: string | undefined;
const earlyStop = { SIGTERM: () => { stopRequestedDuringStart = "SIGTERM"; }, SIGINT: () => { stopRequestedDuringStart = "SIGINT"; } };
process.once("SIGTERM", earlyStop.SIGTERM);
process.once("SIGINT", earlyStop.SIGINT);

async function main(): Promise<void> {
  const config = readConfig();
  const logger = createLogger(config.logLevel);
  if (config.databaseUrl && !config.secretKey) {
    console.error(`hr-scim needs HR_SCIM_SECRET_KEY with DATABASE_URL: every process of a deployment must share it (cursors, stored connector secrets); ${HOW_TO_MAKE_A_KEY}.`);
    process.exit(1);
  }
  const clock = config.fakeNow ? fixedClock(config.fakeNow) : systemClock;
  let database;
  try {
    database = await openDatabase({
      databaseUrl: config.databaseUrl, dataDir: config.dataDir,
      limits: { poolSize: config.dbPoolSize, statementTimeoutMs: config.statementTimeoutMs },
    });
  } catch (e) {
    if (e instanceof DataDirectoryLockedError) { console.error(e.message); process.exit(1); }
    throw e;
  }
  const db = database.knex;
  const stopIfAsked = async () => {
    if (!stopRequestedDuringStart) return;
    logger.info("stopped during start-up", { signal: stopRequestedDuringStart });
    await database!.close();
    process.exit(0);
  };
  // A cluster's workers find the store prepared by the primary (migrated, seeded): they migrate and seed nothing.
  const worker = isClusterWorker();
  if (config.workers > 1 && !config.databaseUrl) {
    logger.warn("HR_SCIM_WORKERS is ignored: the embedded PGlite store is one process's; set DATABASE_URL to run several processes", { workers: config.workers });
  }
  const primary = !worker && cluster.isPrimary && config.workers > 1 && Boolean(config.databaseUrl);
  if (!worker) await migrateToLatest(db);
  await stopIfAsked();
  // The demo tenant is for a first look (README), never seeded into a production store.
  const seeded = config.production || worker ? false : await seedDemoIfEmpty(db, { now: clock() });
  await stopIfAsked();
  // A token only for the first run's demo (README); a restart mints none, never in production.
  const demoToken = seeded && !config.production ? await issueDemoToken(db, { now: clock() }) : undefined;
  // With it, an admin key for the console (README "The admin console and API"), shown once too.
  const demoAdminKey = seeded && !config.production ? await issueDemoAdminKey(db, { now: clock() }) : undefined;
  const printNotice = (hasDemoTenant: boolean) => {
    console.log(startupNotice({
      scimBaseUrl: `${config.baseUrl ?? `http://localhost:${config.port}`}${SCIM_PREFIX}`,
      store: database!.kind === "pglite" ? { kind: "pglite", dataDir: config.dataDir } : { kind: "postgres" },
      demoToken,
      hasDemoTenant,
      cliCommand: config.production ? "node dist/cli/main.js" : "npm run --silent cli --",
      adminConsoleUrl: `${config.baseUrl ?? `http://localhost:${config.port}`}/admin/`,
      demoAdminKey,
    }));
  };
  // HR uploads a crashed process was spooling (http/upload-spool.ts) hold personal data: remove them,
  // once (a cluster's primary does it for its workers; file ages are real time, whatever the business clock).
  if (!worker) {
    removeStaleSpools(new Date()).then(
      (removed) => { if (removed) logger.info("stale upload spools removed", { removed }); },
      (error: Error) => logger.warn("could not remove stale upload spools", { error: error.name }),
    );
  }
  if (primary) {
    const hasDemoTenant = Boolean(await findTenantBySlug(db, "demo"));
    await database.close();
    process.off("SIGTERM", earlyStop.SIGTERM);
    process.off("SIGINT", earlyStop.SIGINT);
    if (stopRequestedDuringStart) process.exit(0);
    runClusterPrimary({
      workers: config.workers, logger, stopTimeoutMs: config.shutdownTimeoutMs + 5_000,
      onAllListening: () => printNotice(hasDemoTenant),
    });
    return;
  }
  // Reads may go to a replica; everything else (tokens, writes, the scheduler) stays on the primary.
  const readDatabase = config.readDatabaseUrl
    ? await openDatabase({ databaseUrl: config.readDatabaseUrl, limits: { poolSize: config.dbPoolSize, statementTimeoutMs: config.statementTimeoutMs } })
    : undefined;
  const integrationLog = new IntegrationLogBuffer(db, logger);
  const secretKey = config.secretKey ?? loadOrCreateDataDirKey(config.dataDir);
  const tenantConcurrency = { ...defaultTenantConcurrency(database.poolSize), ...config.tenantConcurrency };
  // Time-driven work, run once across processes: the lifecycle step at each tenant's local midnight,
  // the Entra pushes (HR changes, midnights, resumed runs), whose state is in the store, so that
  // a restart resumes them, the purge of logs past each tenant's retention, and the compaction of
  // the visible counts after large HR writes.
  const notifier = new Notifier({ db, logger, now: clock, sendEmail: config.smtp ? smtpSender(config.smtp) : undefined, postJson: webhookPoster() });
  const entra = createEntraContext({ db, secretKey, logger, notifier, now: clock });
  const metrics = createMetrics({ db, integrationLog });
  const app = createApp({
    db, readDb: readDatabase?.knex, clock, logger, integrationLog, baseUrl: config.baseUrl, secretKey, tenantConcurrency, entra, metrics, metricsToken: config.metricsToken,
    tokenCacheMs: config.tokenCacheMs,
  });
  const scheduler = new Scheduler({ db, clock, logger })
    .register(lifecycleJob)
    .register(hrRetentionJob)
    .every(entraJob(entra))
    .every(retentionJob(db, logger, clock))
    .every(visibleCountsJob(db, logger));
  // HR_SCIM_SCHEDULER=off: this process serves requests only (runs are claimed, so either way is safe).
  if (config.scheduler) scheduler.start();
  // METRICS_PORT: /metrics alone on its own port (no token), for a scraper on a private network.
  const metricsServer = config.metricsPort === undefined ? undefined : metricsOnlyServer(metrics).listen(config.metricsPort, config.metricsHost);

  if (!config.baseUrl) {
    logger.warn("BASE_URL is not set: meta.location and $ref are built from each request's Host header; set BASE_URL to the public https URL in production");
  }
  const server: Server = createServer(app, config.http).listen(config.port, () => {
    void announce();
  });

  async function announce(): Promise<void> {
    logger.info("listening", { port: config.port, store: database!.kind, seededDemo: seeded, pid: process.pid });
    if (worker) reportListening(); // the primary prints the notice once every worker listens
    else printNotice(Boolean(await findTenantBySlug(db, "demo")));
  }

  // In-flight requests get shutdownTimeoutMs, then are cut; the integration log is flushed and the
  // database closed; should either hang, the process exits anyway 2 s later.
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info("stopping", { signal });
    setTimeout(() => process.exit(1), config.shutdownTimeoutMs + 2_000).unref();
    metricsServer?.close();
    let clean = await closeGracefully(server, config.shutdownTimeoutMs);
    try {
      await scheduler.stop();
      await integrationLog.close(5_000); // stores what it can within the bound
      await database!.close();
      await readDatabase?.close();
    } catch (e) {
      clean = false;
      logger.error("stop failed", { error: (e as Error)?.name, code: (e as { code?: string })?.code });
    }
    logger.info("stopped", { clean });
    process.exit(clean ? 0 : 1);
  };
  process.off("SIGTERM", earlyStop.SIGTERM);
  process.off("SIGINT", earlyStop.SIGINT);
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
  if (stopRequestedDuringStart) void stop(stopRequestedDuringStart);
}

main().catch((e) => {
  console.error("hr-scim failed to start:", e instanceof Error ? e.message : e);
  process.exit(1);
});

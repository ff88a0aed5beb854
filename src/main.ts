// Entry point: config -> database (migrated, demo seeded when empty) -> app -> listen; graceful SIGTERM.
import type { Server } from "node:http";
import { createApp, SCIM_PREFIX } from "./app.js";
import { IntegrationLogBuffer } from "./audit/integration-log.js";
import { fixedClock, systemClock } from "./clock.js";
import { readConfig } from "./config.js";
import { HOW_TO_MAKE_A_KEY, loadOrCreateDataDirKey } from "./crypto/secret-key.js";
import { openDatabase } from "./db/database.js";
import { DataDirectoryLockedError } from "./db/pglite-lock.js";
import { migrateToLatest } from "./db/migrate.js";
import { findTenantBySlug } from "./hr/tenants.js";
import { createServer } from "./http/server.js";
import { createLogger } from "./logger.js";
import { createEntraContext } from "./connectors/entra/context.js";
import { startEntraLoop } from "./connectors/entra/loop.js";
import { smtpSender } from "./notifications/email.js";
import { Notifier } from "./notifications/notifier.js";
import { webhookPoster } from "./notifications/webhook.js";
import { issueDemoToken, seedDemoIfEmpty } from "./seeds/demo.js";

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
    database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  } catch (e) {
    if (e instanceof DataDirectoryLockedError) { console.error(e.message); process.exit(1); }
    throw e;
  }
  const db = database.knex;
  await migrateToLatest(db);
  const seeded = await seedDemoIfEmpty(db, { now: clock() });
  const integrationLog = new IntegrationLogBuffer(db, logger);
  const secretKey = config.secretKey ?? loadOrCreateDataDirKey(config.dataDir);
  const app = createApp({ db, clock, logger, integrationLog, baseUrl: config.baseUrl, secretKey });
  // The Entra pushes (changes, local midnights, provisioning logs) run inside the server; their
  // state is in the store, so a restart resumes them. To move onto the server's one scheduler.
  const notifier = new Notifier({ db, logger, now: clock, sendEmail: config.smtp ? smtpSender(config.smtp) : undefined, postJson: webhookPoster() });
  const entraLoop = startEntraLoop(createEntraContext({ db, secretKey, logger, notifier, now: clock }));

  if (!config.baseUrl) {
    logger.warn("BASE_URL is not set: meta.location and $ref are built from each request's Host header; set BASE_URL to the public https URL in production");
  }
  const server: Server = createServer(app).listen(config.port, () => {
    void announce();
  });

  async function announce(): Promise<void> {
    const base = `${config.baseUrl ?? `http://localhost:${config.port}`}${SCIM_PREFIX}`;
    const store = database!.kind === "pglite" ? `PGlite in ${config.dataDir}` : "PostgreSQL (DATABASE_URL)";
    logger.info("listening", { port: config.port, store: database!.kind, seededDemo: seeded });
    const lines = [``, `hr-scim is listening. SCIM base URL: ${base}`, `Store: ${store}`];
    if (process.env.NODE_ENV !== "production" && (await findTenantBySlug(db, "demo"))) {
      const token = await issueDemoToken(db, { now: clock() });
      lines.push(
        `Demo tenant token (shown once, read-only): ${token}`,
        `Try:`,
        `  curl -s -H "Authorization: Bearer ${token}" "${base}/Users?startIndex=1&count=2"`,
      );
    }
    console.log(lines.join("\n") + "\n");
  }

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info("stopping", { signal });
    server.close(async () => {
      await entraLoop.stop();
      await integrationLog.flush();
      await database!.close();
      process.exit(0);
    });
    server.closeIdleConnections();
    setTimeout(() => process.exit(1), 10_000).unref();
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}

main().catch((e) => {
  console.error("hr-scim failed to start:", e instanceof Error ? e.message : e);
  process.exit(1);
});

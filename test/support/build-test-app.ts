// The app in-process on a real database, with a clock the test moves, and helpers to issue tokens
// and make isolated tenants. Test files use it through useTestApp() (use-test-app.ts); a test that
// needs an app of its own builds one here and closes it. Its log lines go to the test run's files
// (test-run.ts), where a last test looks for secrets and personal data.
import crypto from "node:crypto";
import type { Express } from "express";
import type { Knex } from "knex";
import type { Logger } from "winston";
import supertest from "supertest";
import { createApp, type AppDependencies } from "../../src/app.js";
import { IntegrationLogBuffer } from "../../src/audit/integration-log.js";
import { issueToken } from "../../src/auth/tokens.js";
import { createMetrics } from "../../src/http/metrics.js";
import type { Permission } from "../../src/auth/permissions.js";
import type { Database } from "../../src/db/database.js";
import { createTenant, findTenantBySlug } from "../../src/hr/tenants.js";
import { openTestDatabase } from "./test-database.js";
import { TEST_NOW, TEST_SECRET_KEY } from "./test-clock.js";
import { recordSecret, testRunLogger } from "./test-run.js";

/** The app in-process as tests drive it: requests, its database, its clock, new tokens. */
export interface AppUnderTest {
  app: Express;
  db: Knex;
  database: Database;
  integrationLog: IntegrationLogBuffer;
  request: () => supertest.Agent;
  /** Moves the clock every later request sees. */
  setNow(at: Date | string): void;
  now(): Date;
  /** A new token of the tenant at each call (useTestApp's token() reuses one). */
  tokenFor(tenantSlug: string, permissions?: Permission[], options?: { expiresAt?: Date }): Promise<string>;
}

/** An app built by buildTestApp: whoever built it closes it. */
export interface TestApp extends AppUnderTest {
  close(): Promise<void>;
}

export interface TestAppOptions {
  baseUrl?: string;
  /** Replaces the default, which writes to the test run's log files (a test that reads the log lines passes its own). */
  logger?: Logger;
  /** Replaces the test database (a script outside vitest). */
  database?: Database;
  /** Group member chunk size, for tests that watch the chunks. */
  groupLimits?: AppDependencies["groupLimits"];
  /** Serves /metrics with this bearer token (src/http/metrics.ts). */
  metricsToken?: string;
}

export async function buildTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const database = options.database ?? (await openTestDatabase());
  const db = database.knex;
  let current = new Date(TEST_NOW);
  const clock = () => new Date(current.getTime());
  const logger = options.logger ?? testRunLogger();
  const integrationLog = new IntegrationLogBuffer(db, logger, { flushIntervalMs: 50, maxBatch: 500 });
  const app = createApp({
    db, clock, logger, integrationLog, baseUrl: options.baseUrl ?? "https://scim.test", secretKey: TEST_SECRET_KEY, groupLimits: options.groupLimits,
    ...(options.metricsToken ? { metrics: createMetrics({ db, integrationLog, defaultMetrics: false }), metricsToken: options.metricsToken } : {}),
  });
  return {
    app, db, database, integrationLog,
    request: () => supertest.agent(app),
    setNow(at) { current = new Date(at); },
    now: clock,
    async tokenFor(slug, permissions = [], opts = {}) {
      const tenant = await findTenantBySlug(db, slug);
      if (!tenant) throw new Error(`no tenant ${slug}`);
      const { token } = await issueToken(db, { tenantId: tenant.id, name: `test-${crypto.randomUUID()}`, permissions, createdBy: "test", now: clock(), expiresAt: opts.expiresAt });
      recordSecret(token);
      return token;
    },
    async close() {
      await integrationLog.flush();
      await database.close();
    },
  };
}

/** A tenant of its own for a test that writes or changes settings: unique slug, nothing shared. */
export async function makeTenant(db: Knex, settings: Record<string, unknown> = {}, timeZone = "Europe/Paris") {
  const slug = `t-${crypto.randomUUID().slice(0, 12)}`;
  return createTenant(db, { slug, name: slug, timeZone, settings });
}

/** A token of a tenant given by id, recorded as a secret of the run (test-run.ts); the id is the token's record id. */
export async function issueTestToken(
  db: Knex, input: { tenantId: number; permissions?: Permission[]; now: Date; expiresAt?: Date },
): Promise<{ token: string; id: string }> {
  const { token, record } = await issueToken(db, {
    tenantId: input.tenantId, name: `test-${crypto.randomUUID()}`, permissions: input.permissions ?? [], createdBy: "test", now: input.now, expiresAt: input.expiresAt,
  });
  recordSecret(token);
  return { token, id: record.id };
}

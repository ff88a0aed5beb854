// READ_DATABASE_URL against a real streaming replica (scripts/replica-cluster.sh up; then set
// HR_SCIM_TEST_PRIMARY_URL and HR_SCIM_TEST_REPLICA_URL as it prints). The suite leaves test/replica
// out without them (vitest.config.ts): the shared PostgreSQL server refuses replication. With the replica's replay paused, a token that
// wrote reads its write (from the primary) while a token that did not reads the replica's older
// state; once the replica has replayed, both read it there.
import crypto from "node:crypto";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.js";
import { IntegrationLogBuffer } from "../../src/audit/integration-log.js";
import { systemClock } from "../../src/clock.js";
import { openDatabase, type Database } from "../../src/db/database.js";
import { migrateToLatest } from "../../src/db/migrate.js";
import { createLogger } from "../../src/logger.js";
import { issueTestToken, makeTenant } from "../support/build-test-app.js";

const primaryUrl = process.env.HR_SCIM_TEST_PRIMARY_URL!;
const replicaUrl = process.env.HR_SCIM_TEST_REPLICA_URL!;
const PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

describe("reads routed to a streaming replica", () => {
  let primary: Database;
  let replica: Database;
  let app: ReturnType<typeof createApp>;
  let writer: string;
  let reader: string;
  let userId: string;

  beforeAll(async () => {
    primary = await openDatabase({ databaseUrl: primaryUrl! });
    replica = await openDatabase({ databaseUrl: replicaUrl! });
    await migrateToLatest(primary.knex);
    const tenant = await makeTenant(primary.knex);
    const [employee] = await primary.knex("employees").insert({ tenant_id: tenant.id, login: `ada-${crypto.randomUUID().slice(0, 6)}`, first_name: "Ada", last_name: "Lovelace", job_title: "v0" }).returning("id");
    await primary.knex("contracts").insert({ tenant_id: tenant.id, employee_id: employee.id, start_date: "2020-01-01" });
    userId = String(employee.id);
    const now = new Date();
    writer = (await issueTestToken(primary.knex, { tenantId: tenant.id, permissions: ["users:write"], now })).token;
    reader = (await issueTestToken(primary.knex, { tenantId: tenant.id, now })).token;
    const logger = createLogger("silent");
    app = createApp({ db: primary.knex, readDb: replica.knex, clock: systemClock, logger, integrationLog: new IntegrationLogBuffer(primary.knex, logger) });
    await caughtUp();
  });

  afterAll(async () => {
    await replica?.knex.raw("select pg_wal_replay_resume()").catch(() => {});
    await replica?.close();
    await primary?.close();
  });

  /** Waits until the replica has replayed everything the primary has written so far. */
  async function caughtUp(): Promise<void> {
    const target = (await primary.knex.raw("select pg_current_wal_lsn() as lsn")).rows[0].lsn;
    for (let i = 0; i < 200; i++) {
      const { rows } = await replica.knex.raw("select pg_last_wal_replay_lsn() >= ?::pg_lsn as done", [target]);
      if (rows[0].done) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error("the replica did not catch up within 10 s");
  }

  const title = async (token: string) => {
    const res = await request(app).get(`/scim/v2/Users/${userId}`).set("Authorization", `Bearer ${token}`);
    expect(res.status, res.text).toBe(200);
    return res.body.title as string;
  };

  it("never shows a token less than its own writes, whatever the replica's lag", async () => {
    await replica.knex.raw("select pg_wal_replay_pause()");
    for (let i = 1; i <= 5; i++) {
      const res = await request(app).patch(`/scim/v2/Users/${userId}`).set("Authorization", `Bearer ${writer}`)
        .send({ schemas: [PATCH], Operations: [{ op: "replace", path: "title", value: `v${i}` }] });
      expect(res.status, res.text).toBe(200);
      expect(await title(writer)).toBe(`v${i}`);
      const list = await request(app).get(`/scim/v2/Users?filter=${encodeURIComponent(`id eq "${userId}"`)}`).set("Authorization", `Bearer ${writer}`);
      expect(list.body.Resources[0].title).toBe(`v${i}`);
    }
    // Another token reads the paused replica: the reads were routed there.
    expect(await title(reader)).toBe("v0");
    await replica.knex.raw("select pg_wal_replay_resume()");
    await caughtUp();
    expect(await title(reader)).toBe("v5");
    expect(await title(writer)).toBe("v5");
  });
});

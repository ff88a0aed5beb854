// The Entra push of a generated tenant, measured: one full run to the fake Graph
// (test/support/fake-graph.ts, answering at once, every request checked against the contract), with
// pacing and the daily budget switched off, so that the time measured is hr-scim's own: planning,
// reading the rows, building the payloads, posting them. Graph's quotas (40 calls per 5 s, 6,000 per
// day) bound a real push far above this. Used by `npm run bench` and `npm run bench:entra`.
import crypto from "node:crypto";
import type { Knex } from "knex";
import { saveConnection } from "../src/connectors/entra/connection-store.js";
import { createEntraContext } from "../src/connectors/entra/context.js";
import { syncTenant } from "../src/connectors/entra/runner.js";
import { createLogger } from "../src/logger.js";
import { Notifier } from "../src/notifications/notifier.js";
import { webhookPoster } from "../src/notifications/webhook.js";
import { FakeGraph } from "../test/support/fake-graph.js";

export interface EntraPushResult {
  runMs: number;
  sent: number;
  ok: boolean;
  lines: string[];
}

export async function measureEntraPush(db: Knex, tenantId: number): Promise<EntraPushResult> {
  const fake = await new FakeGraph({
    directoryId: crypto.randomUUID(), clientId: crypto.randomUUID(), clientSecret: "bench-secret", servicePrincipalId: crypto.randomUUID(), jobId: "API2AAD.bench",
  }).start();
  fake.checkRate = false; // pacing is off: the rate is not what is measured
  fake.keepPayloads = false;
  try {
    const secretKey = crypto.randomBytes(32);
    const o = fake.options;
    await saveConnection(db, {
      tenantId, clientSecret: o.clientSecret, secretKey, actor: "bench", now: new Date(),
      settings: {
        directoryId: o.directoryId, clientId: o.clientId, servicePrincipalId: o.servicePrincipalId, jobId: o.jobId,
        graphUrl: fake.baseUrl, loginUrl: fake.baseUrl, ratePerSecond: 8, futureDays: 0, domains: null, leaverDays: null,
        notifyEmails: [], notifyWebhookUrl: null,
      },
    });
    const logger = createLogger(process.env.LOG_LEVEL ?? "error");
    const ctx = createEntraContext({
      db, secretKey, logger, notifier: new Notifier({ db, logger, now: () => new Date(), postJson: webhookPoster() }),
      pacing: false, dailyBudget: Number.MAX_SAFE_INTEGER,
    });
    const rss0 = process.memoryUsage().rss;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const result = await syncTenant(ctx, tenantId, { kind: "full", trigger: "bench" });
    const runMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const run = result.runs[0];
    const sent = fake.sentExternalIds().length;
    const lines = [
      `Entra full run: ${run.status}; ${run.planned} users planned, ${run.sent} sent in ${run.requests} requests (fake Graph received ${sent} operations in ${fake.accepted.length} requests; contract violations: ${fake.violations.length})`,
      `Entra payloads built and sent in ${(runMs / 1000).toFixed(1)} s (${Math.round(run.sent / (runMs / 1000))} users/s, ${(runMs / Math.max(1, run.requests)).toFixed(1)} ms/request); budget 60 s: ${runMs < 60_000 ? "met" : "MISSED"}`,
      `Entra: the same push paced as Graph allows (40 calls per 5 s) takes at least ${(run.requests / 8 / 60).toFixed(1)} min; within 6,000 calls a day: ${run.requests <= 6000 ? "yes" : "no"}`,
      `Entra: CPU of the bench process (connector and fake Graph) during the run: ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s; RSS growth: ${Math.round((process.memoryUsage().rss - rss0) / 1024 / 1024)} MiB`,
    ];
    if (fake.violations.length) lines.push(`Entra: first violation: ${fake.violations[0]}`);
    return { runMs, sent: run.sent, ok: run.status === "succeeded" && fake.violations.length === 0, lines };
  } finally {
    await fake.stop();
  }
}

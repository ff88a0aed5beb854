// The Entra push when Graph or the process misbehaves: 429 and 5xx retried with backoff honouring
// Retry-After, slow answers timed out and retried, 401 answered with one fresh token, 401 twice,
// 403, a wrong job and a refused secret ending the run with an error that says what to change (and
// a notification, once per problem); a crash mid-run resumed without loss and without resending an
// acknowledged batch; one run per tenant across processes; the daily budget spread over days; and
// no secret in logs or in the store.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tick } from "../../src/connectors/entra/tick.js";
import { ENTRA_JOBS } from "../../src/connectors/entra/jobs.js";
import { syncTenant } from "../../src/connectors/entra/runner.js";
import { smtpSender } from "../../src/notifications/email.js";
import { buildTestApp, type TestApp } from "../support/build-test-app.js";
import type { FakeGraph } from "../support/fake-graph.js";
import { TEST_NOW } from "../support/test-clock.js";
import { CLIENT_SECRET, connect, entraContext, makeEntraTenant, startFakeGraph, startSmtpServer, VirtualClock, type PersonSpec } from "./entra-fixture.js";

let t: TestApp;
const fakes: FakeGraph[] = [];
const logLines: string[] = [];
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;

beforeAll(async () => {
  t = await buildTestApp();
  smtp = await startSmtpServer();
});
afterAll(async () => {
  for (const f of fakes) await f.stop();
  await smtp?.stop();
  await t?.close();
});

const staff = (n: number): PersonSpec[] => Array.from({ length: n }, (_, i) => ({ login: `p${String(i + 1).padStart(3, "0")}.staff`, start: "2024-01-01" }));

async function setup(n: number, options: { fake?: Parameters<typeof startFakeGraph>[1]; connect?: Parameters<typeof connect>[4] } = {}) {
  const clock = new VirtualClock(TEST_NOW.getTime());
  const fake = await startFakeGraph(clock, options.fake);
  fakes.push(fake);
  const { tenant } = await makeEntraTenant(t.db, staff(n));
  await connect(t.db, tenant.id, fake, clock, options.connect);
  return { clock, fake, tenant };
}

function context(clock: VirtualClock, options: Parameters<typeof entraContext>[2] = {}) {
  const { ctx, logLines: lines } = entraContext(t.db, clock, options);
  return { ctx, lines, keep: () => logLines.push(...lines) };
}

describe("retries", () => {
  it("retries 429 after its Retry-After and 5xx with exponential backoff, and sends every user once", async () => {
    const { clock, fake, tenant } = await setup(120);
    fake.failNext({ status: 429, retryAfter: "7" }, { status: 503 }, { status: 500 });
    const { ctx, keep } = context(clock);
    const { runs } = await syncTenant(ctx, tenant.id, { kind: "auto", trigger: "cli" });
    keep();
    expect(runs[0]).toMatchObject({ status: "succeeded", sent: 120, requests: 3 + 3, retried: 3, failed: 0 });
    expect(clock.sleeps).toContain(7000);
    // Backoff with jitter (random 0.5): 75% of 2 s after the second failure, 75% of 4 s after the third.
    expect(clock.sleeps).toContain(1500);
    expect(clock.sleeps).toContain(3000);
    expect(fake.sentExternalIds().sort()).toEqual(staff(120).map((p) => p.login.toUpperCase()).sort());
    expect(fake.violations).toEqual([]);
    const attempts = await t.db("entra_requests").where({ tenant_id: tenant.id }).orderBy("id").select("http_status", "outcome", "retry_after_ms");
    expect(attempts.slice(0, 4).map((a: any) => [a.http_status, a.outcome])).toEqual([[429, "retry"], [503, "retry"], [500, "retry"], [202, "accepted"]]);
    expect(attempts[0].retry_after_ms).toBe(7000);
  });

  it("gives up on an answer slower than the timeout and sends the batch again", async () => {
    const { clock, fake, tenant } = await setup(10);
    fake.failNext({ delayMs: 400, accept: true });
    const { ctx, keep } = context(clock, { requestTimeoutMs: 150 });
    const { runs } = await syncTenant(ctx, tenant.id, { kind: "auto", trigger: "cli" });
    keep();
    expect(runs[0]).toMatchObject({ status: "succeeded", sent: 10, retried: 1 });
    const [first] = await t.db("entra_requests").where({ tenant_id: tenant.id }).orderBy("id");
    expect(first).toMatchObject({ http_status: null, outcome: "retry" });
    expect(first.error).toMatch(/no answer within 150 ms/);
  });

  it("answers a 401 with one fresh token", async () => {
    const { clock, fake, tenant } = await setup(10);
    const { ctx, keep } = context(clock);
    await syncTenant(ctx, tenant.id, { kind: "auto", trigger: "cli" });
    expect(fake.tokenRequests).toHaveLength(1);
    fake.revokeTokens();
    const { runs } = await syncTenant(ctx, tenant.id, { kind: "full", trigger: "cli" });
    keep();
    expect(runs[0]).toMatchObject({ status: "succeeded", sent: 10, requests: 2 });
    expect(fake.tokenRequests).toHaveLength(2);
  });
});

describe("refusals end the run with what to do, notified once per problem", () => {
  it("401 twice: the token is not accepted", async () => {
    const { clock, fake, tenant } = await setup(10);
    fake.rejectTokens = true;
    const { ctx, keep } = context(clock);
    const { runs } = await syncTenant(ctx, tenant.id, { kind: "auto", trigger: "cli" });
    keep();
    expect(runs[0]).toMatchObject({ status: "failed", sent: 0, failed: 10, requests: 2 });
    expect(runs[0].error).toMatch(/refused the access token twice \(401\).*directoryId \(--directory-id\) and clientId \(--client-id\)/);
    expect(fake.tokenRequests).toHaveLength(2);
  });

  it("403: names the missing permission, emails and posts the webhook once, again only after it was fixed", async () => {
    const hooks: unknown[] = [];
    const hookServer = http.createServer((req, res) => { let b = ""; req.on("data", (c) => (b += c)); req.on("end", () => { hooks.push(JSON.parse(b)); res.writeHead(204).end(); }); });
    await new Promise<void>((r) => hookServer.listen(0, "127.0.0.1", r));
    const webhook = `http://127.0.0.1:${(hookServer.address() as AddressInfo).port}/hooks/secret-path`;
    try {
      const { clock, fake, tenant } = await setup(10, { connect: { notifyEmails: ["it@acme.example"], notifyWebhookUrl: webhook } });
      fake.forbidBulk = true;
      const mailsBefore = smtp.messages.length;
      const { ctx, keep } = context(clock, { sendEmail: smtpSender({ host: "127.0.0.1", port: smtp.port, secure: false, from: "hr-scim@acme.example" }) });
      const first = await syncTenant(ctx, tenant.id, { kind: "auto", trigger: "cli" });
      expect(first.runs[0]).toMatchObject({ status: "failed", failed: 10 });
      expect(first.runs[0].error).toMatch(/403 Forbidden.*SynchronizationData-User\.Upload.*Grant admin consent/);
      // The scheduler retries after the failed run's resume time: still 403, no second notification.
      clock.advance(11 * 60 * 1000);
      const retried = await tick(ctx, clock.now(), ENTRA_JOBS.filter((j) => j.name === "entra.changes"), [tenant.id]);
      expect(retried.ran).toEqual([{ tenantId: tenant.id, job: "entra.changes" }]);
      expect(smtp.messages.length - mailsBefore).toBe(1);
      expect(hooks).toHaveLength(1);
      const mail = smtp.messages[smtp.messages.length - 1];
      expect(mail.to).toEqual(["it@acme.example"]);
      expect(mail.text).toMatch(/SynchronizationData-User\.Upload/);
      expect(mail.text).toMatch(/entra test --tenant/);
      expect(hooks[0]).toMatchObject({ type: "hr-scim.problem", tenant: tenant.slug, problem: "entra.run:refused-403" });

      // Fixed: the open run resumes and succeeds, and the problem is closed; a new 403 notifies again.
      fake.forbidBulk = false;
      clock.advance(11 * 60 * 1000);
      await tick(ctx, clock.now(), ENTRA_JOBS.filter((j) => j.name === "entra.changes"), [tenant.id]);
      expect((await t.db("entra_runs").where({ tenant_id: tenant.id }).orderBy("started_at").first()).status).toBe("succeeded");
      fake.forbidBulk = true;
      await syncTenant(ctx, tenant.id, { kind: "full", trigger: "cli" });
      keep();
      expect(smtp.messages.length - mailsBefore).toBe(2);
      expect(hooks).toHaveLength(2);
      const shown = JSON.stringify(await t.db("notifications").where({ tenant_id: tenant.id }));
      expect(shown).not.toContain(CLIENT_SECRET);
    } finally {
      await new Promise<void>((r) => hookServer.close(() => r()));
    }
  });

  it("404: a wrong job id says where to copy the ids from", async () => {
    const { clock, tenant } = await setup(10, { connect: { jobId: "API2AAD.wrong.job" } });
    const { ctx, keep } = context(clock);
    const { runs } = await syncTenant(ctx, tenant.id, { kind: "auto", trigger: "cli" });
    keep();
    expect(runs[0].status).toBe("failed");
    expect(runs[0].error).toMatch(/found no provisioning job API2AAD\.wrong\.job.*Provisioning API Endpoint URL/);
  });

  it("a refused client secret says to create a new one, and shows neither secret", async () => {
    const { clock, tenant } = await setup(10, { fake: { clientSecret: "the-secret-Entra-expects" } });
    const { ctx, keep } = context(clock);
    const { runs } = await syncTenant(ctx, tenant.id, { kind: "auto", trigger: "cli" });
    keep();
    expect(runs[0].status).toBe("failed");
    expect(runs[0].error).toMatch(/AADSTS7000215.*Certificates & secrets/);
    expect(runs[0].error).not.toContain(CLIENT_SECRET);
  });
});

describe("crashes and concurrency", () => {
  it("resumes a run that crashed between two batches: every user once, nothing acknowledged sent again", async () => {
    const { clock, fake, tenant } = await setup(160);
    let sleeps = 0;
    const crashing = { ...clock, now: clock.now, sleep: async (ms: number) => { if (++sleeps === 2) throw new Error("process killed"); await clock.sleep(ms); } };
    const { ctx: dying } = entraContext(t.db, clock, { sleep: crashing.sleep });
    await expect(syncTenant(dying, tenant.id, { kind: "auto", trigger: "cli" })).rejects.toThrow("process killed");
    expect(fake.sentExternalIds()).toHaveLength(100);

    // Another process: the dead one's lease still holds, then expires and the run resumes.
    const { ctx: next, keep } = context(clock);
    expect((await syncTenant(next, tenant.id, { kind: "auto", trigger: "cli" })).busy).toBe(true);
    clock.advance(next.leaseMs + 1000);
    const { runs } = await syncTenant(next, tenant.id, { kind: "auto", trigger: "cli" });
    keep();
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ kind: "full", status: "succeeded", sent: 160, planned: 160 });
    const sent = fake.sentExternalIds();
    expect(sent).toHaveLength(160);
    expect(new Set(sent).size).toBe(160);
    expect(await t.db("entra_runs").where({ tenant_id: tenant.id })).toHaveLength(1);
  });

  it("sends again only the batch Graph accepted as the process died, before its answer was stored", async () => {
    const { clock, fake, tenant } = await setup(160);
    let calls = 0;
    const dyingFetch = async (url: string, init: RequestInit) => {
      const res = await fetch(url, init);
      if (url.endsWith("/bulkUpload") && ++calls === 2) throw new Error("process killed");
      return res;
    };
    const { ctx: dying } = entraContext(t.db, clock, { fetch: dyingFetch });
    await expect(syncTenant(dying, tenant.id, { kind: "auto", trigger: "cli" })).rejects.toThrow("process killed");
    const secondBatch = fake.accepted[1].operations.map((o) => o.data.externalId);
    clock.advance(dying.leaseMs + 1000);
    const { ctx: next, keep } = context(clock);
    const { runs } = await syncTenant(next, tenant.id, { kind: "auto", trigger: "cli" });
    keep();
    expect(runs[0]).toMatchObject({ status: "succeeded", sent: 160 });
    const counts = new Map<string, number>();
    for (const id of fake.sentExternalIds()) counts.set(id, (counts.get(id) ?? 0) + 1);
    expect(counts.size).toBe(160);
    expect([...counts].filter(([, n]) => n > 1).map(([id]) => id).sort()).toEqual([...secondBatch].sort());
  });

  it("never runs one tenant in two processes at once", async () => {
    const { clock, fake, tenant } = await setup(200);
    const a = context(clock);
    const b = context(clock);
    const results = await Promise.all([syncTenant(a.ctx, tenant.id, { kind: "auto", trigger: "cli" }), syncTenant(b.ctx, tenant.id, { kind: "auto", trigger: "cli" })]);
    a.keep();
    b.keep();
    expect(results.map((r) => r.busy).sort()).toEqual([false, true]);
    expect(fake.maxInFlight).toBe(1);
    expect(fake.sentExternalIds()).toHaveLength(200);
  });
});

describe("the daily budget", () => {
  it("says when a full run spreads over more than a day, waits for the budget, and resumes", async () => {
    const { clock, fake, tenant } = await setup(160);
    const { ctx, keep } = context(clock, { dailyBudget: 2 });
    const { runs } = await syncTenant(ctx, tenant.id, { kind: "auto", trigger: "cli" });
    expect(runs[0]).toMatchObject({ status: "waiting", sent: 100, requests: 2 });
    expect(runs[0].notes.join("\n")).toMatch(/160 users in 4 bulkUpload calls.*allows 2 calls per 24 hours.*spreads over about 2 days/);
    expect(runs[0].resumeAfter!.getTime()).toBe(TEST_NOW.getTime() + 24 * 3600 * 1000);

    clock.advance(60 * 60 * 1000);
    await tick(ctx, clock.now(), ENTRA_JOBS.filter((j) => j.name === "entra.changes"), [tenant.id]);
    expect(fake.sentExternalIds()).toHaveLength(100);
    clock.set(runs[0].resumeAfter!);
    clock.advance(1000);
    await tick(ctx, clock.now(), ENTRA_JOBS.filter((j) => j.name === "entra.changes"), [tenant.id]);
    keep();
    expect(new Set(fake.sentExternalIds()).size).toBe(160);
    expect(fake.sentExternalIds()).toHaveLength(160);
    expect((await t.db("entra_runs").where({ tenant_id: tenant.id }).first()).status).toBe("succeeded");
  });
});

describe("secrets", () => {
  it("never puts the client secret or an access token in logs or in the store", async () => {
    expect(logLines.length).toBeGreaterThan(10);
    const tokens = fakes.flatMap((f) => f.issuedTokens);
    expect(tokens.length).toBeGreaterThan(5);
    const stored = JSON.stringify(await Promise.all(["entra_connections", "entra_runs", "entra_requests", "entra_run_items", "entra_employee_state", "notifications"].map((table) => t.db(table))));
    const logs = logLines.join("\n");
    for (const haystack of [logs, stored]) {
      expect(haystack).not.toContain(CLIENT_SECRET);
      for (const token of tokens) expect(haystack).not.toContain(token.split(".")[1]);
    }
    const sealed = await t.db("entra_connections").pluck("client_secret_sealed");
    expect(sealed.every((s: string) => s.startsWith("s1."))).toBe(true);
  });
});

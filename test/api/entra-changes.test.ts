// What the Entra push sends after the first run: an HR change once it has been quiet for the
// debounce (and within a minute however busy HR is), and nobody else; who is in scope (email
// domains, future employees from N days before their start, leavers for N days, unique employee
// numbers); and what Entra did, read back from its provisioning logs, with a failed disable of a
// leaver notified once.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ENTRA_JOBS, MAX_DELAY_MS, QUIET_MS } from "../../src/connectors/entra/jobs.js";
import { tick } from "../../src/connectors/entra/tick.js";
import { readOutcomes } from "../../src/connectors/entra/outcomes.js";
import { syncTenant } from "../../src/connectors/entra/runner.js";
import { smtpSender } from "../../src/notifications/email.js";
import { buildTestApp, type TestApp } from "../support/build-test-app.js";
import type { FakeGraph } from "../support/fake-graph.js";
import { TEST_NOW } from "../support/test-clock.js";
import { connect, entraContext, hrWriteAt, makeEntraTenant, startFakeGraph, startSmtpServer, VirtualClock } from "./entra-fixture.js";

let t: TestApp;
const fakes: FakeGraph[] = [];
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

const changes = ENTRA_JOBS.filter((j) => j.name === "entra.changes");

async function connected(people: Parameters<typeof makeEntraTenant>[1], settings: Parameters<typeof connect>[4] = {}) {
  const clock = new VirtualClock(TEST_NOW.getTime());
  const fake = await startFakeGraph(clock);
  fakes.push(fake);
  const { tenant, idOf } = await makeEntraTenant(t.db, people);
  await connect(t.db, tenant.id, fake, clock, settings);
  const { ctx } = entraContext(t.db, clock, { sendEmail: smtpSender({ host: "127.0.0.1", port: smtp.port, secure: false, from: "hr-scim@acme.example" }) });
  return { clock, fake, tenant, idOf, ctx };
}

describe("HR changes", () => {
  it("sends a changed employee once HR has been quiet for the debounce, and nobody else", async () => {
    const people = Array.from({ length: 30 }, (_, i) => ({ login: `c${i}.staff`, start: "2024-01-01" }));
    const { clock, fake, tenant, idOf, ctx } = await connected(people);
    await tick(ctx, clock.now(), changes, [tenant.id]); // the first, full, run
    expect(fake.sentExternalIds()).toHaveLength(30);

    clock.advance(3600_000);
    const changedAt = clock.now();
    await hrWriteAt(t.db, changedAt, (trx) => trx("employees").where({ tenant_id: tenant.id, id: idOf.get("c7.staff") }).update({ job_title: "Principal Engineer", updated_at: changedAt, version: trx.raw("version + 1") }));
    clock.advance(QUIET_MS - 2000);
    expect((await tick(ctx, clock.now(), changes, [tenant.id])).ran).toEqual([]);
    clock.advance(3000);
    expect((await tick(ctx, clock.now(), changes, [tenant.id])).ran).toEqual([{ tenantId: tenant.id, job: "entra.changes" }]);
    const last = fake.accepted[fake.accepted.length - 1];
    expect(fake.accepted).toHaveLength(2);
    expect(last.operations.map((o) => o.data.externalId)).toEqual(["C7.STAFF"]);
    expect(last.operations[0].data.title).toBe("Principal Engineer");
    expect(last.at - changedAt.getTime()).toBeLessThan(60_000);

    // Nothing changed since: later ticks send nothing and log no empty runs.
    clock.advance(60_000);
    await tick(ctx, clock.now(), changes, [tenant.id]);
    expect(fake.accepted).toHaveLength(2);
    expect(await t.db("entra_runs").where({ tenant_id: tenant.id })).toHaveLength(2);
  });

  it("reads a cursor stored before the change feed (an instant) once by lastModified, then follows the feed", async () => {
    const people = Array.from({ length: 5 }, (_, i) => ({ login: `l${i}.staff`, start: "2024-01-01" }));
    const { clock, fake, tenant, idOf, ctx } = await connected(people);
    await tick(ctx, clock.now(), changes, [tenant.id]);
    clock.advance(3600_000);
    await t.db("entra_connections").where({ tenant_id: tenant.id }).update({ change_cursor: clock.now().toISOString() });

    clock.advance(3600_000);
    const changedAt = clock.now();
    await hrWriteAt(t.db, changedAt, (trx) => trx("employees").where({ tenant_id: tenant.id, id: idOf.get("l3.staff") }).update({ job_title: "Legacy", updated_at: changedAt, version: trx.raw("version + 1") }));
    clock.advance(QUIET_MS + 1000);
    expect((await tick(ctx, clock.now(), changes, [tenant.id])).ran).toEqual([{ tenantId: tenant.id, job: "entra.changes" }]);
    expect(fake.accepted[fake.accepted.length - 1].operations.map((o) => o.data.externalId)).toEqual(["L3.STAFF"]);
    expect((await t.db("entra_connections").where({ tenant_id: tenant.id }).first()).change_cursor).toMatch(/^feed:/);
  });

  it("follows the HR change feed: a renamed department sends its employees, a renumbered manager its reports", async () => {
    const people = [
      { login: "boss.one", start: "2024-01-01" },
      { login: "report.one", start: "2024-01-01", manager: "boss.one" },
      { login: "other.one", start: "2024-01-01" },
    ];
    const { clock, fake, tenant, idOf, ctx } = await connected(people);
    const otherDept = await t.db("departments").insert({ tenant_id: tenant.id, name: "Sales" }).returning("id");
    await t.db("employees").where({ tenant_id: tenant.id, id: idOf.get("other.one") }).update({ department_id: otherDept[0].id });
    await tick(ctx, clock.now(), changes, [tenant.id]);
    expect(fake.sentExternalIds()).toHaveLength(3);

    clock.advance(3600_000);
    await hrWriteAt(t.db, clock.now(), (trx) => trx("departments").where({ tenant_id: tenant.id, name: "Engineering" }).update({ name: "Platform" }));
    clock.advance(QUIET_MS + 1000);
    await tick(ctx, clock.now(), changes, [tenant.id]);
    let last = fake.accepted[fake.accepted.length - 1];
    expect(last.operations.map((o) => o.data.externalId).sort()).toEqual(["BOSS.ONE", "REPORT.ONE"]);

    clock.advance(3600_000);
    await hrWriteAt(t.db, clock.now(), (trx) => trx("employees").where({ tenant_id: tenant.id, id: idOf.get("boss.one") }).update({ employee_number: "B-1" }));
    clock.advance(QUIET_MS + 1000);
    await tick(ctx, clock.now(), changes, [tenant.id]);
    last = fake.accepted[fake.accepted.length - 1];
    const sent = new Map(last.operations.map((o) => [o.data.externalId as string, o.data]));
    expect([...sent.keys()].sort()).toEqual(["B-1", "REPORT.ONE"]);
    expect(JSON.stringify(sent.get("REPORT.ONE"))).toContain('"B-1"');
  });

  it("sends within a minute while HR keeps changing, batching the changes together", async () => {
    const people = Array.from({ length: 20 }, (_, i) => ({ login: `b${i}.staff`, start: "2024-01-01" }));
    const { clock, fake, tenant, idOf, ctx } = await connected(people);
    await tick(ctx, clock.now(), changes, [tenant.id]);
    clock.advance(3600_000);
    const first = clock.now().getTime();
    let sentAt: number | null = null;
    for (let i = 0; i < 12 && sentAt === null; i++) {
      await hrWriteAt(t.db, clock.now(), (trx) => trx("employees").where({ tenant_id: tenant.id, id: idOf.get(`b${i}.staff`) }).update({ job_title: `Title ${i}`, updated_at: clock.now() }));
      clock.advance(5000);
      const before = fake.accepted.length;
      await tick(ctx, clock.now(), changes, [tenant.id]);
      if (fake.accepted.length > before) sentAt = clock.now().getTime();
    }
    expect(sentAt).not.toBeNull();
    expect(sentAt! - first).toBeLessThanOrEqual(MAX_DELAY_MS + 5000);
    const batch = fake.accepted[1].operations.map((o) => o.data.externalId);
    expect(batch.length).toBeGreaterThan(5);
  });
});

describe("scope", () => {
  it("sends only employee numbers HR gave and work emails in the domains, future employees from N days before their start, leavers for N days", async () => {
    const people = [
      { login: "in.scope", start: "2024-01-01" },
      { login: "other.domain", start: "2024-01-01", email: "other.domain@elsewhere.example" },
      { login: "no.email", start: "2024-01-01", email: null },
      { login: "no.number", start: "2024-01-01", number: null },
      { login: "starts.soon", start: "2026-06-17" }, // in 2 days
      { login: "starts.later", start: "2026-06-25" }, // in 10 days
      { login: "left.recently", start: "2020-01-01", end: "2026-06-01" },
      { login: "left.long.ago", start: "2020-01-01", end: "2026-04-01" },
    ];
    const { clock, fake, tenant, ctx } = await connected(people, { futureDays: 3, leaverDays: 30 });
    const { runs } = await syncTenant(ctx, tenant.id, { kind: "auto", trigger: "cli" });
    const sent = new Map(fake.accepted.flatMap((r) => r.operations).map((o) => [o.data.externalId as string, o.data]));
    expect([...sent.keys()].sort()).toEqual(["IN.SCOPE", "LEFT.RECENTLY", "STARTS.SOON"]);
    expect(sent.get("STARTS.SOON")!.active).toBe(false);
    expect(sent.get("LEFT.RECENTLY")!.active).toBe(false);
    expect(sent.get("IN.SCOPE")!.active).toBe(true);
    expect(runs[0].notes.join(" ")).toMatch(/1 employee\(s\) without an employee number from HR/);

    // June 22, 00:00 in Paris, the server having been down since the 15th: the midnight run
    // catches up: starts.soon started on the 17th, starts.later (June 25) entered the 3-day window
    // (inactive until its start); left.recently is still within its 30 days and did not change.
    clock.set("2026-06-21T22:00:10Z");
    await tick(ctx, clock.now(), ENTRA_JOBS.filter((j) => j.name === "entra.midnight"), [tenant.id]);
    const latest = fake.accepted[fake.accepted.length - 1].operations.map((o) => [o.data.externalId, o.data.active]);
    expect(latest).toEqual([["STARTS.SOON", true], ["STARTS.LATER", false]]);
  });

  it("sends a future employee inactive even where the tenant shows future employees active", async () => {
    const clock = new VirtualClock(TEST_NOW.getTime());
    const fake = await startFakeGraph(clock);
    fakes.push(fake);
    const { tenant } = await makeEntraTenant(t.db, [
      { login: "works.now", start: "2024-01-01" },
      { login: "starts.soon", start: "2026-06-17" },
    ], { futureEmployeesActive: true });
    await connect(t.db, tenant.id, fake, clock, { futureDays: 3 });
    const { ctx } = entraContext(t.db, clock);
    await syncTenant(ctx, tenant.id, { kind: "auto", trigger: "cli" });
    const sent = new Map(fake.accepted.flatMap((r) => r.operations).map((o) => [o.data.externalId as string, o.data.active]));
    expect(Object.fromEntries(sent)).toEqual({ "WORKS.NOW": true, "STARTS.SOON": false });
  });

  it("lets the connection's domains replace the tenant's", async () => {
    const { fake, tenant, ctx } = await connected([
      { login: "acme.one", start: "2024-01-01" },
      { login: "sub.one", start: "2024-01-01", email: "sub.one@sub.acme.example" },
    ], { domains: ["sub.acme.example"] });
    await syncTenant(ctx, tenant.id, { kind: "auto", trigger: "cli" });
    expect(fake.sentExternalIds()).toEqual(["SUB.ONE"]);
  });
});

describe("outcomes", () => {
  it("records what Entra did with each employee and notifies a leaver left enabled, once", async () => {
    const { clock, fake, tenant, ctx } = await connected([
      { login: "stays.on", start: "2024-01-01" },
      { login: "left.yesterday", start: "2024-01-01", end: "2026-06-14" },
    ], { notifyEmails: ["security@acme.example"] });
    fake.failOutcomes.set("LEFT.YESTERDAY", { errorCode: "AzureActiveDirectoryForbidden", reason: "Insufficient privileges to update accountEnabled of a privileged user." });
    await syncTenant(ctx, tenant.id, { kind: "auto", trigger: "cli" });
    const mails = smtp.messages.length;
    clock.advance(10 * 60 * 1000);
    const read = await readOutcomes(ctx, tenant.id);
    expect(read).toMatchObject({ read: 2, recorded: 2, failures: 1, error: null });
    expect(decodeURIComponent(fake.logQueries[0])).toMatch(/^\?\$filter=jobId eq 'API2AAD\.[^']+' and activityDateTime gt \d{4}-\d\d-\d\dT[\d:.]+Z&\$top=500$/);
    const outcomes = await t.db("entra_outcomes").where({ tenant_id: tenant.id }).orderBy("external_id").select("external_id", "result", "error_code", "error_reason", "run_id");
    expect(outcomes.map((o: any) => [o.external_id, o.result, o.error_code])).toEqual([["LEFT.YESTERDAY", "failed", "AzureActiveDirectoryForbidden"], ["STAYS.ON", "updated", null]]);
    expect(outcomes[0].run_id).toBeTruthy();
    expect(smtp.messages.length - mails).toBe(1);
    const mail = smtp.messages[smtp.messages.length - 1];
    expect(mail.text).toMatch(/could not disable employee LEFT\.YESTERDAY.*security risk/s);
    expect(mail.text).toMatch(/Insufficient privileges to update accountEnabled/);

    // Read again (the logs overlap): nothing recorded twice, nobody notified twice.
    clock.advance(10 * 60 * 1000);
    expect(await readOutcomes(ctx, tenant.id)).toMatchObject({ recorded: 0 });
    expect(smtp.messages.length - mails).toBe(1);
  });

  it("notifies once that the provisioning logs need ProvisioningLog.Read.All", async () => {
    const { clock, fake, tenant, ctx } = await connected([{ login: "solo.one", start: "2024-01-01" }], { notifyEmails: ["it@acme.example"] });
    await syncTenant(ctx, tenant.id, { kind: "auto", trigger: "cli" });
    fake.forbidLogs = true;
    const mails = smtp.messages.length;
    clock.advance(10 * 60 * 1000);
    expect((await readOutcomes(ctx, tenant.id)).error).toMatch(/403/);
    expect((await readOutcomes(ctx, tenant.id)).error).toMatch(/403/);
    expect(smtp.messages.length - mails).toBe(1);
    expect(smtp.messages[smtp.messages.length - 1].text).toMatch(/ProvisioningLog\.Read\.All/);
  });
});

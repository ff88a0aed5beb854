// What the Entra connector's API tests share: a virtual clock (sleeps move it, nothing waits), the
// fake Graph on that clock, a connector context on the test database, tenants with employees, and
// an SMTP server that keeps what it receives.
import crypto from "node:crypto";
import type { Knex } from "knex";
import { SMTPServer } from "smtp-server";
import type { AddressInfo } from "node:net";
import { saveConnection } from "../../src/connectors/entra/connection-store.js";
import { createEntraContext, type EntraContext, type EntraContextInput } from "../../src/connectors/entra/context.js";
import type { EntraSettings } from "../../src/connectors/entra/settings.js";
import { createTenant, findTenantById, type Tenant } from "../../src/hr/tenants.js";
import { createLogger } from "../../src/logger.js";
import { smtpSender } from "../../src/notifications/email.js";
import { Notifier } from "../../src/notifications/notifier.js";
import { webhookPoster } from "../../src/notifications/webhook.js";
import { FakeGraph } from "../support/fake-graph.js";
import { TEST_SECRET_KEY } from "../support/test-clock.js";
import { Writable } from "node:stream";

export const CLIENT_SECRET = "Zq8~fake-client-secret-value-0123456789";

export class VirtualClock {
  readonly sleeps: number[] = [];
  constructor(public t: number) {}
  now = (): Date => new Date(this.t);
  sleep = async (ms: number): Promise<void> => {
    this.sleeps.push(ms);
    this.t += Math.max(0, ms);
  };
  set(at: Date | string): void { this.t = new Date(at).getTime(); }
  advance(ms: number): void { this.t += ms; }
}

export function ids() {
  return {
    directoryId: crypto.randomUUID(),
    clientId: crypto.randomUUID(),
    servicePrincipalId: crypto.randomUUID(),
    jobId: `API2AAD.${crypto.randomBytes(16).toString("hex")}.${crypto.randomUUID()}`,
  };
}

export async function startFakeGraph(clock: VirtualClock, options: Partial<ConstructorParameters<typeof FakeGraph>[0]> = {}): Promise<FakeGraph> {
  return new FakeGraph({ ...ids(), clientSecret: CLIENT_SECRET, now: () => clock.t, ...options }).start();
}

/** Log lines the context wrote, to check that no secret reaches them. */
export function captureLogger(level = "debug") {
  const lines: string[] = [];
  const stream = new Writable({ write(chunk, _e, done) { lines.push(String(chunk)); done(); } });
  return { logger: createLogger(level, { stream }), lines };
}

export interface ContextOptions extends Partial<EntraContextInput> {
  sendEmail?: ReturnType<typeof smtpSender>;
}

export function entraContext(db: Knex, clock: VirtualClock, options: ContextOptions = {}): { ctx: EntraContext; logLines: string[] } {
  const { logger, lines } = captureLogger();
  const notifier = new Notifier({ db, logger, now: clock.now, sendEmail: options.sendEmail, postJson: webhookPoster() });
  const ctx = createEntraContext({
    db, secretKey: TEST_SECRET_KEY, logger, notifier, now: clock.now, sleep: clock.sleep, random: () => 0.5,
    requestTimeoutMs: 2_000, ...options,
  });
  return { ctx, logLines: lines };
}

export async function connect(db: Knex, tenantId: number, fake: FakeGraph, clock: VirtualClock, settings: Partial<EntraSettings> = {}) {
  const o = fake.options;
  return saveConnection(db, {
    tenantId, clientSecret: CLIENT_SECRET, secretKey: TEST_SECRET_KEY, actor: "test", now: clock.now(),
    settings: {
      directoryId: o.directoryId, clientId: o.clientId, servicePrincipalId: o.servicePrincipalId, jobId: o.jobId,
      graphUrl: fake.baseUrl, loginUrl: fake.baseUrl, ratePerSecond: 8, futureDays: 0, domains: null, leaverDays: null,
      notifyEmails: [], notifyWebhookUrl: null, ...settings,
    },
  });
}

export interface PersonSpec {
  login: string;
  number?: string | null;
  start: string;
  end?: string | null;
  email?: string | null;
  manager?: string;
  updatedAt?: string;
}

/** A tenant of its own with an organisation and these people (employee number = login unless given). */
export async function makeEntraTenant(db: Knex, people: PersonSpec[], settings: Record<string, unknown> = {}): Promise<{ tenant: Tenant; idOf: Map<string, number> }> {
  const slug = `entra-${crypto.randomUUID().slice(0, 8)}`;
  const created = await createTenant(db, { slug, name: `Entra ${slug}`, timeZone: "Europe/Paris", settings: { allowedEmailDomains: ["acme.example"], ...settings } });
  const t = created.id;
  const at = "2026-01-01T00:00:00Z";
  const [lu] = await db("legal_units").insert({ tenant_id: t, name: "Acme SA", country_code: "FR", updated_at: at, created_at: at }).returning("id");
  const [est] = await db("establishments").insert({ tenant_id: t, name: "Paris", legal_unit_id: lu.id, city: "Paris", country_code: "FR", updated_at: at, created_at: at }).returning("id");
  const [dept] = await db("departments").insert({ tenant_id: t, name: "Engineering", updated_at: at, created_at: at }).returning("id");
  const idOf = new Map<string, number>();
  for (const p of people) {
    const [e] = await db("employees").insert({
      tenant_id: t, login: p.login, first_name: p.login.split(".")[0] ?? p.login, last_name: p.login.split(".")[1] ?? "X",
      work_email: p.email === undefined ? `${p.login}@acme.example` : p.email, employee_number: p.number === undefined ? p.login.toUpperCase() : p.number,
      department_id: dept.id, establishment_id: est.id, job_title: "Engineer", created_at: at, updated_at: p.updatedAt ?? at,
    }).returning("id");
    idOf.set(p.login, e.id);
    await db("contracts").insert({ tenant_id: t, employee_id: e.id, start_date: p.start, end_date: p.end ?? null });
  }
  for (const p of people) {
    if (p.manager) await db("employees").where({ tenant_id: t, id: idOf.get(p.login) }).update({ manager_id: idOf.get(p.manager), updated_at: p.updatedAt ?? at });
  }
  await db("employees").where({ tenant_id: t }).update({ contracts_changed_at: null });
  return { tenant: (await findTenantById(db, t))!, idOf };
}

export interface ReceivedMail { to: string[]; text: string }

/** The message as text: soft line breaks joined and =XX escapes decoded (UTF-8). */
function decodeQuotedPrintable(raw: string): string {
  const joined = raw.replace(/=\r?\n/g, "");
  return Buffer.from(joined.replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))), "latin1").toString("utf8");
}

/** A local SMTP server (no TLS, no auth) that keeps the messages it receives. */
export async function startSmtpServer(): Promise<{ port: number; messages: ReceivedMail[]; stop(): Promise<void> }> {
  const messages: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        messages.push({ to: session.envelope.rcptTo.map((r) => r.address), text: decodeQuotedPrintable(Buffer.concat(chunks).toString("latin1")) });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const port = (server.server.address() as AddressInfo).port;
  return { port, messages, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/**
 * Direct SQL as an HR writer at `at`: the change feed's triggers record the writer's clock
 * (hr.now), which the connector's debounce reads; without it they would record the real now().
 */
export function hrWriteAt<T>(db: Knex, at: Date, write: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
  return db.transaction(async (trx) => {
    await trx.raw("select set_config('hr.now', ?, true)", [at.toISOString()]);
    return write(trx);
  });
}

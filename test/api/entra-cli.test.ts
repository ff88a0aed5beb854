// The entra CLI words against a real store and the fake Graph (real clock, real network to a local
// port): connect (secret from a file, sealed), show (never the secret), test (what is missing),
// sync --json (exactly runId, sent, requests, failed, retried; a second sync sends nothing), runs,
// outcomes, disconnect; bad values are usage errors. No output ever carries the client secret.
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/run.js";
import { openDatabase, type Database } from "../../src/db/database.js";
import { FakeGraph } from "../support/fake-graph.js";
import { CLIENT_SECRET, ids } from "./entra-fixture.js";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hr-scim-entra-cli-"));
const env: NodeJS.ProcessEnv = process.env.DATABASE_URL
  ? { DATABASE_URL: process.env.DATABASE_URL, HR_SCIM_SECRET_KEY: Buffer.alloc(32, 9).toString("base64") }
  : { HR_SCIM_DATA_DIR: path.join(dir, "store") };
const secretFile = path.join(dir, "client-secret");
const outputs: string[] = [];
let fake: FakeGraph;
const slug = `cli-entra-${crypto.randomUUID().slice(0, 8)}`;

async function cli(argv: string[]) {
  let stdout = "", stderr = "";
  const status = await runCli(argv, { stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; }, env });
  outputs.push(stdout, stderr);
  return { status, stdout, stderr };
}

async function withStore<T>(fn: (db: Database["knex"]) => Promise<T>): Promise<T> {
  const database = await openDatabase(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : { dataDir: env.HR_SCIM_DATA_DIR });
  try { return await fn(database.knex); } finally { await database.close(); }
}

beforeAll(async () => {
  fake = await new FakeGraph({ ...ids(), clientSecret: CLIENT_SECRET }).start();
  fs.writeFileSync(secretFile, `${CLIENT_SECRET}\n`, { mode: 0o600 });
  expect((await cli(["tenant", "create", slug, "--name", "Acme"])).status).toBe(0);
  await withStore(async (db) => {
    const tenant = await db("tenants").where({ slug }).first();
    for (let i = 1; i <= 60; i++) {
      const [e] = await db("employees").insert({ tenant_id: tenant.id, login: `u${i}`, first_name: "U", last_name: `${i}`, work_email: `u${i}@acme.example`, employee_number: `N${i}` }).returning("id");
      await db("contracts").insert({ tenant_id: tenant.id, employee_id: e.id, start_date: "2024-01-01" });
    }
  });
});
afterAll(async () => {
  await fake?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

const connectArgs = () => {
  const o = fake.options;
  return ["entra", "connect", "--tenant", slug, "--directory-id", o.directoryId, "--client-id", o.clientId, "--client-secret-file", secretFile,
    "--service-principal-id", o.servicePrincipalId, "--job-id", o.jobId, "--graph-url", fake.baseUrl, "--login-url", fake.baseUrl,
    "--domain", "acme.example", "--notify-email", "it@acme.example"];
};

describe("entra commands", () => {
  it("refuses bad values before touching the store", async () => {
    const bad = await cli(["entra", "connect", "--tenant", slug, "--directory-id", "nope!", "--client-id", "x", "--client-secret-file", secretFile, "--service-principal-id", "y", "--job-id", "z"]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/--directory-id must be the Directory \(tenant\) ID/);
    const rate = await cli([...connectArgs(), "--rate", "50"]);
    expect(rate.status).toBe(1);
    expect(rate.stderr).toMatch(/--rate must be .* at most 8/);
    expect((await cli(["entra", "sync", "--tenant", slug])).stderr).toMatch(/has no Entra connection/);
  });

  it("connects with the secret from a file, stored sealed, and shows the connection without it", async () => {
    const connected = await cli(connectArgs());
    expect(connected.status, connected.stderr).toBe(0);
    expect(connected.stdout).toMatch(/Connected tenant .* the client secret is stored encrypted/);
    const shown = await cli(["entra", "show", "--tenant", slug, "--json"]);
    const json = JSON.parse(shown.stdout);
    expect(json).toMatchObject({ tenant: slug, jobId: fake.options.jobId, ratePerSecond: 8, futureDays: 0, domains: ["acme.example"], leaverDays: null, notifyEmails: ["it@acme.example"], clientSecret: "stored encrypted (never shown)" });
    const stored = await withStore((db) => db("entra_connections").first());
    expect(JSON.stringify(stored)).not.toContain(CLIENT_SECRET);
  });

  it("tests the connection and says what is missing", async () => {
    const ok = await cli(["entra", "test", "--tenant", slug]);
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/ok +token/);
    expect(ok.stdout).toMatch(/ok +job: job API2AAD.* found, status Active/);
    fake.forbidLogs = true;
    fake.jobReadable = false;
    const missing = await cli(["entra", "test", "--tenant", slug]);
    fake.forbidLogs = false;
    fake.jobReadable = true;
    expect(missing.status).toBe(1);
    expect(missing.stdout).toMatch(/FAIL job: .*Synchronization\.Read\.All/);
    expect(missing.stdout).toMatch(/FAIL logs: .*ProvisioningLog\.Read\.All/);
  });

  it("syncs: the first run sends everyone as one JSON object, the second nothing", async () => {
    const first = await cli(["entra", "sync", "--tenant", slug, "--json"]);
    expect(first.status, first.stderr).toBe(0);
    const summary = JSON.parse(first.stdout);
    expect(Object.keys(summary).sort()).toEqual(["failed", "requests", "retried", "runId", "sent"]);
    expect(summary).toMatchObject({ sent: 60, requests: 2, failed: 0, retried: 0 });
    expect(fake.violations).toEqual([]);
    const second = JSON.parse((await cli(["entra", "sync", "--tenant", slug, "--json"])).stdout);
    expect(second).toMatchObject({ sent: 0, requests: 0, failed: 0 });
    expect(fake.sentExternalIds()).toHaveLength(60);

    const runs = JSON.parse((await cli(["entra", "runs", "--tenant", slug, "--json"])).stdout);
    expect(runs.map((r: any) => r.kind)).toEqual(["changes", "full"]);
    expect(runs[1].requestsLog.map((q: any) => [q.httpStatus, q.outcome, q.users])).toEqual([[202, "accepted", 50], [202, "accepted", 10]]);
    expect(runs[1].requestsLog[0].location).toMatch(/auditLogs\/provisioning/);
    expect((await cli(["entra", "runs", "--tenant", slug])).stdout).toMatch(/RUN +KIND +TRIGGER +STATUS/);
    const outcomes = await cli(["entra", "outcomes", "--tenant", slug, "--json"]);
    expect(JSON.parse(outcomes.stdout)).toMatchObject({ read: 60, recorded: 60, failures: 0 });
  });

  it("fails a sync with the actionable error on stderr", async () => {
    fake.forbidBulk = true;
    const failed = await cli(["entra", "sync", "--tenant", slug, "--full", "--json"]);
    fake.forbidBulk = false;
    expect(failed.status).toBe(1);
    expect(JSON.parse(failed.stdout)).toMatchObject({ sent: 0, failed: 60 });
    expect(failed.stderr).toMatch(/SynchronizationData-User\.Upload/);
  });

  it("disconnects, deleting the secret, and never printed the secret or a token", async () => {
    const out = await cli(["entra", "disconnect", "--tenant", slug]);
    expect(out.stdout).toMatch(/Disconnected/);
    const left = await withStore(async (db) => {
      const tenant = await db("tenants").where({ slug }).first();
      return db("entra_connections").where({ tenant_id: tenant.id }).count({ n: "*" }).first();
    });
    expect(Number(left?.n)).toBe(0);
    const all = outputs.join("\n");
    expect(all).not.toContain(CLIENT_SECRET);
    for (const token of fake.issuedTokens) expect(all).not.toContain(token.split(".")[1]);
    expect(fake.issuedTokens.length).toBeGreaterThan(0);
  });
});

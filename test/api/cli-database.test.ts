// The CLI's words against a real store (issue: "the exact words matter, other tools call them"):
// tenant create/show/set, token issue/list/permission/revoke with --json, seed demo, and the
// refusal while a server holds a PGlite data directory. Against DATABASE_URL when the suite runs
// on PostgreSQL (its own tenant slugs, never the shared demo seed), else a PGlite directory of its own.
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { hashSecret, verifyToken } from "../../src/auth/tokens.js";
import { runCli } from "../../src/cli/run.js";
import { openDatabase, type Database } from "../../src/db/database.js";

const dirs: string[] = [];
const tempDir = () => { const d = fs.mkdtempSync(path.join(os.tmpdir(), "hr-scim-cli-")); dirs.push(d); return d; };
afterAll(() => { for (const d of dirs) fs.rmSync(d, { recursive: true, force: true }); });

const storeDir = tempDir();
const env: NodeJS.ProcessEnv = process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : { HR_SCIM_DATA_DIR: storeDir };

async function cli(argv: string[], runEnv = env) {
  let stdout = "", stderr = "";
  const status = await runCli(argv, { stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; }, env: runEnv });
  return { status, stdout, stderr };
}

async function json(argv: string[]) {
  const r = await cli(argv);
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

/** Opens the store the CLI used, after it closed it (PGlite: one process at a time). */
async function withStore<T>(fn: (db: Database["knex"]) => Promise<T>): Promise<T> {
  const database: Database = await openDatabase(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : { dataDir: storeDir });
  try { return await fn(database.knex); } finally { await database.close(); }
}

describe("tenant and token commands", () => {
  const slug = `cli-${crypto.randomUUID().slice(0, 8)}`;

  it("creates, shows and sets a tenant", async () => {
    const created = await json(["tenant", "create", slug, "--name", "Acme SAS", "--time-zone", "Europe/Berlin", "--json"]);
    expect(created).toMatchObject({ slug, name: "Acme SAS", timeZone: "Europe/Berlin" });
    expect(created.settings.groupTypes).toEqual([]);
    expect((await cli(["tenant", "set", slug, "groupTypes", "LUCCA_DEPT,LUCCA_COUNTRY"])).status).toBe(0);
    expect((await cli(["tenant", "set", slug, "futureEmployeesActive", "true"])).status).toBe(0);
    const shown = await json(["tenant", "show", slug, "--json"]);
    expect(shown.settings).toMatchObject({ groupTypes: ["LUCCA_DEPT", "LUCCA_COUNTRY"], futureEmployeesActive: true });
    const bad = await cli(["tenant", "set", slug, "groupTypes", "LUCCA_NOPE"]);
    expect(bad.status).toBe(1);
    expect(bad.stdout).toBe("");
    expect(bad.stderr).toMatch(/^error: /);
    expect((await cli(["tenant", "create", slug, "--name", "Again"])).status).toBe(1);
  });

  it("issues a token as exactly one JSON object, stored only as a hash, that authenticates", async () => {
    const issued = await json(["token", "issue", "--tenant", slug, "--name", "okta", "--permission", "users:write", "--expires-in-days", "30", "--json"]);
    expect(Object.keys(issued).sort()).toEqual(["expiresAt", "id", "name", "permissions", "tenant", "token"]);
    expect(issued).toMatchObject({ tenant: slug, name: "okta", permissions: ["users:write"] });
    expect(issued.token).toMatch(/^hrscim_\d+_[A-Za-z0-9_-]{43}$/);
    const days = (new Date(issued.expiresAt).getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThan(30.1);
    await withStore(async (db) => {
      const row = await db("api_tokens").where({ id: issued.id }).first();
      expect(row.secret_hash).toBe(hashSecret(issued.token));
      expect(JSON.stringify(row)).not.toContain(issued.token.slice(-43));
      const verified = await verifyToken(db, issued.token, new Date());
      expect(verified).toMatchObject({ id: issued.id, permissions: ["users:write"] });
    });
  });

  it("lists tokens without secrets, records each permission toggle, and revokes", async () => {
    const issued = await json(["token", "issue", "--tenant", slug, "--name", "entra", "--json"]);
    const listed = await json(["token", "list", "--tenant", slug, "--json"]);
    const mine = listed.find((t: any) => t.id === issued.id);
    expect(mine).toMatchObject({ name: "entra", permissions: [], status: "active" });
    expect(JSON.stringify(listed)).not.toContain(issued.token);

    expect((await cli(["token", "permission", issued.id, "future-employees:read", "on"])).status).toBe(0);
    expect((await cli(["token", "permission", issued.id, "users:write", "on"])).status).toBe(0);
    expect((await cli(["token", "permission", issued.id, "users:write", "off"])).status).toBe(0);
    expect((await json(["token", "list", "--tenant", slug, "--json"])).find((t: any) => t.id === issued.id).permissions).toEqual(["future-employees:read"]);
    await withStore(async (db) => {
      const changes = await db("token_permission_changes").where({ token_id: issued.id }).orderBy("id");
      expect(changes.map((c: any) => [c.permission, c.enabled])).toEqual([["future-employees:read", true], ["users:write", true], ["users:write", false]]);
      expect(changes.every((c: any) => /^cli:/.test(c.changed_by))).toBe(true);
    });

    expect((await cli(["token", "revoke", issued.id])).status).toBe(0);
    expect((await json(["token", "list", "--tenant", slug, "--json"])).find((t: any) => t.id === issued.id).status).toBe("revoked");
    await withStore(async (db) => expect(await verifyToken(db, issued.token, new Date())).toBeNull());
    expect((await cli(["token", "revoke", "no-such-token"])).status).toBe(1);
  });
});

describe("a PGlite data directory of its own", () => {
  const dir = tempDir();
  const ownEnv = { HR_SCIM_DATA_DIR: dir };

  it("migrates and seeds the demo tenants, and issues a demo token", async () => {
    expect((await cli(["migrate"], ownEnv)).status).toBe(0);
    const seeded = await cli(["seed", "demo"], ownEnv);
    expect(seeded.status, seeded.stderr).toBe(0);
    for (const slug of ["demo", "other"]) {
      const r = await cli(["tenant", "show", slug, "--json"], ownEnv);
      expect(r.status).toBe(0);
      expect(JSON.parse(r.stdout).slug).toBe(slug);
    }
    const r = await cli(["token", "issue", "--tenant", "demo", "--name", "x", "--json"], ownEnv);
    expect(JSON.parse(r.stdout).tenant).toBe("demo");
  });

  it("refuses clearly while another process (a server) holds the directory", async () => {
    // The lock file names a live process other than this one: this test's parent.
    fs.writeFileSync(path.join(dir, "hr-scim.lock"), String(process.ppid));
    try {
      const r = await cli(["token", "list", "--tenant", "demo"], ownEnv);
      expect(r.status).toBe(1);
      expect(r.stdout).toBe("");
      expect(r.stderr).toMatch(/in use by another hr-scim process .*DATABASE_URL/s);
    } finally {
      fs.rmSync(path.join(dir, "hr-scim.lock"), { force: true });
    }
    expect((await cli(["token", "list", "--tenant", "demo"], ownEnv)).status).toBe(0);
  });
});

// The server in its own process, started the two ways the README gives: `npm start` (a checkout)
// and the Dockerfile's CMD with its environment (the image). A first start on an empty store seeds
// the demo tenant and prints a token whose curl works; a later start mints no token and prints the
// exact command that issues one (which works); SIGTERM to the process started (npm, or node as the
// image's PID 1) stops the server within the bound and exits 0. dist/ is built once. Against a
// scratch database beside DATABASE_URL when the suite runs on PostgreSQL (a first run needs an
// empty store), else a PGlite directory of its own.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/database.js";
import { recordProcessOutput, recordSecret } from "../support/test-run.js";

/** The bound of src/main.ts's stop (HR_SCIM_SHUTDOWN_TIMEOUT_MS default 8 s, then 2 s to flush and close). */
const STOP_BOUND_MS = 10_000;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "hr-scim-start-"));
let scratchDatabase: { url: string; name: string } | undefined;
const children: ChildProcess[] = [];

function storeEnv(): Record<string, string> {
  // With DATABASE_URL the server needs the deployment's secret key (every process shares it).
  return scratchDatabase ? { DATABASE_URL: scratchDatabase.url, HR_SCIM_SECRET_KEY: Buffer.alloc(32, 1).toString("base64") } : { HR_SCIM_DATA_DIR: dataDir };
}

beforeAll(async () => {
  const build = spawnSync(process.execPath, ["scripts/build.mjs", "--if-stale"], { encoding: "utf8" });
  expect(build.status, build.stdout + build.stderr).toBe(0);
  if (process.env.DATABASE_URL) {
    const url = new URL(process.env.DATABASE_URL);
    const name = `${url.pathname.slice(1)}_start_${process.pid}`;
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    await admin.query(`drop database if exists "${name}" with (force)`);
    await admin.query(`create database "${name}"`);
    await admin.end();
    url.pathname = `/${name}`;
    scratchDatabase = { url: url.toString(), name };
  }
}, 120_000);

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  fs.rmSync(dataDir, { recursive: true, force: true });
  if (scratchDatabase) {
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    await admin.query(`drop database if exists "${scratchDatabase.name}" with (force)`);
    await admin.end();
  }
});

async function freePort(): Promise<number> {
  const server = net.createServer().listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

interface Started {
  child: ChildProcess;
  port: number;
  /** What it printed for a person, from "hr-scim is listening" to the blank line that ends it. */
  notice: string;
  /** The server's pid, from its "listening" log line (npm start runs it as npm's child). */
  serverPid: number;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

async function start(command: string, args: string[], env: Record<string, string>): Promise<Started> {
  const port = await freePort();
  // Vite puts BASE_URL=/ and NODE_ENV=test in the test process's environment: the server must not inherit them.
  const { BASE_URL: _base, DATABASE_URL: _db, NODE_ENV: _env, ...inherited } = process.env;
  const child = spawn(command, args, { env: { ...inherited, LOG_LEVEL: "info", ...env, PORT: String(port) }, stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  let out = "";
  // What the server printed joins the run's logs, which test/final checks for secrets.
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on("exit", (code, signal) => {
    recordProcessOutput(`start-${port}`, { stdout: out, stderr: "" });
    resolve({ code, signal });
  }));
  child.stderr!.on("data", (chunk) => { out += chunk; });
  const notice = await new Promise<string>((resolve, reject) => {
    child.stdout!.on("data", (chunk) => {
      out += chunk;
      const found = /hr-scim is listening[\s\S]*?\n\n/.exec(out);
      if (found) resolve(found[0]);
    });
    child.on("exit", () => reject(new Error(`exited before it was listening:\n${out}`)));
  });
  const listening = out.split("\n").map((line) => { try { return JSON.parse(line); } catch { return null; } }).find((l) => l?.message === "listening");
  expect(listening?.pid, out).toBeGreaterThan(0);
  return { child, port, notice, serverPid: listening.pid, exited };
}

/** Sends SIGTERM to `pid` and resolves with how the started process ended and how long it took. */
async function stop(run: Started, pid: number) {
  const sent = Date.now();
  process.kill(pid, "SIGTERM");
  const end = await Promise.race([run.exited, new Promise<null>((resolve) => setTimeout(() => resolve(null), STOP_BOUND_MS + 2_000))]);
  return { end, afterMs: Date.now() - sent };
}

function isAlive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch { return false; }
}

/** The final stage of the Dockerfile: its CMD (exec form), USER, ENV and RUN/COPY lines. */
function runtimeStage() {
  const text = fs.readFileSync("Dockerfile", "utf8").replace(/\\\n/g, " ");
  const stages = text.split(/^FROM /m);
  const lines = stages[stages.length - 1].split("\n").map((l) => l.trim()).filter((l) => l && !l.startsWith("#"));
  const value = (instruction: string) => lines.filter((l) => l.startsWith(`${instruction} `)).map((l) => l.slice(instruction.length + 1).trim());
  const env: Record<string, string> = {};
  for (const assignment of value("ENV")) {
    const [name, ...rest] = assignment.split("=");
    env[name] = rest.join("=");
  }
  return { cmd: JSON.parse(value("CMD").at(-1)!) as string[], user: value("USER").at(-1), env, run: value("RUN"), copy: value("COPY"), healthcheck: value("HEALTHCHECK") };
}

let issuedByHowTo = "";

describe("starting the server", () => {
  it("npm start on an empty store seeds the demo tenant, prints a token whose curl works, and stops on SIGTERM to npm", async () => {
    const run = await start("npm", ["start"], { ...storeEnv(), NODE_ENV: "development" });
    expect(run.notice).toContain(`SCIM base URL: http://localhost:${run.port}/scim/v2`);
    const [, token, url] = /curl -s -H "Authorization: Bearer ([^"]+)" "([^"]+)"/.exec(run.notice) ?? [];
    const res = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as any).Resources.map((u: any) => u.userName)).toContain("ada.lovelace");

    expect(run.child.pid).not.toBe(run.serverPid); // npm, with the server as its child
    const { end, afterMs } = await stop(run, run.child.pid!);
    expect(end).toEqual({ code: 0, signal: null });
    expect(afterMs).toBeLessThan(STOP_BOUND_MS);
    expect(isAlive(run.serverPid)).toBe(false);
  }, 90_000);

  it("the image's command, on the same store, prints no token but the command that issues one, and stops on SIGTERM as PID 1 would", async () => {
    const image = runtimeStage();
    expect(image.cmd).toEqual(["node", "dist/main.js"]);
    expect(image.user).toBeDefined();
    expect(["root", "0"]).not.toContain(image.user);
    expect(image.env.NODE_ENV).toBe("production");
    expect(image.run.some((r) => /npm ci\b.*--omit=dev/.test(r))).toBe(true);
    expect(image.copy).toContain("--from=build /app/dist ./dist");
    expect(image.healthcheck.join(" ")).toMatch(/\/healthz/);

    const run = await start(process.execPath, image.cmd.slice(1), { ...image.env, ...storeEnv() });
    expect(run.child.pid).toBe(run.serverPid);
    expect(run.notice).not.toMatch(/hrscim_|Bearer/);
    const howTo = /^ {2}(node dist\/cli\/main\.js token issue .*)$/m.exec(run.notice)?.[1];
    expect(howTo).toBe("node dist/cli/main.js token issue --tenant demo --name demo --expires-in-days 30");
    const health = await fetch(`http://127.0.0.1:${run.port}/healthz`);
    expect(health.status).toBe(200);
    expect(health.headers.get("x-content-type-options")).toBe("nosniff");

    const { end, afterMs } = await stop(run, run.child.pid!);
    expect(end).toEqual({ code: 0, signal: null });
    expect(afterMs).toBeLessThan(STOP_BOUND_MS);

    // The printed command, run as printed (the server is stopped: PGlite admits one process).
    const [, ...args] = howTo!.split(" ");
    const { DATABASE_URL: _db, ...inherited } = process.env;
    const issued = spawnSync(process.execPath, args, { env: { ...inherited, ...image.env, ...storeEnv() }, encoding: "utf8" });
    expect(issued.status, issued.stderr).toBe(0);
    issuedByHowTo = /hrscim_\d+_[A-Za-z0-9_-]+/.exec(issued.stdout)?.[0] ?? "";
    expect(issuedByHowTo).not.toBe("");
  }, 90_000);

  it("npm start again prints no token and the CLI command, mints none, and stops on SIGTERM to the server's own pid", async () => {
    const run = await start("npm", ["start"], { ...storeEnv(), NODE_ENV: "development" });
    expect(run.notice).not.toMatch(/hrscim_|Bearer/);
    expect(run.notice).toContain("\n  npm run --silent cli -- token issue --tenant demo --name demo --expires-in-days 30\n");
    if (!scratchDatabase) expect(run.notice).toMatch(/stop\s+the server first/);
    const res = await fetch(`http://127.0.0.1:${run.port}/scim/v2/Users?count=1`, { headers: { Authorization: `Bearer ${issuedByHowTo}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");

    const { end, afterMs } = await stop(run, run.serverPid);
    expect(end).toEqual({ code: 0, signal: null });
    expect(afterMs).toBeLessThan(STOP_BOUND_MS);

    const database = await openDatabase(scratchDatabase ? { databaseUrl: scratchDatabase.url } : { dataDir });
    try {
      const minted = await database.knex("api_tokens").where({ created_by: "seed:demo" }).select("expires_at");
      expect(minted).toHaveLength(1); // the first run's, none at the two restarts
      expect(minted[0].expires_at).not.toBeNull();
    } finally {
      await database.close();
    }
  }, 90_000);

  it("dist/ imports only Node's modules and production dependencies (the image installs no others)", () => {
    const dependencies = Object.keys(JSON.parse(fs.readFileSync("package.json", "utf8")).dependencies);
    const files = (fs.readdirSync("dist", { recursive: true }) as string[]).filter((f) => f.endsWith(".js"));
    expect(files).toContain("main.js");
    expect(files).toContain(path.join("cli", "main.js"));
    expect(files.filter((f) => f.startsWith(path.join("db", "migrations")))).not.toHaveLength(0);
    for (const file of files) {
      const source = fs.readFileSync(path.join("dist", file), "utf8");
      // Static imports and exports (a line of their own in tsc's output) and dynamic import() calls;
      // not SQL text such as "is distinct from 'on'".
      const specifiers = [
        ...[...source.matchAll(/^\s*(?:import|export)\b[^\n]*?\bfrom\s+["']([^"'.][^"']*)["']/gm)].map((m) => m[1]),
        ...[...source.matchAll(/\bimport\s*\(\s*["']([^"'.][^"']*)["']/g)].map((m) => m[1]),
      ];
      for (const specifier of specifiers) {
        if (specifier.startsWith("node:")) continue;
        const name = specifier.startsWith("@") ? specifier.split("/").slice(0, 2).join("/") : specifier.split("/")[0];
        expect(dependencies, `${file} imports ${specifier}`).toContain(name);
      }
    }
  });
});

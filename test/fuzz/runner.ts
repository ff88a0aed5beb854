// Runs fuzz cases one after the other against the app (client.ts) on the run's world and collects
// what the checks (checks.ts) find: per case, the answers, the rows before and after, the error
// lines logged and the built-in prototypes; every 25 cases and after any finding, whether the demo
// tenant still answers; known issues (known-issues.ts) marked.
import type { TestApp } from "../support/build-test-app.js";
import { checkAnswer, checkRows, type FindingKind } from "./checks.js";
import { listen, send, type Outcome } from "./client.js";
import { generateCase, type CursorAlteration, type FuzzCase } from "./generator.js";
import { knownIssueOf } from "./known-issues.js";
import { PrototypeGuard } from "./prototype-guard.js";
import { describeCase, describeOutcome, type Finding } from "./report.js";
import { takeSnapshot, type Snapshot } from "./snapshot.js";
import { secretFor, type FuzzWorld } from "./world.js";

export interface RunStats {
  cases: number;
  byCategory: Record<string, Record<string, number>>;
  /** Milliseconds spent per category (the requests, the checks and the snapshot). */
  msByCategory: Record<string, number>;
  acceptedWrites: number;
  writes: number;
  slowestMs: number;
  slowest?: string;
  /** CPU time of this process during the run (the app, the client and PGlite all run here). */
  cpuMs: number;
}

/** Error-level log lines, taken per case (the app's logger writes them here too). */
export interface ErrorLog {
  take(): string[];
}

export interface FuzzHarness {
  t: TestApp;
  world: FuzzWorld;
  errors: ErrorLog;
  /** Per request; a request still unanswered then is a hang. */
  deadlineMs: number;
}

function resolveHeaders(c: FuzzCase, secret: string | null): [string, string][] {
  const headers: [string, string][] = [];
  if (c.authorization !== null) headers.push(["Authorization", c.authorization.replaceAll("{token}", secret ?? "")]);
  headers.push(...c.headers);
  return headers;
}

/** The If-Match value a case asked for, read from the user as the writer sees it now. */
async function ifMatchValue(h: FuzzHarness, base: string, c: FuzzCase): Promise<string | undefined> {
  if (!c.ifMatch || !c.target || typeof c.target.tenant !== "number") return undefined;
  const writer = h.world.tenants[c.target.tenant].tokens.writer;
  const res = await send(base, "GET", `/scim/v2/Users/${c.target.id}?attributes=id`, [["Authorization", `Bearer ${writer}`]], undefined, h.deadlineMs);
  const etag = res.headers.etag;
  if (!etag) return undefined;
  if (c.ifMatch === "current") return etag;
  return etag.replace(/^W\/"(\d+)-/, (_m, v) => `W/"${Number(v) - 1}-`);
}

/** A cursor this server issued, altered as a client or an attacker might. */
function alterCursor(cursor: string, how: CursorAlteration): string {
  if (how === "none") return cursor;
  if (how === "truncate") return cursor.slice(0, Math.floor(cursor.length / 2));
  let state: Record<string, unknown>;
  try { state = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")); } catch { return cursor; }
  let text: string;
  switch (how) {
    case "otherSort": state.s = "title"; text = JSON.stringify(state); break;
    case "valueType": state.v = typeof state.v === "string" ? { a: 1 } : "x"; text = JSON.stringify(state); break;
    case "huge": state.i = typeof state.i === "number" ? 1e308 : "9".repeat(400); text = JSON.stringify(state); break;
    case "otherResource": state.r = state.r === "User" ? "Group" : "User"; text = JSON.stringify(state); break;
    case "nul": state.v = "a\u0000b"; text = JSON.stringify(state); break;
    case "prototype": {
      const { i, ...rest } = state;
      text = JSON.stringify(rest).replace(/^\{/, `{"__proto__":{"i":${JSON.stringify(i)}},`);
      break;
    }
  }
  return Buffer.from(text).toString("base64url");
}

/** Runs one case; returns its findings (known ones marked) and the statuses it got. */
export async function runCase(h: FuzzHarness, base: string, guard: PrototypeGuard, c: FuzzCase, before: Snapshot): Promise<{ findings: Finding[]; outcome: Outcome; after: Snapshot }> {
  const found: { kind: FindingKind; detail: string }[] = [];
  const add = (kind: FindingKind, detail: string) => found.push({ kind, detail });
  const secret = secretFor(h.world, c.tenant, c.credential);
  const headers = resolveHeaders(c, secret);
  const ifMatch = await ifMatchValue(h, base, c);
  if (ifMatch) headers.push(["If-Match", ifMatch]);
  const url = c.url.replaceAll("{token}", secret ?? "");
  h.errors.take();
  const outcome = await send(base, c.method, url, headers, c.body, h.deadlineMs);
  const statuses = [outcome.status];
  checkAnswer(h.world, c, c.method, outcome, secret, add);
  let last = outcome;
  if (c.followCursor && !outcome.error) {
    let next: string | undefined;
    try { next = JSON.parse(outcome.text).nextCursor; } catch { /* no cursor */ }
    if (typeof next === "string") {
      const followUrl = url.replace(/([?&])cursor=[^&]*/, `$1cursor=${encodeURIComponent(alterCursor(next, c.followCursor))}`);
      last = await send(base, "GET", followUrl, headers, undefined, h.deadlineMs);
      statuses.push(last.status);
      checkAnswer(h.world, c, "GET", last, secret, add);
    }
  }
  const polluted = guard.take();
  if (polluted.length) add("prototype polluted", polluted.join("; "));
  await h.t.integrationLog.flush();
  for (const line of h.errors.take()) add("error logged", line);
  const after = await takeSnapshot(h.t.db, h.world);
  checkRows(h.world, c, statuses, before, after, add);

  const request = describeCase(c);
  const response = describeOutcome(last);
  const known = knownIssueOf(c, found.map((f) => f.kind));
  return { findings: found.map((f) => ({ ...f, seed: c.seed, n: c.n, request, response, known })), outcome: last, after };
}

/** GET /Users?count=1 of the demo tenant: the service still answers another tenant. */
export async function healthCheck(h: FuzzHarness, base: string): Promise<string | null> {
  const o = await send(base, "GET", "/scim/v2/Users?count=1", [["Authorization", `Bearer ${h.world.demo.reader}`]], undefined, h.deadlineMs);
  if (o.error) return o.error;
  if (o.status !== 200) return `status ${o.status}: ${o.text.slice(0, 300)}`;
  try {
    if (JSON.parse(o.text).Resources?.length !== 1) return `not one resource: ${o.text.slice(0, 300)}`;
  } catch {
    return `not JSON: ${o.text.slice(0, 300)}`;
  }
  return null;
}

export interface RunOptions {
  seed: number;
  cases: number;
  /** Only these case numbers (a replay); default all of 0..cases-1. */
  only?: number[];
  onCase?: (c: FuzzCase, outcome: Outcome, findings: Finding[]) => void;
}

/** Runs the cases one after the other on the harness's world; returns every finding and some statistics. */
export async function runFuzz(h: FuzzHarness, options: RunOptions): Promise<{ findings: Finding[]; stats: RunStats }> {
  const guard = new PrototypeGuard();
  const { server, base } = await listen(h.t, guard);
  const findings: Finding[] = [];
  const stats: RunStats = { cases: 0, byCategory: {}, msByCategory: {}, acceptedWrites: 0, writes: 0, slowestMs: 0, cpuMs: 0 };
  const cpu = process.cpuUsage();
  try {
    let before = await takeSnapshot(h.t.db, h.world);
    const numbers = options.only ?? Array.from({ length: options.cases }, (_, i) => i);
    for (const n of numbers) {
      const c = generateCase(options.seed, n, h.world);
      const started = performance.now();
      const { findings: caseFindings, outcome, after } = await runCase(h, base, guard, c, before);
      before = after;
      const unhealthy = caseFindings.length > 0 || n % 25 === 24 ? await healthCheck(h, base) : null;
      if (unhealthy) caseFindings.push({ kind: "service broken", detail: `after this case, the demo tenant's GET /Users?count=1 gave ${unhealthy}`, seed: c.seed, n, request: describeCase(c), response: describeOutcome(outcome), known: caseFindings[0]?.known });
      findings.push(...caseFindings);
      stats.cases++;
      stats.msByCategory[c.category] = (stats.msByCategory[c.category] ?? 0) + performance.now() - started;
      const byStatus = (stats.byCategory[c.category] ??= {});
      const key = outcome.error ? "none" : String(outcome.status);
      byStatus[key] = (byStatus[key] ?? 0) + 1;
      if (c.category === "users.patch" || c.category === "users.put") {
        stats.writes++;
        if (outcome.status === 200 || outcome.status === 204) stats.acceptedWrites++;
      }
      if (outcome.ms > stats.slowestMs) { stats.slowestMs = outcome.ms; stats.slowest = `case ${n} (${c.category})`; }
      options.onCase?.(c, outcome, caseFindings);
    }
    const used = process.cpuUsage(cpu);
    stats.cpuMs = (used.user + used.system) / 1000;
    const finalHealth = await healthCheck(h, base);
    if (finalHealth) findings.push({ kind: "service broken", detail: `after the run, the demo tenant's GET /Users?count=1 gave ${finalHealth}`, seed: options.seed, n: -1, request: "GET /scim/v2/Users?count=1", response: finalHealth });
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
  return { findings, stats };
}

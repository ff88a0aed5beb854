// Runs fuzz cases against the app over a real socket (src/http/server.ts, as in production) and
// checks each one: no 5xx, an answer within the time bound, SCIM error bodies with status as a
// string, no stack trace or SQL in a body, no error logged, Object.prototype untouched; a refused
// request changes no employee or contract row and stores no audit row with a diff, and an accepted
// write changes only its own user and stores exactly one; no body shows another tenant's user or a
// future employee the token may not see. After the run, the demo tenant still answers.
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Express } from "express";
import supertest from "supertest";
import { createServer } from "../../src/http/server.js";
import type { TestApp } from "../support/build-test-app.js";
import { generateCase, type Credential, type CursorAlteration, type FuzzCase } from "./generator.js";
import { knownIssueOf } from "./known-issues.js";
import { PrototypeGuard } from "./prototype-guard.js";
import { secretFor, type FuzzWorld } from "./world.js";

export type FindingKind =
  | "server error" | "no answer" | "not a SCIM error body" | "not SCIM JSON" | "internals in body" | "error logged"
  | "prototype polluted" | "refused request changed data" | "audit row of a refused request" | "write changed another user"
  | "accepted write not audited" | "foreign or hidden user shown" | "unauthenticated request served" | "service broken";

export interface Finding {
  kind: FindingKind;
  detail: string;
  seed: number;
  n: number;
  request: string;
  response: string;
  /** The known issue this finding belongs to (known-issues.ts), if any. */
  known?: string;
}

export interface Outcome {
  status: number;
  headers: Record<string, string>;
  text: string;
  ms: number;
  error?: string;
}

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

const ERROR_URN = "urn:ietf:params:scim:api:messages:2.0:Error";
const SCIM_TYPES = new Set(["invalidFilter", "tooMany", "uniqueness", "mutability", "invalidSyntax", "invalidPath", "noTarget", "invalidValue", "invalidVers", "sensitive", "invalidCursor", "expiredCursor"]);
const INTERNALS = /node_modules|\(\/[^)\s]*:\d+:\d+\)|\bat [\w.<>]+ \(|syntax error at or near|SQLSTATE|invalid input syntax for|violates [\w ]*constraint|relation "[^"]+" does not exist|\bknex\b/i;
const CAN_WRITE = new Set<Credential>(["writer", "writerNoFuture", "otherTenantWriter"]);
const SEES_FUTURE = new Set<Credential>(["writer", "readerFuture", "otherTenantWriter", "demoReader"]);
const UNAUTHENTICATED = new Set<Credential>(["revoked", "expired", "unknown", "none"]);

/** Error-level log lines, taken per case (the app's logger writes them here too). */
export interface ErrorLog {
  take(): string[];
}

interface Snapshot {
  employees: Map<string, string>;
  contracts: string;
  writes: number;
}

export interface FuzzHarness {
  t: TestApp;
  world: FuzzWorld;
  errors: ErrorLog;
  /** Per request; a request still unanswered then is a hang. */
  deadlineMs: number;
}

/**
 * The app behind src/http/server.ts on a local port. Each response, as it ends, puts back what a
 * request changed on the built-in prototypes: the client reading it runs in this process too.
 */
export async function listen(t: TestApp, guard: PrototypeGuard): Promise<{ server: Server; base: string }> {
  const guarded = (req: IncomingMessage, res: ServerResponse) => {
    const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
    res.end = ((...args: unknown[]) => { guard.restore(); return end(...args); }) as typeof res.end;
    res.on("close", () => guard.restore());
    t.app(req, res);
  };
  const server = createServer(guarded as unknown as Express);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** One query: a fingerprint of each employee row (the fuzz tenants', and the demo users cases target), of all contracts, and the count of audit rows with a diff. */
async function snapshot(h: FuzzHarness): Promise<Snapshot> {
  const tenants = h.world.tenants.map((t) => t.id);
  const inTenants = tenants.map(() => "?").join(", ");
  const demoIds = h.world.demoUserIds.map(Number);
  const { rows } = (await h.t.db.raw(
    `select
       (select coalesce(json_agg(json_build_array(e.tenant_id, e.id, md5(e::text)) order by e.tenant_id, e.id), '[]'::json)
          from employees e where e.tenant_id in (${inTenants}) or (e.tenant_id = ? and e.id in (${demoIds.map(() => "?").join(", ")}))) as employees,
       (select md5(coalesce(string_agg(c::text, ',' order by c.tenant_id, c.id), '')) from contracts c where c.tenant_id in (${inTenants})) as contracts,
       (select count(*) from integration_log l where l.tenant_id in (${inTenants}) and l.diff is not null) as writes`,
    [...tenants, h.world.demo.id, ...demoIds, ...tenants, ...tenants],
  )) as { rows: { employees: [number, number, string][] | string; contracts: string; writes: unknown }[] };
  const row = rows[0];
  const employees = typeof row.employees === "string" ? JSON.parse(row.employees) : row.employees;
  return {
    employees: new Map(employees.map(([tenant, id, hash]: [number, number, string]) => [`${tenant}:${id}`, hash])),
    contracts: row.contracts,
    writes: Number(row.writes),
  };
}

/** The text of a case as a person would type it again: the token named, never shown. */
export function describeCase(c: FuzzCase, limit = 3000): string {
  const cut = (s: string) => (s.length > limit ? `${s.slice(0, limit)}... (${s.length} characters)` : s);
  const auth = c.authorization === null ? [] : [`Authorization: ${c.authorization.replaceAll("{token}", `<${c.credential} token of tenant ${c.tenant}>`)}`];
  const lines = [`${c.method} ${cut(c.url)}`, ...auth, ...c.headers.map(([k, v]) => `${k}: ${cut(v)}`)];
  if (c.ifMatch) lines.push(`If-Match: <${c.ifMatch} version of user ${c.target?.id}>`);
  if (c.followCursor) lines.push(`(then GET with its nextCursor, altered: ${c.followCursor})`);
  if (c.body !== undefined) lines.push("", cut(c.body));
  return lines.join("\n");
}

function describeOutcome(o: Outcome, limit = 1500): string {
  if (o.error) return `no response: ${o.error} after ${Math.round(o.ms)} ms`;
  const text = o.text.length > limit ? `${o.text.slice(0, limit)}... (${o.text.length} characters)` : o.text;
  return `${o.status} ${o.headers["content-type"] ?? "(no content type)"} in ${Math.round(o.ms)} ms\n${text}`;
}

async function send(h: FuzzHarness, base: string, method: string, url: string, headers: [string, string][], body: string | undefined): Promise<Outcome> {
  const started = performance.now();
  const agent = supertest(base) as unknown as Record<string, (url: string) => supertest.Test>;
  const make = agent[method.toLowerCase()];
  if (!make) return { status: 0, headers: {}, text: "", ms: 0, error: `method ${method} not supported by the client` };
  let req = make.call(agent, url).timeout({ deadline: h.deadlineMs }).buffer(true)
    .parse((res, done) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => { text += chunk; });
      res.on("end", () => done(null, text));
      res.on("error", (e: Error) => done(e, text));
    });
  for (const [k, v] of headers) req = req.set(k, v);
  if (body !== undefined) req = req.send(body);
  try {
    const res = await req;
    return { status: res.status, headers: res.headers as Record<string, string>, text: typeof res.body === "string" ? res.body : "", ms: performance.now() - started };
  } catch (e) {
    const err = e as { timeout?: number; code?: string; message?: string; response?: { status: number } };
    return { status: 0, headers: {}, text: "", ms: performance.now() - started, error: err.timeout ? `timed out (deadline ${h.deadlineMs} ms)` : `${err.code ?? ""} ${err.message ?? String(e)}` };
  }
}

function resolveHeaders(h: FuzzHarness, c: FuzzCase, secret: string | null): [string, string][] {
  const headers: [string, string][] = [];
  if (c.authorization !== null) headers.push(["Authorization", c.authorization.replaceAll("{token}", secret ?? "")]);
  headers.push(...c.headers);
  return headers;
}

/** The If-Match value a case asked for, read from the user as the writer sees it now. */
async function ifMatchValue(h: FuzzHarness, base: string, c: FuzzCase): Promise<string | undefined> {
  if (!c.ifMatch || !c.target || typeof c.target.tenant !== "number") return undefined;
  const writer = h.world.tenants[c.target.tenant].tokens.writer;
  const res = await send(h, base, "GET", `/scim/v2/Users/${c.target.id}?attributes=id`, [["Authorization", `Bearer ${writer}`]], undefined);
  const etag = res.headers.etag;
  if (!etag) return undefined;
  if (c.ifMatch === "current") return etag;
  return etag.replace(/^W\/"(\d+)-/, (_m, v) => `W/"${Number(v) - 1}-`);
}

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

function tokenTenant(c: FuzzCase): number | "demo" | null {
  if (c.credential === "otherTenantWriter") return 1 - c.tenant;
  if (c.credential === "demoReader") return "demo";
  if (UNAUTHENTICATED.has(c.credential)) return null;
  return c.tenant;
}

/** Checks one answer on its own: status, body shape, internals, secrets, foreign or hidden users. */
function checkOutcome(h: FuzzHarness, c: FuzzCase, method: string, o: Outcome, secret: string | null, add: (kind: FindingKind, detail: string) => void): void {
  if (o.error) { add("no answer", o.error); return; }
  if (o.status >= 500) add("server error", `status ${o.status}`);
  const hasBody = method !== "HEAD" && o.status !== 204 && o.status !== 304;
  const outsideScim = !/^\/scim\/v2(\/|\?|$)/i.test(c.url) || /^\/scim\/v2x/i.test(c.url);
  if (hasBody && o.status >= 400) {
    let body: any;
    try { body = JSON.parse(o.text); } catch { /* reported below */ }
    const problems: string[] = [];
    if (!/^application\/scim\+json/.test(o.headers["content-type"] ?? "")) problems.push(`content type ${o.headers["content-type"]}`);
    if (!body || typeof body !== "object") problems.push("body is not a JSON object");
    else {
      if (!Array.isArray(body.schemas) || !body.schemas.includes(ERROR_URN)) problems.push("schemas lacks the Error URN");
      if (body.status !== String(o.status)) problems.push(`status ${JSON.stringify(body.status)} is not the string "${o.status}"`);
      if (typeof body.detail !== "string" || body.detail === "") problems.push("no detail");
      if (body.scimType !== undefined && !SCIM_TYPES.has(body.scimType)) problems.push(`scimType ${JSON.stringify(body.scimType)}`);
    }
    if (problems.length) add("not a SCIM error body", problems.join("; "));
  } else if (hasBody && o.status < 300 && !outsideScim) {
    let ok = /^application\/scim\+json/.test(o.headers["content-type"] ?? "");
    try { JSON.parse(o.text); } catch { ok = false; }
    if (!ok) add("not SCIM JSON", `content type ${o.headers["content-type"]}`);
  }
  if (INTERNALS.test(o.text)) add("internals in body", (INTERNALS.exec(o.text) ?? [""])[0]);
  if (secret && o.text.includes(secret)) add("internals in body", "the bearer token is echoed");

  if (o.status >= 200 && o.status < 300 && !outsideScim) {
    const owner = tokenTenant(c);
    if (owner === null && c.authorization === "Bearer {token}" && !/^\/scim\/v2\/?(\?|$)/i.test(c.url)) add("unauthenticated request served", `credential ${c.credential}`);
    const shown = new Set([...o.text.matchAll(/"id":"(\d+)"|\/Users\/(\d+)"/g)].map((m) => m[1] ?? m[2]));
    h.world.tenants.forEach((tenant, i) => {
      for (const u of tenant.users) {
        if (!shown.has(u.id)) continue;
        if (owner !== i) add("foreign or hidden user shown", `user ${u.id} of fuzz tenant ${i} shown to a ${c.credential} token of ${owner}`);
        else if (u.future && !SEES_FUTURE.has(c.credential)) add("foreign or hidden user shown", `future employee ${u.id} shown to a token without future-employees:read`);
      }
    });
  }
}

/** Compares the rows before and after a case: what may change, and the audit rows. */
function checkData(c: FuzzCase, statuses: number[], before: Snapshot, after: Snapshot, world: FuzzWorld, add: (kind: FindingKind, detail: string) => void): void {
  const changed = [...new Set([...before.employees.keys(), ...after.employees.keys()])].filter((k) => before.employees.get(k) !== after.employees.get(k));
  const contractsChanged = before.contracts !== after.contracts;
  const written = after.writes - before.writes;
  const status = statuses[statuses.length - 1];
  const isWrite = (c.method === "PUT" || c.method === "PATCH") && c.target !== undefined && /^\/scim\/v2\/Users\/[^/?]+(\?|$)/.test(c.url);
  const accepted = isWrite && (status === 200 || status === 204);
  if (!accepted) {
    if (changed.length || contractsChanged) add("refused request changed data", `status ${status}; rows changed: ${[...changed, ...(contractsChanged ? ["contracts"] : [])].join(", ")}`);
    if (written !== 0) add("audit row of a refused request", `${written} integration-log rows with a diff were stored`);
    return;
  }
  const targetTenant = c.target!.tenant;
  const owner = tokenTenant(c);
  if (!CAN_WRITE.has(c.credential) || owner !== targetTenant) add("write changed another user", `a ${c.credential} token of ${owner} wrote user ${c.target!.id} of ${targetTenant}`);
  const allowed = typeof targetTenant === "number" ? `${world.tenants[targetTenant].id}:${c.target!.id}` : "";
  const others = changed.filter((k) => k !== allowed);
  if (others.length || contractsChanged) add("write changed another user", `rows changed besides ${allowed}: ${[...others, ...(contractsChanged ? ["contracts"] : [])].join(", ")}`);
  if (written !== 1) add("accepted write not audited", `${written} integration-log rows with a diff for one accepted write`);
}

/** Runs one case; returns its findings (known ones marked) and the statuses it got. */
export async function runCase(h: FuzzHarness, base: string, guard: PrototypeGuard, c: FuzzCase, before: Snapshot): Promise<{ findings: Finding[]; outcome: Outcome; after: Snapshot }> {
  const found: { kind: FindingKind; detail: string }[] = [];
  const add = (kind: FindingKind, detail: string) => found.push({ kind, detail });
  const secret = secretFor(h.world, c.tenant, c.credential);
  const headers = resolveHeaders(h, c, secret);
  const ifMatch = await ifMatchValue(h, base, c);
  if (ifMatch) headers.push(["If-Match", ifMatch]);
  const url = c.url.replaceAll("{token}", secret ?? "");
  h.errors.take();
  const outcome = await send(h, base, c.method, url, headers, c.body);
  const statuses = [outcome.status];
  checkOutcome(h, c, c.method, outcome, secret, add);
  let last = outcome;
  if (c.followCursor && !outcome.error) {
    let next: string | undefined;
    try { next = JSON.parse(outcome.text).nextCursor; } catch { /* no cursor */ }
    if (typeof next === "string") {
      const followUrl = url.replace(/([?&])cursor=[^&]*/, `$1cursor=${encodeURIComponent(alterCursor(next, c.followCursor))}`);
      last = await send(h, base, "GET", followUrl, headers, undefined);
      statuses.push(last.status);
      checkOutcome(h, c, "GET", last, secret, add);
    }
  }
  const polluted = guard.take();
  if (polluted.length) add("prototype polluted", polluted.join("; "));
  await h.t.integrationLog.flush();
  for (const line of h.errors.take()) add("error logged", line);
  const after = await snapshot(h);
  checkData(c, statuses, before, after, h.world, add);

  const request = describeCase(c);
  const response = describeOutcome(last);
  const known = knownIssueOf(c, found.map((f) => f.kind));
  return { findings: found.map((f) => ({ ...f, seed: c.seed, n: c.n, request, response, known })), outcome: last, after };
}

/** GET /Users?count=1 of the demo tenant: the service still answers another tenant. */
export async function healthCheck(h: FuzzHarness, base: string): Promise<string | null> {
  const o = await send(h, base, "GET", "/scim/v2/Users?count=1", [["Authorization", `Bearer ${h.world.demo.reader}`]], undefined);
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
    let before = await snapshot(h);
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

/** A finding as a report: how to replay it, the request and the response. */
export function formatFinding(f: Finding): string {
  const replay = f.n >= 0 ? `npm run fuzz -- --seed ${f.seed} --case ${f.n}` : `npm run fuzz -- --seed ${f.seed}`;
  return [
    `${f.known ? `[known: ${f.known}] ` : ""}${f.kind}: ${f.detail}`,
    `  seed ${f.seed}, case ${f.n} (replay: ${replay})`,
    ...f.request.split("\n").map((l) => `  > ${l}`),
    ...f.response.split("\n").map((l) => `  < ${l}`),
  ].join("\n");
}

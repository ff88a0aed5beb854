// The checks of one fuzz case: of each answer on its own (status, SCIM bodies, internals, foreign
// or hidden users) and of the rows before and after (a refused request changes nothing and stores
// no audit row; an accepted write changes only its user and stores exactly one).
import type { Outcome } from "./client.js";
import { REFUSED_AUTHORIZATIONS, type Credential, type FuzzCase } from "./generator.js";
import type { Snapshot } from "./snapshot.js";
import type { FuzzWorld } from "./world.js";

export type FindingKind =
  | "server error" | "no answer" | "not a SCIM error body" | "not SCIM JSON" | "internals in body" | "error logged"
  | "prototype polluted" | "refused request changed data" | "audit row of a refused request" | "write changed another user"
  | "accepted write not audited" | "foreign or hidden user shown" | "unauthenticated request served" | "service broken";

const ERROR_URN = "urn:ietf:params:scim:api:messages:2.0:Error";
const SCIM_TYPES = new Set(["invalidFilter", "tooMany", "uniqueness", "mutability", "invalidSyntax", "invalidPath", "noTarget", "invalidValue", "invalidVers", "sensitive", "invalidCursor", "expiredCursor"]);
const INTERNALS = /node_modules|\(\/[^)\s]*:\d+:\d+\)|\bat [\w.<>]+ \(|syntax error at or near|SQLSTATE|invalid input syntax for|violates [\w ]*constraint|relation "[^"]+" does not exist|\bknex\b/i;
const CAN_WRITE = new Set<Credential>(["writer", "writerNoFuture", "otherTenantWriter"]);
const SEES_FUTURE = new Set<Credential>(["writer", "readerFuture", "otherTenantWriter", "demoReader"]);
const UNAUTHENTICATED = new Set<Credential>(["revoked", "expired", "unknown", "none"]);

export type AddFinding = (kind: FindingKind, detail: string) => void;

/** The tenant whose valid token the case sends (a fuzz tenant's index, or demo), or null for none. */
function tokenTenant(c: FuzzCase): number | "demo" | null {
  if (c.authorization !== null && REFUSED_AUTHORIZATIONS.includes(c.authorization)) return null;
  if (c.credential === "otherTenantWriter") return 1 - c.tenant;
  if (c.credential === "demoReader") return "demo";
  if (UNAUTHENTICATED.has(c.credential)) return null;
  return c.tenant;
}

/** Checks one answer on its own: status, body shape, internals, secrets, foreign or hidden users. */
export function checkAnswer(world: FuzzWorld, c: FuzzCase, method: string, o: Outcome, secret: string | null, add: AddFinding): void {
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
    // OPTIONS answers the methods of a route (204, no body) to anyone, as the base URL answers its help.
    const open = /^\/scim\/v2\/?(\?|$)/i.test(c.url) || (c.method === "OPTIONS" && o.status === 204 && o.text === "");
    if (owner === null && !open) add("unauthenticated request served", `credential ${c.credential}`);
    const shown = new Set([...o.text.matchAll(/"id":"(\d+)"|\/Users\/(\d+)"/g)].map((m) => m[1] ?? m[2]));
    world.tenants.forEach((tenant, i) => {
      for (const u of tenant.users) {
        if (!shown.has(u.id)) continue;
        if (owner !== i) add("foreign or hidden user shown", `user ${u.id} of fuzz tenant ${i} shown to a ${c.credential} token of ${owner}`);
        else if (u.future && !SEES_FUTURE.has(c.credential)) add("foreign or hidden user shown", `future employee ${u.id} shown to a token without future-employees:read`);
      }
    });
  }
}

/** Compares the rows before and after a case: what may change, and the audit rows. */
export function checkRows(world: FuzzWorld, c: FuzzCase, statuses: number[], before: Snapshot, after: Snapshot, add: AddFinding): void {
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

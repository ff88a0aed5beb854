// One fuzz case from (seed, case number): which route, with which credential, query string,
// headers and body. Categories are weighted so that most cases carry valid attribute names and
// valid JSON and reach the deep paths (filter compilation, the PATCH engine, the write); a share
// breaks the grammar, the encoding or the HTTP framing. Cases are data: printed, they reproduce.
import { caseRng, type Prng } from "./prng.js";
import { bodyText, own, patchBody, putBody, searchBody, type BodyContext } from "./body-generator.js";
import { filterKind, generateAttributeList, generateFilter, generateSortBy, type FilterContext } from "./filter-generator.js";
import { CONTENT_TYPES, ENCODING_ODDITIES, GROUP_ATTRIBUTES, PROTOTYPE_KEYS, encodeComponent, hostileNumber, hostileText, userAttributes, type AttributeName } from "./vocabulary.js";

/** Who calls: tokens of the case's tenant, of the other fuzz tenant, of demo, or none. */
export type Credential =
  | "writer" // users:write and future-employees:read
  | "writerNoFuture" // users:write only
  | "reader" // no permission
  | "readerFuture" // future-employees:read
  | "otherTenantWriter" // the other fuzz tenant's writer
  | "demoReader" // a token of the shared demo tenant (read-only)
  | "revoked" | "expired" | "unknown" | "none";

export interface TenantView {
  /** Users as GET showed them at the start (the future employee too). */
  users: { id: string; future: boolean; resource: Record<string, any> }[];
  groupIds: string[];
  /** User attributes the tenant exposes (filters on them are valid). */
  attributes: AttributeName[];
  namespace: string;
  extendedFields: string[];
  domain: string;
  userNameIsEmail: boolean;
  /** Values of the tenant's data, for filters that match. */
  strings: string[];
}

export interface WorldView {
  tenants: TenantView[];
  /** Ids of the demo tenant's users (foreign to the fuzz tenants). */
  demoUserIds: string[];
}

export interface FuzzCase {
  seed: number;
  n: number;
  category: string;
  /** The fuzz tenant whose credential (of kind `credential`) the case uses. */
  tenant: number;
  credential: Credential;
  /** The Authorization header, "{token}" standing for the credential's secret; null: none sent. */
  authorization: string | null;
  method: string;
  /** Path and query string as they go on the wire (already percent-encoded). */
  url: string;
  headers: [string, string][];
  body?: string;
  /** The user a write (PUT, PATCH, DELETE on /Users/{id}) targets, and whose tenant. */
  target?: { tenant: number | "demo" | "none"; id: string };
  /** If-Match resolved when the case runs: the user's current ETag, or one just made stale. */
  ifMatch?: "current" | "stale";
  /** Follow the nextCursor of the first response, altered this way, in a second request. */
  followCursor?: CursorAlteration;
}

export type CursorAlteration = "none" | "otherSort" | "valueType" | "huge" | "prototype" | "truncate" | "otherResource" | "nul";

const BASE = "/scim/v2";

type Category =
  | "users.list" | "users.search" | "users.get" | "users.patch" | "users.put" | "users.refused"
  | "groups.list" | "groups.search" | "groups.get" | "groups.refused" | "root.search" | "discovery" | "http.edges" | "cursor.walk";

const CATEGORIES: readonly (readonly [Category, number])[] = [
  ["users.list", 18], ["users.search", 7], ["users.get", 9], ["users.patch", 22], ["users.put", 14], ["users.refused", 2],
  ["groups.list", 5], ["groups.search", 2], ["groups.get", 3], ["groups.refused", 1], ["root.search", 3], ["discovery", 3],
  ["http.edges", 8], ["cursor.walk", 3],
];

function credential(rng: Prng, write: boolean): Credential {
  return rng.weighted<Credential>([
    ["writer", write ? 86 : 52], ["writerNoFuture", 3], ["reader", write ? 2 : 18], ["readerFuture", write ? 1 : 12],
    ["otherTenantWriter", 2], ["demoReader", write ? 1 : 3], ["revoked", 1], ["expired", 1], ["unknown", 1], ["none", 1],
  ]);
}

/** Authorization headers that carry no valid bearer token whatever the token: always 401. */
export const REFUSED_AUTHORIZATIONS: readonly string[] = ["Bearer {token}x", "Basic {token}", "{token}", "Bearer", "Bearer ", "Bearer {token},Bearer {token}"];

function authorization(rng: Prng, cred: Credential): string | null {
  if (cred === "none") return null;
  if (rng.chance(0.985)) return "Bearer {token}";
  // The scheme is case-insensitive (RFC 7235); spacing oddities are left to the server to judge.
  return rng.pick(["bearer {token}", "BEARER {token}", "Bearer  {token}", "Bearer {token} ", ...REFUSED_AUTHORIZATIONS]);
}

/** A user id: mostly one of the tenant's visible users, sometimes hidden, foreign or not an id at all. */
function userTarget(rng: Prng, world: WorldView, tenant: number): { tenant: number | "demo" | "none"; id: string } {
  const own = world.tenants[tenant];
  const other = world.tenants[1 - tenant];
  return rng.weighted<() => { tenant: number | "demo" | "none"; id: string }>([
    [() => ({ tenant, id: rng.pick(own.users.filter((u) => !u.future)).id }), 84],
    [() => ({ tenant, id: rng.pick(own.users.filter((u) => u.future)).id }), 5],
    [() => ({ tenant: 1 - tenant, id: rng.pick(other.users).id }), 4],
    [() => ({ tenant: "demo", id: rng.pick(world.demoUserIds) }), 3],
    [() => ({ tenant: "none", id: rng.pick(["2147483000", "0", "-1", "01", "2147483648", "99999999999", "abc", "1.0", " 1", "1e3", "%00", "%2e%2e", "1%2F2", "%E2%80%AE1", "__proto__", "constructor", "9".repeat(300), "%ED%A0%80"]) }), 6],
  ])();
}

/** name=value pairs as they go on the wire: names in any case, values encoded, now and then odd. */
function queryString(rng: Prng, params: [string, string][]): string {
  const parts: string[] = [];
  for (const [name, value] of params) {
    const key = rng.chance(0.12) ? rng.mixCase(name) : name;
    let encoded = encodeComponent(value);
    if (rng.chance(0.04)) {
      const at = rng.int(0, encoded.length);
      encoded = encoded.slice(0, at) + rng.pick(ENCODING_ODDITIES) + encoded.slice(at);
    }
    if (rng.chance(0.03)) encoded = value.replace(/[&#\s]/g, (c) => encodeURIComponent(c)); // mostly unencoded
    parts.push(`${key}=${encoded}`);
  }
  if (rng.chance(0.05)) {
    parts.push(rng.pick([
      "filter[__proto__]=x", "__proto__[polluted]=1", "constructor[prototype][polluted]=1", "attributes[]=userName&attributes[]=title",
      "count=1&count=2", "filter=", "filter", "&&", "startIndex[]=1", "sortBy[a]=b", "excludedAttributes[0]=__proto__", "a=%", "access_token=hrscim_1_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
      `${PROTOTYPE_KEYS[rng.int(0, PROTOTYPE_KEYS.length - 1)]}=1`, "filter=userName%20eq%20%22x%22&filter=title%20pr", "count=1e2", "startIndex=0x10", "aadOptscim062020",
    ]));
  }
  return parts.length ? `?${parts.join("&")}` : "";
}

function filterContext(world: WorldView, tenant: number, groups: boolean): FilterContext {
  const t = world.tenants[tenant];
  return {
    attributes: groups ? GROUP_ATTRIBUTES : t.attributes,
    known: groups ? GROUP_ATTRIBUTES : userAttributes(t.namespace, t.extendedFields),
    strings: t.strings,
    ids: t.users.map((u) => u.id),
    groupIds: t.groupIds,
  };
}

/** Query parameters of a list (filter, sortBy, sortOrder, startIndex, count, cursor, attribute lists). */
function listParams(rng: Prng, ctx: FilterContext): [string, string][] {
  const params: [string, string][] = [];
  if (rng.chance(0.75)) params.push(["filter", generateFilter(rng, ctx, filterKind(rng))]);
  if (rng.chance(0.25)) params.push(["sortBy", generateSortBy(rng, ctx)]);
  if (rng.chance(0.15)) params.push(["sortOrder", rng.chance(0.8) ? rng.pick(["ascending", "descending", "Descending"]) : rng.pick(["desc", "", hostileText(rng)])]);
  if (rng.chance(0.35)) params.push(["startIndex", rng.chance(0.8) ? String(rng.int(-3, 12)) : hostileNumber(rng)]);
  if (rng.chance(0.45)) params.push(["count", rng.chance(0.8) ? String(rng.int(-2, 12)) : hostileNumber(rng)]);
  if (rng.chance(0.08)) params.push(["cursor", rng.pick(["", "", hostileText(rng), "eyJyIjoiVXNlciJ9", "AAAA", "e30", "bnVsbA"])]);
  if (rng.chance(0.3)) params.push([rng.chance(0.5) ? "attributes" : "excludedAttributes", generateAttributeList(rng, ctx)]);
  return params;
}

function selectionParams(rng: Prng, ctx: FilterContext): [string, string][] {
  if (!rng.chance(0.45)) return [];
  const both = rng.chance(0.05);
  const out: [string, string][] = [[rng.chance(0.5) ? "attributes" : "excludedAttributes", generateAttributeList(rng, ctx)]];
  if (both) out.push([out[0][0] === "attributes" ? "excludedAttributes" : "attributes", generateAttributeList(rng, ctx)]);
  return out;
}

function jsonContentType(rng: Prng): string {
  return rng.chance(0.95) ? rng.pick(["application/scim+json", "application/scim+json; charset=utf-8", "application/json"]) : rng.pick(CONTENT_TYPES);
}

/** Extra headers now and then: preconditions, Prefer, Accept, long or odd values. */
function extraHeaders(rng: Prng, kind: "read" | "write" | "other"): [string, string][] {
  const headers: [string, string][] = [];
  if (rng.chance(0.12)) headers.push(["Accept", rng.pick(["application/scim+json", "application/json", "*/*", "application/xml", "text/html", "application/scim+json;q=0", ""])]);
  if (kind === "read" && rng.chance(0.08)) headers.push(["If-None-Match", rng.pick(['W/"1"', "*", '"x"', 'W/"', "W/", "", `W/"${"9".repeat(100)}"`, 'W/"a", W/"b", *'])]);
  if (kind === "write" && rng.chance(0.08)) headers.push(["Prefer", rng.pick(["return=minimal", "return=representation", "RETURN=MINIMAL", "respond-async", "return=minimal, wait=10", ""])]);
  if (kind === "write" && rng.chance(0.05)) headers.push(["If-Match", rng.pick(["*", 'W/"forged"', "", "W/", '"', `W/"${"1".repeat(2000)}"`, 'W/"1", W/"2"'])]);
  if (rng.chance(0.03)) headers.push([rng.pick(["X-Long", "X-Request-Id", "User-Agent", "Cookie", "Forwarded", "X-Forwarded-For", "Host"]), rng.pick(["a".repeat(rng.pick([1000, 20_000, 70_000])), "é\u00ff", "\t", "fuzz..::--", "x".repeat(129), "%00", "127.0.0.1, 10.0.0.1"])]);
  if (rng.chance(0.02)) headers.push(["Content-Encoding", rng.pick(["gzip", "deflate", "br", "identity", "x-unknown"])]);
  return headers;
}

function generateCategory(rng: Prng, world: WorldView, c: FuzzCase, category: Category): void {
  const ctx = filterContext(world, c.tenant, category.startsWith("groups"));
  switch (category) {
    case "users.list":
      c.url = `${BASE}/Users${queryString(rng, listParams(rng, ctx))}`;
      c.headers.push(...extraHeaders(rng, "read"));
      return;
    case "users.search":
    case "groups.search":
    case "root.search": {
      const path = category === "root.search" ? "/.search" : category === "users.search" ? "/Users/.search" : "/Groups/.search";
      c.method = "POST";
      c.url = `${BASE}${path}${rng.chance(0.05) ? queryString(rng, listParams(rng, ctx)) : ""}`;
      c.body = bodyText(searchBody(rng, category === "root.search" ? filterContext(world, c.tenant, rng.chance(0.5)) : ctx));
      c.headers.push(["Content-Type", jsonContentType(rng)], ...extraHeaders(rng, "other"));
      return;
    }
    case "users.get": {
      const target = userTarget(rng, world, c.tenant);
      c.url = `${BASE}/Users/${target.id}${queryString(rng, selectionParams(rng, ctx))}`;
      c.headers.push(...extraHeaders(rng, "read"));
      return;
    }
    case "users.patch":
    case "users.put": {
      const target = userTarget(rng, world, c.tenant);
      const tenant = typeof target.tenant === "number" ? world.tenants[target.tenant] : world.tenants[c.tenant];
      const user = tenant.users.find((u) => u.id === target.id) ?? tenant.users[0];
      const bodyCtx: BodyContext = {
        user: user.resource, domain: tenant.domain, userNameIsEmail: tenant.userNameIsEmail, filter: ctx,
        otherLogins: tenant.users.filter((u) => u.id !== user.id).map((u) => String(u.resource.userName)),
      };
      c.method = category === "users.patch" ? "PATCH" : "PUT";
      c.target = target;
      c.url = `${BASE}/Users/${target.id}${rng.chance(0.12) ? queryString(rng, selectionParams(rng, ctx)) : ""}`;
      c.body = bodyText(category === "users.patch" ? patchBody(rng, bodyCtx) : putBody(rng, bodyCtx));
      c.headers.push(["Content-Type", jsonContentType(rng)], ...extraHeaders(rng, "write"));
      if (rng.chance(0.08)) c.ifMatch = rng.chance(0.5) ? "current" : "stale";
      return;
    }
    case "users.refused": {
      const target = userTarget(rng, world, c.tenant);
      const [method, url] = rng.pick<[string, string]>([
        ["POST", `${BASE}/Users`], ["DELETE", `${BASE}/Users/${target.id}`], ["PUT", `${BASE}/Users`], ["PATCH", `${BASE}/Users`], ["DELETE", `${BASE}/Users`],
      ]);
      c.method = method;
      c.url = url;
      if (method === "DELETE" && url !== `${BASE}/Users`) c.target = target;
      if (method !== "DELETE" || rng.chance(0.3)) {
        c.body = bodyText(rng.chance(0.5) ? putBody(rng, { user: world.tenants[c.tenant].users[0].resource, domain: world.tenants[c.tenant].domain, userNameIsEmail: false, otherLogins: [], filter: ctx }) : patchBody(rng, { user: world.tenants[c.tenant].users[0].resource, domain: world.tenants[c.tenant].domain, userNameIsEmail: false, otherLogins: [], filter: ctx }));
        c.headers.push(["Content-Type", jsonContentType(rng)]);
      }
      return;
    }
    case "groups.list":
      c.url = `${BASE}/Groups${queryString(rng, listParams(rng, ctx))}`;
      c.headers.push(...extraHeaders(rng, "read"));
      return;
    case "groups.get": {
      const ids = world.tenants[c.tenant].groupIds;
      const id = rng.chance(0.8) && ids.length ? rng.pick(ids) : rng.pick(["LUCCA_DEPT-0", "LUCCA_DEPT-", "LUCCA_DEPT-99999999999", "LUCCA_COUNTRY-XX", "LUCCA_COUNTRY-fr", "LUCCA_X-1", "1", "%00", "LUCCA_DEPT-1%00", "__proto__", "LUCCA_DEPT-__proto__", "LUCCA_DEPT--1", "LUCCA_DEPT-1e3", "LUCCA_LU-2147483648"]);
      c.url = `${BASE}/Groups/${id}${queryString(rng, selectionParams(rng, ctx))}`;
      c.headers.push(...extraHeaders(rng, "read"));
      return;
    }
    case "groups.refused": {
      const id = world.tenants[c.tenant].groupIds[0] ?? "LUCCA_DEPT-1";
      const [method, url] = rng.pick<[string, string]>([["POST", `${BASE}/Groups`], ["PUT", `${BASE}/Groups/${id}`], ["PATCH", `${BASE}/Groups/${id}`], ["DELETE", `${BASE}/Groups/${id}`]]);
      c.method = method;
      c.url = url;
      c.body = bodyText(own([["schemas", ["urn:ietf:params:scim:schemas:core:2.0:Group"]], ["displayName", hostileText(rng)], ["members", [{ value: "1" }]]]));
      c.headers.push(["Content-Type", jsonContentType(rng)]);
      return;
    }
    case "discovery": {
      const path = rng.pick([
        "/ServiceProviderConfig", "/ResourceTypes", "/ResourceTypes/User", "/ResourceTypes/Group", "/ResourceTypes/__proto__", "/ResourceTypes/constructor",
        "/Schemas", "/Schemas/urn:ietf:params:scim:schemas:core:2.0:User", "/Schemas/urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
        "/Schemas/__proto__", "/Schemas/toString", "/Schemas/urn:ietf:params:scim:schemas:extension:lucca:2.0:User", "/Schemas/URN:IETF:PARAMS:SCIM:SCHEMAS:CORE:2.0:USER",
        "/ResourceTypes/hasOwnProperty", "/Schemas/%00", "/ServiceProviderConfig/x", "", "/", "?aadOptscim062020", "/?aadOptscim062020",
      ]);
      c.url = `${BASE}${path}${rng.chance(0.2) ? queryString(rng, listParams(rng, ctx)) : ""}`;
      return;
    }
    case "http.edges":
      httpEdge(rng, world, c, ctx);
      return;
    case "cursor.walk": {
      c.url = `${BASE}/${rng.chance(0.75) ? "Users" : "Groups"}${queryString(rng, [
        ["cursor", ""], ["count", String(rng.int(1, 3))],
        ...(rng.chance(0.6) ? [["sortBy", generateSortBy(rng, ctx)] as [string, string]] : []),
        ...(rng.chance(0.3) ? [["sortOrder", "descending"] as [string, string]] : []),
        ...(rng.chance(0.3) ? [["filter", generateFilter(rng, ctx, "valid")] as [string, string]] : []),
      ])}`;
      if (c.url.includes("/Groups")) c.url = c.url.replace(/sortBy=[^&]*/, "sortBy=displayName");
      c.followCursor = rng.pick<CursorAlteration>(["none", "none", "otherSort", "valueType", "huge", "prototype", "truncate", "otherResource", "nul"]);
      return;
    }
  }
}

/** HTTP framing and routing oddities: methods, paths, content types, malformed and large bodies. */
function httpEdge(rng: Prng, world: WorldView, c: FuzzCase, ctx: FilterContext): void {
  const userId = rng.pick(world.tenants[c.tenant].users.filter((u) => !u.future)).id;
  switch (rng.int(0, 7)) {
    case 0:
      c.method = rng.pick(["OPTIONS", "HEAD", "TRACE", "PROPFIND", "PURGE", "SEARCH", "CONNECT", "MERGE"]);
      if (c.method === "CONNECT") c.method = "GET";
      c.url = `${BASE}/Users${rng.chance(0.5) ? `/${userId}` : ""}`;
      return;
    case 1:
      c.url = rng.pick([
        `${BASE}//Users`, `${BASE}/Users/`, `${BASE}/users`, `${BASE}/USERS/${userId}`, `${BASE}/Users/${userId}/`, `${BASE}/Users/${userId}/x`,
        `${BASE}/Users/%2e%2e/Groups`, `${BASE}/Users/..%2fGroups`, `${BASE}/./Users`, `${BASE}/Users;x=1`, `${BASE}/Users%00`, `${BASE}/Users?`,
        `${BASE}/Users#x`, `${BASE}/Users/.search`, `${BASE}/.search`, `${BASE}/Groups/.search`, `${BASE}/Me`, `${BASE}/Bulk`, "/scim/v2x/Users",
        "/scim/V2/Users", "/SCIM/v2/Users", "/", "/healthz", "/readyz", `${BASE}/%`, `${BASE}/Users/%ZZ`, `${BASE}/Users/${"1".repeat(5000)}`,
      ]);
      return;
    case 2: { // malformed or odd JSON to a write
      c.method = rng.pick(["PATCH", "PUT", "POST"]);
      c.url = c.method === "POST" ? `${BASE}/Users/.search` : `${BASE}/Users/${userId}`;
      c.target = c.method === "POST" ? undefined : { tenant: c.tenant, id: userId };
      c.body = rng.pick([
        "{", "}", "[", '{"schemas":', '{"a":1,}', "{'a':1}", "nul", "\u0000", "{\"a\":\"\\ud800\"}", '{"a":"\u0000"}', "1e309", '"x"', "[]", "",
        `{"__proto__":{"polluted":1},"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"add","path":"title","value":"x"}]}`,
        `{"constructor":{"prototype":{"polluted":1}}}`, `${"[".repeat(5000)}${"]".repeat(5000)}`, `{"a":${"{\"a\":".repeat(2000)}1${"}".repeat(2000)}}`,
        `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"title","value":"a"}],"Operations":[{"op":"replace","path":"title","value":"b"}]}`,
        "\ufeff{}", '{"filter":"userName eq \\"x\\""}\n\n{"x":1}',
      ]);
      c.headers.push(["Content-Type", jsonContentType(rng)]);
      return;
    }
    case 3: { // a body just over or under the 1 MB limit
      c.method = "POST";
      c.url = `${BASE}/Users/.search`;
      const size = rng.pick([1_048_000, 1_048_577, 3_000_000]);
      c.body = JSON.stringify({ filter: `userName eq "${"x".repeat(size - 30)}"` });
      c.headers.push(["Content-Type", "application/scim+json"]);
      return;
    }
    case 4: // a body under a content type the server does not read
      c.method = rng.pick(["PATCH", "PUT", "POST"]);
      c.url = c.method === "POST" ? `${BASE}/Users/.search` : `${BASE}/Users/${userId}`;
      c.target = c.method === "POST" ? undefined : { tenant: c.tenant, id: userId };
      c.body = rng.chance(0.5) ? "userName=x&title=y" : JSON.stringify({ schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "replace", path: "title", value: "ct" }] });
      c.headers.push(["Content-Type", rng.pick(CONTENT_TYPES)]);
      return;
    case 5: // a GET with a body
      c.url = `${BASE}/Users${queryString(rng, listParams(rng, ctx))}`;
      c.body = bodyText(searchBody(rng, ctx));
      c.headers.push(["Content-Type", "application/scim+json"]);
      return;
    case 6: // only odd headers
      c.url = rng.chance(0.5) ? `${BASE}/Users?count=1` : `${BASE}/Users/${userId}`;
      c.headers.push(...extraHeaders(rng, "read"), [rng.pick(["X-Long", "Accept", "Accept-Charset", "Accept-Encoding", "If-Modified-Since", "Range"]), rng.pick(["a".repeat(rng.pick([8_000, 30_000])), "bytes=0-1", "gzip;q=0, identity;q=0", "iso-8859-1", "Tue, 01 Jan 1980 00:00:00 GMT", "*/*;q=abc"])]);
      return;
    default: // a query string only of oddities
      c.url = `${BASE}/Users?${rng.pick(ENCODING_ODDITIES)}${rng.chance(0.5) ? `=${rng.pick(ENCODING_ODDITIES)}` : ""}&filter=${rng.pick(ENCODING_ODDITIES)}`;
      return;
  }
}

/** Case `n` of the run with `seed`: the same world view always gives the same case. */
export function generateCase(seed: number, n: number, world: WorldView): FuzzCase {
  const rng = caseRng(seed, n);
  const category = rng.weighted(CATEGORIES);
  const write = category === "users.patch" || category === "users.put";
  const tenant = rng.chance(0.7) ? 0 : 1;
  const cred = credential(rng, write);
  const c: FuzzCase = { seed, n, category, tenant, credential: cred, authorization: authorization(rng, cred), method: "GET", url: "", headers: [] };
  generateCategory(rng, world, c, category);
  if (rng.chance(0.02) && c.authorization) c.url += `${c.url.includes("?") ? "&" : "?"}access_token={token}`;
  return c;
}

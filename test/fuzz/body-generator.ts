// Request bodies: PATCH (RFC 7644 section 3.5.2 and Entra's dialect, docs/CLIENTS.md item 25), PUT
// (Okta's whole object as it read it, read-only attributes included, docs/CLIENTS.md item 24) and
// SearchRequest (section 3.4.3). Mostly well-formed with one change, so that they reach the PATCH
// engine, the value checks and the write; sometimes broken or hostile.
import type { Prng } from "./prng.js";
import { generateAttributeList, generateFilter, filterKind, generateSortBy, type FilterContext } from "./filter-generator.js";
import { ENTERPRISE, LUCCA, CORE_USER, PATCH_OP, SEARCH_REQUEST, hostileKey, hostileNumber, hostilePaths, hostileText, plainText, PROTOTYPE_KEYS } from "./vocabulary.js";

export interface BodyContext {
  /** The target user as GET showed it when the run started. */
  user: Record<string, any>;
  /** An email domain the tenant allows. */
  domain: string;
  /** Whether the tenant's userName is the work email (userNameSource workEmail). */
  userNameIsEmail: boolean;
  /** Logins of other employees of the tenant (uniqueness). */
  otherLogins: readonly string[];
  filter: FilterContext;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** An object with these own keys, "__proto__" included (an object literal would set the prototype instead). */
export function own(entries: [string, unknown][]): Record<string, any> {
  const o: Record<string, any> = {};
  for (const [k, v] of entries) Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  return o;
}

/** A value of a hostile shape: prototype keys as own keys, nested. */
function prototypeObject(rng: Prng): Record<string, any> {
  const key = rng.pick(["__proto__", "constructor", "prototype"]);
  return own([[key, rng.chance(0.5) ? own([["polluted", "yes"], ["hasOwnProperty", "x"], ["prototype", own([["polluted", 1]])]]) : "x"]]);
}

function newLogin(rng: Prng): string {
  return `fz.${rng.pick(["a", "b", "c", "é", "o'k", "x-y"])}${rng.int(0, 9999)}`;
}

/** A new value for a writable path: mostly accepted, sometimes refused by the value checks. */
function writableValue(rng: Prng, ctx: BodyContext, path: string): unknown {
  const lower = path.toLowerCase();
  const hostile = () => rng.weighted<() => unknown>([
    [() => hostileText(rng), 50], [() => null, 12], [() => "", 8], [() => rng.int(-5, 5), 6], [() => [plainText(rng)], 6],
    [() => ({ value: plainText(rng) }), 6], [() => prototypeObject(rng), 6], [() => rng.chance(0.5), 6],
  ])();
  if (rng.chance(0.12)) return hostile();
  if (lower.includes("username")) {
    return rng.weighted<() => unknown>([
      [() => (ctx.userNameIsEmail ? `${newLogin(rng).replace(/[^a-z0-9.]/g, "")}@${ctx.domain}` : newLogin(rng)), 60], [() => rng.pick(ctx.otherLogins.length ? ctx.otherLogins : ["x"]), 15],
      [() => rng.mixCase(String(ctx.user.userName ?? "")), 10], [() => ` ${newLogin(rng)} `, 10], [() => `${newLogin(rng)}@${ctx.domain}`, 5],
    ])();
  }
  if (lower.startsWith("emails")) {
    return rng.weighted<() => unknown>([
      [() => `${newLogin(rng).replace(/[^a-z0-9.]/g, "")}@${ctx.domain}`, 60], [() => `x${rng.int(0, 99)}@elsewhere.example`, 15],
      [() => "not an email", 8], [() => `a@${ctx.domain}, b@${ctx.domain}`, 7], [() => `  ${String(ctx.user.emails?.[0]?.value ?? "")}  `, 10],
    ])();
  }
  if (lower.startsWith("phonenumbers")) return rng.pick(["+33 6 12 34 56 78", "+49 30 1234", "0612345678", "+1 (555) 010-9999", "ext. 12"]);
  if (lower.includes("preferredlanguage")) return rng.pick(["fr-FR", "en", "de_DE", "english", "zh-Hant-TW", "x-klingon", "fr-FR-u-ca-buddhist"]);
  if (lower.includes("active")) return rng.pick(["False", "True", "true", false, true, "FALSE", "no"]);
  return plainText(rng);
}

const WRITABLE_PATHS = [
  "userName", "name.givenName", "name.familyName", "title", "preferredLanguage", "externalId",
  'emails[type eq "work"].value', 'phoneNumbers[type eq "work"].value', 'phoneNumbers[type eq "mobile"].value',
  "displayName", "name.formatted", `${CORE_USER}:userName`, `${CORE_USER}:name.givenName`, "USERNAME", "Name.GivenName",
  'emails[type eq "work"]', 'phoneNumbers[type eq "mobile"]', "emails[primary eq true].value", 'emails[value co "@"].value',
];

const READ_ONLY_PATHS = [
  "active", "id", "meta", "meta.lastModified", "groups", "addresses", "schemas", `${ENTERPRISE}:employeeNumber`, `${ENTERPRISE}:manager`,
  `${ENTERPRISE}:department`, ENTERPRISE, `${LUCCA}:dtContractStart`, "manager", "employeeNumber", "costCenter", `${ENTERPRISE}:manager.value`,
];

const UNKNOWN_PATHS = [
  "nickName", "name.middleName", 'emails[type eq "home"].value', 'phoneNumbers[type eq "fax"].value', "x509Certificates", "userType",
  "urn:example:ext:1.0:User:foo", "roles", "password", "timezone", "locale",
];

const MALFORMED_PATHS = [
  "emails[", 'emails[type eq "work"', "name.", ".name", '[type eq "x"]', "", " ", 'emails[type eq "work"]x', `${CORE_USER}:`, "emails[]",
  'emails[type eq "work"].value.x', "name..givenName", "a b", 'emails[type eq "work"]]', 'emails[type eq work"].value', "urn:ietf:params:scim:schemas:core:2.0:User:name:givenName",
];

function patchPath(rng: Prng): { path: string; kind: "writable" | "other" } {
  return rng.weighted<() => { path: string; kind: "writable" | "other" }>([
    [() => ({ path: rng.chance(0.1) ? rng.mixCase(rng.pick(WRITABLE_PATHS)) : rng.pick(WRITABLE_PATHS), kind: "writable" }), 74],
    [() => ({ path: rng.pick(READ_ONLY_PATHS), kind: "other" }), 8],
    [() => ({ path: rng.pick(UNKNOWN_PATHS), kind: "other" }), 4],
    [() => ({ path: hostilePaths(rng), kind: "other" }), 9],
    [() => ({ path: rng.pick(MALFORMED_PATHS), kind: "other" }), 5],
  ])();
}

/** Entra's path-less add/replace: a value object with simple, dotted or URN-qualified keys. */
function pathlessValue(rng: Prng, ctx: BodyContext): unknown {
  const entries: [string, unknown][] = [];
  const n = rng.int(1, 3);
  for (let i = 0; i < n; i++) {
    const key = rng.weighted<() => string>([
      [() => rng.pick(["name.givenName", "name.familyName", "title", "userName", "preferredLanguage", "externalId", "displayName"]), 64],
      [() => rng.pick(["emails", "phoneNumbers", "name", `${CORE_USER}:title`]), 14],
      [() => rng.pick([`${ENTERPRISE}:employeeNumber`, `${ENTERPRISE}:department`, "active"]), 8],
      [() => hostileKey(rng), 14],
    ])();
    let value: unknown;
    if (key === "name") value = rng.chance(0.7) ? { givenName: plainText(rng), familyName: plainText(rng) } : prototypeObject(rng);
    else if (key === "emails") value = [{ value: writableValue(rng, ctx, "emails"), type: rng.pick(["work", "home", "Work", undefined]), primary: rng.pick([true, "True", undefined]) }];
    else if (key === "phoneNumbers") value = [{ value: writableValue(rng, ctx, "phoneNumbers"), type: rng.pick(["work", "mobile", "fax", undefined]) }];
    else value = writableValue(rng, ctx, key);
    entries.push([key, value]);
  }
  if (rng.chance(0.08)) return rng.pick([null, "x", [], 1, prototypeObject(rng)]);
  return own(entries);
}

function patchOperation(rng: Prng, ctx: BodyContext): unknown {
  const opName = rng.weighted([["replace", 48], ["add", 28], ["remove", 20], ["bad", 4]] as const);
  // Entra capitalises op names ("Replace"); any case is accepted.
  const spelled = () => rng.pick([opName[0].toUpperCase() + opName.slice(1), opName.toUpperCase(), rng.mixCase(opName)]);
  const op = opName === "bad" ? rng.pick(["Merge", "", null, 1, "delete", "replace ", "copy", ["add"]]) : rng.chance(0.4) ? spelled() : opName;
  if (rng.chance(0.15) && opName !== "remove") {
    return own([["op", op], ["value", pathlessValue(rng, ctx)]]);
  }
  const { path } = patchPath(rng);
  let value: unknown;
  const lower = path.toLowerCase();
  // The whole attribute takes a list of elements; a filtered path, one element (or its value).
  const element = (attribute: string, type: string) => ({ value: writableValue(rng, ctx, attribute), type, ...(rng.chance(0.5) ? { primary: rng.pick([true, "True", "False"]) } : {}) });
  if (lower === "emails") value = [element("emails", "work")];
  else if (lower === "phonenumbers") value = [element("phoneNumbers", rng.pick(["work", "mobile"]))];
  else if (lower === 'emails[type eq "work"]') value = rng.chance(0.85) ? element("emails", "work") : [element("emails", "work")];
  else if (lower === 'phonenumbers[type eq "mobile"]') value = rng.chance(0.85) ? element("phoneNumbers", "mobile") : writableValue(rng, ctx, "phoneNumbers");
  else if (lower === "name") value = rng.chance(0.8) ? { givenName: plainText(rng), familyName: plainText(rng) } : prototypeObject(rng);
  else if (lower.endsWith("manager")) value = rng.pick([[{ value: "1", $ref: "https://scim.test/scim/v2/Users/1" }], { value: "1" }, null]);
  else value = writableValue(rng, ctx, path);
  const entries: [string, unknown][] = [[rng.chance(0.95) ? "op" : rng.pick(["Op", "OP", "Op", "operation"]), op]];
  if (!(opName === "remove" && rng.chance(0.05))) entries.push([rng.chance(0.9) ? "path" : rng.pick(["Path", "PATH"]), rng.chance(0.03) ? rng.pick([1, null, ["title"], {}]) : path]);
  if (opName !== "remove" || rng.chance(0.2)) {
    if (!rng.chance(0.04)) entries.push([rng.chance(0.92) ? "value" : rng.pick(["Value", "VALUE"]), value]);
  }
  if (rng.chance(0.05)) entries.push([rng.pick(PROTOTYPE_KEYS), own([["polluted", true]])]);
  return own(entries);
}

/** A PatchOp message: mostly well-formed with 1 to 4 operations. */
export function patchBody(rng: Prng, ctx: BodyContext): unknown {
  if (rng.chance(0.02)) return rng.pick<unknown>([null, [], "replace", 42, {}, { Operations: [] }, prototypeObject(rng)]);
  const n = rng.weighted([[1, 62], [2, 20], [3, 8], [4, 5], [0, 1], [101, 1], [100, 3]] as const);
  const operations = Array.from({ length: n }, () => patchOperation(rng, ctx));
  const schemas = rng.weighted<() => unknown>([
    [() => [PATCH_OP], 94], [() => [PATCH_OP.toUpperCase()], 2], [() => PATCH_OP, 1], [() => [], 1], [() => undefined, 1], [() => [CORE_USER], 1], [() => [1, PATCH_OP], 1],
  ])();
  const entries: [string, unknown][] = [];
  if (schemas !== undefined) entries.push(["schemas", schemas]);
  entries.push([rng.chance(0.9) ? "Operations" : rng.pick(["operations", "OPERATIONS", "operations", "Operation"]), rng.chance(0.015) ? rng.pick([{}, "x", null]) : operations]);
  if (rng.chance(0.05)) entries.push([rng.pick(PROTOTYPE_KEYS), own([["polluted", true]])]);
  return own(entries);
}

/** One change to a whole User object, as a client's attribute mapping might make it. */
function putChange(rng: Prng, ctx: BodyContext, body: Record<string, any>): void {
  const change = rng.weighted([
    ["writable", 40], ["readOnly", 14], ["absent", 10], ["empty", 8], ["hostileKey", 9], ["wrongType", 8], ["hostileValue", 7], ["big", 2], ["schemas", 2],
  ] as const);
  switch (change) {
    case "writable": {
      const target = rng.pick(["title", "givenName", "familyName", "userName", "email", "phone", "preferredLanguage", "externalId", "displayName"]);
      if (target === "givenName" || target === "familyName") body.name = { ...(body.name ?? {}), [target]: writableValue(rng, ctx, `name.${target}`) };
      else if (target === "email") body.emails = [{ value: writableValue(rng, ctx, "emails"), type: rng.pick(["work", "work", undefined, "home"]), primary: true }];
      else if (target === "phone") body.phoneNumbers = [{ value: writableValue(rng, ctx, "phoneNumbers"), type: rng.pick(["work", "mobile", "fax"]) }, ...(rng.chance(0.5) ? [{ value: null, type: "mobile" }] : [])];
      else body[target] = writableValue(rng, ctx, target);
      return;
    }
    case "readOnly": {
      const what = rng.int(0, 7);
      if (what === 0) body.active = rng.pick([false, "False", "true", null, 0]);
      else if (what === 1) body.id = rng.pick(["1", "999999", "", null, "abc"]);
      else if (what === 2) body.meta = { ...(body.meta ?? {}), version: 'W/"forged"', lastModified: "1970-01-01T00:00:00Z" };
      else if (what === 3) body.groups = [{ value: "LUCCA_DEPT-1", display: "x" }];
      else if (what === 4) body[ENTERPRISE] = { ...(body[ENTERPRISE] ?? {}), employeeNumber: plainText(rng), manager: rng.pick([{ value: "1" }, [{ value: "1" }], "x"]) };
      else if (what === 5) body.addresses = [{ formatted: plainText(rng), type: "work" }];
      else if (what === 6) body[LUCCA] = { dtContractStart: "2000-01-01" };
      else body.displayName = plainText(rng);
      return;
    }
    case "absent": {
      const keys = Object.keys(body);
      if (keys.length) delete body[rng.pick(keys)];
      return;
    }
    case "empty": {
      const key = rng.pick(["title", "name", "emails", "phoneNumbers", "userName", "preferredLanguage", "externalId", "name.givenName"]);
      const empty = rng.pick([null, "", []]);
      if (key === "name.givenName") body.name = { ...(body.name ?? {}), givenName: empty };
      else body[key] = empty;
      return;
    }
    case "hostileKey": {
      const key = rng.pick(["__proto__", "constructor", "prototype"]);
      const where = rng.int(0, 3);
      if (where === 0) Object.defineProperty(body, key, { value: prototypeObject(rng), enumerable: true, configurable: true, writable: true });
      else if (where === 1) body.name = own([...Object.entries(body.name ?? {}), [key, prototypeObject(rng)]]);
      else if (where === 2) body.emails = [own([["value", `p@${ctx.domain}`], ["type", "work"], [key, prototypeObject(rng)]])];
      else body[ENTERPRISE] = own([[key, prototypeObject(rng)]]);
      return;
    }
    case "wrongType": {
      const key = rng.pick(["name", "emails", "phoneNumbers", "userName", "title", "schemas"]);
      body[key] = rng.pick<unknown>(["x", 1, true, {}, [[]], [1, 2], { value: "x" }, [null]]);
      return;
    }
    case "hostileValue": {
      const key = rng.pick(["title", "userName", "externalId", "preferredLanguage"]);
      body[key] = hostileText(rng);
      if (rng.chance(0.3)) body.name = { givenName: hostileText(rng), familyName: hostileText(rng) };
      return;
    }
    case "big":
      body.phoneNumbers = Array.from({ length: rng.pick([50, 500]) }, (_, i) => ({ value: `+33 ${i}`, type: rng.pick(["work", "mobile", "fax"]) }));
      return;
    case "schemas":
      body.schemas = rng.pick<unknown>([[PATCH_OP], "x", [], null, [CORE_USER, ENTERPRISE, "urn:x"]]);
      return;
  }
}

/** A whole User object: the user as read, with 0 to 4 changes; sometimes not an object at all. */
export function putBody(rng: Prng, ctx: BodyContext): unknown {
  if (rng.chance(0.02)) return rng.pick<unknown>([null, [], "x", 1, { schemas: [PATCH_OP], Operations: [] }]);
  const body = structuredClone(ctx.user);
  if (rng.chance(0.1)) for (const key of rng.subset(Object.keys(body), 0.5)) delete body[key];
  const n = rng.weighted([[0, 8], [1, 55], [2, 22], [3, 10], [4, 5]] as const);
  for (let i = 0; i < n; i++) putChange(rng, ctx, body);
  return body;
}

/** A SearchRequest: its members of the right types mostly, with now and then a wrong or hostile one. */
export function searchBody(rng: Prng, filter: FilterContext): unknown {
  if (rng.chance(0.04)) return rng.pick<unknown>([null, [], "filter", 3, prototypeObject(rng)]);
  const entries: [string, unknown][] = [];
  if (rng.chance(0.85)) entries.push(["schemas", rng.chance(0.93) ? [SEARCH_REQUEST] : rng.pick<unknown>([[], "x", [PATCH_OP], null])]);
  if (rng.chance(0.7)) entries.push([rng.chance(0.9) ? "filter" : "FILTER", rng.chance(0.95) ? generateFilter(rng, filter, filterKind(rng)) : rng.pick<unknown>([1, [], {}, true])]);
  if (rng.chance(0.3)) entries.push(["startIndex", rng.chance(0.8) ? rng.int(-2, 30) : rng.pick<unknown>([hostileNumber(rng), "1", 1.5, null, []])]);
  if (rng.chance(0.4)) entries.push(["count", rng.chance(0.8) ? rng.int(-1, 20) : rng.pick<unknown>([hostileNumber(rng), "2", 1e9, null, {}])]);
  if (rng.chance(0.25)) entries.push(["sortBy", generateSortBy(rng, filter)]);
  if (rng.chance(0.2)) entries.push(["sortOrder", rng.pick<unknown>(["ascending", "descending", "DESCENDING", "up", 1, null])]);
  if (rng.chance(0.2)) {
    const list = generateAttributeList(rng, filter);
    entries.push([rng.pick(["attributes", "excludedAttributes"]), rng.chance(0.5) ? list.split(",") : list]);
  }
  if (rng.chance(0.1)) entries.push(["cursor", rng.pick<unknown>(["", "eyJ9", hostileText(rng), 1])]);
  if (rng.chance(0.05)) entries.push([hostileKey(rng), prototypeObject(rng)]);
  if (rng.chance(0.02)) entries.push(["access_token", "hrscim_1_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"]);
  return own(entries);
}

/** Serialises a generated body; undefined members vanish as JSON.stringify drops them. */
export function bodyText(body: unknown): string {
  return JSON.stringify(body as Json) ?? "null";
}

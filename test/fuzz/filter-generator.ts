// SCIM filters (RFC 7644 section 3.4.2.2) over the real attribute names: valid ones drawn from the
// grammar (FILTER = attrExp / logExp / valuePath / "not" "(" FILTER ")"), near-valid ones (a valid
// filter with one mutation) and hostile ones (prototype keys, deep nesting, huge numbers, long text).
// Also the other list parameters: sortBy and attribute lists.
import type { Prng } from "./prng.js";
import { hostileNumber, hostilePaths, hostileText, plainText, type AttributeName } from "./vocabulary.js";

export interface FilterContext {
  /** Attributes the tenant exposes (filters on them are valid)... */
  attributes: readonly AttributeName[];
  /** ...and every attribute name the generator knows, exposed or not. */
  known: readonly AttributeName[];
  /** Values present in the data (logins, names, emails...), so that filters sometimes match. */
  strings: readonly string[];
  ids: readonly string[];
  groupIds: readonly string[];
}

const OPERATORS = ["eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le"] as const;

const DATES = [
  "2026-06-15T10:00:00Z", "2026-06-15T10:00:00.0000000Z", "2026-01-05T08:00:00.1234567Z", "2026-06-15T12:00:00+02:00",
  "2020-01-01T00:00:00Z", "1970-01-01T00:00:00Z", "9999-12-31T23:59:59.9999999Z", "0001-01-01T00:00:00Z", "2026-06-15",
  "2026-13-45T99:99:99Z", "-271821-04-20T00:00:00Z", "275760-09-13T00:00:00Z", "now", "", "2026-06-15T10:00:00.000000000000000000001Z",
];

export type FilterKind = "valid" | "near" | "hostile";

/** A filter of the given kind. */
export function generateFilter(rng: Prng, ctx: FilterContext, kind: FilterKind): string {
  if (kind === "valid") return validFilter(rng, ctx, 0);
  if (kind === "near") return mutate(rng, validFilter(rng, ctx, 0));
  return hostileFilter(rng, ctx);
}

export function filterKind(rng: Prng): FilterKind {
  return rng.weighted<FilterKind>([["valid", 60], ["near", 22], ["hostile", 18]]);
}

function attrPath(rng: Prng, ctx: FilterContext): AttributeName {
  const a = rng.pick(rng.chance(0.92) && ctx.attributes.length ? ctx.attributes : ctx.known);
  return rng.chance(0.2) ? { ...a, path: rng.mixCase(a.path) } : a;
}

function quoted(text: string): string {
  return JSON.stringify(text);
}

function compValue(rng: Prng, ctx: FilterContext, attribute: AttributeName): string {
  switch (attribute.type) {
    case "boolean": return rng.weighted([["true", 45], ["false", 45], ["null", 5], [quoted("true"), 5]]);
    case "dateTime": return quoted(rng.pick(DATES));
    case "id": return rng.chance(0.85) && ctx.ids.length ? quoted(rng.pick(ctx.ids)) : rng.pick([quoted(hostileNumber(rng)), hostileNumber(rng), "null"]);
    case "groupId": return rng.chance(0.85) && ctx.groupIds.length ? quoted(rng.pick(ctx.groupIds)) : quoted(`LUCCA_DEPT-${hostileNumber(rng)}`);
    default:
      return rng.weighted<() => string>([
        [() => quoted(sampleValue(rng, ctx)), 60],
        [() => quoted(plainText(rng)), 15],
        [() => quoted(hostileText(rng)), 15],
        [() => rng.pick(["true", "false", "null", "42", "-1.5e3"]), 4],
        [() => rng.pick(["jyoung", "E0001", "a.b"]), 6], // a bare word (Entra's unquoted externalId)
      ])();
  }
}

/** A value found in the data, or part of one (for co, sw, ew). */
function sampleValue(rng: Prng, ctx: FilterContext): string {
  const v = ctx.strings.length ? rng.pick(ctx.strings) : "x";
  if (rng.chance(0.3) && v.length > 2) {
    const a = rng.int(0, v.length - 1);
    return v.slice(a, rng.int(a + 1, v.length));
  }
  return rng.chance(0.2) ? rng.mixCase(v) : v;
}

/** A comparison operator, mostly one the attribute's type takes (booleans: eq, ne; dates: no co, sw, ew). */
function operator(rng: Prng, type?: AttributeName["type"]): string {
  const fitting = type === "boolean" ? OPERATORS.slice(0, 2) : type === "dateTime" ? OPERATORS.filter((o) => !["co", "sw", "ew"].includes(o)) : OPERATORS;
  const op = rng.pick(rng.chance(0.9) ? fitting : OPERATORS);
  return rng.chance(0.15) ? rng.mixCase(op) : op;
}

function attrExp(rng: Prng, ctx: FilterContext): string {
  const a = attrPath(rng, ctx);
  if (rng.chance(0.12)) return `${a.path} ${rng.chance(0.8) ? "pr" : "PR"}`;
  return `${a.path} ${operator(rng, a.type)} ${compValue(rng, ctx, a)}`;
}

/** `emails[type eq "work" and value co "x"]`, and Entra's `emails[type eq "work"].value eq "x"`. */
function valuePath(rng: Prng, ctx: FilterContext, depth: number): string {
  const parents = ctx.attributes.filter((a) => a.path.includes(".") && !a.path.startsWith("urn:") && !a.path.startsWith("name.") && !a.path.startsWith("meta."));
  if (parents.length === 0) return attrExp(rng, ctx);
  const parent = rng.pick(parents).path.split(".")[0];
  const subs = ctx.attributes.filter((a) => a.path.startsWith(`${parent}.`)).map((a) => ({ ...a, path: a.path.slice(parent.length + 1) }));
  const sub = { ...ctx, attributes: subs };
  const inner = depth < 3 && rng.chance(0.3) ? `${attrExp(rng, sub)} ${rng.pick(["and", "or"])} ${attrExp(rng, sub)}` : attrExp(rng, sub);
  if (rng.chance(0.25)) {
    const last = rng.pick(subs);
    return `${parent}[${inner}].${last.path} ${operator(rng, last.type)} ${compValue(rng, ctx, last)}`;
  }
  return `${parent}[${inner}]`;
}

function validFilter(rng: Prng, ctx: FilterContext, depth: number): string {
  const deep = depth >= 4;
  const shape = deep ? "attr" : rng.weighted([["attr", 45], ["logic", 25], ["valuePath", 12], ["not", 8], ["paren", 10]] as const);
  switch (shape) {
    case "attr": return attrExp(rng, ctx);
    case "logic": return `${validFilter(rng, ctx, depth + 1)} ${rng.chance(0.15) ? rng.mixCase(rng.pick(["and", "or"])) : rng.pick(["and", "or"])} ${validFilter(rng, ctx, depth + 1)}`;
    case "valuePath": return valuePath(rng, ctx, depth);
    case "not": return `not (${validFilter(rng, ctx, depth + 1)})`;
    case "paren": return `(${validFilter(rng, ctx, depth + 1)})`;
  }
}

/** One small change that most often breaks the grammar, sometimes not. */
function mutate(rng: Prng, text: string): string {
  const at = rng.int(0, text.length);
  const words = text.split(" ");
  const w = rng.int(0, words.length - 1);
  switch (rng.int(0, 13)) {
    case 0: return text.slice(0, at) + text.slice(at + 1);
    case 1: return text.slice(0, at) + rng.pick(["(", ")", "[", "]", '"', "\\", " ", ".", ":", "'", "\u0000", "\t", "é"]) + text.slice(at);
    case 2: return text.slice(0, at);
    case 3: return `${text} ${rng.pick(["and", "or", "not", "(", ")", "]", "eq", "pr"])}`;
    case 4: return words.map((x, i) => (i === w ? rng.pick(["eqq", "like", "==", "=", "!=", "contains", "in", "EQUALS", "&&", "||"]) : x)).join(" ");
    case 5: return words.map((x, i) => (i === w ? `${x}${x}` : x)).join(" ");
    case 6: return text.replace(/true|false|null/, (m) => m.toUpperCase());
    case 7: return text.replace(/ (eq|ne|co|sw|ew|gt|ge|lt|le) /, (_m, op) => op);
    case 8: return `not ${text}`;
    case 9: return text.replace(/"[^"]*"/, (m) => m.slice(1, -1));
    case 10: return text.replace(/[A-Za-z]+/, (m) => `${m}x`);
    case 11: return text.replace(/\[/, "[[");
    case 12: return `${text})`;
    default: return text.replace(/"([^"]*)"/, (_m, v) => `'${v}'`);
  }
}

function hostileFilter(rng: Prng, ctx: FilterContext): string {
  const exp = () => attrExp(rng, ctx);
  switch (rng.int(0, 13)) {
    case 0: return `${hostilePaths(rng)} ${operator(rng)} ${quoted(plainText(rng))}`;
    case 1: return `${hostilePaths(rng)} pr`;
    case 2: return `emails[${hostilePaths(rng)} eq "work"].value eq "x"`;
    case 3: {
      const n = rng.pick([31, 32, 33, 200, 3000]);
      return `${"(".repeat(n)}${exp()}${")".repeat(n)}`;
    }
    case 4: {
      const n = rng.pick([30, 33, 300]);
      return `${"not (".repeat(n)}${exp()}${")".repeat(n)}`;
    }
    case 5: {
      const n = rng.pick([99, 100, 101, 199, 200, 201, 400]);
      return Array.from({ length: n }, exp).join(rng.pick([" or ", " and "]));
    }
    case 6: return `${rng.pick(["id", "meta.lastModified", "userName", "active", "groups.value", "members.value"])} ${operator(rng)} ${hostileNumber(rng)}`;
    case 7: return `userName eq ${quoted("x".repeat(rng.pick([1000, 9_980, 10_001])))}`;
    case 8: return `${rng.pick(["userName", "title", "displayName", "externalId"])} ${operator(rng)} ${quoted(hostileText(rng))}`;
    case 9: return `${rng.pick(["userName", "emails.value", "name.givenName"])} ${operator(rng)} "${rng.pick(["\\ud800", "\\udfff\\ud800", "\\u0000", "\\x41", "\\", "\\u00", "\\uZZZZ", "\\\\\\\""])}"`;
    case 10: return `emails[type eq "work"][value eq "x"]`;
    case 11: return rng.pick([`emails[type[value eq "x"]]`, `emails[]`, `[type eq "x"]`, `emails[type eq "work"].`, `emails[type eq "work"]..value eq "x"`, `emails.value.value eq "x"`, `urn:a:b:c:d:e:f:g eq "x"`, `a:b eq "x"`]);
    case 12: return `${rng.pick(["userName", "名前", "user\u0000Name", "user name", "user-name", "_id", "1abc", "$ref", "a".repeat(500)])} eq "x"`;
    default: return `${exp()} and ${hostilePaths(rng)} eq "x"`;
  }
}

/** sortBy: mostly a real attribute, sometimes an unknown, hostile or complex one. */
export function generateSortBy(rng: Prng, ctx: FilterContext): string {
  return rng.weighted<() => string>([
    [() => attrPath(rng, ctx).path, 70],
    [() => hostilePaths(rng), 12],
    [() => rng.pick(["name", "emails", "meta", "groups", "members", "", " ", "userName,title", "userName desc", "x".repeat(300), "emails[type eq \"work\"].value"]), 12],
    [() => hostileText(rng), 6],
  ])();
}

/** An attributes / excludedAttributes list: real paths, with now and then a prototype path. */
export function generateAttributeList(rng: Prng, ctx: FilterContext): string {
  const n = rng.int(1, 4);
  const items: string[] = [];
  for (let i = 0; i < n; i++) {
    items.push(rng.weighted<() => string>([
      [() => attrPath(rng, ctx).path, 62],
      [() => rng.pick(["name", "emails", "meta", "groups", "members", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", "schemas", "id", "meta.version", "name.givenName"]), 18],
      [() => hostilePaths(rng), 14],
      [() => rng.pick(["", " ", ",", "..", ".", "a.b.c.d.e", "urn:", hostileText(rng)]), 6],
    ])());
  }
  return items.join(rng.pick([",", ", ", " ,"]));
}

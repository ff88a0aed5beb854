// Words the generators draw from: the real attribute names of Users and Groups (so that most cases
// get past the first check), and hostile text: prototype keys, huge numbers, long and odd Unicode,
// control characters, lone surrogates, SQL and JSON injection, percent-encoding oddities.
import type { Prng } from "./prng.js";

export const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
export const LUCCA = "urn:ietf:params:scim:schemas:extension:lucca:2.0:User";
export const CORE_USER = "urn:ietf:params:scim:schemas:core:2.0:User";
export const CORE_GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
export const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
export const SEARCH_REQUEST = "urn:ietf:params:scim:api:messages:2.0:SearchRequest";

export type ValueType = "string" | "boolean" | "dateTime" | "id" | "groupId";

export interface AttributeName {
  path: string;
  type: ValueType;
}

const s = (path: string): AttributeName => ({ path, type: "string" });

/** Attribute paths of a User that filters, sortBy and attribute lists take (namespace: the tenant's custom one). */
export function userAttributes(namespace: string, extendedFields: readonly string[]): AttributeName[] {
  return [
    { path: "id", type: "id" }, s("userName"), s("name.givenName"), s("name.familyName"), s("name.formatted"), s("displayName"),
    s("emails.value"), s("emails.type"), { path: "emails.primary", type: "boolean" }, s("emails"),
    s("phoneNumbers.value"), s("phoneNumbers.type"), { path: "phoneNumbers.primary", type: "boolean" }, s("phoneNumbers"),
    s("addresses.locality"), s("addresses.postalCode"), s("addresses.country"), s("addresses.formatted"), s("addresses.streetAddress"),
    { path: "active", type: "boolean" }, { path: "meta.lastModified", type: "dateTime" }, { path: "meta.created", type: "dateTime" },
    s("meta.resourceType"), s("externalId"), s("title"), s("preferredLanguage"),
    { path: "groups.value", type: "groupId" }, s("groups.display"), s("groups.type"),
    s(`${ENTERPRISE}:employeeNumber`), s(`${ENTERPRISE}:department`), s(`${ENTERPRISE}:organization`), s(`${ENTERPRISE}:division`),
    { path: `${ENTERPRISE}:manager.value`, type: "id" }, s(`${ENTERPRISE}:manager.displayName`), s("employeeNumber"),
    s(`${namespace}:dtContractStart`), s(`${namespace}:dtContractEnd`), s(`${namespace}:establishment`), s(`${namespace}:countryCode`),
    s(`${CORE_USER}:userName`), s(`${CORE_USER}:name.familyName`),
    ...extendedFields.map((f) => s(`${namespace}:${f}`)),
  ];
}

export const GROUP_ATTRIBUTES: AttributeName[] = [
  { path: "id", type: "groupId" }, s("displayName"), s("externalId"), { path: "members.value", type: "id" }, s("members.display"),
  { path: "meta.lastModified", type: "dateTime" }, s("meta.resourceType"), s(`${CORE_GROUP}:displayName`), s("members"),
];

/** Names that must be unknown attributes everywhere (brief: never walked into prototypes). */
export const PROTOTYPE_KEYS = ["__proto__", "constructor", "prototype", "__defineGetter__", "hasOwnProperty", "toString", "valueOf", "__lookupGetter__", "isPrototypeOf"];

/** Attribute paths built from prototype keys, alone and under real attributes. */
export function hostilePaths(rng: Prng): string {
  const key = rng.pick(PROTOTYPE_KEYS);
  const second = rng.pick(PROTOTYPE_KEYS);
  return rng.pick([
    key,
    `${key}.${second}`,
    `__proto__.${second}`,
    `constructor.prototype.${second}`,
    `name.${key}`,
    `emails.${key}`,
    `meta.${key}`,
    `${ENTERPRISE}:${key}`,
    `${ENTERPRISE}:manager.${key}`,
    `${CORE_USER}:${key}`,
    `${key}.value`,
    `urn:${key}:${second}`,
    `name.__proto__.${second}`,
    "__proto__.polluted",
    "constructor.prototype.polluted",
  ]);
}

const UNICODE = [
  "é", "ü", "ß", "Ł", "Ø", "ñ", "ç", "日本語", "中文", "한국어", "עברית", "العربية", "Ελληνικά", "кириллица",
  "😀", "👩‍👩‍👧", "🏳️‍🌈", "\u200b", "\u200d", "\u202e", "\ufeff", "\u0301", "e\u0301", "\uffff", "\ufffd", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "\u2028", "\u2029",
];

const CONTROL = ["\u0000", "\u0001", "\u0007", "\b", "\t", "\n", "\r", "\u001b", "\u007f", "\u0085", "\u009f"];

const SURROGATES = ["\ud800", "\udfff", "\udbff", "\udc00x", "a\ud83d", "\ude00b"];

const INJECTION = [
  "' or '1'='1", "'; drop table employees; --", "\" or \"\"=\"", "1; select pg_sleep(10)", "$1", "?", "??", "\\?", "%", "_", "\\",
  "\\\\", "'::jsonpath", "$.a ? (@ == 1)", "E'\\x00'", "${jndi:ldap://x}", "{{7*7}}", "<script>alert(1)</script>", "../../etc/passwd",
  "{\"$gt\": \"\"}", "[]", "{}", "null", "true", "undefined", "NaN", "-0", "1e309", "0x10", "\"", "'", "`", "pg_sleep(5)",
  "lower(", "collate \"C\"", "u.login", "e.tenant_id", "/*", "*/", "--", ";", "\\u0000", "\\ud800",
];

const NUMBERS = [
  "0", "-1", "1", "2147483647", "2147483648", "-2147483649", "9007199254740993", "1e309", "-1e309", "1e-400", "1.5", "0.0000001",
  "123456789012345678901234567890", "1e3", "1E+3", "00", "01", "-0", "NaN", "Infinity", "0x1F", "1_000", "9".repeat(400), "4294967296",
];

/** Text to put where a string value goes: mostly plain, sometimes hostile. */
export function hostileText(rng: Prng): string {
  switch (rng.int(0, 9)) {
    case 0: return rng.pick(UNICODE).repeat(rng.int(1, 3));
    case 1: return `a${rng.pick(CONTROL)}b`;
    case 2: return `x${rng.pick(SURROGATES)}`;
    case 3: return rng.pick(INJECTION);
    case 4: return rng.pick(NUMBERS);
    case 5: return rng.pick(PROTOTYPE_KEYS);
    case 6: return "x".repeat(rng.pick([1023, 1024, 1025, 4096, 10_001]));
    case 7: return rng.pick(UNICODE).repeat(rng.pick([300, 1025]));
    case 8: return rng.pick(["", " ", "  \t ", "\u00a0", " padded "]);
    default: return `${rng.pick(UNICODE)}${rng.pick(INJECTION)}${rng.pick(CONTROL)}`;
  }
}

export function hostileNumber(rng: Prng): string {
  return rng.pick(NUMBERS);
}

/** A plain new value that a writable string attribute accepts. */
export function plainText(rng: Prng): string {
  const words = ["Ada", "Grace", "Zoë", "Łukasz", "O'Brien", "Jean-Baptiste", "Søren", "Mehmet", "Ana", "Nuñez", "Weiß", "Li"];
  return `${rng.pick(words)}${rng.chance(0.5) ? ` ${rng.pick(words)}` : ""}${rng.int(0, 999)}`;
}

/** Percent-encodes like encodeURIComponent but also a lone surrogate (as the bytes of U+FFFD). */
export function encodeComponent(text: string): string {
  return [...text].map((ch) => {
    const code = ch.codePointAt(0)!;
    if (code >= 0xd800 && code <= 0xdfff) return "%EF%BF%BD";
    return encodeURIComponent(ch);
  }).join("");
}

/** Percent-encoding oddities to splice into a query value as it goes on the wire. */
export const ENCODING_ODDITIES = [
  "%", "%2", "%zz", "%00", "%ED%A0%80", "%C0%AF", "%FF%FE", "%E2%82", "%252e", "%2e%2e%2f", "+", "%2B", "%20", "%u0041", "%%", "&", "=", "%3D%3D", "%0A", "%0D%0A",
];

export const CONTENT_TYPES = [
  "application/scim+json", "application/scim+json; charset=utf-8", "application/json", "application/json; charset=UTF-8",
  "APPLICATION/SCIM+JSON", "application/scim+json;charset=utf-16", "application/json; charset=latin1", "application/vnd.api+json",
  "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/xml", "", "*/*",
  "application/json; charset=\"utf-8\"", "application/scim+json; profile=x", "application/json, text/plain",
];

/** A string key that is not a real attribute: prototype keys and odd spellings. */
export function hostileKey(rng: Prng): string {
  return rng.pick([...PROTOTYPE_KEYS, "", " ", "userName ", "USERNAME", "name.givenName", "urn:", "urn:x:y", "a".repeat(300), "\u0000", "__proto__.polluted", "$ref", "emails[type eq \"work\"].value"]);
}

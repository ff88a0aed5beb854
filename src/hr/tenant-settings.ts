// Tenant settings (docs/BEHAVIOUR.md section 6): their defaults and validation, shared by the CLI and the server.
export const GROUP_TYPES = ["LUCCA_DEPT", "LUCCA_ETS", "LUCCA_LU", "LUCCA_COUNTRY"] as const;
export type GroupType = (typeof GROUP_TYPES)[number];

/**
 * What a tenant exposes to identity providers. HR keeps it as data: the attribute names and the
 * namespace are the SCIM catalogue's (src/scim/catalogue), which validates them and applies the
 * defaults a null stands for.
 */
export interface PropertyMapping {
  /** Optional attributes exposed, in addition to the mandatory ones; null: the catalogue's default set. */
  attributes: string[] | null;
  /** Schema URN of HR properties without a standard attribute; null: the catalogue's default. */
  namespace: string | null;
  /** Attribute name -> key in the employee's extended data. */
  extendedFields: Record<string, string>;
}

export interface TenantSettings {
  groupTypes: GroupType[];
  propertyMapping: PropertyMapping;
  userNameSource: "login" | "workEmail";
  futureEmployeesActive: boolean;
  allowedEmailDomains: string[];
  /** Requests per second and burst allowed to each of the tenant's tokens; null: the server's default. */
  rateLimit: RateLimit | null;
  /** Days the integration log and the admin audit are kept (the retention job purges older rows). */
  logRetentionDays: number;
}

export interface RateLimit {
  requestsPerSecond: number;
  burst: number;
}

export const SETTING_NAMES = ["timeZone", "groupTypes", "propertyMapping", "userNameSource", "futureEmployeesActive", "allowedEmailDomains", "rateLimit", "logRetentionDays"] as const;
export type SettingName = (typeof SETTING_NAMES)[number];

export const DEFAULT_LOG_RETENTION_DAYS = 400;
const MAX_LOG_RETENTION_DAYS = 3650;

/** Settings that change how resources are shown: changing them changes every resource's lastModified. */
export function changesRepresentation(setting: string): boolean {
  return setting !== "rateLimit" && setting !== "logRetentionDays";
}

export function defaultSettings(): TenantSettings {
  return {
    groupTypes: [],
    propertyMapping: { attributes: null, namespace: null, extendedFields: {} },
    userNameSource: "login",
    futureEmployeesActive: false,
    allowedEmailDomains: [],
    rateLimit: null,
    logRetentionDays: DEFAULT_LOG_RETENTION_DAYS,
  };
}

export class InvalidSettingError extends Error {}

const ATTRIBUTE_NAME = /^[A-Za-z][A-Za-z0-9_-]*$/;
/** Names that would reach into a JavaScript object's prototype: never attribute names or data keys. */
const PROTOTYPE_KEYS = new Set(["__proto__", "constructor", "prototype"]);
const EXTENDED_KEY = /^[A-Za-z0-9_.-]+$/;

function parseList(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  const text = String(value ?? "").trim();
  if (text.startsWith("[")) return JSON.parse(text);
  return text === "" || text === "none" ? [] : text.split(",").map((s) => s.trim()).filter(Boolean);
}

export function normaliseSettings(raw: Record<string, unknown> | null | undefined): TenantSettings {
  const base = defaultSettings();
  const merged = { ...base, ...(raw ?? {}) } as Record<string, unknown>;
  return {
    groupTypes: validateGroupTypes(merged.groupTypes),
    propertyMapping: validatePropertyMapping(merged.propertyMapping ?? base.propertyMapping),
    userNameSource: merged.userNameSource === "workEmail" ? "workEmail" : "login",
    futureEmployeesActive: merged.futureEmployeesActive === true,
    allowedEmailDomains: parseList(merged.allowedEmailDomains).map((d) => d.toLowerCase()),
    rateLimit: validateRateLimit(merged.rateLimit),
    logRetentionDays: validateRetention(merged.logRetentionDays),
  };
}

function validateGroupTypes(value: unknown): GroupType[] {
  const list = parseList(value);
  for (const t of list) {
    if (!(GROUP_TYPES as readonly string[]).includes(t)) throw new InvalidSettingError(`Unknown group type "${t}"; expected some of ${GROUP_TYPES.join(", ")}`);
  }
  return [...new Set(list)] as GroupType[];
}

function validateRetention(value: unknown): number {
  const n = typeof value === "string" && /^\d+$/.test(value.trim()) ? Number(value) : value;
  if (typeof n !== "number" || !Number.isInteger(n) || n < 1 || n > MAX_LOG_RETENTION_DAYS) {
    throw new InvalidSettingError(`logRetentionDays must be a whole number of days from 1 to ${MAX_LOG_RETENTION_DAYS}`);
  }
  return n;
}

const MAX_RATE = 100_000;

function validateRateLimit(value: unknown): RateLimit | null {
  if (value === null || value === undefined) return null;
  const v = value as Partial<RateLimit>;
  const ok = (n: unknown) => typeof n === "number" && Number.isFinite(n) && n > 0 && n <= MAX_RATE;
  if (typeof value !== "object" || Array.isArray(value) || !ok(v.requestsPerSecond) || !ok(v.burst) || v.burst! < 1) {
    throw new InvalidSettingError(`rateLimit must be {"requestsPerSecond": <number>, "burst": <number>} (each above 0, at most ${MAX_RATE}; burst at least 1), or "default"`);
  }
  return { requestsPerSecond: v.requestsPerSecond!, burst: v.burst! };
}

/** The shape of a property mapping; its names are checked against the catalogue by the SCIM layer. */
function validatePropertyMapping(value: unknown): PropertyMapping {
  const v = (typeof value === "string" ? JSON.parse(value) : value) as Record<string, unknown>;
  if (!v || typeof v !== "object" || Array.isArray(v)) throw new InvalidSettingError("propertyMapping must be a JSON object");
  const attributes = v.attributes === null || v.attributes === undefined ? null : parseList(v.attributes);
  for (const a of attributes ?? []) {
    if (!ATTRIBUTE_NAME.test(a) || PROTOTYPE_KEYS.has(a.toLowerCase())) throw new InvalidSettingError(`Invalid attribute name "${a}" in propertyMapping.attributes`);
  }
  const namespace = v.namespace ?? null;
  if (namespace !== null && (typeof namespace !== "string" || !/^urn:[\w.:-]+$/i.test(namespace))) throw new InvalidSettingError("propertyMapping.namespace must be a schema URN");
  const extendedFields = (v.extendedFields ?? {}) as Record<string, unknown>;
  if (typeof extendedFields !== "object" || Array.isArray(extendedFields)) throw new InvalidSettingError("propertyMapping.extendedFields must be an object");
  const fields: Record<string, string> = {};
  for (const [name, key] of Object.entries(extendedFields)) {
    if (!ATTRIBUTE_NAME.test(name) || typeof key !== "string" || !EXTENDED_KEY.test(key) || PROTOTYPE_KEYS.has(name.toLowerCase()) || PROTOTYPE_KEYS.has(key.toLowerCase())) throw new InvalidSettingError(`Invalid extended field mapping "${name}"`);
    fields[name] = key;
  }
  return { attributes: attributes === null ? null : [...new Set(attributes)], namespace, extendedFields: fields };
}

/** Applies `tenant set <slug> <setting> <value>` to stored settings; throws InvalidSettingError. */
export function applySetting(current: Record<string, unknown>, name: string, value: string): Record<string, unknown> {
  const next: Record<string, unknown> = { ...current };
  switch (name) {
    case "groupTypes": next.groupTypes = validateGroupTypes(value); break;
    case "propertyMapping": next.propertyMapping = validatePropertyMapping(value); break;
    case "userNameSource":
      if (value !== "login" && value !== "workEmail") throw new InvalidSettingError("userNameSource must be login or workEmail");
      next.userNameSource = value; break;
    case "futureEmployeesActive":
      if (value !== "true" && value !== "false") throw new InvalidSettingError("futureEmployeesActive must be true or false");
      next.futureEmployeesActive = value === "true"; break;
    case "allowedEmailDomains": next.allowedEmailDomains = parseList(value).map((d) => d.toLowerCase()); break;
    case "rateLimit": next.rateLimit = value.trim() === "default" ? null : validateRateLimit(JSON.parse(value)); break;
    case "logRetentionDays": next.logRetentionDays = validateRetention(value); break;
    default: throw new InvalidSettingError(`Unknown setting "${name}"; expected one of ${SETTING_NAMES.join(", ")}`);
  }
  normaliseSettings(next);
  return next;
}

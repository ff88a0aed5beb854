// Tenant settings (product.md section 6): their defaults and validation, shared by the CLI and the server.
export const GROUP_TYPES = ["LUCCA_DEPT", "LUCCA_ETS", "LUCCA_LU", "LUCCA_COUNTRY"] as const;
export type GroupType = (typeof GROUP_TYPES)[number];

export const ENTERPRISE_URN = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
export const LUCCA_URN = "urn:ietf:params:scim:schemas:extension:lucca:2.0:User";

/** Optional attributes a tenant may expose; userName, name.givenName, name.familyName and the work email always are. */
export const OPTIONAL_ATTRIBUTES = [
  "externalId", "phoneNumbers", "addresses", "title", "preferredLanguage",
  "employeeNumber", "organization", "division", "department", "manager",
  "dtContractStart", "dtContractEnd", "establishment", "legalUnit", "countryCode",
] as const;
export type OptionalAttribute = (typeof OPTIONAL_ATTRIBUTES)[number];

export interface PropertyMapping {
  /** Optional attributes exposed, in addition to the four mandatory ones. */
  attributes: OptionalAttribute[];
  /** Namespace of HR properties without a standard SCIM attribute (contract dates, countryCode, extended fields...). */
  namespace: typeof ENTERPRISE_URN | typeof LUCCA_URN;
  /** SCIM attribute name -> key in the employee's extended data. */
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
}

export interface RateLimit {
  requestsPerSecond: number;
  burst: number;
}

export const SETTING_NAMES = ["timeZone", "groupTypes", "propertyMapping", "userNameSource", "futureEmployeesActive", "allowedEmailDomains", "rateLimit"] as const;

/** Settings that change how resources are shown: changing them changes every resource's lastModified. */
export function changesRepresentation(setting: string): boolean {
  return setting !== "rateLimit";
}

export function defaultSettings(): TenantSettings {
  return {
    groupTypes: [],
    propertyMapping: {
      attributes: OPTIONAL_ATTRIBUTES.filter((a) => !["establishment", "legalUnit", "countryCode"].includes(a)),
      namespace: ENTERPRISE_URN,
      extendedFields: {},
    },
    userNameSource: "login",
    futureEmployeesActive: false,
    allowedEmailDomains: [],
    rateLimit: null,
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
  };
}

function validateGroupTypes(value: unknown): GroupType[] {
  const list = parseList(value);
  for (const t of list) {
    if (!(GROUP_TYPES as readonly string[]).includes(t)) throw new InvalidSettingError(`Unknown group type "${t}"; expected some of ${GROUP_TYPES.join(", ")}`);
  }
  return [...new Set(list)] as GroupType[];
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

function validatePropertyMapping(value: unknown): PropertyMapping {
  const v = (typeof value === "string" ? JSON.parse(value) : value) as Partial<PropertyMapping>;
  if (!v || typeof v !== "object") throw new InvalidSettingError("propertyMapping must be a JSON object");
  const attributes = parseList(v.attributes ?? []);
  for (const a of attributes) {
    if (!(OPTIONAL_ATTRIBUTES as readonly string[]).includes(a)) throw new InvalidSettingError(`Unknown attribute "${a}" in propertyMapping.attributes; expected some of ${OPTIONAL_ATTRIBUTES.join(", ")}`);
  }
  const namespace = v.namespace ?? ENTERPRISE_URN;
  if (namespace !== ENTERPRISE_URN && namespace !== LUCCA_URN) throw new InvalidSettingError(`propertyMapping.namespace must be ${ENTERPRISE_URN} or ${LUCCA_URN}`);
  const extendedFields = v.extendedFields ?? {};
  for (const [name, key] of Object.entries(extendedFields)) {
    if (!ATTRIBUTE_NAME.test(name) || typeof key !== "string" || !EXTENDED_KEY.test(key) || PROTOTYPE_KEYS.has(name.toLowerCase()) || PROTOTYPE_KEYS.has(key.toLowerCase())) throw new InvalidSettingError(`Invalid extended field mapping "${name}"`);
    if ((OPTIONAL_ATTRIBUTES as readonly string[]).includes(name)) throw new InvalidSettingError(`Extended field "${name}" collides with a built-in attribute`);
  }
  return { attributes: [...new Set(attributes)] as OptionalAttribute[], namespace, extendedFields: { ...extendedFields } };
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
    default: throw new InvalidSettingError(`Unknown setting "${name}"; expected one of ${SETTING_NAMES.join(", ")}`);
  }
  normaliseSettings(next);
  return next;
}

// The HR API's records, validated with ajv (the catalogue's validation machinery: one JSON Schema
// per record type, the employee's text fields from the catalogue) and normalised: texts trimmed,
// empty optional texts absent, contracts in start order. Every problem becomes a field error with
// the JSON Pointer of the offending value; unknown fields are errors too.
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import { isCountryCode } from "../countries.js";
import { EMPLOYEE_TEXT_FIELDS, MAX_TEXT } from "./fields.js";
import { invalidRecord, type FieldError } from "./problem.js";

export interface LegalUnitRecord { key: string; name: string; countryCode: string }
export interface EstablishmentRecord {
  key: string; name: string; legalUnitKey: string;
  street: string | null; postalCode: string | null; city: string | null; countryCode: string | null;
}
export interface DepartmentRecord { key: string; name: string; parentKey: string | null }
export interface Contract { start: string; end: string | null }
export interface EmployeeRecord {
  employeeNumber: string;
  /** Column -> value (null clears), for every text field. */
  columns: Record<string, string | null>;
  departmentKey: string | null;
  establishmentKey: string | null;
  managerEmployeeNumber: string | null;
  contracts: Contract[];
  extendedData: Record<string, unknown>;
  /** When HR changed the record, if not the writer's instant (loads of history, such as the benchmark's). */
  changedAt?: Date;
}

export type RecordType = "legal-units" | "establishments" | "departments" | "employees";

const ajv = new Ajv({ allErrors: true, strict: false });

const text = { type: "string", maxLength: MAX_TEXT };
const optionalText = { type: ["string", "null"], maxLength: MAX_TEXT };
const DATE = "^\\d{4}-\\d{2}-\\d{2}$";
const country = { type: "string", pattern: "^[A-Za-z]{2}$" };

const SCHEMAS: Record<RecordType, object> = {
  "legal-units": {
    type: "object", additionalProperties: false, required: ["name", "countryCode"],
    properties: { name: text, countryCode: country },
  },
  establishments: {
    type: "object", additionalProperties: false, required: ["name", "legalUnitKey"],
    properties: {
      name: text, legalUnitKey: text, street: optionalText, postalCode: optionalText, city: optionalText,
      countryCode: { anyOf: [{ type: "null" }, country] },
    },
  },
  departments: {
    type: "object", additionalProperties: false, required: ["name"],
    properties: { name: text, parentKey: optionalText },
  },
  employees: {
    type: "object", additionalProperties: false,
    required: [...EMPLOYEE_TEXT_FIELDS.filter((f) => f.required).map((f) => f.field), "contracts"],
    properties: {
      ...Object.fromEntries(EMPLOYEE_TEXT_FIELDS.map((f) => [f.field, f.required ? text : optionalText])),
      departmentKey: optionalText, establishmentKey: optionalText, managerEmployeeNumber: optionalText,
      contracts: {
        type: "array", maxItems: 100,
        items: {
          type: "object", additionalProperties: false, required: ["start"],
          properties: { start: { type: "string", pattern: DATE }, end: { anyOf: [{ type: "null" }, { type: "string", pattern: DATE }] } },
        },
      },
      extendedData: { type: ["object", "null"], propertyNames: { pattern: "^[A-Za-z][A-Za-z0-9_.-]{0,99}$" } },
    },
  },
};

const validators = new Map<RecordType, ValidateFunction>();
function validatorOf(type: RecordType): ValidateFunction {
  let v = validators.get(type);
  if (!v) { v = ajv.compile(SCHEMAS[type]); validators.set(type, v); }
  return v;
}

function describe(error: ErrorObject): FieldError {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "additionalProperties":
      return { path: `${error.instancePath}/${escapePointer(String(params.additionalProperty))}`, message: "unknown field" };
    case "required":
      return { path: `${error.instancePath}/${escapePointer(String(params.missingProperty))}`, message: "is required" };
    case "pattern":
      return { path: error.instancePath, message: error.instancePath.endsWith("countryCode") ? "must be an ISO 3166-1 alpha-2 country code such as \"FR\"" : "must be a date as YYYY-MM-DD" };
    case "propertyNames":
      return { path: error.instancePath, message: "extendedData keys are letters, digits, '_', '.', '-', starting with a letter" };
    default:
      return { path: error.instancePath, message: error.message ?? "is not valid" };
  }
}

function escapePointer(name: string): string {
  return name.replace(/~/g, "~0").replace(/\//g, "~1");
}

/** Schema errors, one per path (ajv's anyOf reports each branch). */
function schemaErrors(type: RecordType, body: unknown): FieldError[] {
  const validate = validatorOf(type);
  if (validate(body)) return [];
  const seen = new Set<string>();
  const out: FieldError[] = [];
  for (const e of validate.errors ?? []) {
    if (e.keyword === "anyOf") continue;
    const d = describe(e);
    if (seen.has(d.path)) continue;
    seen.add(d.path);
    out.push(d);
  }
  return out.length ? out : [{ path: "", message: "is not valid" }];
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@.]+$/;
const LANGUAGE_TAG = /^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*$/;

function isRealDate(date: string): boolean {
  const d = new Date(`${date}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === date;
}

function clean(value: unknown): string | null {
  if (typeof value !== "string") return null;
  const t = value.trim();
  return t === "" ? null : t;
}

/** A key or employee number from a URL or a reference: 1 to 200 printable characters. */
export function keyProblem(key: string): string | null {
  if (key.trim() === "" || key !== key.trim()) return "must not be blank nor start or end with spaces";
  if (key.length > 200) return "is longer than 200 characters";
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(key)) return "must not hold control characters";
  return null;
}

/**
 * Contracts in start order; each must end on or after its start, and the next may start at the
 * earliest on the previous one's end day (touching contracts are one span; a one-day overlap is
 * that touch). Errors point at the later contract of a pair.
 */
export function contractErrors(contracts: Contract[], base: string): FieldError[] {
  const errors: FieldError[] = [];
  contracts.forEach((c, i) => {
    if (!isRealDate(c.start)) errors.push({ path: `${base}/${i}/start`, message: `${c.start} is not a calendar date` });
    if (c.end !== null && !isRealDate(c.end)) errors.push({ path: `${base}/${i}/end`, message: `${c.end} is not a calendar date` });
    else if (c.end !== null && c.end < c.start) errors.push({ path: `${base}/${i}/end`, message: "ends before it starts" });
  });
  if (errors.length) return errors;
  const order = contracts.map((c, i) => ({ c, i })).sort((a, b) => a.c.start.localeCompare(b.c.start));
  for (let k = 1; k < order.length; k++) {
    const prev = order[k - 1].c;
    const cur = order[k];
    if (prev.end === null) {
      errors.push({ path: `${base}/${cur.i}/start`, message: `overlaps an open-ended contract starting ${prev.start}` });
    } else if (cur.c.start < prev.end) {
      errors.push({ path: `${base}/${cur.i}/start`, message: `overlaps the contract ${prev.start}..${prev.end} (contracts may only touch: start on or after ${prev.end})` });
    }
  }
  return errors;
}

function requireObject(body: unknown): void {
  if (body === null || typeof body !== "object" || Array.isArray(body)) throw invalidRecord([{ path: "", message: "must be a JSON object" }]);
}

export function validateLegalUnit(key: string, body: unknown): LegalUnitRecord {
  requireObject(body);
  const errors = schemaErrors("legal-units", body);
  const b = body as Record<string, unknown>;
  if (!errors.length && !isCountryCode(String(b.countryCode).toUpperCase())) errors.push({ path: "/countryCode", message: "is not an ISO 3166-1 country code" });
  if (!errors.length && !clean(b.name)) errors.push({ path: "/name", message: "must not be blank" });
  if (errors.length) throw invalidRecord(errors);
  return { key, name: clean(b.name)!, countryCode: String(b.countryCode).toUpperCase() };
}

export function validateEstablishment(key: string, body: unknown): EstablishmentRecord {
  requireObject(body);
  const errors = schemaErrors("establishments", body);
  const b = body as Record<string, unknown>;
  const countryCode = clean(b.countryCode)?.toUpperCase() ?? null;
  if (!errors.length && countryCode && !isCountryCode(countryCode)) errors.push({ path: "/countryCode", message: "is not an ISO 3166-1 country code" });
  if (!errors.length && !clean(b.name)) errors.push({ path: "/name", message: "must not be blank" });
  if (!errors.length && !clean(b.legalUnitKey)) errors.push({ path: "/legalUnitKey", message: "must not be blank" });
  if (errors.length) throw invalidRecord(errors);
  return {
    key, name: clean(b.name)!, legalUnitKey: clean(b.legalUnitKey)!,
    street: clean(b.street), postalCode: clean(b.postalCode), city: clean(b.city), countryCode,
  };
}

export function validateDepartment(key: string, body: unknown): DepartmentRecord {
  requireObject(body);
  const errors = schemaErrors("departments", body);
  const b = body as Record<string, unknown>;
  if (!errors.length && !clean(b.name)) errors.push({ path: "/name", message: "must not be blank" });
  if (!errors.length && clean(b.parentKey) === key) errors.push({ path: "/parentKey", message: "a department cannot be its own parent" });
  if (errors.length) throw invalidRecord(errors);
  return { key, name: clean(b.name)!, parentKey: clean(b.parentKey) };
}

export function validateEmployee(employeeNumber: string, body: unknown): EmployeeRecord {
  requireObject(body);
  const errors = schemaErrors("employees", body);
  if (errors.length) throw invalidRecord(errors);
  const b = body as Record<string, unknown>;
  const columns: Record<string, string | null> = {};
  for (const f of EMPLOYEE_TEXT_FIELDS) {
    const value = clean(b[f.field]);
    if (f.required && value === null) errors.push({ path: `/${f.field}`, message: "must not be blank" });
    if (value !== null && f.check === "email" && !EMAIL.test(value)) errors.push({ path: `/${f.field}`, message: "must be one email address such as \"ada@example.com\"" });
    if (value !== null && f.check === "languageTag" && !LANGUAGE_TAG.test(value)) errors.push({ path: `/${f.field}`, message: "must be a language tag (BCP 47) such as \"fr-FR\"" });
    columns[f.column] = value;
  }
  const contracts = (b.contracts as { start: string; end?: string | null }[]).map((c) => ({ start: c.start, end: c.end ?? null }));
  errors.push(...contractErrors(contracts, "/contracts"));
  const managerEmployeeNumber = clean(b.managerEmployeeNumber);
  if (managerEmployeeNumber === employeeNumber) errors.push({ path: "/managerEmployeeNumber", message: "an employee cannot be their own manager" });
  if (errors.length) throw invalidRecord(errors);
  return {
    employeeNumber, columns,
    departmentKey: clean(b.departmentKey), establishmentKey: clean(b.establishmentKey), managerEmployeeNumber,
    contracts: [...contracts].sort((x, y) => x.start.localeCompare(y.start)),
    extendedData: (b.extendedData as Record<string, unknown> | null) ?? {},
  };
}

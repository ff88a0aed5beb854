// The CSV import (issue 11): one row per contract, the header names the HR API's fields. Rows are
// read as a stream and gathered per employee (their fields must agree across rows), then written
// through the HR write path in one transaction: organisation units named in rows created or
// renamed by key, employees upserted by number in set-based batches (managers before their
// reports), and with a snapshot the absent employees listed, or made leavers on the import date.
// All or nothing: any bad row refuses the file, each error as {line, column, message}.
import type { Knex } from "knex";
import { withStatementTimeout } from "../../db/statement-timeout.js";
import { localDate } from "../lifecycle.js";
import type { Tenant } from "../tenants.js";
import { upsertEmployees } from "../write/employees.js";
import { EMPLOYEE_TEXT_FIELDS } from "../write/fields.js";
import { HrProblem } from "../write/problem.js";
import { keyProblem, validateEmployee, type EmployeeRecord } from "../write/records.js";
import { beginHrWrite, chunked } from "../write/session.js";
import { csvRows, type ProgressListener } from "./csv-rows.js";

export const REQUIRED_COLUMNS = ["employeeNumber", "login", "firstName", "lastName", "contractStart"] as const;
const EMPLOYEE_COLUMNS = EMPLOYEE_TEXT_FIELDS.map((f) => f.field);
// countryCode is the legal unit's and the establishment's; street, postalCode and city (optional,
// not in the issue's list) the establishment's address, which SCIM shows as the work address.
const ORG_COLUMNS = ["departmentKey", "department", "establishmentKey", "establishment", "street", "postalCode", "city", "legalUnitKey", "legalUnit", "countryCode", "managerEmployeeNumber"];
export const IMPORT_COLUMNS: readonly string[] = ["employeeNumber", ...EMPLOYEE_COLUMNS, ...ORG_COLUMNS, "contractStart", "contractEnd"];

/** Errors reported at most (the file is refused at the first; more help fix it in one go). */
const MAX_ERRORS = 200;
/** Employees per set-based write. */
const BATCH = 2000;
/** The import's own statement bound (the server's default is 10 s). */
export const IMPORT_STATEMENT_TIMEOUT_MS = 300_000;

export interface ImportError { line: number; column: string; message: string }

export interface ImportReport {
  created: number;
  updated: number;
  unchanged: number;
  removed: number;
  /** With a snapshot: employee numbers absent from the file. */
  absent?: string[];
  errors: ImportError[];
  dryRun: boolean;
}

export interface ImportOptions {
  tenant: Tenant;
  actor: string;
  now: Date;
  dryRun?: boolean;
  /** List employees absent from the file; with removeAbsent, end their open contracts on the import date. */
  snapshot?: boolean;
  removeAbsent?: boolean;
  onProgress?: ProgressListener;
}

interface Gathered {
  line: number;
  /** Column -> the first row's value ("" for empty). */
  values: Record<string, string>;
  contracts: { start: string; end: string | null; line: number }[];
}

interface OrgUnit {
  name: string | null; line: number; legalUnitKey?: string | null; countryCode?: string | null;
  street?: string | null; postalCode?: string | null; city?: string | null;
}
const ORG_FIELDS = ["name", "legalUnitKey", "countryCode", "street", "postalCode", "city"] as const;

class DryRun extends Error {}

class Errors {
  readonly list: ImportError[] = [];
  add(line: number, column: string, message: string): void {
    if (this.list.length < MAX_ERRORS) this.list.push({ line, column, message });
  }
  get full(): boolean { return this.list.length >= MAX_ERRORS; }
}

/** Field errors of the write path ({path: "/<line>/<field>"}) as import errors. */
function fromProblem(problem: HrProblem, employees: Map<string, Gathered>, numberOfLine: Map<number, string>): ImportError[] {
  return problem.errors.map((e) => {
    const [, line, ...rest] = e.path.split("/");
    const field = rest[0] ?? "employeeNumber";
    if (field === "contracts") {
      const g = employees.get(numberOfLine.get(Number(line))!);
      const contract = g?.contracts[Number(rest[1])];
      return { line: contract?.line ?? Number(line), column: rest[2] === "end" ? "contractEnd" : "contractStart", message: e.message };
    }
    return { line: Number(line) || 1, column: field, message: e.message };
  });
}

function gatherRow(line: number, row: Record<string, string>, employees: Map<string, Gathered>, orgs: Record<"departments" | "establishments" | "legalUnits", Map<string, OrgUnit>>, errors: Errors): void {
  const number = row.employeeNumber;
  const problem = keyProblem(number);
  if (problem) { errors.add(line, "employeeNumber", problem); return; }
  if (!row.contractStart) errors.add(line, "contractStart", "is required");
  const contract = { start: row.contractStart, end: row.contractEnd || null, line };
  const known = employees.get(number);
  if (!known) {
    const values: Record<string, string> = {};
    for (const c of [...EMPLOYEE_COLUMNS, "departmentKey", "establishmentKey", "managerEmployeeNumber"]) values[c] = row[c] ?? "";
    employees.set(number, { line, values, contracts: [contract] });
  } else {
    for (const [c, v] of Object.entries(known.values)) {
      if ((row[c] ?? "") !== v) errors.add(line, c, `differs from line ${known.line} of the same employee (${JSON.stringify(v)}); an employee's fields must agree on every row`);
    }
    known.contracts.push(contract);
  }
  const org = (map: Map<string, OrgUnit>, keyColumn: string, nameColumn: string, extra: Partial<OrgUnit>) => {
    const key = row[keyColumn];
    if (!key) {
      if (row[nameColumn]) errors.add(line, keyColumn, `is required with ${nameColumn}`);
      return;
    }
    const keyError = keyProblem(key);
    if (keyError) { errors.add(line, keyColumn, keyError); return; }
    const unit: OrgUnit = { name: row[nameColumn] || null, line, ...extra };
    const seen = map.get(key);
    if (!seen) { map.set(key, unit); return; }
    for (const field of ORG_FIELDS) {
      if (unit[field] && seen[field] && unit[field] !== seen[field]) {
        const column = field === "name" ? nameColumn : field;
        errors.add(line, column, `differs from line ${seen.line} for the same ${keyColumn} (${JSON.stringify(seen[field])})`);
      }
      if (unit[field] && !seen[field]) seen[field] = unit[field];
    }
  };
  org(orgs.departments, "departmentKey", "department", {});
  org(orgs.establishments, "establishmentKey", "establishment", {
    legalUnitKey: row.legalUnitKey || null, street: row.street || null, postalCode: row.postalCode || null, city: row.city || null,
    countryCode: row.countryCode ? row.countryCode.toUpperCase() : null,
  });
  org(orgs.legalUnits, "legalUnitKey", "legalUnit", { countryCode: row.countryCode ? row.countryCode.toUpperCase() : null });
}

/** Manager chains first: an employee's depth is one more than their manager's in the file. */
function managerOrder(employees: Map<string, Gathered>, errors: Errors): string[] {
  const depth = new Map<string, number>();
  const depthOf = (number: string, seen: Set<string>): number => {
    const known = depth.get(number);
    if (known !== undefined) return known;
    const g = employees.get(number);
    const manager = g?.values.managerEmployeeNumber;
    if (!g || !manager || !employees.has(manager)) { depth.set(number, 0); return 0; }
    if (seen.has(number)) { errors.add(g.line, "managerEmployeeNumber", "the manager chain leads back to this employee"); depth.set(number, 0); return 0; }
    seen.add(number);
    const d = depthOf(manager, seen) + 1;
    depth.set(number, d);
    return d;
  };
  for (const number of employees.keys()) depthOf(number, new Set());
  return [...employees.keys()].sort((a, b) => depth.get(a)! - depth.get(b)!);
}

async function upsertOrganisation(trx: Knex, tenantId: number, now: Date, orgs: Record<"departments" | "establishments" | "legalUnits", Map<string, OrgUnit>>, errors: Errors): Promise<void> {
  const existing = async (table: string, keys: string[]) => new Set((await trx(table).where("tenant_id", tenantId).whereIn("key", keys).pluck("key")) as string[]);
  const lu = [...orgs.legalUnits];
  const luKnown = await existing("legal_units", lu.map(([k]) => k));
  for (const [key, u] of lu) {
    if (!luKnown.has(key) && (!u.name || !u.countryCode)) errors.add(u.line, u.name ? "countryCode" : "legalUnit", `legal unit ${JSON.stringify(key)} does not exist: give its legalUnit name and countryCode to create it`);
  }
  const est = [...orgs.establishments];
  const estKnown = await existing("establishments", est.map(([k]) => k));
  for (const [key, u] of est) {
    if (!estKnown.has(key) && (!u.name || !u.legalUnitKey)) errors.add(u.line, u.name ? "legalUnitKey" : "establishment", `establishment ${JSON.stringify(key)} does not exist: give its establishment name and legalUnitKey to create it`);
  }
  const dep = [...orgs.departments];
  const depKnown = await existing("departments", dep.map(([k]) => k));
  for (const [key, u] of dep) {
    if (!depKnown.has(key) && !u.name) errors.add(u.line, "department", `department ${JSON.stringify(key)} does not exist: give its department name to create it`);
  }
  if (errors.list.length) return;
  const rows = (list: [string, OrgUnit][]) => JSON.stringify(list.filter(([, u]) => ORG_FIELDS.some((f) => u[f])).map(([key, u]) => ({
    key, name: u.name, country_code: u.countryCode ?? null, legal_unit_key: u.legalUnitKey ?? null, street: u.street ?? null, postal_code: u.postalCode ?? null, city: u.city ?? null,
  })));
  for (const chunk of chunked(lu, 5000)) {
    await trx.raw(`insert into legal_units as t (tenant_id, key, name, country_code, created_at, updated_at)
      select ?, v.key, coalesce(v.name, ''), coalesce(v.country_code, ''), ?, ? from jsonb_to_recordset(?::jsonb) as v(key text, name text, country_code text)
      on conflict (tenant_id, key) do update set name = coalesce(nullif(excluded.name, ''), t.name), country_code = coalesce(nullif(excluded.country_code, ''), t.country_code), updated_at = excluded.updated_at
      where t.name is distinct from coalesce(nullif(excluded.name, ''), t.name) or t.country_code is distinct from coalesce(nullif(excluded.country_code, ''), t.country_code)`,
    [tenantId, now, now, rows(chunk)]);
  }
  for (const chunk of chunked(est, 5000)) {
    const unknown = await trx.raw(`select v.key, v.legal_unit_key from jsonb_to_recordset(?::jsonb) as v(key text, legal_unit_key text)
      where v.legal_unit_key is not null and not exists (select 1 from legal_units l where l.tenant_id = ? and l.key = v.legal_unit_key)`, [rows(chunk), tenantId]);
    for (const u of unknown.rows) errors.add(orgs.establishments.get(u.key)!.line, "legalUnitKey", `no legal unit has the key ${JSON.stringify(u.legal_unit_key)}`);
    if (errors.list.length) return;
    const kept = ["name", "legal_unit_id", "street", "postal_code", "city", "country_code"];
    await trx.raw(`insert into establishments as t (tenant_id, key, name, legal_unit_id, street, postal_code, city, country_code, created_at, updated_at)
      select ?, v.key, v.name, l.id, v.street, v.postal_code, v.city, v.country_code, ?, ?
        from jsonb_to_recordset(?::jsonb) as v(key text, name text, legal_unit_key text, street text, postal_code text, city text, country_code text)
        left join legal_units l on l.tenant_id = ? and l.key = v.legal_unit_key
      on conflict (tenant_id, key) do update set ${kept.map((c) => `${c} = coalesce(excluded.${c}, t.${c})`).join(", ")}, updated_at = excluded.updated_at
      where (${kept.map((c) => `t.${c}`).join(", ")}) is distinct from (${kept.map((c) => `coalesce(excluded.${c}, t.${c})`).join(", ")})`,
    [tenantId, now, now, rows(chunk), tenantId]);
  }
  for (const chunk of chunked(dep, 5000)) {
    await trx.raw(`insert into departments as t (tenant_id, key, name, created_at, updated_at)
      select ?, v.key, v.name, ?, ? from jsonb_to_recordset(?::jsonb) as v(key text, name text)
      on conflict (tenant_id, key) do update set name = coalesce(excluded.name, t.name), updated_at = excluded.updated_at
      where t.name is distinct from coalesce(excluded.name, t.name)`,
    [tenantId, now, now, rows(chunk)]);
  }
}

/** Reads, checks and (unless a dry run, or refused) applies a CSV file. */
export async function importCsv(db: Knex, source: AsyncIterable<Buffer | string>, options: ImportOptions): Promise<ImportReport> {
  const report: ImportReport = { created: 0, updated: 0, unchanged: 0, removed: 0, errors: [], dryRun: !!options.dryRun };
  const errors = new Errors();
  const employees = new Map<string, Gathered>();
  const orgs = { departments: new Map<string, OrgUnit>(), establishments: new Map<string, OrgUnit>(), legalUnits: new Map<string, OrgUnit>() };
  let header: string[] | null = null;
  try {
    for await (const { line, fields } of csvRows(source, options.onProgress)) {
      if (!header) {
        header = fields.map((f) => f.trim());
        header.forEach((h) => { if (!IMPORT_COLUMNS.includes(h)) errors.add(1, h, `unknown column; the columns are ${IMPORT_COLUMNS.join(", ")}`); });
        for (const c of REQUIRED_COLUMNS) if (!header.includes(c)) errors.add(1, c, "required column missing");
        if (new Set(header).size !== header.length) errors.add(1, "", "a column appears twice");
        if (errors.list.length) break;
        continue;
      }
      if (fields.length !== header.length) { errors.add(line, "", `has ${fields.length} fields where the header has ${header.length}`); continue; }
      const row: Record<string, string> = {};
      header.forEach((h, i) => { row[h] = fields[i].trim(); });
      gatherRow(line, row, employees, orgs, errors);
      if (errors.full) break;
    }
  } catch (error) {
    const e = error as { code?: string; lines?: number; message?: string };
    if (typeof e?.code !== "string" || !e.code.startsWith("CSV_")) throw error;
    errors.add(e.lines ?? 0, "", `the file is not valid CSV here (${e.code})`);
  }
  if (!header && !errors.list.length) errors.add(1, "", "the file is empty: it needs a header line");
  const order = errors.list.length ? [] : managerOrder(employees, errors);

  const records: EmployeeRecord[] = [];
  const numberOfLine = new Map<number, string>();
  for (const number of order) {
    const g = employees.get(number)!;
    numberOfLine.set(g.line, number);
    const body: Record<string, unknown> = { contracts: g.contracts.map((c) => ({ start: c.start, end: c.end })) };
    for (const [c, v] of Object.entries(g.values)) if (v !== "" || EMPLOYEE_COLUMNS.includes(c)) body[c] = v === "" ? null : v;
    for (const f of EMPLOYEE_TEXT_FIELDS) if (f.required && body[f.field] === null) body[f.field] = "";
    try {
      records.push(validateEmployee(number, body));
    } catch (error) {
      if (!(error instanceof HrProblem)) throw error;
      for (const e of fromProblem(error.under(`/${g.line}`), employees, numberOfLine)) errors.add(e.line, e.column, e.message);
    }
  }
  if (errors.list.length) return { ...report, errors: errors.list };

  try {
    await db.transaction(async (trx) => {
      await withStatementTimeout(trx, IMPORT_STATEMENT_TIMEOUT_MS);
      await beginHrWrite(trx, { tenantId: options.tenant.id, actor: options.actor, now: options.now });
      await upsertOrganisation(trx, options.tenant.id, options.now, orgs, errors);
      if (errors.list.length) throw new DryRun();
      const lineOf = new Map(records.map((r) => [r.employeeNumber, employees.get(r.employeeNumber)!.line]));
      for (const batch of chunked(records, BATCH)) {
        try {
          const statuses = await upsertEmployees(trx, options.tenant.id, options.now, batch, (i) => `/${lineOf.get(batch[i].employeeNumber)}`);
          for (const s of statuses) report[s]++;
        } catch (error) {
          if (!(error instanceof HrProblem)) throw error;
          for (const e of fromProblem(error, employees, numberOfLine)) errors.add(e.line, e.column, e.message);
          throw new DryRun();
        }
      }
      if (options.snapshot) await handleAbsent(trx, options, employees, report);
      if (options.dryRun) throw new DryRun();
    });
  } catch (error) {
    if (!(error instanceof DryRun)) throw error;
  }
  return { ...report, errors: errors.list };
}

/** Employees of the tenant absent from the file; with removeAbsent, their open contracts end on the import date. */
async function handleAbsent(trx: Knex, options: ImportOptions, employees: Map<string, Gathered>, report: ImportReport): Promise<void> {
  const present = JSON.stringify([...employees.keys()]);
  const absent = await trx.raw(
    `select e.employee_number from employees e where e.tenant_id = ?
        and not exists (select 1 from jsonb_array_elements_text(?::jsonb) p(n) where p.n = e.employee_number)
      order by e.employee_number`, [options.tenant.id, present]);
  report.absent = absent.rows.map((r: { employee_number: string }) => r.employee_number);
  if (!options.removeAbsent || report.absent!.length === 0) return;
  const today = localDate(options.now, options.tenant.timeZone);
  const ended = await trx.raw(
    `update contracts c set end_date = ?::date
       from employees e
      where e.tenant_id = ? and c.tenant_id = e.tenant_id and c.employee_id = e.id
        and e.employee_number = any(?::text[])
        and c.start_date <= ?::date and (c.end_date is null or c.end_date > ?::date)
     returning e.id`, [today, options.tenant.id, report.absent!, today, today]);
  const ids = [...new Set(ended.rows.map((r: { id: number }) => r.id))] as number[];
  report.removed = ids.length;
  for (const chunk of chunked(ids, 5000)) {
    await trx("employees").where("tenant_id", options.tenant.id).whereIn("id", chunk).update({ contracts_changed_at: options.now });
  }
}

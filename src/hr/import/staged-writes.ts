// The writes of an import, read from its staging table (staging.ts) once every check passed: the
// organisation units the file names, created or renamed by key in one statement per type; then the
// employees, read back in batches of about `batchSize` rows (managers' batches before their
// reports', by the depth cross-checks.ts stored) and written through the HR write path
// (validateEmployee, upsertEmployees); with a snapshot, the employees absent from the file.
import type { Knex } from "knex";
import { upsertEmployees } from "../write/employees.js";
import { EMPLOYEE_REFERENCE_FIELDS, EMPLOYEE_TEXT_FIELDS } from "../write/fields.js";
import { HrProblem } from "../write/problem.js";
import { validateEmployee, type EmployeeRecord } from "../write/records.js";
import type { WriteStatus } from "../write/session.js";
import type { ImportError } from "./cross-checks.js";
import { EMPLOYEE_COLUMNS, LOGIN_HOLDERS, ROWS, stagedColumn, withoutNestedLoops } from "./staging.js";

/** Creates or renames the units the file describes (a unit named by key alone exists already: checked). */
export async function upsertStagedOrganisation(trx: Knex.Transaction, tenantId: number, now: Date): Promise<void> {
  await trx.raw(`insert into legal_units as t (tenant_id, key, name, country_code, created_at, updated_at)
      select ?, v.key, coalesce(v.name, ''), coalesce(v.country_code, ''), ?, ? from import_legal_units v
       where v.name is not null or v.country_code is not null order by v.line
      on conflict (tenant_id, key) do update set name = coalesce(nullif(excluded.name, ''), t.name), country_code = coalesce(nullif(excluded.country_code, ''), t.country_code), updated_at = excluded.updated_at
      where t.name is distinct from coalesce(nullif(excluded.name, ''), t.name) or t.country_code is distinct from coalesce(nullif(excluded.country_code, ''), t.country_code)`,
  [tenantId, now, now]);
  const kept = ["name", "legal_unit_id", "street", "postal_code", "city", "country_code"];
  await trx.raw(`insert into establishments as t (tenant_id, key, name, legal_unit_id, street, postal_code, city, country_code, created_at, updated_at)
      select ?, v.key, v.name, l.id, v.street, v.postal_code, v.city, v.country_code, ?, ?
        from import_establishments v left join legal_units l on l.tenant_id = ? and l.key = v.legal_unit_key
       where coalesce(v.name, v.legal_unit_key, v.street, v.postal_code, v.city, v.country_code) is not null order by v.line
      on conflict (tenant_id, key) do update set ${kept.map((c) => `${c} = coalesce(excluded.${c}, t.${c})`).join(", ")}, updated_at = excluded.updated_at
      where (${kept.map((c) => `t.${c}`).join(", ")}) is distinct from (${kept.map((c) => `coalesce(excluded.${c}, t.${c})`).join(", ")})`,
  [tenantId, now, now, tenantId]);
  await trx.raw(`insert into departments as t (tenant_id, key, name, created_at, updated_at)
      select ?, v.key, v.name, ?, ? from import_departments v where v.name is not null order by v.line
      on conflict (tenant_id, key) do update set name = coalesce(excluded.name, t.name), updated_at = excluded.updated_at
      where t.name is distinct from coalesce(excluded.name, t.name)`,
  [tenantId, now, now]);
}

/** Thrown with the errors that refuse the file (the transaction then rolls back). */
export class Refused extends Error {
  constructor(readonly errors: ImportError[]) { super("the import was refused"); }
}

interface StagedEmployee { line: number; rows: Record<string, any>[] }


/** An employee's record body as the HR API takes it: the first row's fields, a contract per row. */
function bodyOf(e: StagedEmployee): Record<string, unknown> {
  const first = e.rows[0];
  const body: Record<string, unknown> = { contracts: e.rows.map((r) => ({ start: r.contract_start, end: r.contract_end })) };
  for (const h of EMPLOYEE_COLUMNS) body[h] = first[stagedColumn(h)];
  for (const h of EMPLOYEE_REFERENCE_FIELDS) if (first[stagedColumn(h)] !== null) body[h] = first[stagedColumn(h)];
  for (const f of EMPLOYEE_TEXT_FIELDS) if (f.required && body[f.field] === null) body[f.field] = "";
  return body;
}

/**
 * Field errors of the write path ({path: "/<line>/<field>[/<i>/<start|end>]"}) as import errors; a
 * contract's error goes to its own row's line when `byLine` holds the employee's rows.
 */
export function fromProblem(problem: HrProblem, byLine = new Map<number, StagedEmployee>()): ImportError[] {
  return problem.errors.map((e) => {
    const [, line, ...rest] = e.path.split("/");
    const field = rest[0] ?? "employeeNumber";
    if (field === "contracts") {
      const row = byLine.get(Number(line))?.rows[Number(rest[1])];
      return { line: row?.line ?? Number(line), column: rest[2] === "end" ? "contractEnd" : "contractStart", message: e.message };
    }
    return { line: Number(line) || 1, column: field || "employeeNumber", message: e.message };
  });
}

export interface EmployeeWriteOptions {
  tenantId: number;
  now: Date;
  batchSize: number;
  /** Rows the import holds in memory, each time that changes. */
  onRowsHeld?: (rows: number) => void;
}

/**
 * Logins that move between employees of the file (a swap, a chain) are freed before the batches
 * write, so that their order does not matter: each employee holding a login the file gives another
 * one gets a placeholder no client login can be (it starts with a control character, which the
 * write path refuses), and its own batch writes its new login. The checks across rows made sure
 * every such holder is in the file with another login. Seen inside the import's transaction only.
 */
async function freeMovingLogins(trx: Knex.Transaction, tenantId: number): Promise<void> {
  const holders = (await withoutNestedLoops(trx, () => trx.raw(`select x.id ${LOGIN_HOLDERS}`, [tenantId]))).rows;
  if (holders.length === 0) return;
  await trx.raw("update employees set login = chr(1) || 'moving ' || id where tenant_id = ? and id = any(?::integer[])",
    [tenantId, holders.map((h: { id: number }) => h.id)]);
}

/** Writes the staged employees batch by batch; throws Refused on a write path's refusal. */
export async function writeStagedEmployees(trx: Knex.Transaction, options: EmployeeWriteOptions, count: Record<WriteStatus, number>): Promise<void> {
  await freeMovingLogins(trx, options.tenantId);
  await trx.raw(`
    update import_employees e set batch = b.batch from (
      select employee_number, ((sum(rows) over (order by depth, line) - rows) / ?)::integer as batch from import_employees) b
     where b.employee_number = e.employee_number`, [options.batchSize]);
  await trx.raw("create index on import_employees (batch)");
  const last = (await trx.raw("select max(batch) as n from import_employees")).rows[0].n as number | null;
  for (let batch = 0; last !== null && batch <= last; batch++) {
    const rows = (await trx.raw(`
      select e.line as first_line, r.* from import_employees e join ${ROWS} r on r.employee_number = e.employee_number
       where e.batch = ? order by e.depth, e.line, r.line`, [batch])).rows as Record<string, any>[];
    options.onRowsHeld?.(rows.length);
    const employees: StagedEmployee[] = [];
    for (const r of rows) {
      const current = employees[employees.length - 1];
      if (current?.line === r.first_line) current.rows.push(r);
      else employees.push({ line: r.first_line, rows: [r] });
    }
    const byLine = new Map(employees.map((e) => [e.line, e]));
    const records: EmployeeRecord[] = [];
    const errors: ImportError[] = [];
    for (const e of employees) {
      try {
        records.push(validateEmployee(e.rows[0].employee_number, bodyOf(e)));
      } catch (error) {
        if (!(error instanceof HrProblem)) throw error;
        errors.push(...fromProblem(error.under(`/${e.line}`), byLine));
      }
    }
    if (errors.length) throw new Refused(errors);
    try {
      const statuses = await upsertEmployees(trx, options.tenantId, options.now, records, (i) => `/${employees[i].line}`);
      for (const s of statuses) count[s]++;
    } catch (error) {
      if (!(error instanceof HrProblem)) throw error;
      throw new Refused(fromProblem(error, byLine));
    }
  }
  options.onRowsHeld?.(0);
}

/** Employees of the tenant absent from the file; with removeAbsent, their open contracts end on `today`. */
export async function handleAbsent(trx: Knex.Transaction, tenantId: number, now: Date, removeAbsent: boolean, today: string): Promise<{ absent: string[]; removed: number }> {
  const rows = (await trx.raw(`select e.id, e.employee_number from employees e where e.tenant_id = ?
      and not exists (select 1 from import_employees p where p.employee_number = e.employee_number)
    order by e.employee_number`, [tenantId])).rows as { id: number; employee_number: string }[];
  const absent = rows.map((r) => r.employee_number);
  if (!removeAbsent || absent.length === 0) return { absent, removed: 0 };
  const ended = await trx.raw(`
    with ended as (
      update contracts c set end_date = ?::date
       where c.tenant_id = ? and c.employee_id = any(?::integer[])
         and c.start_date <= ?::date and (c.end_date is null or c.end_date > ?::date)
      returning c.employee_id)
    select distinct employee_id from ended`, [today, tenantId, rows.map((r) => r.id), today, today]);
  const ids = ended.rows.map((r: { employee_id: number }) => r.employee_id) as number[];
  if (ids.length) {
    await trx.raw("update employees set contracts_changed_at = ? where tenant_id = ? and id = any(?::integer[])", [now, tenantId, ids]);
  }
  return { absent, removed: ids.length };
}

// Employees by employee number: set-based upserts of whole records (their text fields, references
// by key, manager by number, extended data and the contract list, stored as sent), as one record
// (PUT) or many (a batch of the CSV import, the seed, the benchmark generator). A row is written
// only when a value differs, contracts only when the list differs, so a repeat changes nothing.
// What main's triggers keep (lifecycle, lastModified) they keep here too: this writes the HR columns
// and contracts, bumps version and updated_at on a column change, and stamps contracts_changed_at
// with the writer's instant on a contract change of an existing employee (contracts written with a
// new employee are part of its creation, as the seed has them).
import type { Knex } from "knex";
import { EMPLOYEE_TEXT_FIELDS } from "./fields.js";
import { idsByKey } from "./organisation.js";
import { conflict, unknownReference, type FieldError } from "./problem.js";
import type { Contract, EmployeeRecord } from "./records.js";
import { chunked, type WriteStatus } from "./session.js";

const TEXT_COLUMNS = EMPLOYEE_TEXT_FIELDS.map((f) => f.column);

interface StoredEmployee {
  id: number;
  employee_number: string;
  department_id: number | null;
  establishment_id: number | null;
  manager_id: number | null;
  extended_data: Record<string, unknown>;
  [column: string]: unknown;
}

/** Stable JSON (sorted keys), to compare extended data. */
function stableJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
  const o = value as Record<string, unknown>;
  return `{${Object.keys(o).sort().map((k) => `${JSON.stringify(k)}:${stableJson(o[k])}`).join(",")}}`;
}

function sameContracts(a: Contract[], b: Contract[]): boolean {
  return a.length === b.length && a.every((c, i) => c.start === b[i].start && c.end === b[i].end);
}

async function storedContracts(trx: Knex, tenantId: number, ids: number[]): Promise<Map<number, Contract[]>> {
  const out = new Map<number, Contract[]>();
  for (const chunk of chunked(ids, 5000)) {
    const rows = await trx.raw(
      `select employee_id, to_char(start_date, 'YYYY-MM-DD') as start, to_char(end_date, 'YYYY-MM-DD') as "end"
         from contracts where tenant_id = ? and employee_id = any(?::integer[]) order by employee_id, start_date, end_date nulls last`,
      [tenantId, chunk]);
    for (const r of rows.rows) {
      const list = out.get(r.employee_id) ?? [];
      list.push({ start: r.start, end: r.end });
      out.set(r.employee_id, list);
    }
  }
  return out;
}

/**
 * Upserts whole employee records of one tenant, all or nothing (throws HrProblem, leaving the
 * caller's transaction to roll back). `pathOf(i)` prefixes field errors of record i. Returns the
 * status of each record, in order.
 */
export async function upsertEmployees(
  trx: Knex, tenantId: number, now: Date, records: EmployeeRecord[], pathOf: (i: number) => string = () => "",
): Promise<WriteStatus[]> {
  if (records.length === 0) return [];
  const errors: FieldError[] = [];
  const conflicts: FieldError[] = [];

  const numbers = new Map<string, number>();
  const logins = new Map<string, number>();
  records.forEach((r, i) => {
    if (numbers.has(r.employeeNumber)) conflicts.push({ path: `${pathOf(i)}`, message: `employee number ${JSON.stringify(r.employeeNumber)} appears twice` });
    numbers.set(r.employeeNumber, i);
    const login = String(r.columns.login).toLowerCase();
    if (logins.has(login)) conflicts.push({ path: `${pathOf(i)}/login`, message: `login ${JSON.stringify(r.columns.login)} is given to two employees` });
    logins.set(login, i);
  });

  const departments = await idsByKey(trx, "departments", tenantId, records.flatMap((r) => (r.departmentKey ? [r.departmentKey] : [])));
  const establishments = await idsByKey(trx, "establishments", tenantId, records.flatMap((r) => (r.establishmentKey ? [r.establishmentKey] : [])));
  const managers = await idsByKey(trx, "employees", tenantId, records.flatMap((r) => (r.managerEmployeeNumber ? [r.managerEmployeeNumber] : [])));
  records.forEach((r, i) => {
    if (r.departmentKey && !departments.has(r.departmentKey)) errors.push({ path: `${pathOf(i)}/departmentKey`, message: `no department has the key ${JSON.stringify(r.departmentKey)}` });
    if (r.establishmentKey && !establishments.has(r.establishmentKey)) errors.push({ path: `${pathOf(i)}/establishmentKey`, message: `no establishment has the key ${JSON.stringify(r.establishmentKey)}` });
    if (r.managerEmployeeNumber && !managers.has(r.managerEmployeeNumber) && !numbers.has(r.managerEmployeeNumber)) {
      errors.push({ path: `${pathOf(i)}/managerEmployeeNumber`, message: `no employee has the number ${JSON.stringify(r.managerEmployeeNumber)}` });
    }
  });

  // Logins held by other employees (not re-given in this call under another number).
  for (const chunk of chunked([...logins.keys()], 5000)) {
    const taken = await trx("employees").where("tenant_id", tenantId).whereRaw("lower(login) = any(?::text[])", [chunk]).select("employee_number", "login");
    for (const t of taken) {
      const i = logins.get(String(t.login).toLowerCase())!;
      if (t.employee_number === records[i].employeeNumber) continue;
      const other = numbers.get(t.employee_number);
      if (other !== undefined && String(records[other].columns.login).toLowerCase() !== String(t.login).toLowerCase()) continue;
      conflicts.push({ path: `${pathOf(i)}/login`, message: `login ${JSON.stringify(records[i].columns.login)} is taken by employee ${t.employee_number}` });
    }
  }
  if (errors.length) throw unknownReference([...errors, ...conflicts]);
  if (conflicts.length) throw conflict(conflicts);

  const stored = new Map<string, StoredEmployee>();
  for (const chunk of chunked([...numbers.keys()], 5000)) {
    const rows = await trx("employees").where("tenant_id", tenantId).whereIn("employee_number", chunk)
      .select("id", "employee_number", "department_id", "establishment_id", "manager_id", "extended_data", ...TEXT_COLUMNS).forUpdate();
    for (const r of rows) stored.set(r.employee_number, r);
  }

  // New employees, with their manager when stored already (else set below: they may be among them).
  // One statement per chunk, the rows as one JSON parameter (a row-per-parameter insert of thousands
  // of rows costs more to bind than to write), inserted in the records' order.
  const fresh = records.filter((r) => !stored.has(r.employeeNumber));
  const ids = new Map<string, number>([...stored].map(([n, s]) => [n, s.id]));
  const insertColumns = ["employee_number", ...TEXT_COLUMNS, "department_id", "establishment_id", "manager_id", "extended_data", "created_at", "updated_at"];
  const insertTypes = ["employee_number text", ...TEXT_COLUMNS.map((c) => `${c} text`), "department_id integer", "establishment_id integer", "manager_id integer", "extended_data jsonb", "created_at timestamptz", "updated_at timestamptz"];
  for (const chunk of chunked(fresh, 5000)) {
    const rows = await trx.raw(
      `insert into employees (tenant_id, ${insertColumns.join(", ")})
       select ?, ${insertColumns.map((c) => `v.${c}`).join(", ")}
         from rows from (jsonb_to_recordset(?::jsonb) as (${insertTypes.join(", ")})) with ordinality as v(${insertColumns.join(", ")}, ord)
        order by v.ord
       returning id, employee_number`,
      [tenantId, JSON.stringify(chunk.map((r) => ({
        employee_number: r.employeeNumber, ...r.columns,
        department_id: r.departmentKey ? departments.get(r.departmentKey)! : null,
        establishment_id: r.establishmentKey ? establishments.get(r.establishmentKey)! : null,
        manager_id: r.managerEmployeeNumber ? managers.get(r.managerEmployeeNumber) ?? null : null,
        extended_data: r.extendedData, created_at: r.changedAt ?? now, updated_at: r.changedAt ?? now,
      })))]);
    for (const row of rows.rows) ids.set(row.employee_number, row.id);
  }
  const managerId = (r: EmployeeRecord) => (r.managerEmployeeNumber ? managers.get(r.managerEmployeeNumber) ?? ids.get(r.managerEmployeeNumber)! : null);

  const freshManaged = fresh.filter((r) => r.managerEmployeeNumber && !managers.has(r.managerEmployeeNumber));
  for (const chunk of chunked(freshManaged, 5000)) {
    await trx.raw(
      `update employees e set manager_id = v.manager_id from jsonb_to_recordset(?::jsonb) as v(id integer, manager_id integer)
        where e.tenant_id = ? and e.id = v.id`,
      [JSON.stringify(chunk.map((r) => ({ id: ids.get(r.employeeNumber), manager_id: managerId(r) }))), tenantId]);
  }

  const status = new Map<string, WriteStatus>(fresh.map((r) => [r.employeeNumber, "created"]));
  const changed: Record<string, unknown>[] = [];
  for (const r of records) {
    const s = stored.get(r.employeeNumber);
    if (!s) continue;
    const next: Record<string, unknown> = {
      ...r.columns,
      department_id: r.departmentKey ? departments.get(r.departmentKey)! : null,
      establishment_id: r.establishmentKey ? establishments.get(r.establishmentKey)! : null,
      manager_id: managerId(r),
    };
    const differs = Object.keys(next).some((c) => (s[c] ?? null) !== (next[c] ?? null)) || stableJson(s.extended_data ?? {}) !== stableJson(r.extendedData);
    if (differs) {
      changed.push({ id: s.id, ...next, extended_data: r.extendedData });
      status.set(r.employeeNumber, "updated");
    } else status.set(r.employeeNumber, "unchanged");
  }
  const setList = [...TEXT_COLUMNS, "department_id", "establishment_id", "manager_id", "extended_data"].map((c) => `${c} = v.${c}`).join(", ");
  const typeList = [...TEXT_COLUMNS.map((c) => `${c} text`), "department_id integer", "establishment_id integer", "manager_id integer", "extended_data jsonb"].join(", ");
  for (const chunk of chunked(changed, 5000)) {
    await trx.raw(
      `update employees e set ${setList}, version = e.version + 1, updated_at = ?
         from jsonb_to_recordset(?::jsonb) as v(id integer, ${typeList})
        where e.tenant_id = ? and e.id = v.id`,
      [now, JSON.stringify(chunk), tenantId]);
  }

  // Contracts, stored as sent: replaced where the list differs.
  const existingIds = [...stored.values()].map((s) => s.id);
  const current = await storedContracts(trx, tenantId, existingIds);
  const replaced: number[] = [];
  const inserts: Record<string, unknown>[] = [];
  for (const r of records) {
    const id = ids.get(r.employeeNumber)!;
    const isNew = !stored.has(r.employeeNumber);
    if (!isNew && sameContracts(current.get(id) ?? [], r.contracts)) continue;
    if (!isNew) {
      replaced.push(id);
      if (status.get(r.employeeNumber) === "unchanged") status.set(r.employeeNumber, "updated");
    }
    for (const c of r.contracts) inserts.push({ employee_id: id, start_date: c.start, end_date: c.end });
  }
  for (const chunk of chunked(replaced, 5000)) {
    await trx("contracts").where("tenant_id", tenantId).whereIn("employee_id", chunk).delete();
  }
  for (const chunk of chunked(inserts, 10_000)) {
    await trx.raw(
      `insert into contracts (tenant_id, employee_id, start_date, end_date)
       select ?, v.employee_id, v.start_date, v.end_date from jsonb_to_recordset(?::jsonb) as v(employee_id integer, start_date date, end_date date)`,
      [tenantId, JSON.stringify(chunk)]);
  }
  // The contracts triggers stamp with the database's clock; the writer's instant is the change's.
  const freshIds = fresh.map((r) => ids.get(r.employeeNumber)!);
  for (const chunk of chunked(freshIds, 10_000)) {
    await trx.raw("update employees set contracts_changed_at = null where tenant_id = ? and id = any(?::integer[]) and contracts_changed_at is not null", [tenantId, chunk]);
  }
  for (const chunk of chunked(replaced, 10_000)) {
    await trx.raw("update employees set contracts_changed_at = ? where tenant_id = ? and id = any(?::integer[])", [now, tenantId, chunk]);
  }
  return records.map((r) => status.get(r.employeeNumber)!);
}

/**
 * Deletes an employee entered by mistake (their contracts go with them); their reports lose their
 * manager (a change of theirs). False when there is none.
 */
export async function deleteEmployee(trx: Knex, tenantId: number, now: Date, employeeNumber: string): Promise<boolean> {
  const row = await trx("employees").where({ tenant_id: tenantId, employee_number: employeeNumber }).forUpdate().first("id");
  if (!row) return false;
  await trx("employees").where({ tenant_id: tenantId, manager_id: row.id })
    .update({ manager_id: null, version: trx.raw("version + 1"), updated_at: now });
  await trx("employees").where({ tenant_id: tenantId, id: row.id }).delete();
  return true;
}

const RECORD_COLUMNS = (trx: Knex) => [
  "e.id", "e.employee_number", ...TEXT_COLUMNS.map((c) => `e.${c}`), "e.extended_data", "e.updated_at", "e.last_modified",
  trx.raw("e.last_modified::text as last_modified_text"),
  "d.key as department_key", "s.key as establishment_key", "m.employee_number as manager_number",
  trx.raw(`(select coalesce(json_agg(json_build_object('start', to_char(c.start_date, 'YYYY-MM-DD'), 'end', to_char(c.end_date, 'YYYY-MM-DD'))
              order by c.start_date, c.end_date nulls last), '[]'::json)
              from contracts c where c.tenant_id = e.tenant_id and c.employee_id = e.id) as contracts`),
];

function recordQuery(db: Knex, tenantId: number) {
  return db("employees as e")
    .leftJoin("departments as d", function () { this.on("d.tenant_id", "e.tenant_id").andOn("d.id", "e.department_id"); })
    .leftJoin("establishments as s", function () { this.on("s.tenant_id", "e.tenant_id").andOn("s.id", "e.establishment_id"); })
    .leftJoin("employees as m", function () { this.on("m.tenant_id", "e.tenant_id").andOn("m.id", "e.manager_id"); })
    .where("e.tenant_id", tenantId)
    .select(RECORD_COLUMNS(db));
}

/** A stored employee as the HR API shows it (every field, null when empty). */
function toRecord(r: Record<string, any>): Record<string, unknown> {
  const out: Record<string, unknown> = { employeeNumber: r.employee_number };
  for (const f of EMPLOYEE_TEXT_FIELDS) out[f.field] = r[f.column] ?? null;
  out.departmentKey = r.department_key ?? null;
  out.establishmentKey = r.establishment_key ?? null;
  out.managerEmployeeNumber = r.manager_number ?? null;
  out.contracts = typeof r.contracts === "string" ? JSON.parse(r.contracts) : r.contracts;
  out.extendedData = r.extended_data ?? {};
  out.updatedAt = new Date(r.last_modified).toISOString();
  return out;
}

export async function readEmployee(db: Knex, tenantId: number, employeeNumber: string): Promise<Record<string, unknown> | null> {
  const r = await recordQuery(db, tenantId).where("e.employee_number", employeeNumber).first();
  return r ? toRecord(r) : null;
}

export interface EmployeePage { items: Record<string, unknown>[]; next: { at: string; id: number } | null }

/**
 * Employees whose representation changed at or after `since` (meta.lastModified: their row, their
 * contracts, what they show by name), in (lastModified, id) order, keyset-paged after `after`.
 */
export async function listEmployees(
  db: Knex, tenantId: number, options: { since: Date | null; after: { at: string; id: number } | null; limit: number },
): Promise<EmployeePage> {
  const q = recordQuery(db, tenantId).orderBy("e.last_modified").orderBy("e.id").limit(options.limit + 1);
  if (options.since) q.where("e.last_modified", ">=", options.since);
  if (options.after) q.whereRaw("(e.last_modified, e.id) > (?::timestamptz, ?::integer)", [options.after.at, options.after.id]);
  const rows = await q;
  const page = rows.slice(0, options.limit);
  const last = page[page.length - 1];
  return {
    items: page.map(toRecord),
    next: rows.length > options.limit ? { at: last.last_modified_text, id: last.id } : null,
  };
}

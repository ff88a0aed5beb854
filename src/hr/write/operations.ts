// The HR API's operations on one record (PUT a whole record, DELETE it), shared by the single-record
// endpoints and the batch: `parseOperation` validates without the database, `applyOperation` writes
// inside the caller's HR transaction (hr/write/session.ts) and returns the status and the stored
// record. A refusal is an HrProblem.
import type { Knex } from "knex";
import { deleteEmployee, readEmployee, upsertEmployees } from "./employees.js";
import {
  deleteByKey, readDepartment, readEstablishment, readLegalUnit, upsertDepartments, upsertEstablishments, upsertLegalUnits,
} from "./organisation.js";
import { HrProblem, hrNotFound, invalidRecord } from "./problem.js";
import {
  keyProblem, validateDepartment, validateEmployee, validateEstablishment, validateLegalUnit,
  type DepartmentRecord, type EmployeeRecord, type EstablishmentRecord, type LegalUnitRecord, type RecordType,
} from "./records.js";
import type { WriteStatus } from "./session.js";

export const RECORD_TYPES: readonly RecordType[] = ["legal-units", "establishments", "departments", "employees"];

const NAMES: Record<RecordType, string> = {
  "legal-units": "The legal unit", establishments: "The establishment", departments: "The department", employees: "The employee",
};

export type ParsedOperation =
  | { method: "DELETE"; type: RecordType; key: string }
  | { method: "PUT"; type: "legal-units"; key: string; record: LegalUnitRecord }
  | { method: "PUT"; type: "establishments"; key: string; record: EstablishmentRecord }
  | { method: "PUT"; type: "departments"; key: string; record: DepartmentRecord }
  | { method: "PUT"; type: "employees"; key: string; record: EmployeeRecord };

export function isRecordType(value: string): value is RecordType {
  return (RECORD_TYPES as readonly string[]).includes(value);
}

/** Checks a record's key (from the URL). */
export function checkKey(key: string): void {
  const problem = keyProblem(key);
  if (problem) throw invalidRecord([{ path: "", message: `the key in the URL ${problem}` }]);
}

export function parseOperation(method: "PUT" | "DELETE", type: RecordType, key: string, body: unknown): ParsedOperation {
  checkKey(key);
  if (method === "DELETE") return { method, type, key };
  switch (type) {
    case "legal-units": return { method, type, key, record: validateLegalUnit(key, body) };
    case "establishments": return { method, type, key, record: validateEstablishment(key, body) };
    case "departments": return { method, type, key, record: validateDepartment(key, body) };
    case "employees": return { method, type, key, record: validateEmployee(key, body) };
  }
}

export async function readRecord(db: Knex, tenantId: number, type: RecordType, key: string): Promise<Record<string, unknown> | null> {
  switch (type) {
    case "legal-units": return readLegalUnit(db, tenantId, key);
    case "establishments": return readEstablishment(db, tenantId, key);
    case "departments": return readDepartment(db, tenantId, key);
    case "employees": return readEmployee(db, tenantId, key);
  }
}

export interface OperationResult {
  status: number;
  /** created / updated / unchanged / deleted. */
  outcome: WriteStatus | "deleted";
  body: Record<string, unknown> | null;
}

const TABLES = { "legal-units": "legal_units", establishments: "establishments", departments: "departments" } as const;

/** Applies one parsed operation in `trx` (an HR transaction of `tenantId`). */
export async function applyOperation(trx: Knex, tenantId: number, now: Date, op: ParsedOperation): Promise<OperationResult> {
  if (op.method === "DELETE") {
    const deleted = op.type === "employees"
      ? await deleteEmployee(trx, tenantId, now, op.key)
      : await deleteByKey(trx, TABLES[op.type], tenantId, op.key);
    if (!deleted) throw hrNotFound(NAMES[op.type]);
    return { status: 204, outcome: "deleted", body: null };
  }
  let status: WriteStatus;
  switch (op.type) {
    case "legal-units": status = (await upsertLegalUnits(trx, tenantId, now, [op.record])).get(op.key)!; break;
    case "establishments": status = (await upsertEstablishments(trx, tenantId, now, [op.record])).get(op.key)!; break;
    case "departments": status = (await upsertDepartments(trx, tenantId, now, [op.record])).get(op.key)!; break;
    case "employees": [status] = await upsertEmployees(trx, tenantId, now, [op.record]); break;
  }
  const body = await readRecord(trx, tenantId, op.type, op.key);
  if (!body) throw new HrProblem(500, "The record was written but cannot be read back");
  return { status: status === "created" ? 201 : 200, outcome: status, body };
}

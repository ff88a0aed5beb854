// The CSV import (issue 11): one row per contract, the header names the HR API's fields. All in the
// import's one transaction, in memory bounded by a batch of rows, never by the file:
// 1. the rows stream from the parser, each checked alone in JS (keys, dates, emails, language
//    tags, blanks), into a staging table (staging.ts), a batch of rows at a time;
// 2. the checks across rows run in SQL over it (cross-checks.ts): an employee's fields agree on
//    all their rows, an organisation unit's too, contracts do not overlap, references resolve,
//    manager chains end;
// 3. the organisation units named in rows are created or renamed by key, then the employees are
//    read back in batches (managers before their reports) and written through the HR write path
//    (staged-writes.ts); with a snapshot the absent employees are listed, or made leavers on the
//    import date.
// All or nothing: any bad row refuses the file, each error as {line, column, message}; a dry run
// rolls the applied transaction back. The tenant's feed lock (beginHrWrite) is taken once the file
// is staged, so staging does not hold back the tenant's other HR writers nor its feed. The source
// is read inside the transaction: HTTP uploads are spooled to a file first (http/upload-spool.ts),
// so that no client's sending speed holds a connection.
import type { Knex } from "knex";
import { isStorableText } from "../../db/storable-text.js";
import { BULK_WRITE_STATEMENT_TIMEOUT_MS, withStatementTimeout } from "../../db/statement-timeout.js";
import { analyzeHrTables } from "../../db/table-statistics.js";
import { localDate } from "../lifecycle.js";
import type { Tenant } from "../tenants.js";
import { EMPLOYEE_TEXT_FIELDS } from "../write/fields.js";
import { HrProblem } from "../write/problem.js";
import { keyProblem, validateEmployee } from "../write/records.js";
import { beginHrWrite } from "../write/session.js";
import { crossRowErrors, type ImportError } from "./cross-checks.js";
import { csvRows, type ProgressListener } from "./csv-rows.js";
import { fromProblem, handleAbsent, Refused, upsertStagedOrganisation, writeStagedEmployees } from "./staged-writes.js";
import { createStaging, EMPLOYEE_COLUMNS, IMPORT_COLUMNS, STAGED, stageRows, summariseStaging, type StagedRow } from "./staging.js";

export { IMPORT_COLUMNS, type ImportError };
export const REQUIRED_COLUMNS = ["employeeNumber", "login", "firstName", "lastName", "contractStart"] as const;

/** Errors reported at most (the file is refused at the first; more help fix it in one go). */
const MAX_ERRORS = 200;
/** Rows staged per insert, and about the rows of employees written per call of the write path. */
export const IMPORT_BATCH_ROWS = 5000;

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
  /** Rows per batch (IMPORT_BATCH_ROWS); the import holds no more rows than this in memory (one employee's rows at least). */
  batchSize?: number;
  /** Told the number of file rows the import holds in memory, each time it takes a batch. */
  onRowsHeld?: (rows: number) => void;
  /** Employees created, updated or removed from which the HR tables are analyzed after the import (ANALYZE_AFTER_ROWS). */
  analyzeAfterRows?: number;
}

/**
 * An applied import that created, updated or removed this many employees has the HR tables analyzed
 * once it committed (db/table-statistics.ts): the reads that follow it, such as an identity
 * provider's first import of the new people, are planned for the tenant's real size.
 */
export const ANALYZE_AFTER_ROWS = 10_000;

class DryRun extends Error {}

class Errors {
  readonly list: ImportError[] = [];
  add(line: number, column: string, message: string): void {
    if (this.list.length < MAX_ERRORS) this.list.push({ line, column, message });
  }
  get full(): boolean { return this.list.length >= MAX_ERRORS; }
}

const UNITS = [["departmentKey", "department"], ["establishmentKey", "establishment"], ["legalUnitKey", "legalUnit"]] as const;

/** The checks of one row alone, as the HR API checks a record with this row's one contract. */
function checkRow(line: number, row: Record<string, string>, errors: Errors): boolean {
  const problem = keyProblem(row.employeeNumber ?? "");
  if (problem) { errors.add(line, "employeeNumber", problem); return false; }
  const before = errors.list.length;
  for (const [column, value] of Object.entries(row)) {
    if (!isStorableText(value)) errors.add(line, column, "holds a character that cannot be stored (NUL or another control character)");
  }
  if (errors.list.length > before) return false;
  if (!row.contractStart) errors.add(line, "contractStart", "is required");
  for (const [keyColumn, nameColumn] of UNITS) {
    const key = row[keyColumn];
    if (!key) { if (row[nameColumn]) errors.add(line, keyColumn, `is required with ${nameColumn}`); continue; }
    const keyError = keyProblem(key);
    if (keyError) errors.add(line, keyColumn, keyError);
  }
  const body: Record<string, unknown> = { contracts: row.contractStart ? [{ start: row.contractStart, end: row.contractEnd || null }] : [] };
  for (const c of EMPLOYEE_COLUMNS) body[c] = row[c] || null;
  for (const f of EMPLOYEE_TEXT_FIELDS) if (f.required) body[f.field] ??= "";
  if (row.managerEmployeeNumber) body.managerEmployeeNumber = row.managerEmployeeNumber;
  try {
    validateEmployee(row.employeeNumber, body);
  } catch (error) {
    if (!(error instanceof HrProblem)) throw error;
    for (const e of fromProblem(error.under(`/${line}`))) errors.add(e.line, e.column, e.message);
  }
  return errors.list.length === before;
}

/** Streams the file into the staging table, a batch at a time; a refusal is left in `errors`. */
async function stageFile(trx: Knex.Transaction, source: AsyncIterable<Buffer | string>, options: ImportOptions, batchSize: number, errors: Errors): Promise<void> {
  let header: string[] | null = null;
  let batch: StagedRow[] = [];
  const flush = async () => {
    options.onRowsHeld?.(batch.length);
    await stageRows(trx, batch);
    batch = [];
  };
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
      if (!checkRow(line, row, errors)) { if (errors.full) break; continue; }
      if (errors.list.length) continue; // refused already: only more errors are looked for
      const staged: StagedRow = { line };
      for (const s of STAGED) staged[s.column] = row[s.header] || null;
      batch.push(staged);
      if (batch.length >= batchSize) await flush();
    }
  } catch (error) {
    const e = error as { code?: string; lines?: number };
    if (typeof e?.code !== "string" || !e.code.startsWith("CSV_")) throw error;
    errors.add(e.lines ?? 0, "", `the file is not valid CSV here (${e.code})`);
  }
  if (!header && !errors.list.length) errors.add(1, "", "the file is empty: it needs a header line");
  if (!errors.list.length) await flush();
}

/** Reads, checks and (unless a dry run, or refused) applies a CSV file. */
export async function importCsv(db: Knex, source: AsyncIterable<Buffer | string>, options: ImportOptions): Promise<ImportReport> {
  const report: ImportReport = { created: 0, updated: 0, unchanged: 0, removed: 0, errors: [], dryRun: !!options.dryRun };
  const tenantId = options.tenant.id;
  const batchSize = options.batchSize ?? IMPORT_BATCH_ROWS;
  try {
    await db.transaction(async (trx) => {
      await withStatementTimeout(trx, BULK_WRITE_STATEMENT_TIMEOUT_MS);
      await createStaging(trx);
      const errors = new Errors();
      await stageFile(trx, source, options, batchSize, errors);
      if (errors.list.length) throw new Refused(errors.list);
      await summariseStaging(trx);
      await beginHrWrite(trx, { tenantId, actor: options.actor, now: options.now });
      const crossErrors = await crossRowErrors(trx, tenantId, MAX_ERRORS);
      if (crossErrors.length) throw new Refused(crossErrors);
      await upsertStagedOrganisation(trx, tenantId, options.now);
      await writeStagedEmployees(trx, { tenantId, now: options.now, batchSize, onRowsHeld: options.onRowsHeld }, report);
      if (options.snapshot) {
        const absent = await handleAbsent(trx, tenantId, options.now, !!options.removeAbsent, localDate(options.now, options.tenant.timeZone));
        report.absent = absent.absent;
        report.removed = absent.removed;
      }
      if (options.dryRun) throw new DryRun();
    });
  } catch (error) {
    if (error instanceof Refused) return { created: 0, updated: 0, unchanged: 0, removed: 0, errors: error.errors.slice(0, MAX_ERRORS), dryRun: report.dryRun };
    if (!(error instanceof DryRun)) throw error;
  }
  if (!report.dryRun && report.created + report.updated + report.removed >= (options.analyzeAfterRows ?? ANALYZE_AFTER_ROWS)) await analyzeHrTables(db);
  return report;
}

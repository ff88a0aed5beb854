// The import's staging table: every row of the file, with its line, in a TEMP table of the import's
// transaction (dropped at commit or rollback), filled in batches by multi-row inserts so that the
// import holds one batch of rows at a time whatever the file's size. Cross-row checks and the
// writes read it back in SQL (cross-checks.ts, staged-writes.ts). Multi-row inserts rather than
// COPY: COPY FROM STDIN needs a dependency on pg (pg-copy-streams) and another path on PGlite (COPY
// FROM '/dev/blob', a query option knex's raw does not pass), while the jsonb_to_recordset inserts
// stage 100,000 rows in under a second of a 40 s import (docs/BENCHMARKS.md).
import type { Knex } from "knex";
import { EMPLOYEE_TEXT_FIELDS } from "../write/fields.js";

/** A file column and its staging column (the employees column for an employee's text field). */
export interface StagedColumn { header: string; column: string }

const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

export const EMPLOYEE_COLUMNS: readonly string[] = EMPLOYEE_TEXT_FIELDS.map((f) => f.field);
// countryCode is the legal unit's and the establishment's; street, postalCode and city (optional,
// not in the issue's list) the establishment's address, which SCIM shows as the work address.
export const ORG_COLUMNS = ["departmentKey", "department", "establishmentKey", "establishment", "street", "postalCode", "city", "legalUnitKey", "legalUnit", "countryCode", "managerEmployeeNumber"];
export const IMPORT_COLUMNS: readonly string[] = ["employeeNumber", ...EMPLOYEE_COLUMNS, ...ORG_COLUMNS, "contractStart", "contractEnd"];

const COLUMN_OF = new Map<string, string>(EMPLOYEE_TEXT_FIELDS.map((f) => [f.field, f.column]));
export const STAGED: readonly StagedColumn[] = IMPORT_COLUMNS.map((header) => ({ header, column: COLUMN_OF.get(header) ?? snake(header) }));
const STAGED_COLUMN = new Map<string, string>(STAGED.map((s) => [s.header, s.column]));
export const stagedColumn = (header: string): string => STAGED_COLUMN.get(header)!;

/** One staged row: its line and each column's trimmed value, null when empty. */
export type StagedRow = { line: number } & Record<string, string | number | null>;

export const ROWS = "import_rows";

/**
 * `from ... where ...` over the file's employees (`e`, their first row `r`) and the stored employee
 * (`x`: id, employee_number, login) holding the login the file gives them, when that is another
 * employee; bind the tenant id. Run it through withoutNestedLoops.
 */
export const LOGIN_HOLDERS = `from import_employees e join ${ROWS} r on r.line = e.line
  join employees x on x.tenant_id = ? and lower(x.login) = lower(r.login)
 where x.employee_number <> e.employee_number`;

/**
 * Runs `work` in `trx` with nested loops off, then puts the setting back: the statements that join
 * the file's rows with the tenant's stored employees, hashed, cost a pass over each whatever the
 * statistics say. After a first import the tenant's employees were counted at a few rows until the
 * next analyze; planned on that, a join by login went over every stored employee for each row of
 * the file (a nested loop, or an index scan on the tenant alone, ranked equal): re-importing
 * 20,000 unchanged rows took 100 s instead of 2.
 */
export async function withoutNestedLoops<T>(trx: Knex.Transaction, work: () => Promise<T>): Promise<T> {
  const before = (await trx.raw("select current_setting('enable_nestloop') as value, set_config('enable_nestloop', 'off', true)")).rows[0].value as string;
  const result = await work();
  await trx.raw("select set_config('enable_nestloop', ?, true)", [before]);
  return result;
}

/** Creates the staging table of the transaction `trx` (dropped when it ends). */
export async function createStaging(trx: Knex.Transaction): Promise<void> {
  await trx.raw(`create temp table ${ROWS} (line integer primary key, ${STAGED.map((s) => `${s.column} text`).join(", ")}) on commit drop`);
}

/** Appends rows to the staging table, in one statement. */
export async function stageRows(trx: Knex.Transaction, rows: readonly StagedRow[]): Promise<void> {
  if (rows.length === 0) return;
  const columns = STAGED.map((s) => s.column);
  await trx.raw(
    `insert into ${ROWS} (line, ${columns.join(", ")})
     select line, ${columns.join(", ")} from jsonb_to_recordset(?::jsonb) as v(line integer, ${columns.map((c) => `${c} text`).join(", ")})`,
    [JSON.stringify(rows)]);
}

/**
 * After the rows are staged: the file's employees (number, first line, rows, manager as on their
 * first row; depth and batch filled by the checks and the writer) and its organisation units (each
 * field the first non-empty value in line order), indexed for the checks and the writes.
 */
export async function summariseStaging(trx: Knex.Transaction): Promise<void> {
  await trx.raw(`create index on ${ROWS} (employee_number, line)`);
  await trx.raw(`analyze ${ROWS}`);
  await trx.raw(`create temp table import_employees on commit drop as
    select r.employee_number, r.line, n.rows, r.manager_employee_number, null::integer as depth, null::integer as batch
      from (select employee_number, min(line) as line, count(*)::integer as rows from ${ROWS} group by employee_number) n
      join ${ROWS} r on r.line = n.line`);
  await trx.raw("create unique index on import_employees (employee_number)");
  await trx.raw("analyze import_employees");
  for (const unit of ORG_UNITS) {
    const first = (column: string) => `(array_agg(${column} order by line) filter (where ${column} is not null))[1]`;
    await trx.raw(`create temp table ${unit.table} on commit drop as
      select ${unit.key} as key, min(line) as line, ${unit.fields.map((f) => `${first(f.staged)} as ${f.column}`).join(", ")}
        from ${ROWS} where ${unit.key} is not null group by ${unit.key}`);
    await trx.raw(`create unique index on ${unit.table} (key)`);
  }
}

/** An organisation unit's fields in the file: its staging column, its file column, its own column. */
export interface OrgUnitField { staged: string; header: string; column: string }
export interface OrgUnit { table: string; target: "legal_units" | "establishments" | "departments"; key: string; keyHeader: string; fields: OrgUnitField[] }

const field = (header: string, column = snake(header), staged = snake(header)) => ({ staged, header, column });
const upperCountry: OrgUnitField = { staged: "upper(country_code)", header: "countryCode", column: "country_code" };

export const ORG_UNITS: readonly OrgUnit[] = [
  { table: "import_legal_units", target: "legal_units", key: "legal_unit_key", keyHeader: "legalUnitKey", fields: [field("legalUnit", "name"), upperCountry] },
  {
    table: "import_establishments", target: "establishments", key: "establishment_key", keyHeader: "establishmentKey",
    fields: [field("establishment", "name"), field("legalUnitKey"), field("street"), field("postalCode"), field("city"), upperCountry],
  },
  { table: "import_departments", target: "departments", key: "department_key", keyHeader: "departmentKey", fields: [field("department", "name")] },
];

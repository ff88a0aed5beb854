// The checks of an import that span rows, in SQL over the staging table (staging.ts), so that no
// check needs the file in memory: an employee's fields agree on all their rows, an organisation
// unit's fields agree across rows, contracts do not overlap, logins are not given twice, references
// resolve (to the file or the store), and manager chains end (their depth, which orders the writes,
// is stored in import_employees). Each check returns at most `limit` errors, in line order.
import type { Knex } from "knex";
import { EMPLOYEE_REFERENCE_FIELDS } from "../write/fields.js";
import { EMPLOYEE_COLUMNS, LOGIN_HOLDERS, ORG_UNITS, ROWS, stagedColumn, withoutNestedLoops, type OrgUnit, type OrgUnitField } from "./staging.js";

export interface ImportError { line: number; column: string; message: string }

/** Contracts an employee may have (the HR API's maxItems). */
const MAX_CONTRACTS = 100;

type Check = (trx: Knex.Transaction, tenantId: number, limit: number) => Promise<ImportError[]>;

const AGREEING = [...EMPLOYEE_COLUMNS, ...EMPLOYEE_REFERENCE_FIELDS];

const employeeDisagreements: Check = async (trx, _tenantId, limit) => {
  const values = AGREEING.map((h) => `('${h}', r.${stagedColumn(h)}, f.${stagedColumn(h)})`).join(", ");
  const rows = await trx.raw(`
    select r.line, v.header, e.line as first_line, v.first
      from ${ROWS} r join import_employees e on e.employee_number = r.employee_number and e.line <> r.line
      join ${ROWS} f on f.line = e.line
      cross join lateral (values ${values}) as v(header, mine, first)
     where v.mine is distinct from v.first
     order by r.line limit ?`, [limit]);
  return rows.rows.map((r: any) => ({
    line: r.line, column: r.header,
    message: `differs from line ${r.first_line} of the same employee (${JSON.stringify(r.first ?? "")}); an employee's fields must agree on every row`,
  }));
};

const valueOf = (f: OrgUnitField, alias: string) => (f.staged.startsWith("upper(") ? `upper(${alias}.${f.staged.slice(6, -1)})` : `${alias}.${f.staged}`);

/** A unit's field given two values: the unit's is its first non-empty one (staging.ts). */
const orgDisagreements = (unit: OrgUnit, f: OrgUnitField): Check => async (trx, _tenantId, limit) => {
  const rows = await trx.raw(`
    select r.line, u.line as first_line, u.${f.column} as first
      from ${ROWS} r join ${unit.table} u on u.key = r.${unit.key}
     where ${valueOf(f, "r")} is not null and ${valueOf(f, "r")} <> u.${f.column}
     order by r.line limit ?`, [limit]);
  return rows.rows.map((r: any) => ({ line: r.line, column: f.header, message: `differs from line ${r.first_line} for the same ${unit.keyHeader} (${JSON.stringify(r.first)})` }));
};

/** The rules of contractErrors (records.ts) across an employee's rows; each row's dates are checked already. */
const contractOverlaps: Check = async (trx, _tenantId, limit) => {
  const rows = await trx.raw(`
    select line, n, prev_start, prev_end, overlapping from (
      select line, n, prev_start, prev_end, n > 1 and (prev_end is null or contract_start < prev_end) as overlapping from (
        select line, row_number() over w as n, contract_start,
               lag(contract_start) over w as prev_start, lag(contract_end) over w as prev_end
          from ${ROWS} window w as (partition by employee_number order by contract_start, line)) x) y
     where overlapping or n = ${MAX_CONTRACTS + 1}
     order by line limit ?`, [limit]);
  return rows.rows.map((r: any) => ({
    line: r.line, column: "contractStart",
    message: !r.overlapping ? `an employee has at most ${MAX_CONTRACTS} contracts (rows)`
      : r.prev_end === null ? `overlaps an open-ended contract starting ${r.prev_start}`
        : `overlaps the contract ${r.prev_start}..${r.prev_end} (contracts may only touch: start on or after ${r.prev_end})`,
  }));
};

/** Logins given to two employees of the file, or held by an employee the file does not give another login. */
const loginConflicts: Check = async (trx, tenantId, limit) => {
  const twice = await trx.raw(`
    select line, login, first_number, first_line from (
      select e.line, r.login, first_value(e.employee_number) over w as first_number, first_value(e.line) over w as first_line, row_number() over w as n
        from import_employees e join ${ROWS} r on r.line = e.line
      window w as (partition by lower(r.login) order by e.line)) x
     where n > 1 order by line limit ?`, [limit]);
  const taken = await withoutNestedLoops(trx, () => trx.raw(`
    select e.line, r.login, x.employee_number ${LOGIN_HOLDERS}
       and not exists (select 1 from import_employees o join ${ROWS} ro on ro.line = o.line
                        where o.employee_number = x.employee_number and lower(ro.login) <> lower(x.login))
     order by e.line limit ?`, [tenantId, limit]));
  return [
    ...twice.rows.map((r: any) => ({ line: r.line, column: "login", message: `login ${JSON.stringify(r.login)} is given to two employees (also to ${r.first_number}, line ${r.first_line})` })),
    ...taken.rows.map((r: any) => ({ line: r.line, column: "login", message: `login ${JSON.stringify(r.login)} is taken by employee ${r.employee_number}` })),
  ];
};

/** Units the store does not hold and the file does not describe enough to create. */
const unknownUnits: Check = async (trx, tenantId, limit) => {
  const missing = async (table: string, target: string, where: string) => (await trx.raw(`
    select u.* from ${table} u where not exists (select 1 from ${target} t where t.tenant_id = ? and t.key = u.key) and (${where})
     order by u.line limit ?`, [tenantId, limit])).rows;
  const out: ImportError[] = [];
  for (const u of await missing("import_legal_units", "legal_units", "u.name is null or u.country_code is null")) {
    out.push({ line: u.line, column: u.name ? "countryCode" : "legalUnit", message: `legal unit ${JSON.stringify(u.key)} does not exist: give its legalUnit name and countryCode to create it` });
  }
  for (const u of await missing("import_establishments", "establishments", "u.name is null or u.legal_unit_key is null")) {
    out.push({ line: u.line, column: u.name ? "legalUnitKey" : "establishment", message: `establishment ${JSON.stringify(u.key)} does not exist: give its establishment name and legalUnitKey to create it` });
  }
  for (const u of await missing("import_departments", "departments", "u.name is null")) {
    out.push({ line: u.line, column: "department", message: `department ${JSON.stringify(u.key)} does not exist: give its department name to create it` });
  }
  const units = await trx.raw(`
    select u.line, u.legal_unit_key from import_establishments u
     where u.legal_unit_key is not null
       and not exists (select 1 from legal_units l where l.tenant_id = ? and l.key = u.legal_unit_key)
       and not exists (select 1 from import_legal_units l where l.key = u.legal_unit_key)
     order by u.line limit ?`, [tenantId, limit]);
  for (const u of units.rows) out.push({ line: u.line, column: "legalUnitKey", message: `no legal unit has the key ${JSON.stringify(u.legal_unit_key)}` });
  return out;
};

const unknownManagers: Check = async (trx, tenantId, limit) => {
  const rows = await trx.raw(`
    select e.line, e.manager_employee_number from import_employees e
     where e.manager_employee_number is not null
       and not exists (select 1 from import_employees m where m.employee_number = e.manager_employee_number)
       and not exists (select 1 from employees m where m.tenant_id = ? and m.employee_number = e.manager_employee_number)
     order by e.line limit ?`, [tenantId, limit]);
  return rows.rows.map((r: any) => ({ line: r.line, column: "managerEmployeeNumber", message: `no employee has the number ${JSON.stringify(r.manager_employee_number)}` }));
};

/**
 * Each employee's depth in the file's manager chains (0 without a manager in the file), stored in
 * import_employees; employees left without one are on a loop or below one.
 */
const managerLoops: Check = async (trx, _tenantId, limit) => {
  await trx.raw("create index on import_employees (manager_employee_number)");
  await trx.raw(`
    update import_employees e set depth = d.depth from (
      with recursive levels(employee_number, depth) as (
        select i.employee_number, 0 from import_employees i
         where i.manager_employee_number is null or not exists (select 1 from import_employees m where m.employee_number = i.manager_employee_number)
        union all
        select c.employee_number, l.depth + 1 from levels l join import_employees c on c.manager_employee_number = l.employee_number)
      select employee_number, depth from levels) d
     where d.employee_number = e.employee_number`);
  // Walks from a few of them (a loop longer than 10,000 is named from any of its employees).
  const rows = await trx.raw(`
    with recursive starts as (select employee_number, manager_employee_number from import_employees where depth is null order by line limit ?),
    walk(start, at, steps) as (
      select employee_number, manager_employee_number, 1 from starts
      union all
      select w.start, m.manager_employee_number, w.steps + 1 from walk w join import_employees m on m.employee_number = w.at
       where w.at <> w.start and w.steps < 10000)
    select e.line, bool_or(w.at = w.start) as on_loop from starts s join import_employees e on e.employee_number = s.employee_number
      left join walk w on w.start = s.employee_number
     group by e.line order by e.line`, [limit]);
  return rows.rows.map((r: any) => ({
    line: r.line, column: "managerEmployeeNumber",
    message: r.on_loop ? "the manager chain leads back to this employee" : "the manager chain runs into a loop of managers",
  }));
};

const CHECKS: Check[] = [
  employeeDisagreements,
  ...ORG_UNITS.flatMap((unit) => unit.fields.map((f) => orgDisagreements(unit, f))),
  contractOverlaps, loginConflicts, unknownUnits, unknownManagers, managerLoops,
];

/** Every cross-row error (at most `limit`), in line order. */
export async function crossRowErrors(trx: Knex.Transaction, tenantId: number, limit: number): Promise<ImportError[]> {
  const errors: ImportError[] = [];
  for (const check of CHECKS) errors.push(...await check(trx, tenantId, limit));
  return errors.sort((a, b) => a.line - b.line).slice(0, limit);
}

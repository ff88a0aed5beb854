// Legal units, establishments and departments by the HR system's keys: set-based upserts (a row is
// written only when a value differs, so a repeat changes nothing), deletes refused while something
// refers to the record, and the stored record as the API returns it.
import type { Knex } from "knex";
import { chunked, type WriteStatus } from "./session.js";
import { conflict, unknownReference, type FieldError } from "./problem.js";
import type { DepartmentRecord, EstablishmentRecord, LegalUnitRecord } from "./records.js";

type Table = "legal_units" | "establishments" | "departments";

/** key -> id of the tenant's rows of `table` among `keys`. */
export async function idsByKey(trx: Knex, table: Table | "employees", tenantId: number, keys: readonly string[]): Promise<Map<string, number>> {
  const column = table === "employees" ? "employee_number" : "key";
  const out = new Map<string, number>();
  for (const chunk of chunked([...new Set(keys)], 5000)) {
    const rows = await trx(table).where("tenant_id", tenantId).whereIn(column, chunk).select("id", `${column} as key`);
    for (const r of rows) out.set(r.key, r.id);
  }
  return out;
}

/**
 * Upserts rows of `table` by key: inserts the missing, updates those whose `columns` differ (with
 * updated_at = now), leaves equal ones untouched. Returns each key's status.
 */
async function upsertByKey(
  trx: Knex, table: Table, tenantId: number, now: Date, rows: { key: string; values: Record<string, unknown> }[],
): Promise<Map<string, WriteStatus>> {
  const status = new Map<string, WriteStatus>();
  if (rows.length === 0) return status;
  const columns = Object.keys(rows[0].values);
  for (const chunk of chunked(rows, 1000)) {
    const existing = new Map<string, Record<string, unknown>>();
    for (const r of await trx(table).where("tenant_id", tenantId).whereIn("key", chunk.map((c) => c.key)).select("key", ...columns).forUpdate()) existing.set(r.key, r);
    const inserts = chunk.filter((c) => !existing.has(c.key));
    const updates = chunk.filter((c) => {
      const old = existing.get(c.key);
      return old && columns.some((col) => (old[col] ?? null) !== (c.values[col] ?? null));
    });
    if (inserts.length) {
      await trx(table).insert(inserts.map((c) => ({ tenant_id: tenantId, key: c.key, ...c.values, created_at: now, updated_at: now })));
    }
    for (const u of updates) {
      await trx(table).where({ tenant_id: tenantId, key: u.key }).update({ ...u.values, updated_at: now });
    }
    for (const c of chunk) status.set(c.key, !existing.has(c.key) ? "created" : updates.includes(c) ? "updated" : "unchanged");
  }
  return status;
}

export async function upsertLegalUnits(trx: Knex, tenantId: number, now: Date, records: LegalUnitRecord[]): Promise<Map<string, WriteStatus>> {
  return upsertByKey(trx, "legal_units", tenantId, now, records.map((r) => ({ key: r.key, values: { name: r.name, country_code: r.countryCode } })));
}

export async function upsertEstablishments(trx: Knex, tenantId: number, now: Date, records: EstablishmentRecord[], paths?: (i: number) => string): Promise<Map<string, WriteStatus>> {
  const units = await idsByKey(trx, "legal_units", tenantId, records.map((r) => r.legalUnitKey));
  const missing: FieldError[] = [];
  records.forEach((r, i) => {
    if (!units.has(r.legalUnitKey)) missing.push({ path: `${paths?.(i) ?? ""}/legalUnitKey`, message: `no legal unit has the key ${JSON.stringify(r.legalUnitKey)}` });
  });
  if (missing.length) throw unknownReference(missing);
  return upsertByKey(trx, "establishments", tenantId, now, records.map((r) => ({
    key: r.key,
    values: { name: r.name, legal_unit_id: units.get(r.legalUnitKey)!, street: r.street, postal_code: r.postalCode, city: r.city, country_code: r.countryCode },
  })));
}

/** Departments, then their parents (which may be among them); a parent cycle is refused. */
export async function upsertDepartments(trx: Knex, tenantId: number, now: Date, records: DepartmentRecord[], paths?: (i: number) => string): Promise<Map<string, WriteStatus>> {
  const batchKeys = new Set(records.map((r) => r.key));
  const parents = await idsByKey(trx, "departments", tenantId, records.flatMap((r) => (r.parentKey ? [r.parentKey] : [])));
  const missing: FieldError[] = [];
  records.forEach((r, i) => {
    if (r.parentKey && !parents.has(r.parentKey) && !batchKeys.has(r.parentKey)) {
      missing.push({ path: `${paths?.(i) ?? ""}/parentKey`, message: `no department has the key ${JSON.stringify(r.parentKey)}` });
    }
  });
  if (missing.length) throw unknownReference(missing);
  // Parents created in this call get their id once inserted: a first pass keeps the stored parent.
  const stored = new Map<string, number | null>();
  for (const chunk of chunked(records.map((r) => r.key), 5000)) {
    for (const r of await trx("departments").where("tenant_id", tenantId).whereIn("key", chunk).select("key", "parent_id")) stored.set(r.key, r.parent_id);
  }
  const firstParent = (r: DepartmentRecord) => (r.parentKey && parents.has(r.parentKey) ? parents.get(r.parentKey)! : (stored.get(r.key) ?? null));
  const status = await upsertByKey(trx, "departments", tenantId, now, records.map((r) => ({ key: r.key, values: { name: r.name, parent_id: firstParent(r) } })));
  const all = await idsByKey(trx, "departments", tenantId, [...batchKeys, ...records.flatMap((r) => (r.parentKey ? [r.parentKey] : []))]);
  const reparent = records.filter((r) => (r.parentKey ? all.get(r.parentKey)! : null) !== firstParent(r));
  for (const r of reparent) {
    await trx("departments").where({ tenant_id: tenantId, key: r.key }).update({ parent_id: r.parentKey ? all.get(r.parentKey)! : null, updated_at: now });
    if (status.get(r.key) === "unchanged") status.set(r.key, "updated");
  }
  const cycle = await trx.raw(`
    with recursive up as (
      select d.id as start, d.parent_id as at, 1 as depth from departments d where d.tenant_id = ? and d.id = any(?::integer[])
      union all
      select up.start, p.parent_id, up.depth + 1 from up join departments p on p.tenant_id = ? and p.id = up.at
       where up.at is not null and up.at <> up.start and up.depth < 1000)
    select d.key from up join departments d on d.tenant_id = ? and d.id = up.start where up.at = up.start limit 1`,
  [tenantId, records.map((r) => all.get(r.key)!), tenantId, tenantId]);
  if (cycle.rows.length) {
    throw conflict([{ path: `${paths?.(records.findIndex((r) => r.key === cycle.rows[0].key)) ?? ""}/parentKey`, message: "the parent chain leads back to this department" }]);
  }
  return status;
}

const REFERRERS: Record<Table, { table: string; column: string; what: string }[]> = {
  legal_units: [{ table: "establishments", column: "legal_unit_id", what: "establishments belong to it" }],
  establishments: [{ table: "employees", column: "establishment_id", what: "employees work in it" }],
  departments: [
    { table: "employees", column: "department_id", what: "employees belong to it" },
    { table: "departments", column: "parent_id", what: "departments are below it" },
  ],
};

/** Deletes one record by key; false when there is none. Refused (409) while records refer to it. */
export async function deleteByKey(trx: Knex, table: Table, tenantId: number, key: string): Promise<boolean> {
  const row = await trx(table).where({ tenant_id: tenantId, key }).forUpdate().first("id");
  if (!row) return false;
  for (const r of REFERRERS[table]) {
    const used = await trx(r.table).where({ tenant_id: tenantId, [r.column]: row.id }).first(trx.raw("1 as one"));
    if (used) throw conflict([{ path: "", message: `cannot be deleted while ${r.what}: move them first` }]);
  }
  await trx(table).where({ tenant_id: tenantId, id: row.id }).delete();
  return true;
}

export async function readLegalUnit(db: Knex, tenantId: number, key: string): Promise<Record<string, unknown> | null> {
  const r = await db("legal_units").where({ tenant_id: tenantId, key }).first();
  return r ? { key: r.key, name: r.name, countryCode: r.country_code, updatedAt: new Date(r.updated_at).toISOString() } : null;
}

export async function readEstablishment(db: Knex, tenantId: number, key: string): Promise<Record<string, unknown> | null> {
  const r = await db("establishments as s").join("legal_units as l", function () { this.on("l.tenant_id", "s.tenant_id").andOn("l.id", "s.legal_unit_id"); })
    .where({ "s.tenant_id": tenantId, "s.key": key }).first("s.*", "l.key as legal_unit_key");
  return r ? {
    key: r.key, name: r.name, legalUnitKey: r.legal_unit_key, street: r.street, postalCode: r.postal_code, city: r.city,
    countryCode: r.country_code, updatedAt: new Date(r.updated_at).toISOString(),
  } : null;
}

export async function readDepartment(db: Knex, tenantId: number, key: string): Promise<Record<string, unknown> | null> {
  const r = await db("departments as d").leftJoin("departments as p", function () { this.on("p.tenant_id", "d.tenant_id").andOn("p.id", "d.parent_id"); })
    .where({ "d.tenant_id": tenantId, "d.key": key }).first("d.*", "p.key as parent_key");
  return r ? { key: r.key, name: r.name, parentKey: r.parent_key, updatedAt: new Date(r.updated_at).toISOString() } : null;
}

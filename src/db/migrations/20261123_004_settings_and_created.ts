// Two timestamps RFC 7643 meta needs and the HR tables lacked:
// - tenants.settings_changed_at: a change of the tenant's settings (property mapping, group types,
//   futureEmployeesActive, time zone) changes how every User and Group is shown, so it is part of
//   their meta.lastModified. Null until the first change after creation.
// - created_at on departments, establishments and legal units, for the Groups' meta.created
//   (docs/CLIENTS.md item 17). Rows that exist already take their last change as their creation.
// - indexes on their names ignoring case, for unique group display names (hr/group-names).
// One statement per raw call (PGlite).
import type { Knex } from "knex";

const statements = [
  `alter table tenants add column settings_changed_at timestamptz`,
  `alter table departments add column created_at timestamptz`,
  `update departments set created_at = updated_at`,
  `alter table departments alter column created_at set default now()`,
  `alter table departments alter column created_at set not null`,
  `alter table establishments add column created_at timestamptz`,
  `update establishments set created_at = updated_at`,
  `alter table establishments alter column created_at set default now()`,
  `alter table establishments alter column created_at set not null`,
  `alter table legal_units add column created_at timestamptz`,
  `update legal_units set created_at = updated_at`,
  `alter table legal_units alter column created_at set default now()`,
  `alter table legal_units alter column created_at set not null`,
  // hr/group-names looks for another row of the same name (ignoring case) for each group and for
  // each user whose groups a filter reads.
  `create index departments_name_ci on departments (tenant_id, lower(name))`,
  `create index establishments_name_ci on establishments (tenant_id, lower(name))`,
  `create index legal_units_name_ci on legal_units (tenant_id, lower(name))`,
];

export async function up(knex: Knex): Promise<void> {
  for (const sql of statements) await knex.raw(sql);
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ["legal_units", "establishments", "departments"]) {
    await knex.raw(`drop index if exists ${table}_name_ci`);
    await knex.raw(`alter table ${table} drop column if exists created_at`);
  }
  await knex.raw(`alter table tenants drop column if exists settings_changed_at`);
}

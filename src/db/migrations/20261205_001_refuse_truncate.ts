// TRUNCATE fires no row or statement trigger: on the HR tables it would bypass the change feed
// (migration 20261202_002), the stored lifecycle and visible counts (20261130_005) and the group
// change records (20261123_002), and it empties the table for every tenant at once. So it is
// refused on them and on the records kept for traceability; DELETE (per tenant) does what it
// should. An operator who means it (a restore) disables the trigger first, knowingly.
import type { Knex } from "knex";

const TABLES = ["employees", "contracts", "departments", "establishments", "legal_units", "hr_changes", "integration_log", "admin_audit"];

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`create function hr_refuse_truncate() returns trigger language plpgsql as $$
    begin
      raise exception 'TRUNCATE of % is refused: it bypasses the change feed and the stored state, for every tenant. Delete the tenant''s rows instead.', tg_table_name
        using errcode = '0A000';
    end $$`);
  for (const table of TABLES) {
    await knex.raw(`create trigger ${table}_refuse_truncate before truncate on ${table} for each statement execute function hr_refuse_truncate()`);
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const table of TABLES) await knex.raw(`drop trigger if exists ${table}_refuse_truncate on ${table}`);
  await knex.raw(`drop function if exists hr_refuse_truncate()`);
}

// A contract's change is a change of its employee: it moves `active`, the contract dates the User
// shows, and visibility, so the User's meta.lastModified and meta.version must move with it
// (docs/BEHAVIOUR.md section 2: "the row's last change"), even when the change is retroactive (an end
// date entered late, a rehire starting in the past) and no lifecycle transition lies ahead.
// Contracts carry no timestamp of their own and may be deleted, so the triggers stamp the
// employee: `contracts_changed_at`, the transaction's time. Per statement, over transition tables,
// so that a bulk load stamps each employee once. One statement per raw call (PGlite).
import type { Knex } from "knex";

const stamp = (rows: string) => `
  update employees e set contracts_changed_at = now()
    from (select distinct tenant_id, employee_id from ${rows}) x
   where e.tenant_id = x.tenant_id and e.id = x.employee_id
     and (e.contracts_changed_at is null or e.contracts_changed_at < now())`;

const statements = [
  `alter table employees add column contracts_changed_at timestamptz`,

  `create function contracts_note_inserted() returns trigger language plpgsql as $$
   begin ${stamp("new_rows")}; return null; end $$`,
  `create trigger contracts_inserted after insert on contracts
     referencing new table as new_rows for each statement execute function contracts_note_inserted()`,

  `create function contracts_note_updated() returns trigger language plpgsql as $$
   begin ${stamp("(select tenant_id, employee_id from old_rows union select tenant_id, employee_id from new_rows) as both_rows")}; return null; end $$`,
  `create trigger contracts_updated_stamp after update on contracts
     referencing old table as old_rows new table as new_rows for each statement execute function contracts_note_updated()`,

  `create function contracts_note_deleted() returns trigger language plpgsql as $$
   begin ${stamp("old_rows")}; return null; end $$`,
  `create trigger contracts_deleted_stamp after delete on contracts
     referencing old table as old_rows for each statement execute function contracts_note_deleted()`,
];

export async function up(knex: Knex): Promise<void> {
  for (const sql of statements) await knex.raw(sql);
}

export async function down(knex: Knex): Promise<void> {
  for (const sql of [
    `drop trigger if exists contracts_deleted_stamp on contracts`,
    `drop trigger if exists contracts_updated_stamp on contracts`,
    `drop trigger if exists contracts_inserted on contracts`,
    `drop function if exists contracts_note_deleted()`,
    `drop function if exists contracts_note_updated()`,
    `drop function if exists contracts_note_inserted()`,
    `alter table employees drop column if exists contracts_changed_at`,
  ]) await knex.raw(sql);
}

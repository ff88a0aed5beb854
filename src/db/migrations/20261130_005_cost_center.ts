// The employee's cost center, an HR column the enterprise extension shows (costCenter, read-only).
import type { Knex } from "knex";

export async function up(knex: Knex): Promise<void> {
  await knex.raw("alter table employees add column cost_center text");
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw("alter table employees drop column if exists cost_center");
}

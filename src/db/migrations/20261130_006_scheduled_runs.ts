// Runs of scheduled jobs (src/scheduler): one row per tenant, job and due instant, inserted by the
// process that claims the run (insert ... on conflict), so that with several processes each run
// happens once. A claim not finished within its lease (the process died, the job failed) can be
// claimed again. One statement per raw call (PGlite).
import type { Knex } from "knex";

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`create table scheduled_runs (
     tenant_id integer not null references tenants (id) on delete cascade,
     job text not null,
     due_at timestamptz not null,
     claimed_by text not null,
     claimed_at timestamptz not null,
     finished_at timestamptz,
     primary key (tenant_id, job, due_at)
   )`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`drop table if exists scheduled_runs`);
}

// Read-your-writes with a read replica (READ_DATABASE_URL, src/db/read-routing.ts): each token's
// last write position in the primary's WAL, set after each of its writes when a replica is
// configured. Its reads go to the primary until the replica has replayed past it. Read with the
// token on every request (the token is looked up on the primary), so every process knows it.
import type { Knex } from "knex";

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`alter table api_tokens add column last_write_lsn pg_lsn`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`alter table api_tokens drop column if exists last_write_lsn`);
}

// Named statements for the hot read shapes (a page of users, a count, a lookup by id): on
// PostgreSQL a named statement is parsed once per connection, and after a few runs its generic plan
// is reused instead of planning each request again. The name is a digest of the SQL text, so one
// name never stands for two texts. Each connection keeps every statement it prepared, so a process
// names at most MAX_NAMED distinct texts (filters give statements of many shapes); later ones run
// unnamed. PGlite ignores the name.
import crypto from "node:crypto";
import type { Knex } from "knex";

const MAX_NAMED = 256;
const named = new Set<string>();

/**
 * Runs a select, as a named statement when its text is one of the first MAX_NAMED seen, and returns
 * its rows. The query is compiled once: its text is what names it and what runs (on the query's own
 * connection, a transaction's included).
 */
export async function prepared<Row = Record<string, unknown>>(query: Knex.QueryBuilder): Promise<Row[]> {
  const { sql, bindings } = query.toSQL();
  const name = `hr_${crypto.createHash("sha1").update(sql).digest("base64url").slice(0, 22)}`;
  if (!named.has(name) && named.size < MAX_NAMED) named.add(name);
  const raw = query.client.raw(sql, bindings as Knex.Value[]);
  const result = await (named.has(name) ? raw.options({ name }) : raw);
  return (result as { rows: Row[] }).rows;
}

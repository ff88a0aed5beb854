// Named statements for the hot read shapes (a page of users, a count, a lookup by id): on
// PostgreSQL a named statement is parsed once per connection, and after a few runs its generic plan
// is reused instead of planning each request again. The name is a digest of the SQL text, so one
// name never stands for two texts. Each connection keeps every statement it prepared, so a process
// names at most MAX_NAMED distinct texts (filters give statements of many shapes); later ones run
// unnamed. PGlite ignores the name.
import crypto from "node:crypto";
import type { Knex } from "knex";
import type { CompiledStatement } from "./statement-templates.js";

const MAX_NAMED = 256;
const named = new Set<string>();

/**
 * Runs a select, as a named statement when its text is one of the first MAX_NAMED seen, and returns
 * its rows. The query is compiled once: its text is what names it and what runs (on the query's own
 * connection, a transaction's included).
 */
export async function prepared<Row = Record<string, unknown>>(query: Knex.QueryBuilder): Promise<Row[]> {
  const { sql, bindings } = query.toSQL();
  return preparedSql<Row>(query.client, { sql, bindings });
}

/** Names of texts already digested (the texts of compiled templates recur on every request). */
const nameOfText = new Map<string, string>();

/**
 * As prepared, for a statement compiled already (knex's `?` placeholders, as toSQL() gives them), run
 * through `db` (a knex, a transaction, or a query's client).
 */
export async function preparedSql<Row = Record<string, unknown>>(db: Knex | Knex.Client, statement: CompiledStatement): Promise<Row[]> {
  const { sql, bindings } = statement;
  let name = nameOfText.get(sql);
  if (name === undefined) {
    name = `hr_${crypto.createHash("sha1").update(sql).digest("base64url").slice(0, 22)}`;
    if (nameOfText.size < MAX_NAMED * 4) nameOfText.set(sql, name);
  }
  if (!named.has(name) && named.size < MAX_NAMED) named.add(name);
  const raw = db.raw(sql, bindings as Knex.Value[]);
  const result = await (named.has(name) ? raw.options({ name }) : raw);
  return (result as { rows: Row[] }).rows;
}

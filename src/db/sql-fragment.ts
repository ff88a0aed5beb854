// A piece of SQL with `?` placeholders and its bound values. SQL text never contains client input.
import type { Knex } from "knex";

export interface SqlFragment {
  sql: string;
  bindings: Knex.Value[];
}

/** A built query as a fragment, to embed in other SQL. */
export function toFragment(q: Knex.QueryBuilder): SqlFragment {
  const { sql, bindings } = q.toSQL();
  return { sql, bindings: bindings as Knex.Value[] };
}

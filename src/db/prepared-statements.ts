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

/** The query, to run as a named statement when its text is one of the first MAX_NAMED seen. */
export function prepared<Q extends Knex.QueryBuilder>(query: Q): Q {
  const { sql } = query.toSQL();
  const name = `hr_${crypto.createHash("sha1").update(sql).digest("base64url").slice(0, 22)}`;
  if (!named.has(name)) {
    if (named.size >= MAX_NAMED) return query;
    named.add(name);
  }
  return query.options({ name }) as Q;
}

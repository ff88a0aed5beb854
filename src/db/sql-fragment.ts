// A piece of SQL with `?` placeholders and its bound values. SQL text never contains client input.
import type { Knex } from "knex";

export interface SqlFragment {
  sql: string;
  bindings: Knex.Value[];
}

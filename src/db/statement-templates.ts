// Statements compiled once per shape (issue 10): building and compiling a people query with knex
// costs more CPU than PostgreSQL spends running it for a lookup. A template is the SQL text and the
// bindings of a query built with stand-in values for the parameters that change between requests
// (an id, a filter's values); later requests of the same shape copy the bindings and put their
// values in the stand-ins' places. The caller's key must name everything else the query is built
// from (tenant, day, visibility, columns, filter text). Only plain values (text, numbers, booleans)
// are templated: an array, a date or a knex object may change the SQL text itself.
import crypto from "node:crypto";
import type { Knex } from "knex";

export interface CompiledStatement {
  sql: string;
  bindings: readonly unknown[];
}

interface Template {
  sql: string;
  bindings: unknown[];
  /** For each parameter, the positions of its bindings. */
  slots: number[][];
}

/** Shapes kept at most: a shape is per tenant, day and filter text, so the set turns over slowly. */
const MAX_TEMPLATES = 2_000;

const isPlain = (value: unknown) => typeof value === "string" || typeof value === "number" || typeof value === "boolean";

export class StatementTemplates {
  private readonly templates = new Map<string, Template | null>();
  private readonly marker = `\u0001${crypto.randomBytes(6).toString("hex")}:`;

  /**
   * The statement `build(values)` compiles to: built and compiled once per `key` with stand-ins,
   * then filled with `values`. Built afresh with the values themselves when one of them is not a
   * plain value, or when the stand-ins did not come out as bindings of their own.
   */
  compile(key: string, values: readonly unknown[], build: (values: readonly unknown[]) => Knex.QueryBuilder): CompiledStatement {
    if (!values.every(isPlain)) return build(values).toSQL();
    let template = this.templates.get(key);
    if (template === undefined) {
      template = this.make(values, build);
      if (this.templates.size >= MAX_TEMPLATES) this.templates.delete(this.templates.keys().next().value!);
      this.templates.set(key, template);
    }
    if (template === null) return build(values).toSQL();
    const bindings = template.bindings.slice();
    template.slots.forEach((positions, i) => { for (const p of positions) bindings[p] = values[i]; });
    return { sql: template.sql, bindings };
  }

  private make(values: readonly unknown[], build: (values: readonly unknown[]) => Knex.QueryBuilder): Template | null {
    const standIns = values.map((_, i) => `${this.marker}${i}`);
    const { sql, bindings } = build(standIns).toSQL();
    if (sql.includes(this.marker)) return null;
    const slots = standIns.map((s) => bindings.flatMap((b, p) => (b === s ? [p] : [])));
    if (slots.some((positions) => positions.length === 0)) return null;
    if (bindings.some((b) => typeof b === "string" && b.startsWith(this.marker) && !standIns.includes(b))) return null;
    return { sql, bindings: [...bindings], slots };
  }
}

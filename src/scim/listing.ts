// Listing (RFC 7644 section 3.4.2 and RFC 9865): filter -> count -> sort -> page, all in SQL, over a
// resource's derived table; then the ListResponse. Index paging uses OFFSET; cursor paging is a
// keyset on (sort key, id), so pages never overlap or skip while data changes.
import type { Knex } from "knex";
import type { RequestContext } from "../context.js";
import { toCount } from "../db/database.js";
import type { SqlFragment } from "../db/sql-fragment.js";
import type { CursorCodec, CursorPosition, CursorScope } from "./cursor.js";
import { invalidValue } from "./errors.js";
import type { Catalogue } from "./catalogue/catalogue.js";
import { resolvePath } from "./catalogue/resolve.js";
import type { Column, RelatedScope } from "./catalogue/types.js";
import { compileFilter } from "./filter/compile-sql.js";
import type { ListRequest } from "./list-request.js";
import { LIST_RESPONSE_URN } from "./schema/urns.js";

export interface PageOfRows<Row> {
  rows: Row[];
  totalResults: number;
  startIndex: number;
  nextCursor?: string;
}

interface SortKey {
  /** Normalised sortBy, or "" for the default order. */
  name: string;
  expression: string;
  type: Column["type"];
  integer: boolean;
}

function sortExpression(column: Column): string {
  if (column.type === "dateTime") return `date_trunc('milliseconds', ${column.sql})`;
  if (column.type === "string" && !column.integerId) return column.caseExact ? `(${column.sql}) collate "C"` : `lower(${column.sql}) collate "C"`;
  return column.sql;
}

/** Whether a type can sort on `sortBy` (root /.search sorts each type that can). */
export function sortable(catalogue: Catalogue, sortBy: string | undefined): boolean {
  return !!sortBy && sortColumn(catalogue, sortBy) !== undefined;
}

/** RFC 7644 3.4.2.3: any exposed single-valued attribute, or a multi-valued one by its value. */
export function resolveSortKey(catalogue: Catalogue, sortBy: string | undefined): SortKey | null {
  if (!sortBy) return null;
  const column = sortColumn(catalogue, sortBy);
  if (!column) throw invalidValue(`Cannot sort on "${sortBy}": sortBy takes a single-valued attribute that this tenant exposes`);
  return { name: sortBy.toLowerCase(), expression: sortExpression(column), type: column.type, integer: !!column.integerId };
}

function sortColumn(catalogue: Catalogue, sortBy: string): Column | undefined {
  const resolved = resolvePath(catalogue, sortBy, { scope: "exposed" });
  let column: Column | undefined;
  if (resolved.kind === "entry") {
    const { entry } = resolved;
    const parent = entry.parent === null ? undefined : catalogue.byPath(entry.parent.toLowerCase());
    const elements = entry.elements ?? parent?.elements;
    if (entry.column && entry.sortable) column = entry.column.guard ? { ...entry.column, sql: `case when ${entry.column.guard} then ${entry.column.sql} end`, guard: undefined } : entry.column;
    else if (elements) {
      const sub = entry.elements ? entry.defaultSub! : entry.name;
      const parts = elements.filter((e) => e.sub[sub]).map((e) => `case when ${e.present.sql} then ${e.sub[sub].column.sql} end`);
      const first = elements.find((e) => e.sub[sub])?.sub[sub].column;
      if (first && parts.length) column = { ...first, sql: parts.length === 1 ? parts[0] : `coalesce(${parts.join(", ")})` };
    }
  }
  return column;
}

function castFor(type: Column["type"]): string {
  switch (type) {
    case "dateTime": return "?::timestamptz";
    case "boolean": return "?::boolean";
    case "integer": case "decimal": return "?::numeric";
    default: return "?::text";
  }
}

/** Keyset condition: rows strictly after (v, i) in (sort key, id) order; nulls sort as the largest value. */
function afterCursor(sort: SortKey | null, idSql: string, idCast: string, state: CursorPosition, descending: boolean): SqlFragment {
  const id = `${idSql} > ${idCast}`;
  const i = state.id as Knex.Value;
  if (!sort) return { sql: id, bindings: [i] };
  const e = sort.expression;
  const v = sort.integer ? "?::integer" : castFor(sort.type);
  if (state.value === null || state.value === undefined) {
    return descending
      ? { sql: `((${e}) is not null or ((${e}) is null and ${id}))`, bindings: [i] }
      : { sql: `((${e}) is null and ${id})`, bindings: [i] };
  }
  const cmp = descending ? "<" : ">";
  const nulls = descending ? "" : ` or (${e}) is null`;
  return {
    sql: `((${e}) ${cmp} ${v} or ((${e}) = ${v} and ${id})${nulls})`,
    bindings: [state.value as Knex.Value, state.value as Knex.Value, i],
  };
}

/**
 * Runs a list over `base` (a fresh `from (...) as <alias>` query each call) and returns one page of
 * rows in order.
 */
/** The cursor context of a request. */
export function cursorContext(ctx: RequestContext): CursorContext {
  return { codec: ctx.cursorCodec, tenantId: ctx.tenant.id, now: ctx.now };
}

/** What cursor paging needs from the request: the codec, and the tenant and instant cursors are bound to. */
export interface CursorContext {
  codec: CursorCodec;
  tenantId: number;
  now: Date;
}

export async function listRows<Row extends Record<string, unknown>>(
  map: Catalogue, base: () => Knex.QueryBuilder, request: ListRequest, cursors: CursorContext, related: RelatedScope,
): Promise<PageOfRows<Row>> {
  const where = request.filter ? compileFilter(request.filter, map, related) : null;
  const sort = resolveSortKey(map, request.sortBy);
  const filtered = () => (where ? base().whereRaw(where.sql, where.bindings) : base());

  const countRow = await filtered().count<{ count: unknown }[]>({ count: "*" }).first();
  const totalResults = toCount(countRow?.count);

  const descending = request.sortOrder === "descending";
  const idSql = map.idColumn.sql;
  const idCast = map.idColumn.integerId ? "?::integer" : "?::text";
  const idOrder = map.idColumn.integerId ? idSql : `${idSql} collate "C"`;
  // Phase 1 selects only ids and the sort key, so lifecycle and join columns that the filter and
  // sort do not use are never computed for skipped rows; phase 2 loads the full rows of one page.
  const ids = filtered().select(base().client.raw(`${idSql} as __id`));
  if (sort) {
    ids.select(base().client.raw(`${sort.expression} as __sort`));
    ids.orderByRaw(`${sort.expression} ${descending ? "desc nulls first" : "asc nulls last"}, ${idOrder} asc`);
  } else {
    ids.orderByRaw(`${idOrder} ${descending ? "desc" : "asc"}`);
  }
  const loadPage = async (keys: { __id: unknown; __sort?: unknown }[]): Promise<Row[]> => {
    if (keys.length === 0) return [];
    const rows = (await base().select("*").whereIn(base().client.raw(idSql), keys.map((k) => k.__id as Knex.Value))) as Row[];
    const byId = new Map(rows.map((r) => [String(r.id), r]));
    return keys.map((k) => byId.get(String(k.__id))).filter((r): r is Row => r !== undefined);
  };

  if (request.cursor === undefined) {
    if (request.count === 0 || request.startIndex > totalResults) return { rows: [], totalResults, startIndex: request.startIndex };
    const keys = await ids.offset(request.startIndex - 1).limit(request.count);
    return { rows: await loadPage(keys), totalResults, startIndex: request.startIndex };
  }

  const scope: CursorScope = { tenantId: cursors.tenantId, resourceType: map.resourceType, sortKey: sort?.name ?? "", descending, filter: request.filter };
  if (request.cursor !== "") {
    const types = { integerId: !!map.idColumn.integerId, sort: sort ? { integer: sort.integer, type: sort.type } : null };
    const state = cursors.codec.open(request.cursor, scope, types, cursors.now);
    const after = sort
      ? afterCursor(sort, idSql, idCast, state, descending)
      : { sql: `${idSql} ${descending ? "<" : ">"} ${idCast}`, bindings: [state.id as Knex.Value] };
    ids.whereRaw(after.sql, after.bindings);
  }
  if (request.count === 0) return { rows: [], totalResults, startIndex: 1 };
  const keys = await ids.limit(request.count + 1);
  let nextCursor: string | undefined;
  if (keys.length > request.count) {
    keys.length = request.count;
    const last = keys[keys.length - 1];
    const lastId = map.idColumn.integerId ? Number(last.__id) : String(last.__id);
    const v = sort ? (last.__sort instanceof Date ? last.__sort.toISOString() : last.__sort) : undefined;
    nextCursor = cursors.codec.seal(scope, { value: v ?? null, id: lastId }, cursors.now);
  }
  return { rows: await loadPage(keys), totalResults, startIndex: 1, nextCursor };
}

/** RFC 7644 3.4.2 ListResponse, with RFC 9865 nextCursor when cursor paging is used. */
export function listResponse(resources: unknown[], page: Pick<PageOfRows<unknown>, "totalResults" | "startIndex" | "nextCursor">, cursorPaging: boolean): Record<string, unknown> {
  const body: Record<string, unknown> = {
    schemas: [LIST_RESPONSE_URN],
    totalResults: page.totalResults,
    itemsPerPage: resources.length,
  };
  if (!cursorPaging) body.startIndex = page.startIndex;
  if (page.nextCursor) body.nextCursor = page.nextCursor;
  body.Resources = resources;
  return body;
}

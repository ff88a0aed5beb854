// Listing (RFC 7644 section 3.4.2 and RFC 9865): filter -> count -> sort -> page, all in SQL, over a
// resource's derived table; then the ListResponse. Cursor paging is a keyset on (sort key, id), so
// pages never overlap or skip while data changes; index paging is the same keyset when the page
// continues one this process served (page-boundaries.ts), OFFSET otherwise.
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
import { PageBoundaries } from "./page-boundaries.js";
import { prepared, preparedSql } from "../db/prepared-statements.js";
import type { StatementTemplates } from "../db/statement-templates.js";
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

/** The cursor context of a request. */
export function cursorContext(ctx: RequestContext): CursorContext {
  return { codec: ctx.cursorCodec, tenantId: ctx.tenant.id, now: ctx.now, boundaries: PROCESS_PAGE_BOUNDARIES };
}

/** The page boundaries of this process's startIndex scans. */
const PROCESS_PAGE_BOUNDARIES = new PageBoundaries();

/** What cursor paging needs from the request: the codec, and the tenant and instant cursors are bound to. */
export interface CursorContext {
  codec: CursorCodec;
  tenantId: number;
  now: Date;
  /** Where the pages of startIndex scans ended, to continue them by keyset; none: always OFFSET. */
  boundaries?: PageBoundaries;
}

/**
 * The same rows as a list's base with fewer columns and no joins, for the count and the keys of a
 * page when the filter and the sort read only those columns: PostgreSQL can then count and skip rows
 * in an index alone.
 */
export interface NarrowBase {
  query: () => Knex.QueryBuilder;
  /** Its columns, over the same alias as the base. */
  columns: ReadonlySet<string>;
  /** The number of rows of the base, when it is cheaper to read than to count (no filter). */
  total?: () => Promise<number>;
}

/** Whether every `<alias>.<column>` in the SQL texts is one of `columns`. */
function readsOnly(texts: string[], alias: string, columns: ReadonlySet<string>): boolean {
  const pattern = new RegExp(`\\b${alias}\\.([a-z_][a-z0-9_]*)`, "g");
  return texts.every((text) => [...text.matchAll(pattern)].every((m) => columns.has(m[1])));
}

type Key = { __id: unknown; __sort?: unknown };

/** A text element of a PostgreSQL array literal. */
const arrayElement = (text: string) => `"${text.replace(/[\\"]/g, "\\$&")}"`;

export interface ListOptions {
  narrow?: NarrowBase;
  /** The base's columns to load for each row (default: all); the projection's, from the catalogue. */
  columns?: readonly string[] | null;
  /**
   * First pages (a lookup such as `userName eq`) compiled once per shape: `key` names everything
   * `base` is built from; the filter's text, columns, order and limit are added to it here.
   */
  firstPage?: { key: string; templates: StatementTemplates; db: Knex };
}

/**
 * Runs a list over `base` (a fresh `from (...) as <alias>` query each call) and returns one page of
 * rows in order: the count, then the page. A page that continues a scan this process served (or
 * starts it, or follows a cursor) is one keyset query; otherwise OFFSET picks the keys (over
 * `narrow` when it can) and a second query loads the rows of those keys.
 */
export async function listRows<Row extends Record<string, unknown>>(
  map: Catalogue, base: () => Knex.QueryBuilder, request: ListRequest, cursors: CursorContext, related: RelatedScope, options: ListOptions = {},
): Promise<PageOfRows<Row>> {
  const { narrow } = options;
  const where = request.filter ? compileFilter(request.filter, map, related) : null;
  const sort = resolveSortKey(map, request.sortBy);
  const descending = request.sortOrder === "descending";
  const idSql = map.idColumn.sql;
  const alias = idSql.slice(0, idSql.indexOf("."));
  const keysBase = narrow && readsOnly([where?.sql ?? "", sort?.expression ?? ""], alias, narrow.columns) ? narrow.query : base;
  const filtered = (from: () => Knex.QueryBuilder) => (where ? from().whereRaw(where.sql, where.bindings) : from());

  /** The number of rows the list has (from `narrow.total` when nothing filters them). */
  const countAll = async (): Promise<number> => !where && narrow?.total
    ? narrow.total()
    : toCount((await prepared(filtered(keysBase).count<{ count: unknown }[]>({ count: "*" }))).at(0)?.count);

  const idCast = map.idColumn.integerId ? "?::integer" : "?::text";
  const idOrder = map.idColumn.integerId ? idSql : `${idSql} collate "C"`;
  const order = sort
    ? `${sort.expression} ${descending ? "desc nulls first" : "asc nulls last"}, ${idOrder} asc`
    : `${idOrder} ${descending ? "desc" : "asc"}`;
  const raw = (sql: string) => base().client.raw(sql);
  const rowColumns = options.columns ? options.columns.map((c) => `${alias}.${c}`) : [`${alias}.*`];
  const keyColumns = (q: Knex.QueryBuilder) => {
    q.select(raw(`${idSql} as __id`));
    if (sort) q.select(raw(`${sort.expression} as __sort`));
    return q;
  };
  const after = (state: CursorPosition): SqlFragment => sort
    ? afterCursor(sort, idOrder, idCast, state, descending)
    : { sql: `${idOrder} ${descending ? "<" : ">"} ${idCast}`, bindings: [state.id as Knex.Value] };
  const positionOf = (key: Key): CursorPosition => ({
    value: sort ? (key.__sort instanceof Date ? key.__sort.toISOString() : key.__sort) ?? null : null,
    id: map.idColumn.integerId ? Number(key.__id) : String(key.__id),
  });
  /** The rows after `state` (from the start when null), in order, with their keys. */
  const pageAfter = async (state: CursorPosition | null, limit: number): Promise<(Row & Key)[]> => {
    if (state === null && options.firstPage) {
      const { key, templates, db } = options.firstPage;
      const shape = JSON.stringify([key, where?.sql ?? null, rowColumns, order, sort?.expression ?? null, limit]);
      const statement = templates.compile(shape, where?.bindings ?? [], (values) => {
        const q = keyColumns((where ? base().whereRaw(where.sql, values as Knex.Value[]) : base()).select(rowColumns));
        return q.orderByRaw(order).limit(limit, { skipBinding: true });
      });
      return (await preparedSql(db, statement)) as (Row & Key)[];
    }
    const q = keyColumns(filtered(base).select(rowColumns));
    if (state) {
      const condition = after(state);
      q.whereRaw(condition.sql, condition.bindings);
    }
    // The limit as a literal: with it bound, the generic plan of a named statement cannot know that
    // few rows are wanted, and PostgreSQL would plan every run afresh.
    return (await prepared(q.orderByRaw(order).limit(limit, { skipBinding: true }))) as (Row & Key)[];
  };
  const withoutKeys = (rows: (Row & Key)[]): Row[] => rows.map(({ __id: _id, __sort: _sort, ...row }) => row as unknown as Row);

  if (request.cursor !== undefined) {
    const scope: CursorScope = { tenantId: cursors.tenantId, resourceType: map.resourceType, sortKey: sort?.name ?? "", descending, filter: request.filter };
    let state: CursorPosition | null = null;
    if (request.cursor !== "") {
      const types = { integerId: !!map.idColumn.integerId, sort: sort ? { integer: sort.integer, type: sort.type } : null };
      state = cursors.codec.open(request.cursor, scope, types, cursors.now);
    }
    if (request.count === 0) return { rows: [], totalResults: await countAll(), startIndex: 1 };
    const rows = await pageAfter(state, request.count + 1);
    let nextCursor: string | undefined;
    // A first page that holds every row counts them itself.
    const totalResults = state === null && rows.length <= request.count ? rows.length : await countAll();
    if (rows.length > request.count) {
      rows.length = request.count;
      nextCursor = cursors.codec.seal(scope, positionOf(rows[rows.length - 1]), cursors.now);
    }
    return { rows: withoutKeys(rows), totalResults, startIndex: 1, nextCursor };
  }

  const { startIndex, count } = request;
  if (count === 0) return { rows: [], totalResults: await countAll(), startIndex };
  const now = cursors.now.getTime();
  const boundaries = cursors.boundaries;
  // The scan a page belongs to: its query before paging (tenant, token, day, filter and order alike).
  let scanKey: string | undefined;
  const scan = () => {
    const { sql, bindings } = keyColumns(filtered(keysBase)).orderByRaw(order).toSQL();
    return (scanKey ??= PageBoundaries.scanKey(sql, bindings));
  };
  let rows: (Row & Key)[];
  let totalResults: number;
  if (startIndex === 1) {
    rows = await pageAfter(null, count);
    // A first page that holds every row (a lookup by userName, a short delta) counts them itself.
    totalResults = rows.length < count ? rows.length : await countAll();
  } else {
    totalResults = await countAll();
    if (startIndex > totalResults) return { rows: [], totalResults, startIndex };
    const known = boundaries?.get(scan(), startIndex, now);
    if (known !== undefined) {
      rows = await pageAfter(known, count);
    } else {
      // OFFSET, one row earlier: that row ends the previous page, so a client asking again for this
      // startIndex (a retry, a poller) continues by keyset.
      const keys = (await keyColumns(filtered(keysBase)).orderByRaw(order).offset(startIndex - 2).limit(count + 1)) as Key[];
      const previous = keys.shift();
      if (previous && boundaries) boundaries.set(scan(), startIndex, positionOf(previous), now);
      rows = await loadRows(keys);
    }
  }
  // Where the next page of this scan starts, when there may be one.
  if (rows.length === count && boundaries) boundaries.set(scan(), startIndex + rows.length, positionOf(rows[rows.length - 1]), now);
  return { rows: withoutKeys(rows), totalResults, startIndex };

  /** The full rows of some keys, in the keys' order. */
  async function loadRows(keys: Key[]): Promise<(Row & Key)[]> {
    if (keys.length === 0) return [];
    // One array binding, so that the statement is the same whatever the page size.
    const ids = `{${keys.map((k) => (map.idColumn.integerId ? String(Number(k.__id)) : arrayElement(String(k.__id)))).join(",")}}`;
    const loaded = (await prepared(base().select(rowColumns).whereRaw(`${idSql} = any(${idCast}[])`, [ids]))) as Row[];
    const byId = new Map(loaded.map((r) => [String(r.id), r]));
    return keys.flatMap((k) => {
      const row = byId.get(String(k.__id));
      return row ? [{ ...row, __id: k.__id, __sort: k.__sort } as Row & Key] : [];
    });
  }
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

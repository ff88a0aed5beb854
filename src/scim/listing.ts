// Listing (RFC 7644 section 3.4.2 and RFC 9865): filter -> count -> sort -> page, all in SQL, over a
// resource's derived table; then the ListResponse. Index paging uses OFFSET; cursor paging is a
// keyset on (sort key, id), so pages never overlap or skip while data changes.
import crypto from "node:crypto";
import type { Knex } from "knex";
import { toCount } from "../db/database.js";
import type { SqlFragment } from "../db/sql-fragment.js";
import { invalidCursor, invalidValue } from "./errors.js";
import { compileFilter } from "./filter/compile-sql.js";
import { resolveAttributePath } from "./filter/resolve.js";
import type { ListRequest } from "./list-request.js";
import { isBindableText } from "../db/storable-text.js";
import type { Column, ResourceMap } from "./mapping/types.js";
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

/** RFC 7644 3.4.2.3: any exposed single-valued attribute, or a multi-valued one by its value. */
export function resolveSortKey(map: ResourceMap, sortBy: string | undefined): SortKey | null {
  if (!sortBy) return null;
  const resolved = resolveAttributePath(map, sortBy);
  let column: Column | undefined;
  if (resolved?.entry.kind === "simple" && !resolved.sub && resolved.entry.sortable) column = resolved.entry.column;
  else if (resolved?.entry.kind === "multi") {
    const entry = resolved.entry;
    const sub = resolved.sub ?? entry.defaultSub;
    const parts = entry.elements.filter((e) => e.sub[sub]).map((e) => `case when ${e.present} then ${e.sub[sub].sql} end`);
    const first = entry.elements.find((e) => e.sub[sub])?.sub[sub];
    if (first && parts.length) column = { ...first, sql: parts.length === 1 ? parts[0] : `coalesce(${parts.join(", ")})` };
  }
  if (!column) throw invalidValue(`Cannot sort on "${sortBy}": sortBy takes a single-valued attribute that this tenant exposes`);
  return { name: sortBy.toLowerCase(), expression: sortExpression(column), type: column.type, integer: !!column.integerId };
}

/** What a cursor carries: resource type, sort key name, order, filter fingerprint, last sort value and id. */
interface CursorState { r: string; s: string; o: "a" | "d"; f: string; v: unknown; i: string | number }

function filterFingerprint(filter: string | undefined): string {
  return crypto.createHash("sha256").update(filter ?? "").digest("base64url").slice(0, 10);
}

function encodeCursor(state: CursorState): string {
  return Buffer.from(JSON.stringify(state)).toString("base64url");
}

const NOT_OURS = "The cursor is not one this server issued. Start again without a cursor value (cursor=).";
const MAX_INT4 = 2_147_483_647;
// Sort values come from HR rows, which may hold control characters and long text: only what cannot
// be bound is refused.
const plainText = (v: unknown, max: number): v is string => typeof v === "string" && v.length <= max && isBindableText(v);

/** Whether a decoded value can be bound where the key's SQL expects it (a forged cursor must be 400, not a SQL error). */
function fitsKey(v: unknown, key: { integer: boolean; type?: Column["type"] }): boolean {
  if (key.integer) return Number.isSafeInteger(v) && (v as number) >= 0 && (v as number) <= MAX_INT4;
  switch (key.type) {
    case "dateTime": return plainText(v, 40) && /^\d{4}-\d{2}-\d{2}T[\d:.]+Z$/.test(v) && Number.isFinite(Date.parse(v));
    case "boolean": return typeof v === "boolean";
    case "integer": case "decimal": return typeof v === "number" && Number.isFinite(v) && Math.abs(v) < 1e15;
    default: return plainText(v, 1_000_000);
  }
}

function decodeCursor(cursor: string, expected: Omit<CursorState, "v" | "i">, idKey: { integer: boolean }, sort: SortKey | null): CursorState {
  let state: CursorState;
  try {
    state = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw invalidCursor(NOT_OURS);
  }
  if (!state || typeof state !== "object" || Array.isArray(state) || !("i" in state)) throw invalidCursor(NOT_OURS);
  if (state.r !== expected.r) throw invalidCursor(`The cursor belongs to another resource type. Start again with cursor=.`);
  if (state.s !== expected.s || state.o !== expected.o || state.f !== expected.f) {
    throw invalidCursor("The cursor belongs to a different filter or sort order. Repeat the same filter, sortBy and sortOrder, or start again with cursor=.");
  }
  if (!fitsKey(state.i, { integer: idKey.integer, type: "string" })) throw invalidCursor(NOT_OURS);
  if (sort && state.v !== null && !fitsKey(state.v, { integer: sort.integer, type: sort.type })) throw invalidCursor(NOT_OURS);
  return state;
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
function afterCursor(sort: SortKey | null, idSql: string, idCast: string, state: CursorState, descending: boolean): SqlFragment {
  const id = `${idSql} > ${idCast}`;
  if (!sort) return { sql: id, bindings: [state.i as Knex.Value] };
  const e = sort.expression;
  const v = sort.integer ? "?::integer" : castFor(sort.type);
  if (state.v === null || state.v === undefined) {
    return descending
      ? { sql: `((${e}) is not null or ((${e}) is null and ${id}))`, bindings: [state.i as Knex.Value] }
      : { sql: `((${e}) is null and ${id})`, bindings: [state.i as Knex.Value] };
  }
  const cmp = descending ? "<" : ">";
  const nulls = descending ? "" : ` or (${e}) is null`;
  return {
    sql: `((${e}) ${cmp} ${v} or ((${e}) = ${v} and ${id})${nulls})`,
    bindings: [state.v as Knex.Value, state.v as Knex.Value, state.i as Knex.Value],
  };
}

/**
 * Runs a list over `base` (a fresh `from (...) as <alias>` query each call) and returns one page of
 * rows in order.
 */
export async function listRows<Row extends Record<string, unknown>>(
  map: ResourceMap, base: () => Knex.QueryBuilder, request: ListRequest,
): Promise<PageOfRows<Row>> {
  const where = request.filter ? compileFilter(request.filter, map) : null;
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

  const expected = { r: map.resourceType, s: sort?.name ?? "", o: descending ? "d" : "a", f: filterFingerprint(request.filter) } as const;
  if (request.cursor !== "") {
    const state = decodeCursor(request.cursor, expected, { integer: !!map.idColumn.integerId }, sort);
    const after = sort
      ? afterCursor(sort, idSql, idCast, state, descending)
      : { sql: `${idSql} ${descending ? "<" : ">"} ${idCast}`, bindings: [state.i as Knex.Value] };
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
    nextCursor = encodeCursor({ ...expected, v: v ?? null, i: lastId });
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

// Resolved filter -> one SQL boolean over the resource's columns (RFC 7644 section 3.4.2.2). Only SQL
// text from the catalogue and fixed keywords appear in the output; every client value is a `?`
// binding, and every compiled node is wrapped in parentheses.
import type { Knex } from "knex";
import type { SqlFragment } from "../../db/sql-fragment.js";
import type { Catalogue } from "../catalogue/catalogue.js";
import type { CatalogueEntry, Column, Element, RelatedScope } from "../catalogue/types.js";
import { invalidFilter } from "../errors.js";
import { type CompareOp, type FilterValue, parseFilter } from "./parse.js";
import { resolveFilter, type ElementNode, type ResolvedFilter } from "./resolve.js";

export { MAX_RELATED_CONDITIONS } from "./resolve.js";

const frag = (sql: string, bindings: Knex.Value[] = []): SqlFragment => ({ sql, bindings });
const FALSE = frag("(false)");

/** `(a or b)`; a single part is already parenthesised. */
function join(parts: SqlFragment[], word: "and" | "or"): SqlFragment {
  return parts.length === 1 ? parts[0] : group(parts, word);
}

function group(parts: SqlFragment[], word: "and" | "or"): SqlFragment {
  return frag(`(${parts.map((p) => p.sql).join(` ${word} `)})`, parts.flatMap((p) => p.bindings));
}

/**
 * Compiles SCIM filter text (RFC 7644 section 3.4.2.2) to a SQL boolean over the catalogue's columns,
 * for `whereRaw(fragment.sql, fragment.bindings)`: parsed, resolved (unknown or unexposed attributes
 * are 400 invalidFilter), then compiled. `scope` is what related attributes (groups, members) need.
 */
export function compileFilter(text: string, catalogue: Catalogue, scope: RelatedScope): SqlFragment {
  return compileResolved(resolveFilter(parseFilter(text), catalogue), scope);
}

/** Compiles a resolved filter. */
export function compileResolved(node: ResolvedFilter, scope: RelatedScope): SqlFragment {
  switch (node.op) {
    case "and":
    case "or":
      return group(node.filters.map((f) => compileResolved(f, scope)), node.op);
    // An attribute without a value compares as null in SQL; in SCIM it simply does not equal the
    // value, so "not" keeps such resources (two-valued logic, not SQL's three), as "ne" does
    // through "is distinct from".
    case "not": {
      const inner = compileResolved(node.filter, scope);
      return frag(`(not coalesce(${inner.sql}, false))`, inner.bindings);
    }
    case "[]": {
      const { target } = node;
      if (target.kind === "elements") {
        return forEachElement(target.entry, (column) => compileElement(node.filter, column, target.path));
      }
      const sub = target.entry.related!.sub;
      return related(target.entry, scope, compileElement(node.filter, (n) => sub[n], target.path));
    }
    default: {
      const { target, value } = node;
      const op = node.op;
      if (target.kind === "column") return compareColumn(target.column, op, value, target.path);
      if (op === "pr" && target.sub === undefined) {
        // RFC 7644: a multi-valued attribute is present when it has at least one element.
        return target.kind === "elements"
          ? join(target.entry.elements!.map((e) => frag(`(${e.present.sql})`)), "or")
          : related(target.entry, scope);
      }
      const subName = target.sub ?? target.entry.defaultSub!;
      const label = `${target.path}.${subName}`;
      if (target.kind === "elements") return forEachElement(target.entry, (column) => compareColumn(column(subName), op, value, label));
      return related(target.entry, scope, compareColumn(target.entry.related!.sub[subName], op, value, label));
    }
  }
}

function compileElement(node: ElementNode, column: (name: string) => Column, parentPath: string): SqlFragment {
  switch (node.op) {
    case "and":
    case "or":
      return group(node.filters.map((f) => compileElement(f, column, parentPath)), node.op);
    case "not": {
      const inner = compileElement(node.filter, column, parentPath);
      return frag(`(not coalesce(${inner.sql}, false))`, inner.bindings);
    }
    case "element": {
      const { op, sub, value } = node.condition;
      return compareColumn(column(sub), op, value, `${parentPath}.${sub}`);
    }
  }
}

/** One of the fixed elements satisfies `condition`: `((present) and condition) or ...`. */
function forEachElement(entry: CatalogueEntry, condition: (column: (name: string) => Column) => SqlFragment): SqlFragment {
  const elements = entry.elements!;
  const parts = elements.map((element) => {
    const c = condition((name) => elementColumn(elements, element, name));
    return frag(`((${element.present.sql}) and ${c.sql})`, c.bindings);
  });
  return join(parts, "or");
}

/** A sub-attribute an element lacks (but another element has) reads as a typed SQL null. */
function elementColumn(elements: Element[], element: Element, name: string): Column {
  const own = element.sub[name];
  if (own) return own.column;
  const other = elements.map((e) => e.sub[name]).find((c) => c !== undefined)!.column;
  return { ...other, sql: `null::${SQL_TYPES[other.type]}`, integerId: false, guard: undefined };
}

const SQL_TYPES: Record<Column["type"], string> = {
  string: "text", reference: "text", complex: "text", binary: "text", boolean: "boolean", dateTime: "timestamptz", integer: "integer", decimal: "numeric",
};

/** Some related row satisfies `condition` (catalogue/types.ts RelatedSql). */
function related(entry: CatalogueEntry, scope: RelatedScope, condition?: SqlFragment): SqlFragment {
  const rel = entry.related!.sql(scope);
  if (rel.kind === "exists") {
    if (!condition) return frag(`(exists (select 1 ${rel.from.sql}))`, rel.from.bindings);
    return frag(`(exists (select 1 ${rel.from.sql} and ${condition.sql}))`, [...rel.from.bindings, ...condition.bindings]);
  }
  if (rel.sources.length === 0) return FALSE;
  const where = condition ? ` where ${condition.sql}` : "";
  return join(rel.sources.map((src) => frag(
    `(${src.key} in (select ${src.elementKey} from (${src.rows.sql}) ug${where}))`,
    [...src.rows.bindings, ...(condition?.bindings ?? [])],
  )), "or");
}

const SQL_OPERATORS: Record<"eq" | "ne" | "gt" | "ge" | "lt" | "le", string> = { eq: "=", ne: "is distinct from", gt: ">", ge: ">=", lt: "<", le: "<=" };

function describe(value: FilterValue): string {
  return value.kind === "null" ? "null" : value.kind === "number" ? value.text : JSON.stringify(value.value);
}

/**
 * A column compared with a client value (RFC 7644 section 3.4.2.2, attribute operators). A guarded
 * column (a manager the token may not see) has no value where its guard fails: it matches what a
 * missing value matches (`eq null`, `ne "x"`, `not ...`) and nothing else.
 */
function compareColumn(column: Column, op: CompareOp | "pr", value: FilterValue | undefined, label: string): SqlFragment {
  if (!column.guard) return compareValue(column, op, value, label);
  const plain = compareValue({ ...column, guard: undefined }, op, value, label);
  const missingMatches = (op === "eq" && value?.kind === "null") || (op === "ne" && value !== undefined && value.kind !== "null");
  return missingMatches
    ? frag(`(not (${column.guard}) or ${plain.sql})`, plain.bindings)
    : frag(`((${column.guard}) and ${plain.sql})`, plain.bindings);
}

function compareValue(column: Column, op: CompareOp | "pr", value: FilterValue | undefined, label: string): SqlFragment {
  if (op === "pr" || value === undefined) {
    return isText(column) && !column.integerId
      ? frag(`(${column.sql} is not null and ${column.sql} <> '')`)
      : frag(`(${column.sql} is not null)`);
  }
  if (value.kind === "null") {
    if (op === "eq") return frag(`(${column.sql} is null)`);
    if (op === "ne") return frag(`(${column.sql} is not null)`);
    throw invalidFilter(`"${label} ${op} null" is not valid: null can only be compared with eq or ne`);
  }
  if (column.integerId) return compareIntegerId(column, op, value, label);
  switch (column.type) {
    case "boolean": return compareBoolean(column, op, value, label);
    case "dateTime": return compareDateTime(column, op, value, label);
    case "integer":
    case "decimal": return compareNumber(column, op, value, label);
    case "complex": throw invalidFilter(`"${label}" is complex: filter on one of its sub-attributes`);
    default: return compareString(column.sql, column.caseExact, op, stringValue(value, label));
  }
}

const isText = (column: Column) => column.type === "string" || column.type === "reference";

function stringValue(value: FilterValue, label: string): string {
  if (value.kind === "string") return value.value;
  if (value.kind === "number") return value.text;
  throw invalidFilter(`"${label}" is a string; compare it with a string in double quotes, not ${describe(value)}`);
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, "\\$&");

function compareString(sql: string, caseExact: boolean, op: CompareOp, text: string): SqlFragment {
  // Case-insensitive columns compare lower() on both sides, which the lower(...) indexes serve.
  const lhs = caseExact ? sql : `lower(${sql})`;
  const rhs = caseExact ? "?" : "lower(?)";
  switch (op) {
    case "eq":
    case "ne":
      return frag(`(${lhs} ${SQL_OPERATORS[op]} ${rhs})`, [text]);
    case "co": return frag(`(${lhs} like ${rhs} escape '\\')`, [`%${escapeLike(text)}%`]);
    case "sw": return frag(`(${lhs} like ${rhs} escape '\\')`, [`${escapeLike(text)}%`]);
    case "ew": return frag(`(${lhs} like ${rhs} escape '\\')`, [`%${escapeLike(text)}`]);
    default:
      // Byte order, the same on every server whatever its default collation.
      return frag(`(${lhs} collate "C" ${SQL_OPERATORS[op]} ${rhs})`, [text]);
  }
}

const INT4_MAX = 2_147_483_647;

/** Integer keys that SCIM shows as opaque strings (`id`, `manager.value`). */
function compareIntegerId(column: Column, op: CompareOp, value: FilterValue, label: string): SqlFragment {
  const text = stringValue(value, label);
  if (op === "eq" || op === "ne") {
    // Only the exact decimal text of a key can equal an id: "007" and "7.0" are not "7".
    if (/^(0|[1-9]\d{0,9})$/.test(text) && Number(text) <= INT4_MAX) {
      return frag(`(${column.sql} ${SQL_OPERATORS[op]} ?)`, [Number(text)]);
    }
    return op === "eq" ? FALSE : frag(`(${column.sql} is not null)`);
  }
  return compareString(`(${column.sql})::text`, true, op, text);
}

function compareBoolean(column: Column, op: CompareOp, value: FilterValue, label: string): SqlFragment {
  if (op !== "eq" && op !== "ne") throw invalidFilter(`"${label}" is a boolean: use eq, ne or pr, not ${op}`);
  let flag: boolean;
  if (value.kind === "boolean") flag = value.value;
  // Entra sends booleans as strings ("True", "False").
  else if (value.kind === "string" && /^(true|false)$/i.test(value.value)) flag = value.value.toLowerCase() === "true";
  else throw invalidFilter(`"${label}" is a boolean: compare it with true or false, not ${describe(value)}`);
  return frag(`(${column.sql} ${SQL_OPERATORS[op]} ?)`, [flag]);
}

function compareNumber(column: Column, op: CompareOp, value: FilterValue, label: string): SqlFragment {
  if (op === "co" || op === "sw" || op === "ew") throw invalidFilter(`"${label}" is a number: use eq, ne, gt, ge, lt, le or pr, not ${op}`);
  const text = value.kind === "number" ? value.text : value.kind === "string" ? value.value.trim() : "";
  if (!/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(text) || !Number.isFinite(Number(text))) {
    throw invalidFilter(`"${label}" is a number: compare it with a number, not ${describe(value)}`);
  }
  return frag(`(${column.sql} ${SQL_OPERATORS[op]} ?::numeric)`, [text]);
}

function compareDateTime(column: Column, op: CompareOp, value: FilterValue, label: string): SqlFragment {
  if (op === "co" || op === "sw" || op === "ew") throw invalidFilter(`"${label}" is a dateTime: use eq, ne, gt, ge, lt, le or pr, not ${op}`);
  if (value.kind !== "string") throw invalidFilter(`"${label}" is a dateTime: compare it with a date-time in double quotes such as "2026-11-23T10:00:00Z", not ${describe(value)}`);
  const instant = parseDateTime(value.value);
  if (!instant) {
    throw invalidFilter(`${JSON.stringify(value.value)} is not a valid date-time for "${label}": use ISO 8601, e.g. "2026-11-23T10:00:00Z" or "2026-11-23T10:00:00.1234567+01:00"`);
  }
  const bind = [instant.text];
  if (!instant.inexact) return frag(`(${column.sql} ${SQL_OPERATORS[op]} ?::timestamptz)`, bind);
  // The instant lies strictly between two microseconds, the precision of timestamptz: with t its
  // microsecond floor, x > instant <=> x >= instant <=> x > t, and x < instant <=> x <= instant <=> x <= t.
  switch (op) {
    case "eq": return FALSE;
    case "ne": return frag(`(${column.sql} is not null)`);
    case "gt":
    case "ge": return frag(`(${column.sql} > ?::timestamptz)`, bind);
    default: return frag(`(${column.sql} <= ?::timestamptz)`, bind);
  }
}

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,12}))?)?\s*(?:([Zz])|([+-])(\d{2}):?(\d{2}))?)?$/;

/**
 * An RFC 7643 section 2.3.5 dateTime (xsd:dateTime; the date alone and a missing zone, read as
 * UTC, are tolerated), checked field by field so that PostgreSQL never sees an invalid one.
 * Returns it normalised to microseconds, and whether digits beyond microseconds were dropped.
 */
export function parseDateTime(text: string): { text: string; inexact: boolean } | undefined {
  const m = DATE_TIME.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, h = "00", mi = "00", s = "00", fraction = "", , sign, offH = "00", offM = "00"] = m;
  const year = Number(y), month = Number(mo), day = Number(d);
  if (year < 1 || month < 1 || month > 12 || day < 1) return undefined;
  if (day > new Date(Date.UTC(2000, month, 0)).getUTCDate() - (month === 2 && !isLeap(year) ? 1 : 0)) return undefined;
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59 || Number(offH) > 14 || Number(offM) > 59) return undefined;
  const micro = fraction.slice(0, 6).padEnd(6, "0");
  const zone = sign ? `${sign}${offH}:${offM}` : "+00:00";
  return { text: `${y}-${mo}-${d}T${h}:${mi}:${s}.${micro}${zone}`, inexact: /[1-9]/.test(fraction.slice(6)) };
}

const isLeap = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

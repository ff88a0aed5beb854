// The value filter of a PATCH path (`emails[type eq "work"]`, RFC 7644 section 3.5.2 valuePath),
// parsed by the one filter grammar (scim/filter/parse.ts) and evaluated here in memory over one
// element of a multi-valued attribute: strings compare ignoring case (every string sub-attribute of
// emails and phoneNumbers is caseExact false, RFC 7643 section 4.1.2), booleans also as "True"/"False".
import { invalidFilter } from "../errors.js";
import type { FilterNode, FilterValue } from "../filter/parse.js";

/** One element of a multi-valued attribute as a filter sees it; sub-attribute names in lower case. */
export type FilterElement = Record<string, string | boolean | null | undefined>;

/** The sub-attribute names a value filter mentions (lower case). */
export function elementFilterNames(filter: FilterNode): string[] {
  switch (filter.op) {
    case "and": case "or": return filter.filters.flatMap(elementFilterNames);
    case "not": return elementFilterNames(filter.filter);
    default: return [filter.attrPath.toLowerCase()];
  }
}

/** Refuses what a value filter over one element cannot hold: ordering operators, nested value paths. */
export function checkElementFilter(filter: FilterNode, text: string): void {
  const fail = (why: string) => invalidFilter(`${why} in the value filter [${text}]; expected e.g. [type eq "work"].`);
  switch (filter.op) {
    case "and": case "or": filter.filters.forEach((f) => checkElementFilter(f, text)); return;
    case "not": checkElementFilter(filter.filter, text); return;
    case "[]": throw fail("Nested value filters are not supported");
    case "gt": case "ge": case "lt": case "le": throw fail(`The operator "${filter.op}" is not supported`);
    default: return;
  }
}

function literal(value: FilterValue): string | boolean | null {
  switch (value.kind) {
    case "null": return null;
    case "boolean": return value.value;
    case "number": return value.text;
    case "string": return value.value;
  }
}

function asBoolean(value: string | boolean | null): boolean | undefined {
  if (typeof value === "boolean") return value;
  if (typeof value === "string" && /^(true|false)$/i.test(value)) return value.toLowerCase() === "true";
  return undefined;
}

function compare(actual: string | boolean | null | undefined, op: string, expectedValue: FilterValue): boolean {
  const expected = literal(expectedValue);
  if (expected === null) {
    const absent = actual === null || actual === undefined;
    return op === "eq" ? absent : op === "ne" ? !absent : false;
  }
  if (actual === null || actual === undefined) return op === "ne";
  if (typeof actual === "boolean") {
    const wanted = asBoolean(expected);
    if (op === "eq") return wanted === actual;
    if (op === "ne") return wanted !== actual;
    return false;
  }
  const a = actual.toLowerCase();
  const e = String(expected).toLowerCase();
  switch (op) {
    case "eq": return a === e;
    case "ne": return a !== e;
    case "co": return a.includes(e);
    case "sw": return a.startsWith(e);
    case "ew": return a.endsWith(e);
    default: return false;
  }
}

/** Whether one element satisfies the filter (RFC 7644 section 3.4.2.2 semantics). */
export function matchesElement(filter: FilterNode, element: FilterElement): boolean {
  switch (filter.op) {
    case "and": return filter.filters.every((f) => matchesElement(f, element));
    case "or": return filter.filters.some((f) => matchesElement(f, element));
    case "not": return !matchesElement(filter.filter, element);
    case "[]": return false;
    case "pr": {
      const v = Object.hasOwn(element, filter.attrPath.toLowerCase()) ? element[filter.attrPath.toLowerCase()] : undefined;
      return v !== null && v !== undefined && v !== "";
    }
    default: {
      const name = filter.attrPath.toLowerCase();
      return compare(Object.hasOwn(element, name) ? element[name] : undefined, filter.op, filter.value);
    }
  }
}

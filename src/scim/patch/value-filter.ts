// The value filter inside a PATCH path (`emails[type eq "work"]`, RFC 7644 section 3.5.2 "valuePath"):
// a small parser and an in-memory matcher over the sub-attributes of one multi-valued element.
// Deliberately separate from scim/filter, which compiles resource filters to SQL.
import { invalidFilter } from "../errors.js";

export type ValueFilterOperator = "eq" | "ne" | "co" | "sw" | "ew";
export type FilterLiteral = string | boolean | null;

export type ValueFilter =
  | { kind: "compare"; attribute: string; op: ValueFilterOperator; value: FilterLiteral }
  | { kind: "present"; attribute: string }
  | { kind: "and" | "or"; left: ValueFilter; right: ValueFilter }
  | { kind: "not"; filter: ValueFilter };

/** One element of a multi-valued attribute as a filter sees it; sub-attribute names in lower case. */
export type FilterElement = Record<string, string | boolean | null | undefined>;

const COMPARE_OPERATORS = new Set(["eq", "ne", "co", "sw", "ew"]);
const ORDER_OPERATORS = new Set(["gt", "ge", "lt", "le"]);
const NAME = /^[A-Za-z$][A-Za-z0-9_$-]*$/;

type Token = { kind: "word"; text: string } | { kind: "string"; text: string } | { kind: "paren"; text: "(" | ")" };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) { i++; continue; }
    if (c === "(" || c === ")") { tokens.push({ kind: "paren", text: c }); i++; continue; }
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === "\\" ? 2 : 1;
      if (j >= text.length) throw invalidFilter(`Unterminated string in the value filter [${text}].`);
      try {
        tokens.push({ kind: "string", text: JSON.parse(text.slice(i, j + 1)) as string });
      } catch {
        throw invalidFilter(`Invalid escape in the string ${text.slice(i, j + 1)} of the value filter [${text}].`);
      }
      i = j + 1;
      continue;
    }
    let j = i;
    while (j < text.length && !/[\s()"]/.test(text[j])) j++;
    tokens.push({ kind: "word", text: text.slice(i, j) });
    i = j;
  }
  return tokens;
}

/**
 * Parses the filter between the brackets of a PATCH path (RFC 7644 section 3.4.2.2 grammar, as used
 * by section 3.5.2 valuePath): comparisons `eq ne co sw ew` and `pr` on sub-attributes, joined by
 * `and`/`or`, `not (...)` and parentheses. Operators, keywords and attribute names are
 * case-insensitive; `True`/`FALSE` are booleans; an unquoted word is taken as a string.
 * Throws 400 invalidFilter.
 */
export function parseValueFilter(text: string): ValueFilter {
  const tokens = tokenize(text);
  let pos = 0;
  const peekWord = () => (tokens[pos]?.kind === "word" ? tokens[pos].text.toLowerCase() : undefined);
  const fail = (why: string) => invalidFilter(`${why} in the value filter [${text}]; expected e.g. [type eq "work"].`);

  function parseOr(): ValueFilter {
    let left = parseAnd();
    while (peekWord() === "or") { pos++; left = { kind: "or", left, right: parseAnd() }; }
    return left;
  }
  function parseAnd(): ValueFilter {
    let left = parseUnary();
    while (peekWord() === "and") { pos++; left = { kind: "and", left, right: parseUnary() }; }
    return left;
  }
  function parseUnary(): ValueFilter {
    const token = tokens[pos];
    if (!token) throw fail("Missing comparison");
    if (token.kind === "paren" && token.text === "(") {
      pos++;
      const inner = parseOr();
      if (tokens[pos]?.kind !== "paren" || tokens[pos].text !== ")") throw fail("Missing )");
      pos++;
      return inner;
    }
    if (peekWord() === "not") {
      pos++;
      if (tokens[pos]?.kind !== "paren" || tokens[pos].text !== "(") throw fail("Expected ( after not");
      return { kind: "not", filter: parseUnary() };
    }
    return parseComparison();
  }
  function parseComparison(): ValueFilter {
    const attr = tokens[pos];
    if (attr?.kind !== "word" || !NAME.test(attr.text)) throw fail(`Expected a sub-attribute name${attr ? ` at "${attr.text}"` : ""}`);
    pos++;
    const attribute = attr.text.toLowerCase();
    const op = peekWord();
    if (op === "pr") { pos++; return { kind: "present", attribute }; }
    if (op && ORDER_OPERATORS.has(op)) throw fail(`The operator "${op}" is not supported`);
    if (!op || !COMPARE_OPERATORS.has(op)) throw fail(`Expected an operator (eq, ne, co, sw, ew, pr) after "${attr.text}"`);
    pos++;
    const literal = tokens[pos];
    if (!literal || literal.kind === "paren") throw fail(`Missing value after "${attr.text} ${op}"`);
    pos++;
    return { kind: "compare", attribute, op: op as ValueFilterOperator, value: literalValue(literal) };
  }

  const filter = parseOr();
  if (pos < tokens.length) throw fail(`Unexpected "${tokens[pos].text}"`);
  return filter;
}

function literalValue(token: Token): FilterLiteral {
  if (token.kind === "string") return token.text;
  const lower = token.text.toLowerCase();
  if (lower === "true") return true;
  if (lower === "false") return false;
  if (lower === "null") return null;
  return token.text;
}

/** The sub-attribute names a filter mentions (lower case), for validation against the attribute's schema. */
export function filterAttributes(filter: ValueFilter): string[] {
  switch (filter.kind) {
    case "compare": case "present": return [filter.attribute];
    case "and": case "or": return [...filterAttributes(filter.left), ...filterAttributes(filter.right)];
    case "not": return filterAttributes(filter.filter);
  }
}

function asBoolean(value: FilterLiteral): boolean | undefined {
  if (typeof value === "boolean") return value;
  if (typeof value === "string" && /^(true|false)$/i.test(value)) return value.toLowerCase() === "true";
  return undefined;
}

function compare(actual: string | boolean | null | undefined, op: ValueFilterOperator, expected: FilterLiteral): boolean {
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
  // Every string sub-attribute of emails and phoneNumbers is caseExact: false (RFC 7643 section 4.1.2).
  const a = actual.toLowerCase();
  const e = String(expected).toLowerCase();
  switch (op) {
    case "eq": return a === e;
    case "ne": return a !== e;
    case "co": return a.includes(e);
    case "sw": return a.startsWith(e);
    case "ew": return a.endsWith(e);
  }
}

/** Whether one element satisfies the filter (RFC 7644 section 3.4.2.2 semantics, strings compared ignoring case). */
export function matchesValueFilter(filter: ValueFilter, element: FilterElement): boolean {
  switch (filter.kind) {
    case "compare": return compare(element[filter.attribute], filter.op, filter.value);
    case "present": {
      const v = element[filter.attribute];
      return v !== null && v !== undefined && v !== "";
    }
    case "and": return matchesValueFilter(filter.left, element) && matchesValueFilter(filter.right, element);
    case "or": return matchesValueFilter(filter.left, element) || matchesValueFilter(filter.right, element);
    case "not": return !matchesValueFilter(filter.filter, element);
  }
}

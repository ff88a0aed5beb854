// Filter text -> AST (RFC 7644 section 3.4.2.2). A small lexer checks the grammar, gives helpful
// errors and normalises what real clients send (upper-case literals, bare words, JSON escapes, the
// Entra form `emails[type eq "work"].value eq "x"`); scim2-parse-filter then builds the tree.
import { parse as parseNormalised, type Filter } from "scim2-parse-filter";
import { invalidFilter } from "../errors.js";

export type CompareOp = "eq" | "ne" | "co" | "sw" | "ew" | "gt" | "ge" | "lt" | "le";

/** A comparison value as the client wrote it: numbers keep their text, strings are decoded. */
export type FilterValue =
  | { kind: "string"; value: string }
  | { kind: "number"; value: number; text: string }
  | { kind: "boolean"; value: boolean }
  | { kind: "null" };

export type FilterNode =
  | { op: "and" | "or"; filters: FilterNode[] }
  | { op: "not"; filter: FilterNode }
  /** A value path `attr[filter]`: one element of `attr` satisfies `filter`. */
  | { op: "[]"; attrPath: string; filter: FilterNode }
  | { op: CompareOp; attrPath: string; value: FilterValue }
  | { op: "pr"; attrPath: string };

export const MAX_FILTER_LENGTH = 10_000;
/**
 * Attribute expressions plus logical operators. Identity providers send one to five conditions
 * (Okta and Entra: `userName eq`, `externalId eq`, a delta window with `active`); 50 nodes is ten
 * times that, and bounds the cost of one filter for the database (see also compile-sql.ts
 * MAX_RELATED_CONDITIONS).
 */
export const MAX_FILTER_NODES = 50;
/** Nesting of parentheses and value paths (clients nest one or two levels). */
export const MAX_FILTER_DEPTH = 8;

const COMPARE_OPS = new Set<string>(["eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le"]);
const OPERATOR_LIST = "eq, ne, co, sw, ew, gt, ge, lt, le or pr";
const ATTRIBUTE_PATH = /^[A-Za-z][\w\-.:]*$/;
const SUB_ATTRIBUTE = /^[A-Za-z][\w-]*$/;
const NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?$/;
const PLACEHOLDER = /^v(\d+)$/;

interface Token {
  kind: "(" | ")" | "[" | "]" | "]." | "string" | "word";
  text: string;
  /** 1-based character position, for error messages. */
  at: number;
  /** Decoded value of a string token. */
  value?: string;
}

/** The filter as scim2-parse-filter will see it: every value replaced by a placeholder `"v<n>"`. */
export interface NormalisedFilter {
  text: string;
  values: FilterValue[];
  nodes: number;
}

const quote = (text: string) => JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}...` : text);

function lex(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) { i++; continue; }
    const at = i + 1;
    if (c === "(" || c === ")" || c === "[") { tokens.push({ kind: c, text: c, at }); i++; continue; }
    if (c === "]") {
      if (text[i + 1] === ".") { tokens.push({ kind: "].", text: "].", at }); i += 2; } else { tokens.push({ kind: "]", text: c, at }); i++; }
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === "\\" ? 2 : 1;
      if (j >= text.length) throw invalidFilter(`Unterminated string starting at position ${at}: add the closing double quote`);
      const raw = text.slice(i, j + 1);
      tokens.push({ kind: "string", text: raw, at, value: decodeString(raw, at) });
      i = j + 1;
      continue;
    }
    let j = i;
    while (j < text.length && !/[\s()[\]"]/.test(text[j])) j++;
    tokens.push({ kind: "word", text: text.slice(i, j), at });
    i = j;
  }
  return tokens;
}

/** A JSON string (RFC 7644 3.4.2.2 compValue): `\uXXXX` and the other JSON escapes are decoded. */
function decodeString(raw: string, at: number): string {
  for (const escape of raw.matchAll(/\\(u[0-9a-fA-F]{4}|.?)/gs)) {
    if (!/^(u[0-9a-fA-F]{4}|["\\/bfnrt])$/.test(escape[1])) {
      throw invalidFilter(`Invalid escape \\${escape[1]} in the string at position ${at}: string values are JSON strings (write a backslash as \\\\)`);
    }
  }
  // Control characters typed as is (a tab, a newline) are tolerated: escape them for JSON.parse.
  const tolerant = raw.replace(/[\u0000-\u001f]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`);
  return JSON.parse(tolerant) as string;
}

function valueOf(token: Token): FilterValue {
  if (token.kind === "string") return { kind: "string", value: token.value! };
  const lower = token.text.toLowerCase();
  if (lower === "true" || lower === "false") return { kind: "boolean", value: lower === "true" };
  if (lower === "null") return { kind: "null" };
  if (NUMBER.test(token.text)) return { kind: "number", value: Number(token.text), text: token.text };
  // A bare word (Entra: `externalId eq jyoung`) is taken as a string.
  return { kind: "string", value: token.text };
}

/**
 * Checks the grammar of RFC 7644 section 3.4.2.2 and rewrites the filter into text that
 * scim2-parse-filter parses faithfully: operators and logical words lower-cased, each value a
 * placeholder (its decoded value in `values`), and the form `attr[filter].sub op value` (which the
 * RFC does not define but Entra sends, meaning one element matching both) as
 * `attr[(filter) and sub op value]`.
 */
export function normaliseFilter(text: string): NormalisedFilter {
  if (text.length > MAX_FILTER_LENGTH) throw invalidFilter(`The filter is longer than ${MAX_FILTER_LENGTH} characters; split the query`);
  const tokens = lex(text);
  if (tokens.length === 0) throw invalidFilter("The filter is empty; omit the filter parameter to list everything");

  const out: string[] = [];
  const values: FilterValue[] = [];
  const open: { kind: "(" | "["; at: number; outIndex: number }[] = [];
  // `as`: endExpression() also moves the state, which narrowing does not see.
  let state = "expression" as "expression" | "sub" | "operator" | "value" | "after";
  let nodes = 0;
  let attribute = "";
  let operator = "";
  let closeAfterExpression = false;
  let lastWasBare = false;

  const countNode = (at: number) => {
    if (++nodes > MAX_FILTER_NODES) throw invalidFilter(`The filter has more than ${MAX_FILTER_NODES} conditions and logical operators (at position ${at}); split the query into simpler ones`);
  };
  const endExpression = () => {
    if (closeAfterExpression) { out.push("]"); closeAfterExpression = false; }
    state = "after";
  };

  for (const t of tokens) {
    const word = t.kind === "word" ? t.text.toLowerCase() : "";
    const afterBareWord = lastWasBare;
    lastWasBare = false;
    switch (state) {
      case "expression":
        if (t.kind === "(") {
          if (open.length >= MAX_FILTER_DEPTH) throw invalidFilter(`The filter nests deeper than ${MAX_FILTER_DEPTH} levels (at position ${t.at})`);
          open.push({ kind: "(", at: t.at, outIndex: out.length });
          out.push("(");
        } else if (word === "not") {
          countNode(t.at);
          out.push("not");
        } else if (t.kind === "word" && word !== "and" && word !== "or" && ATTRIBUTE_PATH.test(t.text)) {
          countNode(t.at);
          attribute = t.text;
          out.push(t.text);
          state = "operator";
        } else {
          throw invalidFilter(`Expected an attribute name at position ${t.at} but found ${quote(t.text)}`);
        }
        break;

      case "sub":
        if (t.kind !== "word" || !SUB_ATTRIBUTE.test(t.text)) {
          throw invalidFilter(`Expected a sub-attribute name after "]." at position ${t.at} but found ${quote(t.text)}`);
        }
        countNode(t.at);
        attribute = t.text;
        out.push(t.text);
        state = "operator";
        break;

      case "operator":
        if (t.kind === "word" && COMPARE_OPS.has(word)) {
          operator = word;
          out.push(word);
          state = "value";
        } else if (word === "pr") {
          out.push("pr");
          endExpression();
        } else if (t.kind === "[" && closeAfterExpression) {
          throw invalidFilter(`A value filter cannot follow "].${attribute}" (position ${t.at})`);
        } else if (t.kind === "[") {
          if (open.some((o) => o.kind === "[")) throw invalidFilter(`Nested value filters are not supported (position ${t.at})`);
          if (open.length >= MAX_FILTER_DEPTH) throw invalidFilter(`The filter nests deeper than ${MAX_FILTER_DEPTH} levels (at position ${t.at})`);
          open.push({ kind: "[", at: t.at, outIndex: out.length });
          out.push("[");
          state = "expression";
        } else {
          throw invalidFilter(`Unknown operator ${quote(t.text)} after ${quote(attribute)} at position ${t.at}; expected ${OPERATOR_LIST}`);
        }
        break;

      case "value":
        if (t.kind === "string" || (t.kind === "word" && word !== "and" && word !== "or" && word !== "not")) {
          const value = valueOf(t);
          if (value.kind === "string" && value.value.includes("\u0000")) throw invalidFilter(`The value at position ${t.at} contains a NUL character, which no attribute can hold`);
          values.push(value);
          out.push(`"v${values.length - 1}"`);
          lastWasBare = t.kind === "word" && value.kind === "string";
          endExpression();
        } else {
          throw invalidFilter(`Expected a value after ${quote(`${attribute} ${operator}`)} at position ${t.at} but found ${quote(t.text)}`);
        }
        break;

      case "after":
        if (word === "and" || word === "or") {
          countNode(t.at);
          out.push(word);
          state = "expression";
        } else if (t.kind === ")" || t.kind === "]" || t.kind === "].") {
          const expected = t.kind === ")" ? "(" : "[";
          const top = open.pop();
          if (!top || top.kind !== expected) {
            const hint = top ? `; the ${quote(top.kind)} at position ${top.at} is not closed` : "";
            throw invalidFilter(`Unexpected ${quote(t.kind === "]." ? "]" : t.text)} at position ${t.at}${hint}`);
          }
          if (t.kind === "].") {
            // Entra's `attr[filter].sub op value`: one element satisfies the filter and the comparison.
            out.splice(top.outIndex + 1, 0, "(");
            out.push(")", "and");
            closeAfterExpression = true;
            state = "sub";
            break;
          }
          out.push(t.text);
        } else {
          const hint = afterBareWord ? "; put string values in double quotes, especially ones with spaces" : "";
          throw invalidFilter(`Expected "and", "or" or the end of the filter at position ${t.at} but found ${quote(t.text)}${hint}`);
        }
        break;
    }
  }

  if (state === "sub") throw invalidFilter(`The filter ends after "]."; add a sub-attribute and a comparison, e.g. emails[type eq "work"].value eq "..."`);
  if (state === "expression") throw invalidFilter(`The filter ends where an attribute name is expected; complete or remove the trailing ${quote(out[out.length - 1] ?? "")}`);
  if (state === "operator") throw invalidFilter(`The filter ends after ${quote(attribute)}; expected ${OPERATOR_LIST}`);
  if (state === "value") throw invalidFilter(`The filter ends after ${quote(`${attribute} ${operator}`)}; add the value to compare with, e.g. ${attribute} ${operator} "..."`);
  const unclosed = open.pop();
  if (unclosed) throw invalidFilter(`Missing ${quote(unclosed.kind === "(" ? ")" : "]")} for the ${quote(unclosed.kind)} at position ${unclosed.at}`);
  return { text: out.join(" "), values, nodes };
}

/** Parses filter text (RFC 7644 section 3.4.2.2); any syntax error is a 400 invalidFilter. */
export function parseFilter(text: string): FilterNode {
  const normalised = normaliseFilter(text);
  let tree: Filter;
  try {
    tree = parseNormalised(normalised.text);
  } catch (e) {
    // Unreachable for text normaliseFilter accepted; kept as a net. Placeholders are put back.
    const message = (e as Error).message.replace(/"v(\d+)"/g, (m, n: string) => JSON.stringify(valueText(normalised.values[Number(n)])) ?? m);
    throw invalidFilter(`The filter could not be parsed: ${message}`);
  }
  return toNode(tree, normalised.values);
}

function valueText(value: FilterValue | undefined): string {
  if (!value) return "";
  return value.kind === "null" ? "null" : value.kind === "number" ? value.text : String(value.value);
}

function toNode(f: Filter, values: FilterValue[]): FilterNode {
  switch (f.op) {
    case "and":
    case "or":
      return { op: f.op, filters: f.filters.map((x) => toNode(x, values)) };
    case "not":
      return { op: "not", filter: toNode(f.filter, values) };
    case "[]":
      return { op: "[]", attrPath: f.attrPath, filter: toNode(f.valFilter, values) };
    case "pr":
      return { op: "pr", attrPath: f.attrPath };
    default: {
      const slot = typeof f.compValue === "string" ? PLACEHOLDER.exec(f.compValue) : null;
      const value = slot ? values[Number(slot[1])] : undefined;
      if (!value || !COMPARE_OPS.has(f.op)) throw invalidFilter(`The filter could not be parsed near ${quote(f.attrPath)}`);
      return { op: f.op as CompareOp, attrPath: f.attrPath, value };
    }
  }
}

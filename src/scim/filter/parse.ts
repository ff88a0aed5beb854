// The one SCIM filter grammar (RFC 7644 section 3.4.2.2): filter text, PATCH paths (section 3.5.2,
// `attr[valFilter].sub`) and the value filters inside them are read by this parser into one AST.
// It is tolerant where real clients need it (operators and keywords in any case, upper-case
// literals, bare words as strings, JSON escapes, Entra's `emails[type eq "work"].value eq "x"`
// meaning one element matching both) and strict elsewhere, with errors that say where and what.
// (scim2-parse-filter, used before, could not parse PATCH paths, mangled Entra's form, refused
// upper-case literals and did not decode escapes: it needed a full grammar check in front of it,
// two parsers in series; this one replaces both.)
import { invalidFilter, invalidPath } from "../errors.js";

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

/** A PATCH path (RFC 7644 section 3.5.2 PATH): `attrPath`, `attrPath[valFilter]`, `attrPath[valFilter].subAttr`. */
export interface ParsedPath {
  /** The path as the client sent it. */
  text: string;
  /** The attribute path as typed: `title`, `name.givenName`, `urn:...:User:manager`, or a schema URN alone. */
  attrPath: string;
  /** The value filter between brackets, if any, and its text. */
  filter: FilterNode | null;
  filterText: string | null;
  /** The sub-attribute after the brackets (`emails[...].value`). */
  subAttribute: string | null;
}

export const MAX_FILTER_LENGTH = 10_000;
/**
 * Attribute expressions plus logical operators. Identity providers send one to five conditions
 * (Okta and Entra: `userName eq`, `externalId eq`, a delta window with `active`); 50 nodes is ten
 * times that, and bounds the cost of one filter for the database (see also resolve.ts
 * MAX_RELATED_CONDITIONS).
 */
export const MAX_FILTER_NODES = 50;
/** Nesting of parentheses and value paths (clients nest one or two levels). */
export const MAX_FILTER_DEPTH = 8;

const COMPARE_OPS = new Set<string>(["eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le"]);
const OPERATOR_LIST = "eq, ne, co, sw, ew, gt, ge, lt, le or pr";
const ATTRIBUTE_PATH = /^[A-Za-z][\w\-.:$]*$/;
const SUB_ATTRIBUTE = /^[A-Za-z$][\w$-]*$/;
const NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?$/;

interface Token {
  kind: "(" | ")" | "[" | "]" | "]." | "string" | "word";
  text: string;
  /** 1-based character position, for error messages. */
  at: number;
  /** Decoded value of a string token. */
  value?: string;
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

const isWord = (t: Token | undefined, word: string) => t?.kind === "word" && t.text.toLowerCase() === word;

/** A recursive-descent reader over the tokens of one filter (or of one PATCH path's brackets). */
class Reader {
  private pos = 0;
  private nodes = 0;
  private depth = 0;

  constructor(private readonly tokens: Token[]) {}

  get done(): boolean { return this.pos >= this.tokens.length; }
  peek(): Token | undefined { return this.tokens[this.pos]; }
  next(): Token | undefined { return this.tokens[this.pos++]; }

  private count(at: number): void {
    if (++this.nodes > MAX_FILTER_NODES) throw invalidFilter(`The filter has more than ${MAX_FILTER_NODES} conditions and logical operators (at position ${at}); split the query into simpler ones`);
  }

  private nest<T>(at: number, read: () => T): T {
    if (++this.depth > MAX_FILTER_DEPTH) throw invalidFilter(`The filter nests deeper than ${MAX_FILTER_DEPTH} levels (at position ${at})`);
    try { return read(); } finally { this.depth--; }
  }

  /** filter := and ("or" and)* */
  or(inBrackets: boolean): FilterNode {
    return this.chain("or", () => this.and(inBrackets));
  }

  /** and := unary ("and" unary)* */
  private and(inBrackets: boolean): FilterNode {
    return this.chain("and", () => this.unary(inBrackets));
  }

  /** operand (word operand)*, one node when there is one operand. */
  private chain(word: "and" | "or", operand: () => FilterNode): FilterNode {
    const parts = [operand()];
    while (isWord(this.peek(), word)) {
      this.count(this.next()!.at);
      parts.push(operand());
    }
    return parts.length === 1 ? parts[0] : { op: word, filters: parts };
  }

  /** unary := "not" unary | "(" filter ")" | attrExp | valuePath */
  private unary(inBrackets: boolean): FilterNode {
    const t = this.peek();
    if (!t) throw this.endError();
    if (isWord(t, "not")) {
      this.count(this.next()!.at);
      return { op: "not", filter: this.unary(inBrackets) };
    }
    if (t.kind === "(") {
      this.next();
      const inner = this.nest(t.at, () => this.or(inBrackets));
      this.close(")", t);
      return inner;
    }
    if (t.kind === "word" && !isWord(t, "and") && !isWord(t, "or") && ATTRIBUTE_PATH.test(t.text)) {
      this.count(t.at);
      this.next();
      if (this.peek()?.kind === "[") return this.valuePath(t, inBrackets);
      return this.comparison(t.text);
    }
    throw invalidFilter(`Expected an attribute name at position ${t.at} but found ${quote(t.text)}`);
  }

  /** attrPath "[" valFilter "]", or Entra's attrPath "[" valFilter "]." subAttr (op value | pr). */
  private valuePath(attribute: Token, inBrackets: boolean): FilterNode {
    const open = this.next()!;
    if (inBrackets) throw invalidFilter(`Nested value filters are not supported (position ${open.at})`);
    const filter = this.nest(open.at, () => this.or(true));
    const close = this.peek();
    if (close?.kind === "]") {
      this.next();
      return { op: "[]", attrPath: attribute.text, filter };
    }
    if (close?.kind === "].") {
      this.next();
      const sub = this.peek();
      if (!sub) throw invalidFilter(`The filter ends after "]."; add a sub-attribute and a comparison, e.g. emails[type eq "work"].value eq "..."`);
      if (sub.kind !== "word" || !SUB_ATTRIBUTE.test(sub.text)) {
        throw invalidFilter(`Expected a sub-attribute name after "]." at position ${sub.at} but found ${quote(sub.text)}`);
      }
      this.count(sub.at);
      this.next();
      if (this.peek()?.kind === "[") throw invalidFilter(`A value filter cannot follow "].${sub.text}" (position ${this.peek()!.at})`);
      // Entra's form: one element satisfies the filter and the comparison.
      return { op: "[]", attrPath: attribute.text, filter: { op: "and", filters: [filter, this.comparison(sub.text)] } };
    }
    throw this.unexpected(close, { kind: "[", at: open.at });
  }

  /** attrPath ("pr" | compareOp compValue) */
  private comparison(attrPath: string): FilterNode {
    const t = this.peek();
    if (!t) throw invalidFilter(`The filter ends after ${quote(attrPath)}; expected ${OPERATOR_LIST}`);
    const word = t.kind === "word" ? t.text.toLowerCase() : "";
    if (word === "pr") {
      this.next();
      return { op: "pr", attrPath };
    }
    if (!COMPARE_OPS.has(word)) throw invalidFilter(`Unknown operator ${quote(t.text)} after ${quote(attrPath)} at position ${t.at}; expected ${OPERATOR_LIST}`);
    this.next();
    const v = this.peek();
    if (!v) throw invalidFilter(`The filter ends after ${quote(`${attrPath} ${word}`)}; add the value to compare with, e.g. ${attrPath} ${word} "..."`);
    if (v.kind !== "string" && (v.kind !== "word" || isWord(v, "and") || isWord(v, "or") || isWord(v, "not"))) {
      throw invalidFilter(`Expected a value after ${quote(`${attrPath} ${word}`)} at position ${v.at} but found ${quote(v.text)}`);
    }
    this.next();
    const value = valueOf(v);
    if (value.kind === "string" && value.value.includes("\u0000")) throw invalidFilter(`The value at position ${v.at} contains a NUL character, which no attribute can hold`);
    const after = this.peek();
    if (v.kind === "word" && value.kind === "string" && after && !isWord(after, "and") && !isWord(after, "or") && after.kind === "word") {
      throw invalidFilter(`Expected "and", "or" or the end of the filter at position ${after.at} but found ${quote(after.text)}; put string values in double quotes, especially ones with spaces`);
    }
    return { op: word as CompareOp, attrPath, value };
  }

  private close(kind: ")" | "]", opener: Token): void {
    const t = this.peek();
    if (t?.kind === kind) { this.next(); return; }
    throw this.unexpected(t, opener);
  }

  private unexpected(t: Token | undefined, opener: { kind: string; at: number }): Error {
    const closer = opener.kind === "(" ? ")" : "]";
    if (!t) return invalidFilter(`Missing ${quote(closer)} for the ${quote(opener.kind)} at position ${opener.at}`);
    if (t.kind === ")" || t.kind === "]" || t.kind === "].") {
      return invalidFilter(`Unexpected ${quote(t.kind === "]." ? "]" : t.text)} at position ${t.at}; the ${quote(opener.kind)} at position ${opener.at} is not closed`);
    }
    return invalidFilter(`Expected "and", "or" or ${quote(closer)} at position ${t.at} but found ${quote(t.text)}`);
  }

  endError(): Error {
    const last = this.tokens[this.tokens.length - 1];
    return invalidFilter(`The filter ends where an attribute name is expected; complete or remove the trailing ${quote(last?.text ?? "")}`);
  }

  /** After a whole filter: anything left is an error. */
  finish(): void {
    const t = this.peek();
    if (!t) return;
    if (t.kind === ")" || t.kind === "]" || t.kind === "].") throw invalidFilter(`Unexpected ${quote(t.kind === "]." ? "]" : t.text)} at position ${t.at}`);
    throw invalidFilter(`Expected "and", "or" or the end of the filter at position ${t.at} but found ${quote(t.text)}`);
  }
}

/** Parses filter text (RFC 7644 section 3.4.2.2); any syntax error is a 400 invalidFilter. */
export function parseFilter(text: string): FilterNode {
  if (text.length > MAX_FILTER_LENGTH) throw invalidFilter(`The filter is longer than ${MAX_FILTER_LENGTH} characters; split the query`);
  const tokens = lex(text);
  if (tokens.length === 0) throw invalidFilter("The filter is empty; omit the filter parameter to list everything");
  const reader = new Reader(tokens);
  const tree = reader.or(false);
  reader.finish();
  return tree;
}

/** Index of the "]" closing the "[" at `open`, skipping quoted strings; -1 when unbalanced. */
function closingBracket(text: string, open: number): number {
  for (let i = open + 1; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      i++;
      while (i < text.length && text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
      continue;
    }
    if (c === "[") return -1;
    if (c === "]") return i;
  }
  return -1;
}

/**
 * Parses a PATCH "path" (RFC 7644 section 3.5.2): `attr`, `attr.sub`, `attr[filter]`,
 * `attr[filter].sub`, each optionally prefixed by a schema URN, or a schema URN alone. Names keep
 * the client's case (the catalogue resolves them). A malformed path is 400 invalidPath; a value
 * filter that does not parse, 400 invalidFilter.
 */
export function parsePatchPath(text: string): ParsedPath {
  const bad = (why: string) => invalidPath(`The path "${text}" is malformed: ${why}. Expected e.g. "name.givenName" or 'emails[type eq "work"].value'.`);
  const trimmed = text.trim();
  if (trimmed === "") throw bad("it is empty");
  let attrPath = trimmed;
  let filterText: string | null = null;
  let subAttribute: string | null = null;
  const open = trimmed.indexOf("[");
  if (open >= 0) {
    const close = closingBracket(trimmed, open);
    if (close < 0) throw bad("its [ has no matching ]");
    attrPath = trimmed.slice(0, open);
    filterText = trimmed.slice(open + 1, close).trim();
    const after = trimmed.slice(close + 1);
    if (after !== "") {
      if (!after.startsWith(".")) throw bad(`unexpected "${after}" after ]`);
      subAttribute = after.slice(1);
      if (!SUB_ATTRIBUTE.test(subAttribute)) throw bad(`"${subAttribute}" is not a sub-attribute name`);
    }
    if (filterText === "") throw bad("its value filter [] is empty");
  }
  if (attrPath === "") throw bad("the attribute name is missing");
  if (!ATTRIBUTE_PATH.test(attrPath)) throw bad(`"${attrPath}" is not an attribute name`);
  // Below a schema URN (its last ":" or a "." after "User"), at most `attribute.sub`.
  const local = attrPath.slice(attrPath.lastIndexOf(":") + 1);
  const segments = local.split(".");
  if (segments.some((s) => s === "")) throw bad(`"${attrPath}" has an empty sub-attribute name`);
  if (segments.length > 3 || (segments.length === 3 && !/^user$/i.test(segments[0]))) throw bad(`"${segments.slice(-2).join(".")}" is nested too deep: SCIM attributes have one level of sub-attributes`);
  let filter: FilterNode | null = null;
  if (filterText !== null) {
    const tokens = lex(filterText);
    const reader = new Reader(tokens);
    filter = reader.or(true);
    reader.finish();
  }
  return { text, attrPath, filter, filterText, subAttribute };
}

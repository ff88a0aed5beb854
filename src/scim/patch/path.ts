// PATCH paths (RFC 7644 section 3.5.2, Figure 7 "PATH" grammar): the optional schema URN, the
// attribute, the optional value filter and sub-attribute, as text; meaning is given by user-attributes.ts.
import { invalidPath } from "../errors.js";
import { ENTERPRISE_URN, LUCCA_URN, USER_URN } from "../schema/urns.js";
import { parseValueFilter, type ValueFilter } from "./value-filter.js";

/** The schema URNs a User attribute may be qualified with, in their canonical spelling. */
export const KNOWN_SCHEMA_URNS: readonly string[] = [USER_URN, ENTERPRISE_URN, LUCCA_URN];

export interface PatchPath {
  /** The path as the client sent it. */
  text: string;
  /** The schema URN the path is qualified with (canonical spelling when known), or null. */
  urn: string | null;
  /** The attribute name as sent, or null when the path is a schema URN alone (the whole extension). */
  attribute: string | null;
  /** The value filter between brackets, parsed, and its text. */
  filter: ValueFilter | null;
  filterText: string | null;
  /** The sub-attribute after the attribute (`name.givenName`) or after the filter (`emails[...].value`). */
  subAttribute: string | null;
}

const NAME = /^[A-Za-z$][A-Za-z0-9_$-]*$/;

/** The canonical spelling of a schema URN, compared case-insensitively, or undefined when unknown. */
export function knownSchemaUrn(text: string): string | undefined {
  const lower = text.toLowerCase();
  return KNOWN_SCHEMA_URNS.find((u) => u.toLowerCase() === lower);
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

/** Splits a URN-qualified path into the schema URN and the rest (RFC 7644 section 3.10). */
function splitUrn(text: string): { urn: string | null; rest: string | null } {
  if (!/^urn:/i.test(text)) return { urn: null, rest: text };
  const bracket = text.indexOf("[");
  const head = bracket < 0 ? text : text.slice(0, bracket);
  const whole = knownSchemaUrn(head);
  if (whole && bracket < 0) return { urn: whole, rest: null };
  const lowerHead = head.toLowerCase();
  // "<URN>:attr" as RFC 7644 section 3.10 writes it, or "<URN>.attr" as some clients do.
  const known = KNOWN_SCHEMA_URNS.find((u) => lowerHead.startsWith(`${u.toLowerCase()}:`) || lowerHead.startsWith(`${u.toLowerCase()}.`));
  if (known) return { urn: known, rest: text.slice(known.length + 1) };
  const colon = head.lastIndexOf(":");
  return { urn: head.slice(0, colon), rest: text.slice(colon + 1) };
}

/**
 * Parses a PATCH "path" (RFC 7644 section 3.5.2): `attr`, `attr.sub`, `attr[filter]`,
 * `attr[filter].sub`, each optionally prefixed by a schema URN and ":", or a schema URN alone.
 * Names keep the client's case (resolution is case-insensitive). Throws 400 invalidPath for a
 * malformed path and 400 invalidFilter for a malformed value filter.
 */
export function parsePatchPath(text: string): PatchPath {
  const bad = (why: string) => invalidPath(`The path "${text}" is malformed: ${why}. Expected e.g. "name.givenName" or 'emails[type eq "work"].value'.`);
  if (text.trim() === "") throw bad("it is empty");
  const { urn, rest } = splitUrn(text.trim());
  if (rest === null) return { text, urn, attribute: null, filter: null, filterText: null, subAttribute: null };

  let attribute = rest;
  let filterText: string | null = null;
  let subAttribute: string | null = null;
  const open = rest.indexOf("[");
  if (open >= 0) {
    const close = closingBracket(rest, open);
    if (close < 0) throw bad("its [ has no matching ]");
    attribute = rest.slice(0, open);
    filterText = rest.slice(open + 1, close).trim();
    const after = rest.slice(close + 1);
    if (after !== "") {
      if (!after.startsWith(".")) throw bad(`unexpected "${after}" after ]`);
      subAttribute = after.slice(1);
    }
    if (filterText === "") throw bad("its value filter [] is empty");
  } else {
    const dot = rest.indexOf(".");
    if (dot >= 0) {
      attribute = rest.slice(0, dot);
      subAttribute = rest.slice(dot + 1);
    }
  }
  if (!NAME.test(attribute)) throw bad(attribute === "" ? "the attribute name is missing" : `"${attribute}" is not an attribute name`);
  if (subAttribute !== null && !NAME.test(subAttribute)) throw bad(`"${subAttribute}" is not a sub-attribute name`);
  const filter = filterText === null ? null : parseValueFilter(filterText);
  return { text, urn, attribute, filter, filterText, subAttribute };
}


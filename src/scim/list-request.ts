// Query parameters (case-insensitive names, docs/CLIENTS.md item 6) or a SearchRequest body
// (RFC 7644 section 3.4.3) -> one typed ListRequest.
import { badRequest, invalidSyntax, invalidValue } from "./errors.js";
import { parseSelection, type AttributeSelection } from "./projection/attribute-selection.js";
import { checkSearchRequest } from "./validation/validate.js";

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 1000;

export interface ListRequest {
  filter?: string;
  sortBy?: string;
  sortOrder: "ascending" | "descending";
  /** 1-based; below 1 means 1 (docs/CLIENTS.md item 1). */
  startIndex: number;
  /** 0..MAX_PAGE_SIZE. */
  count: number;
  /** RFC 9865: present (possibly "") when the client asks for cursor pagination. */
  cursor?: string;
  selection: AttributeSelection;
}

const KNOWN = ["filter", "sortby", "sortorder", "startindex", "count", "cursor", "attributes", "excludedattributes"] as const;
type Known = (typeof KNOWN)[number];

function integerParam(name: string, raw: unknown): number | undefined {
  if (raw === undefined || raw === null || raw === "") return undefined;
  const n = typeof raw === "number" ? raw : Number(String(raw).trim());
  if (!Number.isFinite(n) || !Number.isInteger(n)) throw invalidValue(`${name} must be an integer, got "${String(raw)}"`);
  return n;
}

function single(name: string, value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) {
    if (name === "attributes" || name === "excludedattributes") return value.map(String).join(",");
    throw badRequest(`The parameter ${name} was given more than once`);
  }
  if (typeof value === "object") throw badRequest(`The parameter ${name} must be a string`);
  return String(value);
}

function build(params: Partial<Record<Known, string | undefined>>): ListRequest {
  const order = params.sortorder?.toLowerCase();
  if (order !== undefined && order !== "ascending" && order !== "descending") {
    throw invalidValue(`sortOrder must be "ascending" or "descending", got "${params.sortorder}"`);
  }
  const startIndex = integerParam("startIndex", params.startindex) ?? 1;
  const count = integerParam("count", params.count) ?? DEFAULT_PAGE_SIZE;
  if (params.attributes !== undefined && params.excludedattributes !== undefined) {
    throw invalidSyntax("Use either attributes or excludedAttributes, not both");
  }
  return {
    filter: params.filter?.trim() ? params.filter : undefined,
    sortBy: params.sortby?.trim() || undefined,
    sortOrder: order === "descending" ? "descending" : "ascending",
    startIndex: Math.max(1, startIndex),
    count: Math.min(Math.max(0, count), MAX_PAGE_SIZE),
    cursor: params.cursor,
    selection: parseSelection(params.attributes, params.excludedattributes),
  };
}

/** From an express query object; unknown parameters are ignored (Entra adds its own). */
export function listRequestFromQuery(query: Record<string, unknown>): ListRequest {
  const params: Partial<Record<Known, string>> = {};
  for (const [name, value] of Object.entries(query)) {
    const key = name.toLowerCase() as Known;
    if ((KNOWN as readonly string[]).includes(key)) params[key] = single(name, value);
  }
  return build(params);
}

/** From a POST .search body (RFC 7644 3.4.3), checked by ajv (validation/json-schemas.ts); attributes lists may be arrays. */
export function listRequestFromSearch(body: unknown): ListRequest {
  const b = checkSearchRequest(body);
  const params: Partial<Record<Known, string>> = {};
  for (const [name, value] of Object.entries(b)) {
    const key = name.toLowerCase() as Known;
    if (!(KNOWN as readonly string[]).includes(key) || value === null || value === undefined) continue;
    params[key] = Array.isArray(value) ? value.map(String).join(",") : String(value);
  }
  return build(params);
}

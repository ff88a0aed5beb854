// `attributes` and `excludedAttributes` (RFC 7644 section 3.4.2.5, RFC 7643 section 7 "returned"):
// each path is resolved through the catalogue to the keys it names in a projected resource; unknown
// and unexposed names select nothing (ignored). Applied to projected resources, and asked beforehand
// so that services skip loading what is not returned (group members).
import type { Catalogue } from "../catalogue/catalogue.js";
import { resolvePath } from "../catalogue/resolve.js";
import type { CatalogueEntry } from "../catalogue/types.js";

export interface AttributeSelection {
  attributes?: string[];
  excludedAttributes?: string[];
}

/** Attributes returned whatever the selection says (returned: "always"). */
const ALWAYS = new Set(["id", "schemas"]);

function splitList(value: string | string[] | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const list = (Array.isArray(value) ? value : [value]).flatMap((v) => String(v).split(",")).map((s) => s.trim()).filter(Boolean);
  return list.length ? list : undefined;
}

export function parseSelection(attributes?: string | string[], excludedAttributes?: string | string[]): AttributeSelection {
  return { attributes: splitList(attributes), excludedAttributes: splitList(excludedAttributes) };
}

/** The keys of an entry in a projected resource: `["name", "givenName"]`, `[<URN>, "manager", "value"]`. */
function keysOf(catalogue: Catalogue, entry: CatalogueEntry): string[] {
  const names: string[] = [];
  for (let e: CatalogueEntry | undefined = entry; e; e = e.parent === null ? undefined : catalogue.byPath(e.parent.toLowerCase())) names.unshift(e.name);
  return entry.urn === catalogue.coreUrn || entry.common ? names : [entry.urn, ...names];
}

/** The resource keys a selection path names, or null when it names nothing this tenant exposes. */
function resolveKeys(catalogue: Catalogue, path: string): string[] | null {
  const r = resolvePath(catalogue, path, { scope: "exposed" });
  if (r.kind === "entry") return keysOf(catalogue, r.entry);
  if (r.kind === "schema" && r.urn !== catalogue.coreUrn) return [r.urn];
  return null;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype;

function copyPath(from: Record<string, unknown>, to: Record<string, unknown>, keys: string[]): void {
  const [key, ...rest] = keys;
  if (!Object.hasOwn(from, key)) return;
  const value = from[key];
  if (rest.length === 0) { to[key] = value; return; }
  if (Array.isArray(value)) {
    const existing = (Array.isArray(to[key]) ? to[key] : value.map(() => ({}))) as Record<string, unknown>[];
    value.forEach((element, i) => { if (isPlainObject(element)) copyPath(element, existing[i], rest); });
    if (existing.some((e) => Object.keys(e).length > 0)) to[key] = existing;
  } else if (isPlainObject(value)) {
    const target = (isPlainObject(to[key]) ? to[key] : {}) as Record<string, unknown>;
    copyPath(value, target, rest);
    if (Object.keys(target).length > 0) to[key] = target;
  }
}

function deletePath(obj: Record<string, unknown>, keys: string[]): void {
  const [key, ...rest] = keys;
  if (!Object.hasOwn(obj, key)) return;
  if (rest.length === 0) { if (!ALWAYS.has(key)) delete obj[key]; return; }
  const value = obj[key];
  for (const child of Array.isArray(value) ? value : [value]) if (isPlainObject(child)) deletePath(child, rest);
}

function pruneSchemas(resource: Record<string, unknown>, catalogue: Catalogue): void {
  if (!Array.isArray(resource.schemas)) return;
  const isEmpty = (urn: string) => !isPlainObject(resource[urn]) || Object.keys(resource[urn] as object).length === 0;
  for (const urn of catalogue.extensionUrns) if (Object.hasOwn(resource, urn) && isEmpty(urn)) delete resource[urn];
  resource.schemas = (resource.schemas as string[]).filter((urn) => urn === catalogue.coreUrn || Object.hasOwn(resource, urn));
}

/** Applies the selection to one projected resource (a new object; the input is not changed). */
export function applySelection(resource: Record<string, unknown>, selection: AttributeSelection, catalogue: Catalogue): Record<string, unknown> {
  if (selection.attributes) {
    const out: Record<string, unknown> = {};
    for (const key of ALWAYS) if (Object.hasOwn(resource, key)) out[key] = resource[key];
    for (const path of selection.attributes) {
      const keys = resolveKeys(catalogue, path);
      if (keys) copyPath(resource, out, keys);
    }
    pruneSchemas(out, catalogue);
    return out;
  }
  if (selection.excludedAttributes) {
    const out = structuredClone(resource);
    for (const path of selection.excludedAttributes) {
      const keys = resolveKeys(catalogue, path);
      if (keys) deletePath(out, keys);
    }
    pruneSchemas(out, catalogue);
    return out;
  }
  return resource;
}

/** Whether a top-level core attribute (e.g. "members") will be returned, so a service can skip loading it. */
export function isReturned(selection: AttributeSelection, attribute: string, catalogue: Catalogue): boolean {
  const top = (path: string) => resolveKeys(catalogue, path);
  if (selection.attributes) return selection.attributes.some((p) => top(p)?.[0] === attribute);
  if (selection.excludedAttributes) return !selection.excludedAttributes.some((p) => { const k = top(p); return k?.length === 1 && k[0] === attribute; });
  return true;
}

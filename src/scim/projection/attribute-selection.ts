// `attributes` and `excludedAttributes` (RFC 7644 section 3.4.2.5, RFC 7643 section 7 "returned"):
// applied to projected resources, and asked beforehand so that services skip loading what is not
// returned (group members).

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

/** A path as keys into the resource JSON: core attributes top-level, extension ones under their URN. */
function toKeys(path: string, coreUrn: string, extensionUrns: string[]): string[] {
  const lower = path.toLowerCase();
  if (lower.startsWith("urn:")) {
    for (const urn of [...extensionUrns].sort((a, b) => b.length - a.length)) {
      const u = urn.toLowerCase();
      if (lower === u) return [urn];
      if (lower.startsWith(u + ":")) return [urn, ...path.slice(urn.length + 1).split(".")];
    }
    const core = coreUrn.toLowerCase();
    if (lower.startsWith(core + ":")) return path.slice(coreUrn.length + 1).split(".");
    return [path];
  }
  return path.split(".");
}

/**
 * The resource's own key matching a client-given name, ignoring case. Only own keys are looked at:
 * a name such as "__proto__" or "constructor" is an unknown attribute, never a way into a prototype.
 */
function findKey(obj: Record<string, unknown>, key: string): string | undefined {
  if (Object.hasOwn(obj, key)) return key;
  const lower = key.toLowerCase();
  return Object.keys(obj).find((k) => k.toLowerCase() === lower);
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype;

function copyPath(from: Record<string, unknown>, to: Record<string, unknown>, keys: string[]): void {
  const key = findKey(from, keys[0]);
  if (key === undefined) return;
  const value = from[key];
  if (keys.length === 1) { to[key] = value; return; }
  if (Array.isArray(value)) {
    const existing = (Array.isArray(to[key]) ? to[key] : value.map(() => ({}))) as Record<string, unknown>[];
    value.forEach((element, i) => { if (isPlainObject(element)) copyPath(element, existing[i], keys.slice(1)); });
    // An unknown sub-attribute selects nothing: no array of empty elements.
    if (existing.some((e) => Object.keys(e).length > 0)) to[key] = existing;
  } else if (isPlainObject(value)) {
    const target = (isPlainObject(to[key]) ? to[key] : {}) as Record<string, unknown>;
    copyPath(value, target, keys.slice(1));
    if (Object.keys(target).length > 0) to[key] = target;
  }
}

function deletePath(obj: Record<string, unknown>, keys: string[]): void {
  const key = findKey(obj, keys[0]);
  if (key === undefined) return;
  if (keys.length === 1) { if (!ALWAYS.has(key)) delete obj[key]; return; }
  const value = obj[key];
  const children = Array.isArray(value) ? value : [value];
  for (const child of children) if (isPlainObject(child)) deletePath(child, keys.slice(1));
}

function pruneSchemas(resource: Record<string, unknown>, coreUrn: string): void {
  if (Array.isArray(resource.schemas)) {
    resource.schemas = (resource.schemas as string[]).filter((urn) => urn === coreUrn || (resource[urn] && Object.keys(resource[urn] as object).length > 0));
    for (const urn of Object.keys(resource)) {
      if (urn.startsWith("urn:") && (!resource[urn] || Object.keys(resource[urn] as object).length === 0)) delete resource[urn];
    }
  }
}

/** Applies the selection to one projected resource (a new object; the input is not changed). */
export function applySelection(resource: Record<string, unknown>, selection: AttributeSelection, coreUrn: string): Record<string, unknown> {
  const extensionUrns = Array.isArray(resource.schemas) ? (resource.schemas as string[]).filter((u) => u !== coreUrn) : [];
  if (selection.attributes) {
    const out: Record<string, unknown> = {};
    for (const key of ALWAYS) if (key in resource) out[key] = resource[key];
    for (const path of selection.attributes) copyPath(resource, out, toKeys(path, coreUrn, extensionUrns));
    pruneSchemas(out, coreUrn);
    return out;
  }
  if (selection.excludedAttributes) {
    const out = structuredClone(resource);
    for (const path of selection.excludedAttributes) deletePath(out, toKeys(path, coreUrn, extensionUrns));
    pruneSchemas(out, coreUrn);
    return out;
  }
  return resource;
}

/** Whether a top-level attribute (e.g. "members") will be returned, so a service can skip loading it. */
export function isReturned(selection: AttributeSelection, attribute: string, coreUrn: string): boolean {
  const a = attribute.toLowerCase();
  const topOf = (path: string) => toKeys(path, coreUrn, [])[0].toLowerCase();
  if (selection.attributes) return selection.attributes.some((p) => topOf(p) === a);
  if (selection.excludedAttributes) return !selection.excludedAttributes.some((p) => toKeys(p, coreUrn, []).length === 1 && topOf(p) === a);
  return true;
}

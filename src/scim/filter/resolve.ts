// Binds filter attribute paths to a resource map (RFC 7644 section 3.4.2.2 and 3.10 attribute
// notation): case-insensitive names, schema-URN qualification, sub-attributes. An attribute the
// map does not hold (unknown, or not exposed by the tenant) is a 400 invalidFilter.
import { invalidFilter } from "../errors.js";
import type { Column, MappedAttribute, MultiEntry, RelatedEntry, ResourceMap } from "../mapping/types.js";

export type ResolvedAttribute =
  | { kind: "simple"; path: string; column: Column }
  /** `sub` is the canonical sub-attribute name, absent when the attribute itself is named (`emails`). */
  | { kind: "multi"; path: string; entry: MultiEntry; sub?: string }
  | { kind: "related"; path: string; entry: RelatedEntry; sub?: string };

interface Hit { entry: MappedAttribute; sub?: string }

/** Looks a lower-cased key up: an attribute itself, or `<multi or related attribute>.<sub>`. */
function lookup(map: ResourceMap, key: string): Hit | undefined {
  const entry = map.attributes.get(key);
  if (entry) return { entry };
  const dot = key.indexOf(".", key.lastIndexOf(":") + 1);
  if (dot < 0) return undefined;
  const parent = map.attributes.get(key.slice(0, dot));
  return parent && parent.kind !== "simple" ? { entry: parent, sub: key.slice(dot + 1) } : undefined;
}

const isExtensionPath = (path: string) => path.startsWith("urn:");

/** Sub-attribute names of a multi-valued entry (the union over its elements). */
export function subAttributeNames(entry: MultiEntry | RelatedEntry): string[] {
  if (entry.kind === "related") return Object.keys(entry.sub);
  return [...new Set(entry.elements.flatMap((e) => Object.keys(e.sub)))];
}

/** The canonical name of a sub-attribute, matched case-insensitively (RFC 7643 section 2.1). */
export function resolveSubAttribute(name: string, names: string[], parentPath: string): string {
  const lower = name.toLowerCase();
  const found = names.find((n) => n.toLowerCase() === lower);
  if (found) return found;
  throw invalidFilter(`Unknown sub-attribute "${name}" of "${parentPath}" in the filter; it has ${names.join(", ")}`);
}

type Found = Hit | { ambiguous: Hit[] } | undefined;

function find(map: ResourceMap, attrPath: string): Found {
  const lower = attrPath.toLowerCase();
  const corePrefix = `${map.coreSchema.toLowerCase()}:`;
  if (lower.startsWith(corePrefix)) {
    const hit = lookup(map, lower.slice(corePrefix.length));
    return hit && !isExtensionPath(hit.entry.path) ? hit : undefined;
  }
  const hit = lookup(map, lower);
  if (hit || lower.startsWith("urn:")) return hit;
  const candidates = map.extensionSchemas
    .map((schema) => lookup(map, `${schema.toLowerCase()}:${lower}`))
    .filter((h): h is Hit => h !== undefined);
  return candidates.length > 1 ? { ambiguous: candidates } : candidates[0];
}

/**
 * Finds the entry of an attribute path (RFC 7644 section 3.10 attribute notation) without
 * throwing: undefined when the map does not hold it, its sub-attribute is unknown, or the name is
 * ambiguous. `sub` is the canonical sub-attribute name of a multi-valued or related entry.
 * The same rules as resolveAttribute; for sortBy and other callers that word their own error.
 */
export function resolveAttributePath(map: ResourceMap, attrPath: string): { entry: MappedAttribute; sub?: string } | undefined {
  const found = find(map, attrPath);
  if (!found || "ambiguous" in found) return undefined;
  if (found.sub === undefined || found.entry.kind === "simple") return { entry: found.entry };
  const lower = found.sub.toLowerCase();
  const sub = subAttributeNames(found.entry).find((n) => n.toLowerCase() === lower);
  return sub === undefined ? undefined : { entry: found.entry, sub };
}

/**
 * Resolves an attribute path of a filter (RFC 7644 section 3.4.2.2, `attrPath`) against the map:
 * names are case-insensitive; the core schema URN prefix is optional; an extension attribute is
 * named with its schema URN, or without it when no core attribute and no other extension of the
 * map has that name. Anything else is a 400 invalidFilter naming the attribute.
 */
export function resolveAttribute(attrPath: string, map: ResourceMap): ResolvedAttribute {
  const found = find(map, attrPath);
  if (!found) throw unknownAttribute(attrPath, map);
  if ("ambiguous" in found) {
    throw invalidFilter(`The filter attribute "${attrPath}" exists in several schemas (${found.ambiguous.map((c) => c.entry.path).join(", ")}); qualify it with its schema URN`);
  }
  const { entry } = found;
  if (entry.kind === "simple") return { kind: "simple", path: entry.path, column: entry.column };
  const sub = found.sub === undefined ? undefined : resolveSubAttribute(found.sub, subAttributeNames(entry), entry.path);
  return entry.kind === "multi"
    ? { kind: "multi", path: entry.path, entry, sub }
    : { kind: "related", path: entry.path, entry, sub };
}

function unknownAttribute(attrPath: string, map: ResourceMap) {
  const lower = attrPath.toLowerCase().replace(`${map.coreSchema.toLowerCase()}:`, "");
  const paths = [...map.attributes.values()].map((e) => e.path);
  const subs = paths.filter((p) => p.toLowerCase().startsWith(`${lower}.`));
  if (subs.length > 0) {
    return invalidFilter(`The filter attribute "${attrPath}" is complex: filter on one of its sub-attributes (${subs.join(", ")})`);
  }
  return invalidFilter(
    `The filter attribute "${attrPath}" is unknown or not exposed for ${map.resourceType} resources in this tenant; ` +
      `filterable attributes are ${paths.join(", ")}`,
  );
}

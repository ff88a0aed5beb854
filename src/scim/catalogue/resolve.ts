// The one path resolver (RFC 7644 section 3.10 attribute notation): client text naming an attribute
// -> its catalogue entry. Names compare ignoring case; a schema URN may prefix the path, followed by
// ":" (RFC 7644) or "." (as some clients write `...:User.manager`); the core URN is optional; an
// extension attribute may be named without its URN when no other schema has that name. Lookups go
// through the catalogue's Map of canonical paths, so no client text ever reaches an object key.
import type { Catalogue } from "./catalogue.js";
import type { CatalogueEntry } from "./types.js";

export type Resolution =
  | { kind: "entry"; entry: CatalogueEntry; exposed: boolean }
  /** The path is a schema URN alone (a whole extension, in PATCH). */
  | { kind: "schema"; urn: string }
  /** No attribute of that name (or not one the caller may see: see `scope`). */
  | { kind: "unknown"; path: string }
  /** A URN that is no schema of this resource type. */
  | { kind: "unknownSchema"; urn: string; path: string }
  /** Named without URN, and several extension schemas have it. */
  | { kind: "ambiguous"; candidates: CatalogueEntry[] };

export interface ResolveOptions {
  /**
   * "exposed": only attributes the tenant exposes count (filters, sorting, selection);
   * "known": every attribute the catalogue knows, exposed or not (PATCH and PUT say why they
   * cannot write an attribute the tenant does not expose).
   */
  scope: "exposed" | "known";
}

/** Splits a leading schema URN off a path: the longest known URN followed by ":" or "."; or an unknown URN. */
function splitUrn(catalogue: Catalogue, text: string): { urn: string | null; rest: string | null; unknownUrn?: string } {
  const lower = text.toLowerCase();
  if (!lower.startsWith("urn:")) return { urn: null, rest: text };
  const known = [...catalogue.knownUrns].sort((a, b) => b.length - a.length);
  for (const urn of known) {
    const u = urn.toLowerCase();
    if (lower === u) return { urn, rest: null };
    if (lower.startsWith(`${u}:`) || lower.startsWith(`${u}.`)) return { urn, rest: text.slice(urn.length + 1) };
  }
  const colon = text.lastIndexOf(":");
  return { urn: null, rest: text.slice(colon + 1), unknownUrn: text.slice(0, colon) };
}

/** Resolves `[urn:]attr[.sub]` to a catalogue entry. */
export function resolvePath(catalogue: Catalogue, text: string, options: ResolveOptions = { scope: "exposed" }): Resolution {
  const { urn, rest, unknownUrn } = splitUrn(catalogue, text.trim());
  if (unknownUrn !== undefined) return { kind: "unknownSchema", urn: unknownUrn, path: text };
  if (rest === null) return { kind: "schema", urn: urn! };
  const visible = (e: CatalogueEntry | undefined) => (e && (options.scope === "known" || catalogue.isExposed(e)) ? e : undefined);
  const found = (entry: CatalogueEntry): Resolution => ({ kind: "entry", entry, exposed: catalogue.isExposed(entry) });
  const lowerRest = rest.toLowerCase();

  if (urn !== null) {
    const path = urn === catalogue.coreUrn ? lowerRest : `${urn.toLowerCase()}:${lowerRest}`;
    const entry = visible(catalogue.byPath(path));
    return entry && entry.urn === urn ? found(entry) : { kind: "unknown", path: text };
  }
  const core = visible(catalogue.byPath(lowerRest));
  if (core && core.urn === catalogue.coreUrn) return found(core);
  const urns = options.scope === "known" ? catalogue.knownUrns : catalogue.extensionUrns;
  const candidates = [...new Set(urns)]
    .filter((u) => u !== catalogue.coreUrn)
    .map((u) => visible(catalogue.byPath(`${u.toLowerCase()}:${lowerRest}`)))
    .filter((e): e is CatalogueEntry => e !== undefined);
  if (candidates.length > 1) {
    // Prefer what the tenant exposes when only one of them is.
    const exposed = candidates.filter((c) => catalogue.isExposed(c));
    if (exposed.length === 1) return found(exposed[0]);
    return { kind: "ambiguous", candidates };
  }
  return candidates.length === 1 ? found(candidates[0]) : { kind: "unknown", path: text };
}

/** The sub-attribute entry `name` of `parent`, matched ignoring case. */
export function resolveSub(catalogue: Catalogue, parent: CatalogueEntry, name: string): CatalogueEntry | undefined {
  const lower = name.toLowerCase();
  return catalogue.children(parent).find((c) => c.name.toLowerCase() === lower);
}

// Row -> SCIM resource (RFC 7643 sections 4.1-4.3), driven by the tenant's catalogue: each exposed
// top-level entry projects its value; core attributes sit at the top, extension ones under their
// schema URN (listed in `schemas`), and meta last. Nothing here knows an attribute by name.
import type { Catalogue } from "../catalogue/catalogue.js";
import type { ProjectionEnv, Row } from "../catalogue/types.js";

/**
 * The resource of a row with exactly the attributes the tenant exposes. `given` supplies values
 * computed elsewhere by attribute name (a Group's members, streamed while the response is written).
 */
export function projectResource(catalogue: Catalogue, row: Row, env: ProjectionEnv, given: Record<string, unknown> = {}): Record<string, unknown> {
  const resource: Record<string, unknown> = { schemas: [catalogue.coreUrn] };
  const extensions = new Map<string, Record<string, unknown>>();
  let common: [string, unknown][] = [];
  for (const entry of catalogue.topLevel) {
    if (!catalogue.isExposed(entry)) continue;
    const value = Object.hasOwn(given, entry.name) && entry.urn === catalogue.coreUrn ? given[entry.name] : entry.project?.(row, env);
    if (value === undefined) continue;
    if (entry.common) common.push([entry.name, value]);
    else if (entry.urn === catalogue.coreUrn) resource[entry.name] = value;
    else {
      if (!extensions.has(entry.urn)) extensions.set(entry.urn, {});
      extensions.get(entry.urn)![entry.name] = value;
    }
  }
  for (const [urn, values] of extensions) {
    (resource.schemas as string[]).push(urn);
    resource[urn] = values;
  }
  for (const [name, value] of common) resource[name] = value;
  common = [];
  return resource;
}

// Filter resolution, the pass between parsing and SQL (RFC 7644 section 3.4.2.2): every attribute
// path of a parsed filter is bound to the tenant's catalogue through the one path resolver. An
// attribute the catalogue does not hold, or that the tenant does not expose, is 400 invalidFilter;
// so is a value filter on a single-valued attribute, or an unknown sub-attribute.
import type { Catalogue } from "../catalogue/catalogue.js";
import { resolvePath, resolveSub } from "../catalogue/resolve.js";
import type { CatalogueEntry, Column } from "../catalogue/types.js";
import { invalidFilter } from "../errors.js";
import type { CompareOp, FilterNode, FilterValue } from "./parse.js";

/**
 * Conditions on related attributes (`members.*`, `groups.*`) a filter may hold. Each one is
 * evaluated over the related rows of the candidate resources (a subquery), which makes it far
 * costlier than a condition on a column: 100 `members.display co` took seconds. Clients send one
 * (Entra: `members[value eq "..."]`).
 */
export const MAX_RELATED_CONDITIONS = 10;

/** Counts the conditions on related attributes of one filter. */
class Cost {
  private related = 0;
  chargeRelated(path: string): void {
    if (++this.related > MAX_RELATED_CONDITIONS) {
      throw invalidFilter(`The filter has more than ${MAX_RELATED_CONDITIONS} conditions on members or groups (at "${path}"), which are costly to evaluate; ` +
        `split the query, or look for one member with members[value eq "..."]`);
    }
  }
}

/** What an attribute expression is about. */
export type Target =
  /** A single value: an attribute or the sub-attribute of a single-valued complex one. */
  | { kind: "column"; path: string; column: Column }
  /** A multi-valued attribute with fixed elements (emails), optionally one sub-attribute. */
  | { kind: "elements"; path: string; entry: CatalogueEntry; sub?: string }
  /** A multi-valued attribute whose elements are other rows (groups, members). */
  | { kind: "related"; path: string; entry: CatalogueEntry; sub?: string };

/** A condition on one element's sub-attribute, inside a value filter. */
export interface ElementCondition { op: CompareOp | "pr"; sub: string; value?: FilterValue }

export type ElementNode =
  | { op: "and" | "or"; filters: ElementNode[] }
  | { op: "not"; filter: ElementNode }
  | { op: "element"; condition: ElementCondition };

export type ResolvedFilter =
  | { op: "and" | "or"; filters: ResolvedFilter[] }
  | { op: "not"; filter: ResolvedFilter }
  | { op: "[]"; target: Extract<Target, { kind: "elements" | "related" }>; filter: ElementNode }
  | { op: CompareOp | "pr"; target: Target; value?: FilterValue };

/** The filterable paths of a catalogue the tenant exposes, for error details. */
export function filterablePaths(catalogue: Catalogue): string[] {
  return catalogue.entries.filter((e) => catalogue.isExposed(e) && (e.column || e.elements || e.related)).map((e) => e.path);
}

function unknownAttribute(attrPath: string, catalogue: Catalogue): Error {
  const lower = attrPath.toLowerCase().replace(`${catalogue.coreUrn.toLowerCase()}:`, "");
  const paths = filterablePaths(catalogue);
  const subs = catalogue.entries.filter((e) => catalogue.isExposed(e) && e.parent?.toLowerCase() === lower).map((e) => e.path);
  if (subs.length > 0) {
    return invalidFilter(`The filter attribute "${attrPath}" is complex: filter on one of its sub-attributes (${subs.join(", ")})`);
  }
  return invalidFilter(
    `The filter attribute "${attrPath}" is unknown or not exposed for ${catalogue.resourceType} resources in this tenant; ` +
      `filterable attributes are ${paths.join(", ")}`,
  );
}

/** Binds an attribute path of a filter to its target (see resolvePath for the naming rules). */
export function resolveTarget(attrPath: string, catalogue: Catalogue): Target {
  const r = resolvePath(catalogue, attrPath, { scope: "exposed" });
  if (r.kind === "ambiguous") {
    throw invalidFilter(`The filter attribute "${attrPath}" exists in several schemas (${r.candidates.map((c) => c.path).join(", ")}); qualify it with its schema URN`);
  }
  if (r.kind !== "entry") {
    // `emails.foo`: say which sub-attributes emails has.
    const dot = attrPath.lastIndexOf(".");
    const parent = dot > 0 ? resolvePath(catalogue, attrPath.slice(0, dot), { scope: "exposed" }) : undefined;
    if (parent?.kind === "entry" && (parent.entry.elements || parent.entry.related)) elementSub(catalogue, parent.entry, attrPath.slice(dot + 1));
    throw unknownAttribute(attrPath, catalogue);
  }
  const { entry } = r;
  if (entry.column) return { kind: "column", path: entry.path, column: entry.column };
  if (entry.elements) return { kind: "elements", path: entry.path, entry };
  if (entry.related) return { kind: "related", path: entry.path, entry };
  const parent = entry.parent === null ? undefined : catalogue.byPath(entry.parent.toLowerCase());
  if (parent?.elements) return { kind: "elements", path: parent.path, entry: parent, sub: entry.name };
  if (parent?.related) return { kind: "related", path: parent.path, entry: parent, sub: entry.name };
  throw unknownAttribute(attrPath, catalogue);
}

/** The canonical name of a sub-attribute of a multi-valued entry that filters can compare. */
function elementSub(catalogue: Catalogue, parent: CatalogueEntry, name: string): string {
  const sub = resolveSub(catalogue, parent, name);
  const compared = (s: string) => (parent.elements ? parent.elements.some((e) => Object.hasOwn(e.sub, s)) : Object.hasOwn(parent.related!.sub, s));
  if (sub && compared(sub.name)) return sub.name;
  const names = catalogue.children(parent).map((c) => c.name).filter(compared);
  throw invalidFilter(`Unknown sub-attribute "${name}" of "${parent.path}" in the filter; it has ${names.join(", ")}`);
}

function resolveElement(node: FilterNode, catalogue: Catalogue, parent: CatalogueEntry, cost: Cost): ElementNode {
  switch (node.op) {
    case "and":
    case "or":
      return { op: node.op, filters: node.filters.map((f) => resolveElement(f, catalogue, parent, cost)) };
    case "not":
      return { op: "not", filter: resolveElement(node.filter, catalogue, parent, cost) };
    case "[]":
      throw invalidFilter(`Nested value filters are not supported ("${node.attrPath}[...]" inside "${parent.path}[...]")`);
    default: {
      const sub = elementSub(catalogue, parent, node.attrPath);
      if (parent.related) cost.chargeRelated(`${parent.path}.${sub}`);
      return { op: "element", condition: { op: node.op, sub, value: node.op === "pr" ? undefined : node.value } };
    }
  }
}

/**
 * Binds every attribute of a parsed filter to the catalogue; 400 invalidFilter for what it does not
 * hold, and for more than MAX_RELATED_CONDITIONS conditions on related attributes.
 */
export function resolveFilter(node: FilterNode, catalogue: Catalogue, cost = new Cost()): ResolvedFilter {
  switch (node.op) {
    case "and":
    case "or":
      return { op: node.op, filters: node.filters.map((f) => resolveFilter(f, catalogue, cost)) };
    case "not":
      return { op: "not", filter: resolveFilter(node.filter, catalogue, cost) };
    case "[]": {
      const target = resolveTarget(node.attrPath, catalogue);
      if (target.kind === "column" || target.sub !== undefined) {
        throw invalidFilter(`"${node.attrPath}[...]" is not valid: value filters apply to multi-valued attributes such as emails[type eq "work"]`);
      }
      return { op: "[]", target, filter: resolveElement(node.filter, catalogue, target.entry, cost) };
    }
    default: {
      const target = resolveTarget(node.attrPath, catalogue);
      if (target.kind === "related") cost.chargeRelated(target.path);
      const value = node.op === "pr" ? undefined : node.value;
      if (target.kind !== "column" && target.sub !== undefined) return { op: node.op, target: { ...target, sub: elementSub(catalogue, target.entry, target.sub) }, value };
      return { op: node.op, target, value };
    }
  }
}

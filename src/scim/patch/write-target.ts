// What an attribute path means for write-back, read from the tenant's catalogue: the HR field it
// writes, or why it cannot be written (read-only, computed, not exposed for the tenant, unknown).
// PATCH and PUT share it; the attributes' mutability is the catalogue's (also what /Schemas says).
import type { Catalogue } from "../catalogue/catalogue.js";
import { resolvePath } from "../catalogue/resolve.js";
import type { CatalogueEntry } from "../catalogue/types.js";
import { invalidPath, mutability, type ScimError } from "../errors.js";

export type WriteTarget =
  /** A single-valued string attribute stored in one HR field. */
  | { kind: "field"; field: string; name: string; entry: CatalogueEntry }
  /** A single-valued complex attribute written member by member (`name`). */
  | { kind: "complex"; entry: CatalogueEntry; name: string }
  /** A multi-valued attribute with fixed elements (emails, phoneNumbers); `sub` as named, if any. */
  | { kind: "multi"; entry: CatalogueEntry; name: string; sub: string | null }
  /** Computed from other attributes: writes have no effect (displayName, name.formatted). */
  | { kind: "computed"; name: string }
  | { kind: "readOnly"; name: string; why: string }
  /**
   * Not served for this tenant: an attribute the property mapping lacks (`mapped`, named by its
   * top-level name, which is what an administrator exposes), or one hr-scim never stores.
   */
  | { kind: "notExposed"; name: string; mapped: boolean; unknownSchema?: string }
  /** The path is a schema URN alone: the whole core schema or a whole extension. */
  | { kind: "schema"; urn: string };

const HR_OWNED = "HR owns it";

function topOf(catalogue: Catalogue, entry: CatalogueEntry): CatalogueEntry {
  let e = entry;
  while (e.parent !== null) e = catalogue.byPath(e.parent.toLowerCase())!;
  return e;
}

/**
 * Resolves an attribute path of a write (RFC 7644 section 3.10: names are case-insensitive; core
 * attributes may carry the core URN). Extension attributes are all HR-owned and read-only, whatever
 * their name and whether the tenant exposes them; they are recognised without their URN as well, so
 * that a client that omits it is told the true reason.
 */
export function resolveWriteTarget(catalogue: Catalogue, path: string): WriteTarget {
  const r = resolvePath(catalogue, path, { scope: "known" });
  switch (r.kind) {
    case "schema":
      return { kind: "schema", urn: r.urn };
    case "unknownSchema":
      return { kind: "notExposed", name: path, mapped: false, unknownSchema: r.urn };
    case "ambiguous":
      return { kind: "readOnly", name: r.candidates[0].path, why: HR_OWNED };
    case "unknown": {
      const lower = path.toLowerCase();
      // A sub-attribute the catalogue does not list on emails or phoneNumbers (`display`): the
      // multi-valued engine says which ones it takes.
      const dot = path.lastIndexOf(".");
      if (dot > 0) {
        const parent = resolvePath(catalogue, path.slice(0, dot), { scope: "known" });
        if (parent.kind === "entry" && parent.entry.elements && parent.entry.urn === catalogue.coreUrn) {
          return parent.exposed ? { kind: "multi", entry: parent.entry, name: parent.entry.path, sub: path.slice(dot + 1) } : { kind: "notExposed", name: parent.entry.path, mapped: true };
        }
      }
      if (lower === "schemas") return { kind: "readOnly", name: "schemas", why: "the server assigns it" };
      const extension = catalogue.knownUrns.find((u) => u !== catalogue.coreUrn && (lower.startsWith(`${u.toLowerCase()}:`) || lower.startsWith(`${u.toLowerCase()}.`)));
      if (extension) return { kind: "readOnly", name: `${extension}:${path.slice(extension.length + 1)}`, why: HR_OWNED };
      const core = catalogue.coreUrn.toLowerCase();
      const name = lower.startsWith(`${core}:`) ? path.slice(core.length + 1) : path;
      return { kind: "notExposed", name, mapped: false };
    }
    case "entry":
      return targetOf(catalogue, r.entry, r.exposed);
  }
}

function targetOf(catalogue: Catalogue, entry: CatalogueEntry, exposed: boolean): WriteTarget {
  const top = topOf(catalogue, entry);
  if (entry.urn !== catalogue.coreUrn) return { kind: "readOnly", name: entry.path, why: entry.readOnlyReason ?? top.readOnlyReason ?? HR_OWNED };
  const why = () => entry.readOnlyReason ?? top.readOnlyReason ?? "the server computes it";
  const parent = entry.parent === null ? null : catalogue.byPath(entry.parent.toLowerCase())!;
  // Read-only whether or not the tenant exposes them: the client is told the true reason.
  if (top.definition.mutability === "readOnly" && !top.computed) return { kind: "readOnly", name: entry.path, why: why() };
  if (!exposed) return { kind: "notExposed", name: top.path, mapped: true };
  // Sub-attributes of emails and phoneNumbers are the multi-valued engine's (it knows type and primary).
  if (parent?.elements) return { kind: "multi", entry: parent, name: parent.path, sub: entry.name };
  if (entry.computed) return { kind: "computed", name: entry.path };
  if (entry.definition.mutability === "readOnly") return { kind: "readOnly", name: entry.path, why: why() };
  if (entry.elements) return { kind: "multi", entry, name: entry.path, sub: null };
  if (entry.write) return { kind: "field", field: entry.write.field, name: entry.path, entry };
  if (entry.definition.type === "complex" && !entry.definition.multiValued) return { kind: "complex", entry, name: entry.path };
  return { kind: "notExposed", name: entry.path, mapped: false };
}

/** The target of a sub-attribute of a single-valued complex attribute (`name` + `givenName`). */
export function resolveMemberTarget(catalogue: Catalogue, parent: CatalogueEntry, member: string): WriteTarget {
  const child = catalogue.children(parent).find((c) => c.name.toLowerCase() === member.toLowerCase());
  if (!child) return { kind: "notExposed", name: `${parent.path}.${member}`, mapped: false };
  return targetOf(catalogue, child, catalogue.isExposed(child));
}

/** The error a PATCH gets for a target it may not write (RFC 7644 section 3.5.2: mutability; 3.12: invalidPath). */
export function unwritableError(target: Extract<WriteTarget, { kind: "readOnly" | "notExposed" }>, knownUrns: readonly string[]): ScimError {
  if (target.kind === "readOnly") {
    return mutability(`Attribute "${target.name}" is read-only: ${target.why}, and identity providers cannot change it. Remove it from the attribute mapping of your provisioning app; nothing was changed.`);
  }
  if (target.unknownSchema !== undefined) {
    return invalidPath(`Attribute "${target.name}" names the schema "${target.unknownSchema}", which hr-scim Users do not have; their schemas are ${knownUrns.join(", ")}. Write "<schema URN>:<attribute>"; nothing was changed.`);
  }
  return target.mapped
    ? invalidPath(`Attribute "${target.name}" is not exposed for this tenant, so it cannot be written. Remove it from the attribute mapping of your provisioning app, or ask the tenant administrator to expose it; nothing was changed.`)
    : invalidPath(`Attribute "${target.name}" is not exposed for this tenant: hr-scim does not store it. Remove it from the attribute mapping of your provisioning app; nothing was changed.`);
}

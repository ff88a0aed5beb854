// Attribute paths -> catalogue entries: case, schema URNs (":" or "."), extension fallback and its
// ambiguity, through the one path resolver (resolvePath) and the filter's binding of it (resolveTarget).
import { describe, expect, it } from "vitest";
import type { Catalogue } from "../../src/scim/catalogue/catalogue.js";
import { resolvePath } from "../../src/scim/catalogue/resolve.js";
import { ScimError } from "../../src/scim/errors.js";
import { resolveTarget } from "../../src/scim/filter/resolve.js";
import { ENTERPRISE_URN, USER_URN } from "../../src/scim/schema/urns.js";
import { customMap, defaultMap, groupMap, simpleCatalogue } from "./filter-maps.js";

const column = (sql: string) => ({ sql, type: "string" as const, caseExact: false });
const A = "urn:example:a:2.0:User";
const B = "urn:example:b:2.0:User";
const twoExtensions = simpleCatalogue([
  { name: "code", column: column("u.a_code"), urn: A },
  { name: "code", column: column("u.b_code"), urn: B },
  { name: "only", column: column("u.b_only"), urn: B },
]);

describe("resolveTarget", () => {
  const cases: { name: string; path: string; map?: Catalogue; kind: string; resolved: string; sub?: string }[] = [
    { name: "a core attribute in any case", path: "USERNAME", kind: "column", resolved: "userName" },
    { name: "a core sub-attribute in any case", path: "Meta.LastModified", kind: "column", resolved: "meta.lastModified" },
    { name: "a core attribute with its URN", path: `${USER_URN}:displayName`, kind: "column", resolved: "displayName" },
    { name: "an extension attribute with its URN", path: `${ENTERPRISE_URN}:department`, kind: "column", resolved: `${ENTERPRISE_URN}:department` },
    { name: "an extension sub-attribute with its URN", path: `${ENTERPRISE_URN}:Manager.Value`, kind: "column", resolved: `${ENTERPRISE_URN}:manager.value` },
    { name: "an extension attribute with its URN and a dot", path: `${ENTERPRISE_URN}.department`, kind: "column", resolved: `${ENTERPRISE_URN}:department` },
    { name: "an extension attribute without its URN", path: "department", kind: "column", resolved: `${ENTERPRISE_URN}:department` },
    { name: "a multi-valued attribute", path: "Emails", kind: "elements", resolved: "emails" },
    { name: "a multi-valued sub-attribute, canonical case", path: "phonenumbers.VALUE", kind: "elements", resolved: "phoneNumbers", sub: "value" },
    { name: "a related sub-attribute", path: "members.Display", map: groupMap, kind: "related", resolved: "members", sub: "display" },
    { name: "a unique extension attribute among two extensions", path: "only", map: twoExtensions, kind: "column", resolved: `${B}:only` },
    { name: "an extension attribute by URN among two extensions", path: `${A}:code`, map: twoExtensions, kind: "column", resolved: `${A}:code` },
  ];
  it.each(cases)("resolves $name", ({ path, map, kind, resolved, sub }) => {
    const r = resolveTarget(path, map ?? defaultMap);
    expect(r.kind).toBe(kind);
    expect(r.path).toBe(resolved);
    if (r.kind !== "column") expect(r.sub).toBe(sub);
  });

  it("rejects a name found in two extensions, asking for the URN", () => {
    expect(() => resolveTarget("code", twoExtensions)).toThrow(/exists in several schemas.*qualify it with its schema URN/);
    expect(() => resolveTarget("code", twoExtensions)).toThrow(ScimError);
  });

  it("rejects an attribute the tenant does not expose", () => {
    expect(() => resolveTarget("title", customMap)).toThrow(/"title" is unknown or not exposed/);
  });
});

describe("resolvePath", () => {
  it("finds a sub-attribute entry", () => {
    const r = resolvePath(defaultMap, "NAME.givenname");
    expect(r.kind === "entry" && r.entry.path).toBe("name.givenName");
  });

  it("finds a multi-valued sub-attribute entry", () => {
    const r = resolvePath(defaultMap, "emails.Value");
    expect(r.kind === "entry" && r.entry.path).toBe("emails.value");
  });

  it("finds an attribute the tenant does not expose only when asked for every known one", () => {
    expect(resolvePath(customMap, "title").kind).toBe("unknown");
    const known = resolvePath(customMap, "title", { scope: "known" });
    expect(known.kind === "entry" && [known.entry.path, known.exposed]).toEqual(["title", false]);
  });

  it.each(["foo", "emails.foo", "__proto__", "constructor", "name.__proto__", "toString"])("finds nothing for %s", (path) => {
    expect(resolvePath(defaultMap, path).kind).toBe("unknown");
  });

  it("reads a schema URN alone as the schema, and an unknown URN as such", () => {
    expect(resolvePath(defaultMap, ENTERPRISE_URN)).toEqual({ kind: "schema", urn: ENTERPRISE_URN });
    expect(resolvePath(defaultMap, "urn:example:x:2.0:User:badge")).toMatchObject({ kind: "unknownSchema", urn: "urn:example:x:2.0:User" });
  });

  it("reports an ambiguous name", () => {
    expect(resolvePath(twoExtensions, "code").kind).toBe("ambiguous");
  });
});

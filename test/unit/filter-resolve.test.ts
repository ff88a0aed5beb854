// Attribute paths -> map entries: case, schema URNs, extension fallback and its ambiguity, and the
// non-throwing resolveAttributePath used for sortBy.
import { describe, expect, it } from "vitest";
import { ENTERPRISE_URN } from "../../src/hr/tenant-settings.js";
import { ScimError } from "../../src/scim/errors.js";
import { resolveAttribute, resolveAttributePath } from "../../src/scim/filter/resolve.js";
import type { ResourceMap } from "../../src/scim/mapping/types.js";
import { USER_URN } from "../../src/scim/schema/urns.js";
import { customMap, defaultMap, groupMap } from "./filter-maps.js";

const column = (sql: string) => ({ sql, type: "string" as const, caseExact: false });
const A = "urn:example:a:2.0:User";
const B = "urn:example:b:2.0:User";
const twoExtensions: ResourceMap = {
  resourceType: "User",
  coreSchema: USER_URN,
  extensionSchemas: [A, B],
  idColumn: { sql: "u.id", type: "string", caseExact: true, integerId: true },
  attributes: new Map([
    [`${A}:code`.toLowerCase(), { kind: "simple", path: `${A}:code`, sortable: true, column: column("u.a_code") }],
    [`${B}:code`.toLowerCase(), { kind: "simple", path: `${B}:code`, sortable: true, column: column("u.b_code") }],
    [`${B}:only`.toLowerCase(), { kind: "simple", path: `${B}:only`, sortable: true, column: column("u.b_only") }],
  ]),
};

describe("resolveAttribute", () => {
  const cases: { name: string; path: string; map?: ResourceMap; kind: string; resolved: string; sub?: string }[] = [
    { name: "a core attribute in any case", path: "USERNAME", kind: "simple", resolved: "userName" },
    { name: "a core sub-attribute in any case", path: "Meta.LastModified", kind: "simple", resolved: "meta.lastModified" },
    { name: "a core attribute with its URN", path: `${USER_URN}:displayName`, kind: "simple", resolved: "displayName" },
    { name: "an extension attribute with its URN", path: `${ENTERPRISE_URN}:department`, kind: "simple", resolved: `${ENTERPRISE_URN}:department` },
    { name: "an extension sub-attribute with its URN", path: `${ENTERPRISE_URN}:Manager.Value`, kind: "simple", resolved: `${ENTERPRISE_URN}:manager.value` },
    { name: "an extension attribute without its URN", path: "department", kind: "simple", resolved: `${ENTERPRISE_URN}:department` },
    { name: "a multi-valued attribute", path: "Emails", kind: "multi", resolved: "emails" },
    { name: "a multi-valued sub-attribute, canonical case", path: "phonenumbers.VALUE", kind: "multi", resolved: "phoneNumbers", sub: "value" },
    { name: "a related sub-attribute", path: "members.Display", map: groupMap, kind: "related", resolved: "members", sub: "display" },
    { name: "a unique extension attribute among two extensions", path: "only", map: twoExtensions, kind: "simple", resolved: `${B}:only` },
    { name: "an extension attribute by URN among two extensions", path: `${A}:code`, map: twoExtensions, kind: "simple", resolved: `${A}:code` },
  ];
  it.each(cases)("resolves $name", ({ path, map, kind, resolved, sub }) => {
    const r = resolveAttribute(path, map ?? defaultMap);
    expect(r.kind).toBe(kind);
    expect(r.path).toBe(resolved);
    if (r.kind !== "simple") expect(r.sub).toBe(sub);
  });

  it("rejects a name found in two extensions, asking for the URN", () => {
    expect(() => resolveAttribute("code", twoExtensions)).toThrow(/exists in several schemas.*qualify it with its schema URN/);
    expect(() => resolveAttribute("code", twoExtensions)).toThrow(ScimError);
  });

  it("rejects an attribute the tenant does not expose", () => {
    expect(() => resolveAttribute("title", customMap)).toThrow(/"title" is unknown or not exposed/);
  });
});

describe("resolveAttributePath", () => {
  it("finds a simple entry", () => {
    expect(resolveAttributePath(defaultMap, "NAME.givenname")?.entry.path).toBe("name.givenName");
  });

  it("finds a multi-valued entry with its canonical sub-attribute", () => {
    const r = resolveAttributePath(defaultMap, "emails.Value");
    expect(r?.entry.path).toBe("emails");
    expect(r?.sub).toBe("value");
  });

  it.each(["foo", "emails.foo", "name", "title@x"])("returns undefined for %s", (path) => {
    expect(resolveAttributePath(path === "title@x" ? customMap : defaultMap, path.replace("@x", ""))).toBeUndefined();
  });

  it("returns undefined for an ambiguous name", () => {
    expect(resolveAttributePath(twoExtensions, "code")).toBeUndefined();
  });
});

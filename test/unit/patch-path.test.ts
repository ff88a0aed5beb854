// PATCH paths and their value filters (RFC 7644 section 3.5.2 Figure 7): read by the one filter
// grammar, their attribute resolved through the catalogue; value filters evaluated on one element;
// and the allowedEmailDomains check the write-back caller uses.
import { describe, expect, it } from "vitest";
import { ScimError } from "../../src/scim/errors.js";
import { emailDomainAllowed } from "../../src/scim/patch/email-domain.js";
import { parsePatchPath } from "../../src/scim/filter/parse.js";
import { resolvePath } from "../../src/scim/catalogue/resolve.js";
import { checkElementFilter, matchesElement, type FilterElement } from "../../src/scim/patch/element-filter.js";
import { defaultMap } from "./filter-maps.js";

/** The value filter of a path, as apply-patch reads and checks it. */
function parseValueFilter(text: string) {
  const path = parsePatchPath(`x[${text}]`);
  checkElementFilter(path.filter!, text);
  return path.filter!;
}
const matchesValueFilter = matchesElement;

/** Where a path lands: its schema URN and attribute (the catalogue's canonical spelling) or null. */
function placed(path: string): { urn: string | null; attribute: string | null } {
  const r = resolvePath(defaultMap, parsePatchPath(path).attrPath, { scope: "known" });
  if (r.kind === "schema") return { urn: r.urn, attribute: null };
  if (r.kind === "unknownSchema") return { urn: r.urn, attribute: path.slice(r.urn.length + 1) };
  if (r.kind !== "entry") return { urn: null, attribute: null };
  return { urn: r.entry.urn === CORE && !/^urn:/i.test(path) ? null : r.entry.urn, attribute: (r.entry.parent ?? r.entry.name).replace(/^urn:.*:/, "") };
}

const CORE = "urn:ietf:params:scim:schemas:core:2.0:User";
const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

function scimError(run: () => unknown): ScimError {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(ScimError);
    return e as ScimError;
  }
  throw new Error("expected a ScimError");
}

describe("parsePatchPath", () => {
  const cases: { name: string; path: string; attrPath: string; filterText: string | null; subAttribute: string | null; urn?: string | null; attribute?: string | null }[] = [
    { name: "reads a simple attribute", path: "title", attrPath: "title", filterText: null, subAttribute: null, urn: null, attribute: "title" },
    { name: "reads a sub-attribute", path: "name.givenName", attrPath: "name.givenName", filterText: null, subAttribute: null, urn: null, attribute: "name" },
    { name: "keeps the client's case", path: "NAME.GIVENNAME", attrPath: "NAME.GIVENNAME", filterText: null, subAttribute: null, urn: null, attribute: "name" },
    { name: "reads a value filter and its sub-attribute", path: 'emails[type eq "work"].value', attrPath: "emails", filterText: 'type eq "work"', subAttribute: "value" },
    { name: "reads a value filter without sub-attribute", path: 'phoneNumbers[type eq "mobile"]', attrPath: "phoneNumbers", filterText: 'type eq "mobile"', subAttribute: null },
    { name: "keeps brackets, dots and colons inside filter strings", path: 'emails[value eq "a].b:c[d"].value', attrPath: "emails", filterText: 'value eq "a].b:c[d"', subAttribute: "value" },
    { name: "places a core URN prefix", path: `${CORE}:name.givenName`, attrPath: `${CORE}:name.givenName`, filterText: null, subAttribute: null, urn: CORE, attribute: "name" },
    { name: "places a URN prefix in any case on the canonical URN", path: `${CORE.toUpperCase()}:userName`, attrPath: `${CORE.toUpperCase()}:userName`, filterText: null, subAttribute: null, urn: CORE, attribute: "userName" },
    { name: "places an enterprise URN prefix", path: `${ENTERPRISE}:manager.value`, attrPath: `${ENTERPRISE}:manager.value`, filterText: null, subAttribute: null, urn: ENTERPRISE, attribute: "manager" },
    { name: "reads a URN prefix before a value filter", path: `${CORE}:emails[type eq "work"].value`, attrPath: `${CORE}:emails`, filterText: 'type eq "work"', subAttribute: "value", urn: CORE, attribute: "emails" },
    { name: "reads a schema URN alone as a whole extension", path: ENTERPRISE, attrPath: ENTERPRISE, filterText: null, subAttribute: null, urn: ENTERPRISE, attribute: null },
    { name: "reads a known URN followed by a dot as the URN and its attribute", path: `${ENTERPRISE}.manager`, attrPath: `${ENTERPRISE}.manager`, filterText: null, subAttribute: null, urn: ENTERPRISE, attribute: "manager" },
    { name: "reads the dotted form with a sub-attribute", path: `${CORE}.name.givenName`, attrPath: `${CORE}.name.givenName`, filterText: null, subAttribute: null, urn: CORE, attribute: "name" },
    { name: "splits an unknown URN at its last colon", path: "urn:example:custom:2.0:User:badge", attrPath: "urn:example:custom:2.0:User:badge", filterText: null, subAttribute: null, urn: "urn:example:custom:2.0:User", attribute: "badge" },
  ];
  it.each(cases)("$name", ({ path, attrPath, filterText, subAttribute, urn, attribute }) => {
    const parsed = parsePatchPath(path);
    expect({ attrPath: parsed.attrPath, filterText: parsed.filterText, subAttribute: parsed.subAttribute }).toEqual({ attrPath, filterText, subAttribute });
    if (urn !== undefined) expect(placed(path)).toEqual({ urn, attribute });
  });

  const errors: { name: string; path: string; scimType: string; detail: string }[] = [
    { name: "refuses an empty path", path: " ", scimType: "invalidPath", detail: "empty" },
    { name: "refuses an unclosed bracket", path: 'emails[type eq "work"', scimType: "invalidPath", detail: "no matching ]" },
    { name: "refuses text after the bracket that is not a sub-attribute", path: 'emails[type eq "work"]value', scimType: "invalidPath", detail: 'unexpected "value"' },
    { name: "refuses an empty filter", path: "emails[].value", scimType: "invalidPath", detail: "empty" },
    { name: "refuses a double dot", path: "name..givenName", scimType: "invalidPath", detail: "sub-attribute name" },
    { name: "refuses a path three levels deep", path: "name.givenName.first", scimType: "invalidPath", detail: "givenName.first" },
    { name: "refuses an attribute name with spaces", path: "given name", scimType: "invalidPath", detail: "given name" },
    { name: "refuses nested brackets", path: 'emails[type[x] eq "work"]', scimType: "invalidPath", detail: "no matching ]" },
    { name: "answers invalidFilter for a filter that does not parse", path: 'emails[type xx "work"].value', scimType: "invalidFilter", detail: 'Unknown operator "xx"' },
    { name: "takes an unterminated string in a filter for an unclosed bracket", path: 'emails[type eq "work].value', scimType: "invalidPath", detail: "no matching ]" },
  ];
  it.each(errors)("$name", ({ path, scimType, detail }) => {
    const error = scimError(() => parsePatchPath(path));
    expect(error.status).toBe(400);
    expect(error.scimType).toBe(scimType);
    expect(error.detail).toContain(detail);
  });
});

describe("value filters in PATCH paths", () => {
  const work: FilterElement = { value: "ada@demo.example", type: "work", primary: true };
  const mobile: FilterElement = { value: "+33 6 00 00 00 01", type: "mobile", primary: false };
  const cases: { name: string; filter: string; element: FilterElement; matches: boolean }[] = [
    { name: "matches type eq", filter: 'type eq "work"', element: work, matches: true },
    { name: "does not match another type", filter: 'type eq "work"', element: mobile, matches: false },
    { name: "compares strings ignoring case, operators and names in any case", filter: 'TYPE EQ "WORK"', element: work, matches: true },
    { name: "takes the bare boolean True", filter: "primary eq True", element: work, matches: true },
    { name: "takes the string \"True\" against a boolean", filter: 'primary eq "True"', element: work, matches: true },
    { name: "takes false against a non-primary element", filter: "primary eq false", element: mobile, matches: true },
    { name: "combines with and", filter: 'type eq "work" and value ew "@demo.example"', element: work, matches: true },
    { name: "fails an and when one side fails", filter: 'type eq "mobile" and primary eq true', element: mobile, matches: false },
    { name: "combines with or", filter: 'type eq "home" or type eq "mobile"', element: mobile, matches: true },
    { name: "negates with not", filter: 'not (type eq "work")', element: mobile, matches: true },
    { name: "groups with parentheses", filter: '(type eq "home" or type eq "work") and primary eq true', element: work, matches: true },
    { name: "supports co, sw and ne", filter: 'value co "demo" and value sw "ada" and type ne "mobile"', element: work, matches: true },
    { name: "supports pr", filter: "value pr", element: { type: "work", primary: true, value: undefined }, matches: false },
    { name: "takes an unquoted word as a string", filter: "type eq mobile", element: mobile, matches: true },
    { name: "decodes JSON escapes in strings", filter: 'value eq "ada\\u0040demo.example"', element: work, matches: true },
  ];
  it.each(cases)("$name", ({ filter, element, matches }) => {
    expect(matchesValueFilter(parseValueFilter(filter), element)).toBe(matches);
  });

  const errors: { name: string; filter: string; detail: string }[] = [
    { name: "refuses ordering operators", filter: 'value gt "a"', detail: '"gt" is not supported' },
    { name: "refuses a comparison without value", filter: "type eq", detail: "add the value" },
    { name: "refuses trailing words", filter: 'type eq "work" "x"', detail: 'but found "\\"x\\""' },
    { name: "refuses an unbalanced parenthesis", filter: '(type eq "work"', detail: 'Missing ")"' },
    { name: "refuses a dangling and", filter: 'type eq "work" and', detail: "attribute name is expected" },
  ];
  it.each(errors)("$name with invalidFilter", ({ filter, detail }) => {
    const error = scimError(() => parseValueFilter(filter));
    expect(error.scimType).toBe("invalidFilter");
    expect(error.detail).toContain(detail);
  });
});

describe("emailDomainAllowed", () => {
  const cases: { name: string; email: string; domains: string[]; allowed: boolean }[] = [
    { name: "allows any domain when the list is empty", email: "x@anything.example", domains: [], allowed: true },
    { name: "allows a listed domain", email: "ada@demo.example", domains: ["demo.example"], allowed: true },
    { name: "ignores case on both sides", email: "Ada@DEMO.Example", domains: ["Demo.EXAMPLE"], allowed: true },
    { name: "refuses an unlisted domain", email: "ada@evil.example", domains: ["demo.example"], allowed: false },
    { name: "does not extend to subdomains", email: "ada@eu.demo.example", domains: ["demo.example"], allowed: false },
    { name: "does not match a suffix without the dot", email: "ada@notdemo.example", domains: ["demo.example"], allowed: false },
    { name: "uses the part after the last @", email: '"a@demo.example"@evil.example', domains: ["demo.example"], allowed: false },
    { name: "refuses a value without @ when domains are listed", email: "ada.lovelace", domains: ["demo.example"], allowed: false },
    { name: "refuses an empty domain", email: "ada@", domains: ["demo.example"], allowed: false },
  ];
  it.each(cases)("$name", ({ email, domains, allowed }) => {
    expect(emailDomainAllowed(email, domains)).toBe(allowed);
  });
});

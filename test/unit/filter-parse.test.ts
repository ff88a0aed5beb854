// Filter text -> AST: the normalisation of what real clients send, the Entra value-path rewrite
// against tricky quoting, precedence, and helpful invalidFilter errors.
import { describe, expect, it } from "vitest";
import { ScimError } from "../../src/scim/errors.js";
import { MAX_FILTER_DEPTH, MAX_FILTER_LENGTH, MAX_FILTER_NODES, parseFilter } from "../../src/scim/filter/parse.js";

const str = (value: string) => ({ kind: "string", value });

function parseError(text: string): ScimError {
  try {
    parseFilter(text);
  } catch (e) {
    expect(e).toBeInstanceOf(ScimError);
    return e as ScimError;
  }
  throw new Error(`expected ${text} to be rejected`);
}

describe("parseFilter: what real clients send", () => {
  const num = (value: number, text: string) => ({ kind: "number", value, text });
  const cases: { name: string; filter: string; tree: unknown }[] = [
    { name: "reads operators and logical words in any case, keeps attribute names as typed", filter: 'USERNAME EQ "x" AND Active Eq TRUE', tree: { op: "and", filters: [{ op: "eq", attrPath: "USERNAME", value: str("x") }, { op: "eq", attrPath: "Active", value: { kind: "boolean", value: true } }] } },
    { name: "accepts null in any case", filter: "title EQ NULL", tree: { op: "eq", attrPath: "title", value: { kind: "null" } } },
    { name: "keeps the text of numbers", filter: "x eq -1.50e3", tree: { op: "eq", attrPath: "x", value: num(-1500, "-1.50e3") } },
    { name: "takes a number with a leading zero as a string", filter: "externalId eq 007", tree: { op: "eq", attrPath: "externalId", value: str("007") } },
    { name: "takes a bare word as a string (Entra)", filter: "externalId eq jyoung", tree: { op: "eq", attrPath: "externalId", value: str("jyoung") } },
    { name: "takes a bare e-mail address and date as strings", filter: "x eq j.young@example.com or y gt 2026-01-01T00:00:00Z", tree: { op: "or", filters: [{ op: "eq", attrPath: "x", value: str("j.young@example.com") }, { op: "gt", attrPath: "y", value: str("2026-01-01T00:00:00Z") }] } },
    { name: "decodes \\u escapes", filter: 'name.familyName eq "Ren\\u00e9e"', tree: { op: "eq", attrPath: "name.familyName", value: str("Renée") } },
    { name: "decodes the other JSON escapes", filter: 'x eq "a\\"b\\\\c\\/d\\te"', tree: { op: "eq", attrPath: "x", value: str('a"b\\c/d\te') } },
    { name: "leaves keywords inside strings alone", filter: 'x eq "TRUE and NULL or x eq y"', tree: { op: "eq", attrPath: "x", value: str("TRUE and NULL or x eq y") } },
    { name: "keeps pr, not and parentheses", filter: "NOT (title PR) Or (x pr)", tree: { op: "or", filters: [{ op: "not", filter: { op: "pr", attrPath: "title" } }, { op: "pr", attrPath: "x" }] } },
    { name: "keeps a value path", filter: 'emails[type eq "work"]', tree: { op: "[]", attrPath: "emails", filter: { op: "eq", attrPath: "type", value: str("work") } } },
    {
      name: "reads the Entra form when strings hold brackets, dots and quotes",
      filter: 'emails[type eq "w]o\\"r].k" or type eq "[home]."].value eq "x]. and y eq \\"z\\""',
      tree: {
        op: "[]", attrPath: "emails",
        filter: { op: "and", filters: [{ op: "or", filters: [{ op: "eq", attrPath: "type", value: str('w]o"r].k') }, { op: "eq", attrPath: "type", value: str("[home].") }] }, { op: "eq", attrPath: "value", value: str('x]. and y eq "z"') }] },
      },
    },
    {
      name: "reads the Entra form with pr and inside a larger filter",
      filter: '(emails[type eq "work"].Value PR) and phoneNumbers[type eq "mobile"].value sw "+33"',
      tree: {
        op: "and", filters: [
          { op: "[]", attrPath: "emails", filter: { op: "and", filters: [{ op: "eq", attrPath: "type", value: str("work") }, { op: "pr", attrPath: "Value" }] } },
          { op: "[]", attrPath: "phoneNumbers", filter: { op: "and", filters: [{ op: "eq", attrPath: "type", value: str("mobile") }, { op: "sw", attrPath: "value", value: str("+33") }] } },
        ],
      },
    },
    { name: "tolerates missing spaces around brackets", filter: '(userName eq "a")or(x pr)', tree: { op: "or", filters: [{ op: "eq", attrPath: "userName", value: str("a") }, { op: "pr", attrPath: "x" }] } },
  ];
  it.each(cases)("$name", ({ filter, tree }) => {
    expect(parseFilter(filter)).toEqual(tree);
  });
});

describe("parseFilter", () => {
  const a = { op: "pr", attrPath: "a" };
  const b = { op: "pr", attrPath: "b" };
  const c = { op: "pr", attrPath: "c" };
  const d = { op: "pr", attrPath: "d" };
  const cases: { name: string; filter: string; tree: unknown }[] = [
    { name: "builds a comparison", filter: 'userName Eq "x"', tree: { op: "eq", attrPath: "userName", value: str("x") } },
    { name: "binds and tighter than or", filter: "a pr or b pr and c pr", tree: { op: "or", filters: [a, { op: "and", filters: [b, c] }] } },
    { name: "binds and tighter than or on the left", filter: "a pr and b pr or c pr", tree: { op: "or", filters: [{ op: "and", filters: [a, b] }, c] } },
    { name: "lets parentheses override precedence", filter: "(a pr or b pr) and c pr", tree: { op: "and", filters: [{ op: "or", filters: [a, b] }, c] } },
    { name: "chains or around and", filter: "a pr or b pr and c pr or d pr", tree: { op: "or", filters: [a, { op: "and", filters: [b, c] }, d] } },
    { name: "applies not to the next expression only", filter: "not (a pr) and b pr", tree: { op: "and", filters: [{ op: "not", filter: a }, b] } },
    { name: "applies not to a parenthesised group", filter: "a pr and not (b pr or c pr)", tree: { op: "and", filters: [a, { op: "not", filter: { op: "or", filters: [b, c] } }] } },
    {
      name: "reads the Entra form as one element matching both",
      filter: 'emails[type eq "work"].value eq "x"',
      tree: { op: "[]", attrPath: "emails", filter: { op: "and", filters: [{ op: "eq", attrPath: "type", value: str("work") }, { op: "eq", attrPath: "value", value: str("x") }] } },
    },
    {
      name: "keeps an or inside the Entra form's brackets together",
      filter: 'emails[type eq "a" or type eq "b"].value pr',
      tree: {
        op: "[]", attrPath: "emails",
        filter: { op: "and", filters: [{ op: "or", filters: [{ op: "eq", attrPath: "type", value: str("a") }, { op: "eq", attrPath: "type", value: str("b") }] }, { op: "pr", attrPath: "value" }] },
      },
    },
    {
      name: "keeps injection attempts as plain values",
      filter: 'userName eq "x\\" or \\"1\\"=\\"1"',
      tree: { op: "eq", attrPath: "userName", value: str('x" or "1"="1') },
    },
    { name: "keeps a URN-qualified path as typed", filter: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq 12", tree: { op: "eq", attrPath: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value", value: { kind: "number", value: 12, text: "12" } } },
  ];
  it.each(cases)("$name", ({ filter, tree }) => {
    expect(parseFilter(filter)).toEqual(tree);
  });
});

describe("parseFilter errors", () => {
  const cases: { name: string; filter: string; detail: RegExp }[] = [
    { name: "an empty filter", filter: "  ", detail: /empty/ },
    { name: "a missing value", filter: "userName eq", detail: /ends after "userName eq"; add the value/ },
    { name: "a missing operator", filter: "userName", detail: /ends after "userName"; expected eq, ne/ },
    { name: "an unknown operator", filter: 'userName xx "y"', detail: /Unknown operator "xx" after "userName" at position 10/ },
    { name: "an unclosed parenthesis", filter: '(userName eq "x"', detail: /Missing "\)" for the "\(" at position 1/ },
    { name: "an unopened parenthesis", filter: 'userName eq "x")', detail: /Unexpected "\)" at position 16/ },
    { name: "a bracket closed by a parenthesis", filter: 'emails[type eq "x")', detail: /Unexpected "\)".*"\[" at position 7 is not closed/ },
    { name: "an unterminated string", filter: 'userName eq "x', detail: /Unterminated string starting at position 13/ },
    { name: "a trailing and", filter: 'userName eq "x" and', detail: /ends where an attribute name is expected/ },
    { name: "two conditions without and/or", filter: 'userName eq "x" active eq true', detail: /Expected "and", "or" or the end of the filter at position 17/ },
    { name: "an unquoted value with spaces", filter: "externalId eq John Young", detail: /double quotes/ },
    { name: "a value where an attribute is expected", filter: '"userName" eq "x"', detail: /Expected an attribute name at position 1/ },
    { name: "a logical word as a value", filter: "userName eq and", detail: /Expected a value after "userName eq"/ },
    { name: "an invalid escape", filter: 'userName eq "DOMAIN\\jdoe"', detail: /Invalid escape \\j/ },
    { name: "a truncated \\u escape", filter: 'userName eq "\\u00e"', detail: /Invalid escape/ },
    { name: "a NUL character", filter: 'userName eq "a\\u0000"', detail: /NUL/ },
    { name: "nested value paths", filter: 'emails[type eq "x" and y[z pr]]', detail: /Nested value filters/ },
    { name: "a value path after the Entra form", filter: 'emails[type eq "x"].value[a pr]', detail: /cannot follow/ },
    { name: "something other than a name after ].", filter: 'emails[type eq "x"].(value pr)', detail: /sub-attribute name after "\]\."/ },
    { name: "a dotted path after ].", filter: 'emails[type eq "x"].value.x pr', detail: /sub-attribute name after "\]\."/ },
    { name: "a filter ending after ].", filter: 'emails[type eq "x"].', detail: /ends after "\]\."/ },
    { name: "too long a filter", filter: `userName eq "${"x".repeat(MAX_FILTER_LENGTH)}"`, detail: /longer than 10000 characters/ },
    { name: "too many conditions", filter: Array.from({ length: 26 }, (_, i) => `a${i} pr`).join(" or "), detail: /more than 50 conditions and logical operators/ },
    { name: "too deep a nesting", filter: `${"(".repeat(9)}a pr${")".repeat(9)}`, detail: /deeper than 8/ },
  ];
  it.each(cases)("rejects $name with invalidFilter", ({ filter, detail }) => {
    const error = parseError(filter);
    expect(error.status).toBe(400);
    expect(error.scimType).toBe("invalidFilter");
    expect(error.detail).toMatch(detail);
  });

  it(`accepts ${MAX_FILTER_NODES} conditions and logical operators, nested ${MAX_FILTER_DEPTH} deep`, () => {
    const filter = Array.from({ length: 25 }, (_, i) => `a${i} pr`).join(" or ");
    expect(() => parseFilter(filter)).not.toThrow();
    expect(() => parseFilter(`not ${filter}`)).not.toThrow();
    expect(() => parseFilter(`not not ${filter}`)).toThrow(/more than 50/);
    expect(() => parseFilter(`${"(".repeat(MAX_FILTER_DEPTH)}a pr${")".repeat(MAX_FILTER_DEPTH)}`)).not.toThrow();
  });
});

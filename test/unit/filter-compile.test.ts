// Filter text -> SQL text and bindings, without a database: every operator per attribute type,
// precedence, value paths, the Entra form, URN names, related entries, and client values kept
// out of the SQL text. filter-sql.test.ts runs the same kind of SQL on PostgreSQL.
import { describe, expect, it } from "vitest";
import { ScimError } from "../../src/scim/errors.js";
import { compileFilter } from "../../src/scim/filter/compile-sql.js";
import type { Catalogue } from "../../src/scim/catalogue/catalogue.js";
import { customMap, defaultMap, GROUP_MEMBERS_FROM, groupMap, SCOPE, simpleCatalogue } from "./filter-maps.js";

interface Case { name: string; filter: string; sql: string; bindings: unknown[]; map?: Catalogue }

function check({ filter, sql, bindings, map }: Case) {
  const compiled = compileFilter(filter, map ?? defaultMap, SCOPE);
  expect(compiled.sql).toBe(sql);
  expect(compiled.bindings).toEqual(bindings);
}

const USER_NAME_EQ = "(lower(u.user_name) = lower(?))";
const MANAGER_IS_7 = "((u.manager_visible) and (u.manager_id = ?))";
const WORK_EMAIL = "(u.work_email is not null)";
const WORK_PHONE = "(u.work_phone is not null)";
const MOBILE_PHONE = "(u.mobile_phone is not null)";

describe("compileFilter: strings", () => {
  const cases: Case[] = [
    { name: "eq compares lower() on both sides for a case-insensitive attribute", filter: 'userName eq "J.Young"', sql: USER_NAME_EQ, bindings: ["J.Young"] },
    { name: "ne", filter: 'userName ne "x"', sql: "(lower(u.user_name) is distinct from lower(?))", bindings: ["x"] },
    { name: "co is a LIKE with the value escaped", filter: 'userName co "a%b_c\\\\d"', sql: "(lower(u.user_name) like lower(?) escape '\\')", bindings: ["%a\\%b\\_c\\\\d%"] },
    { name: "sw", filter: 'userName sw "jo"', sql: "(lower(u.user_name) like lower(?) escape '\\')", bindings: ["jo%"] },
    { name: "ew", filter: 'userName ew "@example.com"', sql: "(lower(u.user_name) like lower(?) escape '\\')", bindings: ["%@example.com"] },
    { name: "gt compares in byte order", filter: 'userName gt "m"', sql: '(lower(u.user_name) collate "C" > lower(?))', bindings: ["m"] },
    { name: "ge", filter: 'userName ge "m"', sql: '(lower(u.user_name) collate "C" >= lower(?))', bindings: ["m"] },
    { name: "lt", filter: 'userName lt "m"', sql: '(lower(u.user_name) collate "C" < lower(?))', bindings: ["m"] },
    { name: "le", filter: 'userName le "m"', sql: '(lower(u.user_name) collate "C" <= lower(?))', bindings: ["m"] },
    { name: "pr excludes null and empty strings", filter: "title pr", sql: "(u.job_title is not null and u.job_title <> '')", bindings: [] },
    { name: "eq null is is null", filter: "title eq null", sql: "(u.job_title is null)", bindings: [] },
    { name: "ne null is is not null", filter: "title ne NULL", sql: "(u.job_title is not null)", bindings: [] },
    { name: "a case-exact attribute compares as is", filter: 'externalId eq "AbC"', sql: "(u.external_id = ?)", bindings: ["AbC"] },
    { name: "a case-exact co", filter: 'externalId co "b_"', sql: "(u.external_id like ? escape '\\')", bindings: ["%b\\_%"] },
    { name: "a case-exact gt", filter: 'externalId gt "b"', sql: '(u.external_id collate "C" > ?)', bindings: ["b"] },
    { name: "a number compares as its text", filter: "externalId eq 1.50", sql: "(u.external_id = ?)", bindings: ["1.50"] },
    { name: "a bare word compares as a string (Entra)", filter: "externalId eq jyoung", sql: "(u.external_id = ?)", bindings: ["jyoung"] },
    { name: "\\u escapes are decoded", filter: 'name.familyName eq "Ren\\u00e9e"', sql: "(lower(u.last_name) = lower(?))", bindings: ["Renée"] },
    { name: "an expression column", filter: 'displayName sw "Ann"', sql: "(lower(concat_ws(' ', nullif(u.first_name, ''), nullif(u.last_name, ''))) like lower(?) escape '\\')", bindings: ["Ann%"] },
  ];
  it.each(cases)("$name", check);
});

describe("compileFilter: booleans, dates and ids", () => {
  const cases: Case[] = [
    { name: "active eq true", filter: "active eq true", sql: "(u.active = ?)", bindings: [true] },
    { name: "active ne false", filter: "active ne false", sql: "(u.active is distinct from ?)", bindings: [false] },
    { name: "upper-case TRUE", filter: "active eq TRUE", sql: "(u.active = ?)", bindings: [true] },
    { name: 'Entra\'s "False" string', filter: 'active eq "False"', sql: "(u.active = ?)", bindings: [false] },
    { name: 'the "true" string', filter: 'active eq "true"', sql: "(u.active = ?)", bindings: [true] },
    { name: "active pr", filter: "active pr", sql: "(u.active is not null)", bindings: [] },
    { name: "a date-time with 7 fractional digits below a microsecond: gt", filter: 'meta.lastModified gt "2026-11-23T10:00:00.1234567Z"', sql: "(u.last_modified > ?::timestamptz)", bindings: ["2026-11-23T10:00:00.123456+00:00"] },
    { name: "... ge is gt of its microsecond floor", filter: 'meta.lastModified ge "2026-11-23T10:00:00.1234567Z"', sql: "(u.last_modified > ?::timestamptz)", bindings: ["2026-11-23T10:00:00.123456+00:00"] },
    { name: "... lt is le of its microsecond floor", filter: 'meta.lastModified lt "2026-11-23T10:00:00.1234567Z"', sql: "(u.last_modified <= ?::timestamptz)", bindings: ["2026-11-23T10:00:00.123456+00:00"] },
    { name: "... le", filter: 'meta.lastModified le "2026-11-23T10:00:00.1234567Z"', sql: "(u.last_modified <= ?::timestamptz)", bindings: ["2026-11-23T10:00:00.123456+00:00"] },
    { name: "... eq matches nothing", filter: 'meta.lastModified eq "2026-11-23T10:00:00.1234567Z"', sql: "(false)", bindings: [] },
    { name: "7 digits ending in 0 are exact", filter: 'meta.lastModified ge "2026-11-23T10:00:00.1234560Z"', sql: "(u.last_modified >= ?::timestamptz)", bindings: ["2026-11-23T10:00:00.123456+00:00"] },
    { name: "an offset is kept", filter: 'meta.created lt "2026-11-23T10:00:00+01:00"', sql: "(u.created_at < ?::timestamptz)", bindings: ["2026-11-23T10:00:00.000000+01:00"] },
    { name: "no zone reads as UTC", filter: 'meta.created eq "2026-11-23T10:00:00"', sql: "(u.created_at = ?::timestamptz)", bindings: ["2026-11-23T10:00:00.000000+00:00"] },
    { name: "a date alone is its midnight UTC", filter: "meta.created ge 2024-02-29", sql: "(u.created_at >= ?::timestamptz)", bindings: ["2024-02-29T00:00:00.000000+00:00"] },
    { name: "mixed-case names (meta.lastmodified, ActiVe)", filter: 'ActiVe eq true and meta.lastmodified ge "2026-01-01T00:00:00Z"', sql: "((u.active = ?) and (u.last_modified >= ?::timestamptz))", bindings: [true, "2026-01-01T00:00:00.000000+00:00"] },
    { name: "id eq a decimal id binds an integer", filter: 'id eq "42"', sql: "(u.id = ?)", bindings: [42] },
    { name: "id eq a number", filter: "id eq 42", sql: "(u.id = ?)", bindings: [42] },
    { name: "id ne", filter: 'id ne "42"', sql: "(u.id is distinct from ?)", bindings: [42] },
    { name: "id eq a non-numeric value matches nothing", filter: 'id eq "2c9a-4e"', sql: "(false)", bindings: [] },
    { name: "id eq a padded number matches nothing (ids are exact strings)", filter: 'id eq "042"', sql: "(false)", bindings: [] },
    { name: "id eq beyond the integer range matches nothing", filter: 'id eq "2147483648"', sql: "(false)", bindings: [] },
    { name: "id ne a non-numeric value matches every id", filter: 'id ne "abc"', sql: "(u.id is not null)", bindings: [] },
    { name: "id sw compares the text", filter: 'id sw "4"', sql: "((u.id)::text like ? escape '\\')", bindings: ["4%"] },
    { name: "id gt compares the text", filter: 'id gt "4"', sql: '((u.id)::text collate "C" > ?)', bindings: ["4"] },
    { name: "id pr", filter: "id pr", sql: "(u.id is not null)", bindings: [] },
    { name: "manager.value is an integer id, matched only where the token may see the manager", filter: 'manager.value eq "7"', sql: MANAGER_IS_7, bindings: [7] },
    { name: "a manager the token may not see counts as no manager", filter: 'manager.value eq null', sql: "(not (u.manager_visible) or (u.manager_id is null))", bindings: [] },
  ];
  it.each(cases)("$name", check);
});

const numberMap: Catalogue = simpleCatalogue([
  { name: "age", column: { sql: "u.age", type: "integer", caseExact: false } },
  { name: "score", column: { sql: "u.score", type: "decimal", caseExact: false } },
]);

describe("compileFilter: numbers", () => {
  const cases: Case[] = [
    { name: "an integer attribute compares as numeric", filter: "age gt 30", sql: "(u.age > ?::numeric)", bindings: ["30"], map: numberMap },
    { name: "a decimal attribute with an exponent", filter: "score le 1.5e2", sql: "(u.score <= ?::numeric)", bindings: ["1.5e2"], map: numberMap },
    { name: "a numeric string", filter: 'age eq "42"', sql: "(u.age = ?::numeric)", bindings: ["42"], map: numberMap },
    { name: "pr", filter: "age pr", sql: "(u.age is not null)", bindings: [], map: numberMap },
  ];
  it.each(cases)("$name", check);

  it.each(['age eq "forty"', "age co 4", "age eq true"])("rejects %s with invalidFilter", (filter) => {
    expect(() => compileFilter(filter, numberMap, SCOPE)).toThrow(/"age" is a number/);
  });
});

describe("compileFilter: logic", () => {
  const cases: Case[] = [
    { name: "and binds tighter than or", filter: 'userName eq "a" or userName eq "b" and active eq true', sql: `(${USER_NAME_EQ} or (${USER_NAME_EQ} and (u.active = ?)))`, bindings: ["a", "b", true] },
    { name: "parentheses override precedence", filter: '(userName eq "a" or userName eq "b") and active eq true', sql: `((${USER_NAME_EQ} or ${USER_NAME_EQ}) and (u.active = ?))`, bindings: ["a", "b", true] },
    { name: "not", filter: 'not (userName eq "a")', sql: `(not coalesce(${USER_NAME_EQ}, false))`, bindings: ["a"] },
    { name: "not of a group", filter: 'active eq true and not (userName eq "a" or title pr)', sql: `((u.active = ?) and (not coalesce((${USER_NAME_EQ} or (u.job_title is not null and u.job_title <> '')), false)))`, bindings: [true, "a"] },
    { name: "upper-case names and operators", filter: 'USERNAME EQ "x" AND NOT (TITLE PR)', sql: `(${USER_NAME_EQ} and (not coalesce((u.job_title is not null and u.job_title <> ''), false)))`, bindings: ["x"] },
    {
      name: "a watermark window",
      filter: 'active eq true and (meta.lastModified ge "2026-01-01T00:00:00.0000000Z" and meta.lastModified le "2026-01-02T00:00:00Z")',
      sql: "((u.active = ?) and ((u.last_modified >= ?::timestamptz) and (u.last_modified <= ?::timestamptz)))",
      bindings: [true, "2026-01-01T00:00:00.000000+00:00", "2026-01-02T00:00:00.000000+00:00"],
    },
  ];
  it.each(cases)("$name", check);
});

describe("compileFilter: multi-valued attributes", () => {
  const cases: Case[] = [
    { name: "emails.value eq: some element present with that value", filter: 'emails.value eq "a@b.c"', sql: `(${WORK_EMAIL} and (lower(u.work_email) = lower(?)))`, bindings: ["a@b.c"] },
    { name: "emails eq uses the default sub-attribute", filter: 'emails eq "a@b.c"', sql: `(${WORK_EMAIL} and (lower(u.work_email) = lower(?)))`, bindings: ["a@b.c"] },
    { name: "emails.value co", filter: 'emails.value co "@b"', sql: `(${WORK_EMAIL} and (lower(u.work_email) like lower(?) escape '\\'))`, bindings: ["%@b%"] },
    { name: "sub-attribute names are case-insensitive", filter: 'EMAILS.VALUE eq "a@b.c"', sql: `(${WORK_EMAIL} and (lower(u.work_email) = lower(?)))`, bindings: ["a@b.c"] },
    { name: "emails pr: some element present", filter: "emails pr", sql: WORK_EMAIL, bindings: [] },
    { name: "phoneNumbers pr: an OR over the elements", filter: "phoneNumbers pr", sql: `(${WORK_PHONE} or ${MOBILE_PHONE})`, bindings: [] },
    {
      name: "phoneNumbers.value sw: an OR over the elements",
      filter: 'phoneNumbers.value sw "+33"',
      sql: `((${WORK_PHONE} and (lower(u.work_phone) like lower(?) escape '\\')) or (${MOBILE_PHONE} and (lower(u.mobile_phone) like lower(?) escape '\\')))`,
      bindings: ["+33%", "+33%"],
    },
    {
      name: "a value path: one element satisfies the inner filter",
      filter: 'phoneNumbers[type eq "mobile" and value co "06"]',
      sql: `((${WORK_PHONE} and ((lower('work'::text) = lower(?)) and (lower(u.work_phone) like lower(?) escape '\\'))) or (${MOBILE_PHONE} and ((lower('mobile'::text) = lower(?)) and (lower(u.mobile_phone) like lower(?) escape '\\'))))`,
      bindings: ["mobile", "%06%", "mobile", "%06%"],
    },
    {
      name: "the Entra form is one element that is work and has the value",
      filter: 'emails[type eq "work"].value eq "a@b.c"',
      sql: `(${WORK_EMAIL} and ((lower('work'::text) = lower(?)) and (lower(u.work_email) = lower(?))))`,
      bindings: ["work", "a@b.c"],
    },
    {
      name: "the Entra form on two elements keeps type and value on the same element",
      filter: 'phoneNumbers[type eq "mobile"].value eq "0601"',
      sql: `((${WORK_PHONE} and ((lower('work'::text) = lower(?)) and (lower(u.work_phone) = lower(?)))) or (${MOBILE_PHONE} and ((lower('mobile'::text) = lower(?)) and (lower(u.mobile_phone) = lower(?)))))`,
      bindings: ["mobile", "0601", "mobile", "0601"],
    },
    { name: "a boolean sub-attribute in a value path", filter: "emails[primary eq true]", sql: `(${WORK_EMAIL} and (true = ?))`, bindings: [true] },
    { name: "sub-attribute names in a value path are case-insensitive", filter: 'emails[TYPE eq "WORK"]', sql: `(${WORK_EMAIL} and (lower('work'::text) = lower(?)))`, bindings: ["WORK"] },
    {
      name: "addresses eq uses formatted",
      filter: 'addresses eq "Paris"',
      sql: "((u.establishment_id is not null) and (lower(concat_ws(', ', u.street, concat_ws(' ', u.postal_code, u.city), u.address_country)) = lower(?)))",
      bindings: ["Paris"],
    },
    { name: "addresses.locality", filter: 'addresses.locality eq "Paris"', sql: "((u.establishment_id is not null) and (lower(u.city) = lower(?)))", bindings: ["Paris"] },
  ];
  it.each(cases)("$name", check);
});

describe("compileFilter: schema URNs and extensions", () => {
  const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
  const LUCCA = "urn:ietf:params:scim:schemas:extension:lucca:2.0:User";
  const cases: Case[] = [
    { name: "an enterprise attribute by its URN", filter: `${ENTERPRISE}:employeeNumber eq "E0001"`, sql: "(lower(u.employee_number) = lower(?))", bindings: ["E0001"] },
    { name: "an enterprise attribute by its URN in another case", filter: `${ENTERPRISE.toUpperCase()}:EMPLOYEENUMBER eq "E0001"`, sql: "(lower(u.employee_number) = lower(?))", bindings: ["E0001"] },
    { name: "an enterprise attribute without its URN", filter: 'employeeNumber eq "E0001"', sql: "(lower(u.employee_number) = lower(?))", bindings: ["E0001"] },
    { name: "a sub-attribute after the URN", filter: `${ENTERPRISE}:manager.value eq "7"`, sql: MANAGER_IS_7, bindings: [7] },
    { name: "manager.displayName", filter: `${ENTERPRISE}:manager.displayName co "Lee"`, sql: "((u.manager_visible) and (lower(concat_ws(' ', nullif(u.manager_first_name, ''), nullif(u.manager_last_name, ''))) like lower(?) escape '\\'))", bindings: ["%Lee%"] },
    { name: "a core attribute with the core URN", filter: 'urn:ietf:params:scim:schemas:core:2.0:User:userName eq "x"', sql: USER_NAME_EQ, bindings: ["x"] },
    { name: "a core sub-attribute with the core URN", filter: 'urn:ietf:params:scim:schemas:core:2.0:User:name.familyName eq "x"', sql: "(lower(u.last_name) = lower(?))", bindings: ["x"] },
    { name: "a multi-valued sub-attribute with the core URN", filter: 'urn:ietf:params:scim:schemas:core:2.0:User:emails.value eq "x"', sql: `(${WORK_EMAIL} and (lower(u.work_email) = lower(?)))`, bindings: ["x"] },
    { name: "a custom-namespace attribute by its URN", filter: `${LUCCA}:countryCode eq "FR"`, sql: "(lower(u.country_code) = lower(?))", bindings: ["FR"], map: customMap },
    { name: "a custom-namespace attribute without its URN", filter: 'countrycode eq "FR"', sql: "(lower(u.country_code) = lower(?))", bindings: ["FR"], map: customMap },
    { name: "an extended field (case-exact)", filter: 'badge eq "B-7"', sql: "((u.extended_data ->> 'badge_id') = ?)", bindings: ["B-7"], map: customMap },
    { name: "an enterprise attribute next to a custom namespace", filter: 'manager.value eq "7"', sql: MANAGER_IS_7, bindings: [7], map: customMap },
  ];
  it.each(cases)("$name", check);
});

describe("compileFilter: related entries", () => {
  const exists = (condition?: string) => `(exists (select 1 ${GROUP_MEMBERS_FROM}${condition ? ` and ${condition}` : ""}))`;
  const cases: Case[] = [
    { name: "members.value eq is an exists with the from bindings first", filter: 'members.value eq "10"', sql: exists("(m.user_id = ?)"), bindings: [0, 10], map: groupMap },
    { name: "members eq uses the default sub-attribute", filter: 'members eq "10"', sql: exists("(m.user_id = ?)"), bindings: [0, 10], map: groupMap },
    { name: "members eq a non-numeric id", filter: 'members eq "abc"', sql: exists("(false)"), bindings: [0], map: groupMap },
    { name: "members pr", filter: "members pr", sql: exists(), bindings: [0], map: groupMap },
    {
      name: "a value path on members",
      filter: 'members[value eq "10" or DISPLAY co "ann"]',
      sql: exists("((m.user_id = ?) or (lower(m.display) like lower(?) escape '\\'))"),
      bindings: [0, 10, "%ann%"],
      map: groupMap,
    },
    { name: "the Entra form on members", filter: 'members[display sw "Bob"].value eq "11"', sql: exists("((lower(m.display) like lower(?) escape '\\') and (m.user_id = ?))"), bindings: [0, "Bob%", 11], map: groupMap },
    { name: "not on members", filter: 'not (members.value eq "10")', sql: `(not coalesce(${exists("(m.user_id = ?)")}, false))`, bindings: [0, 10], map: groupMap },
    { name: "combined with a simple attribute", filter: 'displayName eq "Sales" and members.value eq "10"', sql: `((lower(g.display_name) = lower(?)) and ${exists("(m.user_id = ?)")})`, bindings: ["Sales", 0, 10], map: groupMap },
    { name: "the Group core URN", filter: 'urn:ietf:params:scim:schemas:core:2.0:Group:members.value eq "10"', sql: exists("(m.user_id = ?)"), bindings: [0, 10], map: groupMap },
  ];
  it.each(cases)("$name", check);
});

describe("compileFilter: client values never reach the SQL text", () => {
  const hostile = [
    "x' or 1=1 --",
    "x\\\" or \\\"1\\\"=\\\"1",
    "'; drop table employees; --",
    "?",
    "??",
    "$1",
    "\\\\') or true --",
    "x\\u0027 or \\u00271\\u0027=\\u00271",
  ];
  const templates = [
    (v: string) => `userName eq "${v}"`,
    (v: string) => `externalId co "${v}"`,
    (v: string) => `emails[type eq "${v}"].value eq "${v}"`,
    (v: string) => `not (name.familyName sw "${v}") or title ew "${v}"`,
    (v: string) => `id gt "${v}"`,
  ];
  for (const value of hostile) {
    for (const template of templates) {
      const filter = template(value);
      it(`keeps ${JSON.stringify(value)} out of the SQL of ${JSON.stringify(filter.slice(0, 30))}`, () => {
        const { sql, bindings } = compileFilter(filter, defaultMap, SCOPE);
        // The SQL text depends on the filter's shape only: a harmless value gives the same text.
        expect(sql).toBe(compileFilter(template("zzz"), defaultMap, SCOPE).sql);
        expect(sql.split("?").length - 1).toBe(bindings.length);
      });
    }
  }

  it('keeps userName eq "x\' or 1=1 --" in one binding', () => {
    expect(compileFilter('userName eq "x\' or 1=1 --"', defaultMap, SCOPE)).toEqual({ sql: USER_NAME_EQ, bindings: ["x' or 1=1 --"] });
  });

  it('keeps userName eq "x\\" or \\"1\\"=\\"1" in one binding', () => {
    expect(compileFilter('userName eq "x\\" or \\"1\\"=\\"1"', defaultMap, SCOPE)).toEqual({ sql: USER_NAME_EQ, bindings: ['x" or "1"="1'] });
  });
});

describe("compileFilter errors", () => {
  const cases: { name: string; filter: string; detail: RegExp; map?: Catalogue }[] = [
    { name: "an unknown attribute", filter: 'foo eq "x"', detail: /"foo" is unknown or not exposed.*filterable attributes are id, externalId, userName/ },
    { name: "an attribute the tenant does not expose", filter: 'title eq "CTO"', detail: /"title" is unknown or not exposed/, map: customMap },
    { name: "an enterprise attribute the tenant does not expose", filter: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq "1"', detail: /employeeNumber" is unknown or not exposed/, map: customMap },
    { name: "an extension attribute under the core URN", filter: 'urn:ietf:params:scim:schemas:core:2.0:User:employeeNumber eq "1"', detail: /unknown or not exposed/ },
    { name: "an unknown schema URN", filter: 'urn:example:foo:userName eq "x"', detail: /unknown or not exposed/ },
    { name: "a complex attribute without its sub-attribute", filter: 'name eq "x"', detail: /"name" is complex: filter on one of its sub-attributes \(name.formatted, name.familyName, name.givenName\)/ },
    { name: "an unknown sub-attribute", filter: 'emails.foo eq "x"', detail: /Unknown sub-attribute "foo" of "emails".*value, type, primary/ },
    { name: "an unknown sub-attribute in a value path", filter: 'emails[foo eq "x"]', detail: /Unknown sub-attribute "foo" of "emails"/ },
    { name: "an unknown sub-attribute in the Entra form", filter: 'emails[type eq "work"].foo eq "x"', detail: /Unknown sub-attribute "foo" of "emails"/ },
    { name: "an unknown sub-attribute of a related entry", filter: 'members.foo eq "x"', detail: /Unknown sub-attribute "foo" of "members".*value, display/, map: groupMap },
    { name: "a value path on a single-valued attribute", filter: 'userName[value eq "x"]', detail: /value filters apply to multi-valued attributes/ },
    { name: "a sub-attribute of a simple attribute", filter: 'userName.value eq "x"', detail: /"userName.value" is unknown/ },
    { name: "gt on a boolean", filter: "active gt true", detail: /"active" is a boolean: use eq, ne or pr, not gt/ },
    { name: "a non-boolean string for a boolean", filter: 'active eq "yes"', detail: /compare it with true or false, not "yes"/ },
    { name: "a number for a boolean", filter: "active eq 1", detail: /compare it with true or false, not 1/ },
    { name: "a boolean for a string", filter: "userName eq true", detail: /"userName" is a string; compare it with a string in double quotes, not true/ },
    { name: "null with gt", filter: "title gt null", detail: /null can only be compared with eq or ne/ },
    { name: "an invalid date", filter: 'meta.lastModified gt "2026-02-30T00:00:00Z"', detail: /"2026-02-30T00:00:00Z" is not a valid date-time for "meta.lastModified"/ },
    { name: "29 February outside a leap year", filter: 'meta.created eq "2025-02-29"', detail: /not a valid date-time/ },
    { name: "an hour out of range", filter: 'meta.created eq "2026-01-01T24:00:00Z"', detail: /not a valid date-time/ },
    { name: "an offset out of range", filter: 'meta.created eq "2026-01-01T10:00:00+16:00"', detail: /not a valid date-time/ },
    { name: "words as a date", filter: 'meta.lastModified ge "yesterday"', detail: /not a valid date-time/ },
    { name: "a number as a date", filter: "meta.lastModified ge 1700000000", detail: /is a dateTime: compare it with a date-time/ },
    { name: "co on a date", filter: 'meta.lastModified co "2026"', detail: /is a dateTime: use eq, ne, gt, ge, lt, le or pr, not co/ },
    { name: "a syntax error", filter: "userName eq", detail: /add the value/ },
    { name: "an unclosed parenthesis", filter: '(userName eq "x"', detail: /Missing "\)"/ },
    { name: "an unknown operator", filter: 'userName xx "y"', detail: /Unknown operator "xx"/ },
  ];
  it.each(cases)("rejects $name with invalidFilter", ({ filter, detail, map }) => {
    let error: unknown;
    try {
      compileFilter(filter, map ?? defaultMap, SCOPE);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ScimError);
    expect((error as ScimError).status).toBe(400);
    expect((error as ScimError).scimType).toBe("invalidFilter");
    expect((error as ScimError).detail).toMatch(detail);
  });
});

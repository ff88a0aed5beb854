// Compiled filters run on a real database (PGlite, or PostgreSQL 15 when DATABASE_URL is set) over
// small `(values ...)` tables shaped like the people table `u` and groups `g`: the SQL is valid
// PostgreSQL and means what the SCIM filter says.
import type { Knex } from "knex";
import { describe, expect, it } from "vitest";
import type { Database } from "../../src/db/database.js";
import { compileFilter } from "../../src/scim/filter/compile-sql.js";
import type { Catalogue } from "../../src/scim/catalogue/catalogue.js";
import { useTestDatabase } from "../support/test-database.js";
import { customMap, defaultMap, groupMap, SCOPE } from "./filter-maps.js";

let db: Database;
useTestDatabase((database) => { db = database; });

const PEOPLE_COLUMNS: [string, string][] = [
  ["id", "integer"], ["user_name", "text"], ["first_name", "text"], ["last_name", "text"],
  ["work_email", "text"], ["work_phone", "text"], ["mobile_phone", "text"], ["active", "boolean"],
  ["created_at", "timestamptz"], ["last_modified", "timestamptz"], ["external_id", "text"],
  ["job_title", "text"], ["preferred_language", "text"], ["employee_number", "text"],
  ["legal_unit_name", "text"], ["establishment_name", "text"], ["department_name", "text"],
  ["manager_id", "integer"], ["manager_first_name", "text"], ["manager_last_name", "text"], ["manager_visible", "boolean"],
  ["establishment_id", "integer"], ["street", "text"], ["postal_code", "text"], ["city", "text"],
  ["address_country", "text"], ["country_code", "text"], ["contract_start", "text"], ["contract_end", "text"],
  ["extended_data", "jsonb"],
];

type Row = Record<string, unknown>;
const person = (row: Row): Row => ({ active: true, created_at: "2026-01-01T00:00:00Z", manager_visible: true, ...row });

const PEOPLE: Row[] = [
  person({
    id: 1, user_name: "J.Young", first_name: "Jane", last_name: "Young", work_email: "jane.young@example.com",
    work_phone: "+33 1 23", last_modified: "2026-11-23T10:00:00.123457Z", external_id: "jyoung", job_title: "CTO",
    employee_number: "E0001", establishment_id: 5, street: "1 rue de Rivoli", postal_code: "75001", city: "Paris",
    address_country: "FR", country_code: "FR",
  }),
  person({
    id: 2, user_name: "renée.d", first_name: "Renée", last_name: "Dupont", mobile_phone: "0601", active: false,
    last_modified: "2026-11-23T10:00:00.123456Z", external_id: "A%B_C\\D", job_title: "", manager_id: 1,
    manager_first_name: "Jane", manager_last_name: "Young", extended_data: JSON.stringify({ badge_id: "B-7" }),
  }),
  person({
    id: 3, user_name: "bob", first_name: "Bob", last_name: "Ray", work_email: "bob@example.com", work_phone: "+33 9",
    mobile_phone: "0602", last_modified: "2026-11-24T00:00:00Z", external_id: "x' or 1=1 --", country_code: "DE",
  }),
];

/** `(values (?::type, ...), ...) as <alias>(columns)` with every value bound. */
function valuesTable(knex: Knex, alias: string, columns: [string, string][], rows: Row[]): Knex.Raw {
  const tuple = `(${columns.map(([, type]) => `?::${type}`).join(", ")})`;
  const bindings = rows.flatMap((row) => columns.map(([name]) => (row[name] ?? null) as Knex.Value));
  return knex.raw(`(values ${rows.map(() => tuple).join(", ")}) as ${alias}(${columns.map(([name]) => name).join(", ")})`, bindings);
}

async function matchingIds(filter: string, map: Catalogue, alias: "u" | "g"): Promise<number[]> {
  const table = alias === "u"
    ? valuesTable(db.knex, "u", PEOPLE_COLUMNS, PEOPLE)
    : valuesTable(db.knex, "g", [["id", "integer"], ["display_name", "text"]], [{ id: 1, display_name: "Sales" }, { id: 2, display_name: "Ops" }, { id: 3, display_name: "Empty" }]);
  const where = compileFilter(filter, map, SCOPE);
  const rows = await db.knex.from(table).whereRaw(where.sql, where.bindings).select(`${alias}.id`).orderBy(`${alias}.id`);
  return rows.map((r: { id: number }) => r.id);
}

describe("compiled User filters on PostgreSQL", () => {
  const cases: { filter: string; ids: number[]; map?: Catalogue }[] = [
    { filter: 'userName eq "j.young"', ids: [1] },
    { filter: 'USERNAME EQ "J.YOUNG"', ids: [1] },
    { filter: 'userName eq "ren\\u00e9e.d"', ids: [2] },
    { filter: 'userName ne "bob"', ids: [1, 2] },
    { filter: 'userName gt "c"', ids: [1, 2] },
    { filter: 'userName le "bob"', ids: [3] },
    { filter: 'name.familyName eq "dupont"', ids: [2] },
    { filter: 'displayName co "ée du"', ids: [2] },
    { filter: 'externalId co "%"', ids: [2] },
    { filter: 'externalId co "_"', ids: [2] },
    { filter: 'externalId co "\\\\"', ids: [2] },
    { filter: 'externalId sw "a%"', ids: [] },
    { filter: 'externalId sw "A%B"', ids: [2] },
    { filter: "externalId eq jyoung", ids: [1] },
    { filter: 'externalId eq "x\' or 1=1 --"', ids: [3] },
    { filter: 'userName eq "x\\" or \\"1\\"=\\"1"', ids: [] },
    { filter: "title pr", ids: [1] },
    { filter: "title eq null", ids: [3] },
    { filter: "title ne null", ids: [1, 2] },
    { filter: "active eq true", ids: [1, 3] },
    { filter: 'active eq "False"', ids: [2] },
    { filter: 'meta.lastModified gt "2026-11-23T10:00:00.1234567Z"', ids: [1, 3] },
    { filter: 'meta.lastModified ge "2026-11-23T10:00:00.1234567Z"', ids: [1, 3] },
    { filter: 'meta.lastModified lt "2026-11-23T10:00:00.1234567Z"', ids: [2] },
    { filter: 'meta.lastModified le "2026-11-23T10:00:00.1234567Z"', ids: [2] },
    { filter: 'meta.lastModified eq "2026-11-23T10:00:00.1234567Z"', ids: [] },
    { filter: 'meta.lastModified eq "2026-11-23T10:00:00.1234560Z"', ids: [2] },
    { filter: 'meta.lastmodified ge "2026-11-23T11:00:00+01:00" and meta.lastModified le "2026-11-23"', ids: [] },
    { filter: 'meta.lastModified ge "2026-11-23T11:00:00+01:00" and meta.lastModified lt "2026-11-24"', ids: [1, 2] },
    { filter: 'meta.created ge "2026-01-01"', ids: [1, 2, 3] },
    { filter: 'id eq "2"', ids: [2] },
    { filter: "id eq 2", ids: [2] },
    { filter: 'id eq "02"', ids: [] },
    { filter: 'id eq "abc"', ids: [] },
    { filter: 'id ne "abc"', ids: [1, 2, 3] },
    { filter: 'id ne "2"', ids: [1, 3] },
    { filter: 'id sw "1"', ids: [1] },
    { filter: 'id gt "2"', ids: [3] },
    { filter: 'manager.value eq "1"', ids: [2] },
    { filter: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.displayName eq "jane young"', ids: [2] },
    { filter: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq "e0001"', ids: [1] },
    { filter: 'urn:ietf:params:scim:schemas:core:2.0:User:userName eq "bob"', ids: [3] },
    { filter: 'emails.value ew "@EXAMPLE.com"', ids: [1, 3] },
    { filter: "emails pr", ids: [1, 3] },
    { filter: 'emails[type eq "work"].value eq "BOB@example.com"', ids: [3] },
    { filter: 'emails[type eq "home"].value eq "bob@example.com"', ids: [] },
    { filter: "emails[primary eq true]", ids: [1, 3] },
    { filter: "phoneNumbers pr", ids: [1, 2, 3] },
    { filter: 'phoneNumbers[type eq "mobile"].value eq "0602"', ids: [3] },
    { filter: 'phoneNumbers[type eq "work"].value eq "0602"', ids: [] },
    { filter: 'phoneNumbers[type eq "work" or type eq "mobile"].value sw "06"', ids: [2, 3] },
    { filter: 'phoneNumbers.value sw "+33"', ids: [1, 3] },
    { filter: 'addresses.locality eq "paris"', ids: [1] },
    { filter: 'addresses co "rivoli"', ids: [1] },
    { filter: 'userName eq "bob" or active eq true and title pr', ids: [1, 3] },
    { filter: '(userName eq "bob" or active eq true) and title pr', ids: [1] },
    { filter: "not (active eq true)", ids: [2] },
    { filter: 'not (userName eq "bob") and not (title pr)', ids: [2] },
    { filter: 'countryCode eq "fr"', ids: [1], map: customMap },
    { filter: 'badge eq "B-7"', ids: [2], map: customMap },
    { filter: 'badge eq "b-7"', ids: [], map: customMap },
  ];
  it.each(cases)("$filter matches $ids", async ({ filter, ids, map }) => {
    expect(await matchingIds(filter, map ?? defaultMap, "u")).toEqual(ids);
  });
});

describe("compiled Group filters with related members on PostgreSQL", () => {
  const cases: { filter: string; ids: number[] }[] = [
    { filter: 'members.value eq "10"', ids: [1] },
    { filter: 'members eq "11"', ids: [1, 2] },
    { filter: 'members eq "abc"', ids: [] },
    { filter: "members pr", ids: [1, 2] },
    { filter: "not (members pr)", ids: [3] },
    { filter: 'members[display sw "bob"]', ids: [1, 2] },
    { filter: 'members[display sw "bob"].value eq "10"', ids: [] },
    { filter: 'members[display sw "bob"].value eq "11"', ids: [1, 2] },
    { filter: 'displayName eq "sales" and members.value eq "11"', ids: [1] },
  ];
  it.each(cases)("$filter matches $ids", async ({ filter, ids }) => {
    expect(await matchingIds(filter, groupMap, "g")).toEqual(ids);
  });
});

// Each User entry says which row columns its projection reads (`reads`), so that a page loads only
// what the returned attributes need. Here every entry is projected from a row holding only the
// columns it names and must come out as from the full row: a projection reading a column its entry
// does not name fails this test.
import { describe, expect, it } from "vitest";
import { defaultSettings, GROUP_TYPES, type TenantSettings } from "../../src/hr/tenant-settings.js";
import { mappableAttributes, userCatalogue } from "../../src/scim/catalogue/catalogue.js";
import type { Row } from "../../src/scim/catalogue/types.js";
import { returnedEntries, selectedRowColumns } from "../../src/scim/projection/attribute-selection.js";

const ENV = { scimBaseUrl: "https://scim.example.com/scim/v2" };

const settings: TenantSettings = {
  ...defaultSettings(),
  groupTypes: [...GROUP_TYPES],
  propertyMapping: { attributes: mappableAttributes().map((a) => a.key), namespace: null, extendedFields: { badge: "badgeNumber" } },
};

/** Every column of a people row, each with a value of its own. */
const FULL: Row = {
  id: 41, tenant_id: 7, user_name: "ada.lovelace", login: "ada.lovelace", first_name: "Ada", last_name: "Lovelace",
  work_email: "ada@acme.example", work_phone: "+33 1 00 00 00 01", mobile_phone: "+33 6 00 00 00 02", job_title: "Analyst",
  employee_number: "E0041", preferred_language: "en-GB", external_id: "okta-41", extended_data: { badgeNumber: "B-77" },
  created_at: new Date("2024-01-02T03:04:05Z"), version: 3, department_id: 5, department_name: "Engineering",
  department_group_name: "Engineering (5)", establishment_id: 6, establishment_name: "Paris", establishment_group_name: "Paris HQ",
  street: "1 rue de Rivoli", postal_code: "75001", city: "Paris", address_country: "FR", legal_unit_id: 8,
  legal_unit_name: "Acme SA", legal_unit_group_name: "Acme SA (8)", country_code: "FR", manager_id: 12,
  manager_first_name: "Charles", manager_last_name: "Babbage", manager_visible: true, contract_start: "2024-01-01",
  contract_end: "2027-12-31", active: true, last_modified: new Date("2026-06-01T10:00:00Z"), cost_center: "CC-9",
};

const ROWS: [string, Row][] = [
  ["a full row", FULL],
  ["no work phone, a hidden manager, no establishment", { ...FULL, work_phone: null, manager_visible: false, establishment_id: null, street: null, city: null }],
  ["an inactive employee without email or groups", { ...FULL, active: false, work_email: null, department_id: null, legal_unit_id: null, country_code: null }],
];

function only(row: Row, columns: readonly string[]): Row {
  return Object.fromEntries(columns.filter((c) => Object.hasOwn(row, c)).map((c) => [c, row[c]]));
}

describe("what each User entry's projection reads", () => {
  const catalogue = userCatalogue(settings);
  const entries = catalogue.topLevel.filter((e) => catalogue.isExposed(e));

  it("is said by every exposed top-level entry", () => {
    expect(entries.filter((e) => !e.reads).map((e) => e.path)).toEqual([]);
    expect(entries.length).toBeGreaterThan(15);
  });

  for (const [label, row] of ROWS) {
    it(`is enough to project each entry, for ${label}`, () => {
      for (const entry of entries) {
        expect({ path: entry.path, value: entry.project?.(only(row, entry.reads ?? []), ENV) })
          .toEqual({ path: entry.path, value: entry.project?.(row, ENV) });
      }
    });
  }
});

describe("the columns a selection loads", () => {
  const catalogue = userCatalogue(settings);
  const KEYS = ["id", "version", "last_modified"];

  it("are those of the returned attributes and the keys", () => {
    expect(selectedRowColumns({ attributes: ["userName"] }, catalogue, KEYS)!.sort()).toEqual(["id", "last_modified", "user_name", "version"]);
    expect(selectedRowColumns({ attributes: ["name.givenName", "emails"] }, catalogue, KEYS)!.sort())
      .toEqual(["first_name", "id", "last_modified", "last_name", "version", "work_email"]);
  });

  it("leave out the group names unless groups are returned", () => {
    expect(selectedRowColumns({ excludedAttributes: ["groups"] }, catalogue, KEYS)).not.toContain("department_group_name");
    expect(selectedRowColumns({}, catalogue, KEYS)).toContain("department_group_name");
    // Excluding a sub-attribute still returns the rest of its attribute.
    expect(selectedRowColumns({ excludedAttributes: ["groups.display"] }, catalogue, KEYS)).toContain("department_group_name");
  });

  it("follow a whole extension named by its URN", () => {
    const enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
    expect(returnedEntries({ attributes: [enterprise] }, catalogue).map((e) => e.name)).toEqual(expect.arrayContaining(["id", "employeeNumber", "manager", "costCenter"]));
    expect(selectedRowColumns({ excludedAttributes: [enterprise] }, catalogue, KEYS)).not.toContain("manager_first_name");
  });

  it("ignore unknown and prototype names", () => {
    expect(selectedRowColumns({ attributes: ["__proto__", "constructor", "nope"] }, catalogue, KEYS)!.sort()).toEqual(["id", "last_modified", "version"]);
  });
});

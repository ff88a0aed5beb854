// Catalogues shared by the filter tests: the default and a custom User catalogue, and a small Group
// catalogue whose `members` read a `(values ...)` list, with the related scope compiled filters take.
// (Not a test file itself.)
import { defaultSettings, type TenantSettings } from "../../src/hr/tenant-settings.js";
import { catalogueFromSpecs, userCatalogue, type Catalogue } from "../../src/scim/catalogue/catalogue.js";
import { characteristics, readOnlyText } from "../../src/scim/catalogue/define.js";
import type { Column, RelatedScope } from "../../src/scim/catalogue/types.js";
import type { EntrySpec } from "../../src/scim/catalogue/user.js";
import { GROUP_URN, LUCCA_URN } from "../../src/scim/schema/urns.js";

export function settingsWith(mapping: Partial<TenantSettings["propertyMapping"]>, rest: Partial<TenantSettings> = {}): TenantSettings {
  const settings = defaultSettings();
  return { ...settings, ...rest, propertyMapping: { ...settings.propertyMapping, ...mapping } };
}

export const defaultMap: Catalogue = userCatalogue(defaultSettings());

/** No title, externalId or enterprise employeeNumber; countryCode and an extended field in the Lucca namespace. */
export const customMap: Catalogue = userCatalogue(settingsWith({ attributes: ["countryCode", "manager"], namespace: LUCCA_URN, extendedFields: { badge: "badge_id" } }));

const text = (sql: string, caseExact = false): Column => ({ sql, type: "string", caseExact });

/** `from` reads a `(values ...)` list so that filter-sql.test.ts can run it as is. */
export const GROUP_MEMBERS_FROM =
  "from (values (1, 10, 'Ann Lee'), (1, 11, 'Bob Ray'), (2, 11, 'Bob Ray')) as m(group_id, user_id, display) where m.group_id = g.id and m.group_id > ?";

const always = { kind: "always" } as const;
const spec = (name: string, column: Column, rest: Partial<EntrySpec> = {}): EntrySpec =>
  ({ name, slot: "core", exposure: always, sortable: true, definition: readOnlyText(name), column, ...rest });

export const groupMap: Catalogue = catalogueFromSpecs("Group", GROUP_URN, [
  spec("id", { sql: "g.id", type: "string", caseExact: true, integerId: true }),
  spec("displayName", text("g.display_name")),
  {
    name: "members", slot: "core", exposure: always, sortable: false, defaultSub: "value",
    definition: characteristics("complex", "members", { multiValued: true }),
    related: {
      sub: { value: { sql: "m.user_id", type: "string", caseExact: true, integerId: true }, display: text("m.display") },
      sql: () => ({ kind: "exists", from: { sql: GROUP_MEMBERS_FROM, bindings: [0] } }),
    },
    subs: [
      { name: "value", slot: "core", exposure: always, sortable: false, definition: readOnlyText("value") },
      { name: "display", slot: "core", exposure: always, sortable: false, definition: readOnlyText("display") },
    ],
  },
]);

/** A catalogue of the given simple attributes over `u` (numbers, several extensions). */
export function simpleCatalogue(entries: { name: string; column: Column; urn?: string }[]): Catalogue {
  return catalogueFromSpecs("User", "urn:ietf:params:scim:schemas:core:2.0:User", [
    spec("id", { sql: "u.id", type: "string", caseExact: true, integerId: true }),
    ...entries.map((e) => spec(e.name, e.column, e.urn ? { urn: e.urn, slot: "enterprise" } : {})),
  ]);
}

/** The related scope of the filter tests: tenant 1, and no visible-people SQL (the test catalogues do not read it). */
export const SCOPE: RelatedScope = { tenantId: 1, visiblePeople: () => ({ sql: "select 1", bindings: [] }) };

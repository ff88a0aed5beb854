// Use cases of /Users (read): list with filter, sort and paging; get one by id.
import type { Knex } from "knex";
import type { RequestContext } from "../../context.js";
import { preparedSql } from "../../db/prepared-statements.js";
import { StatementTemplates } from "../../db/statement-templates.js";
import { visiblePeopleSql } from "../../hr/groups.js";
import { withCurrentLifecycle } from "../../hr/lifecycle-state.js";
import { countVisiblePeople, EMPLOYEE_COLUMNS, visibleEmployees, visiblePeople, type PeopleScope, type PersonRow } from "../../hr/people.js";
import { userCatalogue, type Catalogue } from "../catalogue/catalogue.js";
import type { RelatedScope } from "../catalogue/types.js";
import { userVersion } from "../catalogue/user.js";
import { notFound } from "../errors.js";
import type { ListRequest } from "../list-request.js";
import { cursorContext, listResponse, listRows, type PageOfRows } from "../listing.js";
import { applySelection, returnedEntries, selectedRowColumns, type AttributeSelection } from "../projection/attribute-selection.js";
import { projectResource } from "../projection/project.js";
import { peopleScope } from "./user-scope.js";

/** The tenant's User catalogue (its property mapping, group types and userName source). */
export function userCatalogueFor(ctx: RequestContext): Catalogue {
  return userCatalogue(ctx.tenant.settings);
}

/** What related attributes (a User's groups, a Group's members) need from this request. */
export function relatedScope(ctx: RequestContext, db: Knex): RelatedScope {
  return { tenantId: ctx.tenant.id, visiblePeople: () => visiblePeopleSql(db, peopleScope(ctx)) };
}

/** The people queries of lookups, compiled once per shape (db/statement-templates.ts). */
const USER_STATEMENTS = new StatementTemplates();

/** Everything visiblePeople builds its query from (statement-templates' key). */
function shapeOf(scope: PeopleScope): string {
  return JSON.stringify(scope);
}

/** The columns a User row always carries, whatever the selection: its key and its version (ETag). */
const USER_ROW_KEYS = ["id", "version", "last_modified"];

/** A row of the people table as its SCIM User, selection applied. */
export function userResource(ctx: RequestContext, row: PersonRow, selection: AttributeSelection = {}): Record<string, unknown> {
  const catalogue = userCatalogueFor(ctx);
  const returned = new Set(returnedEntries(selection, catalogue));
  return applySelection(projectResource(catalogue, row as never, { scimBaseUrl: ctx.scimBaseUrl }, {}, returned), selection, catalogue);
}

/** One page of User resources (selection applied) and its paging facts. */
export async function listUserPage(
  ctx: RequestContext, db: Knex, request: ListRequest,
): Promise<{ resources: Record<string, unknown>[]; page: PageOfRows<PersonRow & Record<string, unknown>> }> {
  const scope = peopleScope(ctx);
  const catalogue = userCatalogueFor(ctx);
  // Only the columns the returned attributes read: a page without groups computes no group names.
  const columns = selectedRowColumns(request.selection, catalogue, USER_ROW_KEYS);
  const page = await withCurrentLifecycle(db, scope, (h) =>
    listRows<PersonRow & Record<string, unknown>>(catalogue, () => visiblePeople(h, scope), request, cursorContext(ctx), relatedScope(ctx, h), {
      narrow: { query: () => visibleEmployees(h, scope), columns: EMPLOYEE_COLUMNS, total: () => countVisiblePeople(h, scope) },
      columns,
      firstPage: { key: shapeOf(scope), templates: USER_STATEMENTS, db: h },
    }));
  return { resources: page.rows.map((row) => userResource(ctx, row, request.selection)), page };
}

export async function listUsers(ctx: RequestContext, db: Knex, request: ListRequest): Promise<Record<string, unknown>> {
  const { resources, page } = await listUserPage(ctx, db, request);
  return listResponse(resources, page, request.cursor !== undefined);
}

/** SCIM ids of users are decimal integers; anything else cannot exist. */
export function parseUserId(id: string): number | null {
  return /^[1-9][0-9]{0,9}$/.test(id) && Number(id) <= 2147483647 ? Number(id) : null;
}

/**
 * The visible employee row (only `columns`, when given), or null (another tenant's, hidden future
 * employees and unknown ids alike).
 */
export async function findVisiblePerson(ctx: RequestContext, db: Knex, id: string, columns?: readonly string[] | null): Promise<PersonRow | null> {
  const numeric = parseUserId(id);
  if (numeric === null) return null;
  const scope = peopleScope(ctx);
  const select = columns ? columns.map((c) => `u.${c}`) : ["u.*"];
  const statement = USER_STATEMENTS.compile(`byId ${shapeOf(scope)} ${select.join(",")}`, [numeric],
    ([id]) => visiblePeople(db, scope).select(select).where("u.id", id as number).limit(1));
  const row = await withCurrentLifecycle(db, scope, async (h) => (await preparedSql(h, statement)).at(0));
  return (row as PersonRow | undefined) ?? null;
}

export interface UserResult {
  resource: Record<string, unknown>;
  version: string;
}

export async function getUser(ctx: RequestContext, db: Knex, id: string, selection: AttributeSelection): Promise<UserResult> {
  const row = await findVisiblePerson(ctx, db, id, selectedRowColumns(selection, userCatalogueFor(ctx), USER_ROW_KEYS));
  if (!row) throw notFound(`User ${id} not found`);
  return { resource: userResource(ctx, row, selection), version: userVersion(row) };
}

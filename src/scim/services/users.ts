// Use cases of /Users (read): list with filter, sort and paging; get one by id.
import type { Knex } from "knex";
import type { RequestContext } from "../../context.js";
import { prepared } from "../../db/prepared-statements.js";
import { withCurrentLifecycle } from "../../hr/lifecycle-state.js";
import { countVisiblePeople, EMPLOYEE_COLUMNS, visibleEmployees, visiblePeople, type PersonRow } from "../../hr/people.js";
import { notFound } from "../errors.js";
import type { ListRequest } from "../list-request.js";
import { cursorContext, listResponse, listRows, type PageOfRows } from "../listing.js";
import type { ResourceMap } from "../mapping/types.js";
import { userMap } from "../mapping/user-map.js";
import { applySelection, type AttributeSelection } from "../projection/attribute-selection.js";
import { projectUser } from "../projection/user.js";
import { USER_URN } from "../schema/urns.js";
import { peopleScope } from "./user-scope.js";

/** The tenant's User map (its property mapping, and `groups` when group types are enabled). */
export function userMapFor(ctx: RequestContext): ResourceMap {
  return userMap(ctx.tenant.settings.propertyMapping, ctx.tenant.settings.groupTypes);
}

/** One page of User resources (selection applied) and its paging facts. */
export async function listUserPage(
  ctx: RequestContext, db: Knex, request: ListRequest,
): Promise<{ resources: Record<string, unknown>[]; page: PageOfRows<PersonRow & Record<string, unknown>> }> {
  const { propertyMapping: mapping, groupTypes } = ctx.tenant.settings;
  const scope = peopleScope(ctx);
  const page = await withCurrentLifecycle(db, scope, (h) =>
    listRows<PersonRow & Record<string, unknown>>(userMapFor(ctx), () => visiblePeople(h, scope), request, cursorContext(ctx),
      { query: () => visibleEmployees(h, scope), columns: EMPLOYEE_COLUMNS, total: () => countVisiblePeople(h, scope) }));
  const resources = page.rows.map((row) =>
    applySelection(projectUser(row, { mapping, scimBaseUrl: ctx.scimBaseUrl, groupTypes }), request.selection, USER_URN));
  return { resources, page };
}

export async function listUsers(ctx: RequestContext, db: Knex, request: ListRequest): Promise<Record<string, unknown>> {
  const { resources, page } = await listUserPage(ctx, db, request);
  return listResponse(resources, page, request.cursor !== undefined);
}

/** SCIM ids of users are decimal integers; anything else cannot exist. */
export function parseUserId(id: string): number | null {
  return /^[1-9][0-9]{0,9}$/.test(id) && Number(id) <= 2147483647 ? Number(id) : null;
}

/** The visible employee row, or null (another tenant's, hidden future employees and unknown ids alike). */
export async function findVisiblePerson(ctx: RequestContext, db: Knex, id: string): Promise<PersonRow | null> {
  const numeric = parseUserId(id);
  if (numeric === null) return null;
  const scope = peopleScope(ctx);
  const row = await withCurrentLifecycle(db, scope, async (h) => (await prepared(visiblePeople(h, scope).where("u.id", numeric).limit(1))).at(0));
  return (row as PersonRow | undefined) ?? null;
}

export interface UserResult {
  resource: Record<string, unknown>;
  version: string;
}

export async function getUser(ctx: RequestContext, db: Knex, id: string, selection: AttributeSelection): Promise<UserResult> {
  const row = await findVisiblePerson(ctx, db, id);
  if (!row) throw notFound(`User ${id} not found`);
  const full = projectUser(row, { mapping: ctx.tenant.settings.propertyMapping, scimBaseUrl: ctx.scimBaseUrl, groupTypes: ctx.tenant.settings.groupTypes });
  return { resource: applySelection(full, selection, USER_URN), version: (full.meta as { version: string }).version };
}

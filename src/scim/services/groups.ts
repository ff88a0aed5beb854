// Use cases of /Groups (read-only): list with filter, sort and paging; get one by id. Members are
// read only when returned, in bounded chunks, while the response is written (DeferredArray). A page
// holds min(count, remaining) groups whatever their members: Okta steps startIndex by count, not by
// itemsPerPage, so a shorter page would make it skip groups (docs/CLIENTS.md item 16).
import type { Knex } from "knex";
import type { RequestContext } from "../../context.js";
import { isStorableText } from "../../db/storable-text.js";
import { streamMembers } from "../../hr/group-members.js";
import { visibleGroups, type GroupRow, type OrganisationScope } from "../../hr/groups.js";
import { withCurrentLifecycle } from "../../hr/lifecycle-state.js";
import { groupCatalogue, type Catalogue } from "../catalogue/catalogue.js";
import { groupVersion, projectMember } from "../catalogue/group.js";
import { DeferredArray } from "../deferred-array.js";
import { notFound } from "../errors.js";
import type { ListRequest } from "../list-request.js";
import { cursorContext, listResponse, listRows, type PageOfRows } from "../listing.js";
import { applySelection, type AttributeSelection } from "../projection/attribute-selection.js";
import { projectResource } from "../projection/project.js";
import { peopleScope } from "./user-scope.js";
import { relatedScope } from "./users.js";

export interface GroupLimits {
  /** Largest member query result: members are read in keyset chunks of this many rows. */
  memberChunkSize: number;
}

export const DEFAULT_GROUP_LIMITS: GroupLimits = { memberChunkSize: 5_000 };

export function organisationScope(ctx: RequestContext): OrganisationScope {
  return { ...peopleScope(ctx), groupTypes: ctx.tenant.settings.groupTypes };
}

/** The tenant's Group catalogue (its enabled group types). */
export function groupCatalogueFor(ctx: RequestContext): Catalogue {
  return groupCatalogue(ctx.tenant.settings);
}

type GroupPageRow = GroupRow & Record<string, unknown>;

/**
 * The members of a group as a DeferredArray: read in keyset chunks while the response is written,
 * each chunk projected and passed through the request's selection (`attributes=members.value`).
 */
function deferredMembers(db: Knex, scope: OrganisationScope, row: GroupRow, selection: AttributeSelection, limits: GroupLimits, baseUrl: string, catalogue: Catalogue): DeferredArray {
  return new DeferredArray((emit) =>
    streamMembers(db, scope, [row], limits.memberChunkSize, async (_id, chunk) => {
      const members = chunk.map((m) => projectMember(m as never, baseUrl));
      const selected = applySelection({ schemas: [catalogue.coreUrn], id: row.id, members }, selection, catalogue).members;
      await emit(Array.isArray(selected) ? selected : []);
    }));
}

/** The group resource with the selection applied, its members (when returned) deferred. */
function groupResource(ctx: RequestContext, row: GroupRow, scope: OrganisationScope, db: Knex, selection: AttributeSelection, limits: GroupLimits): Record<string, unknown> {
  const catalogue = groupCatalogueFor(ctx);
  // Projected with an empty member list so that the selection places (or drops) `members`.
  const projected = projectResource(catalogue, row as never, { scimBaseUrl: ctx.scimBaseUrl }, { members: [] });
  const resource = applySelection(projected, selection, catalogue);
  if (Object.hasOwn(resource, "members")) resource.members = deferredMembers(db, scope, row, selection, limits, ctx.scimBaseUrl, catalogue);
  return resource;
}

/** One page of Group resources (selection applied) and its paging facts. */
export async function listGroupPage(
  ctx: RequestContext, db: Knex, request: ListRequest, limits: GroupLimits = DEFAULT_GROUP_LIMITS,
): Promise<{ resources: Record<string, unknown>[]; page: PageOfRows<GroupPageRow> }> {
  const scope = organisationScope(ctx);
  const page = await withCurrentLifecycle(db, scope, (h) =>
    listRows<GroupPageRow>(groupCatalogueFor(ctx), () => visibleGroups(h, scope), request, cursorContext(ctx), relatedScope(ctx, h)));
  const resources = page.rows.map((row) => groupResource(ctx, row, scope, db, request.selection, limits));
  return { resources, page };
}

export async function listGroups(ctx: RequestContext, db: Knex, request: ListRequest, limits?: GroupLimits): Promise<Record<string, unknown>> {
  const { resources, page } = await listGroupPage(ctx, db, request, limits);
  return listResponse(resources, page, request.cursor !== undefined);
}

export interface GroupResult {
  resource: Record<string, unknown>;
  version: string;
}

/** A group of an enabled type of the caller's tenant, or 404; members as the token sees them. */
export async function getGroup(
  ctx: RequestContext, db: Knex, id: string, selection: AttributeSelection, limits: GroupLimits = DEFAULT_GROUP_LIMITS,
): Promise<GroupResult> {
  if (id.length > 200 || !isStorableText(id)) throw notFound(`Group ${JSON.stringify(id.slice(0, 60))} not found`);
  const scope = organisationScope(ctx);
  const row = (await withCurrentLifecycle(db, scope, (h) => visibleGroups(h, scope).where("g.id", id).first())) as GroupRow | undefined;
  if (!row) throw notFound(`Group ${id} not found`);
  return { resource: groupResource(ctx, row, scope, db, selection, limits), version: groupVersion(row) };
}

// Use cases of /Groups (read-only): list with filter, sort and paging; get one by id. Members are
// read only when returned, in bounded chunks, while the response is written (DeferredArray): a
// page's first members of every group in one statement, the rest of a large group streamed. A page
// holds min(count, remaining) groups whatever their members: Okta steps startIndex by count, not by
// itemsPerPage, so a shorter page would make it skip groups (docs/CLIENTS.md item 16).
import type { Knex } from "knex";
import type { RequestContext } from "../../context.js";
import { isStorableText } from "../../db/storable-text.js";
import { firstMembers, streamMembers, type FirstMembers, type MemberRow } from "../../hr/group-members.js";
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

/**
 * Members of each group on a page read together before the page is written, at most this many per
 * group and a member chunk in all (a page holds up to 1,000 groups: 5 each with the default chunk); a group
 * beyond its share streams the rest in chunks.
 */
const FIRST_MEMBERS_PER_GROUP = 500;

/** Each group's share of the one statement that reads a page's first members. */
export function firstMembersPerGroup(groups: number, memberChunkSize: number): number {
  return Math.max(1, Math.min(FIRST_MEMBERS_PER_GROUP, Math.floor(memberChunkSize / Math.max(1, groups))));
}

export function organisationScope(ctx: RequestContext): OrganisationScope {
  return { ...peopleScope(ctx), groupTypes: ctx.tenant.settings.groupTypes };
}

/** The tenant's Group catalogue (its enabled group types). */
export function groupCatalogueFor(ctx: RequestContext): Catalogue {
  return groupCatalogue(ctx.tenant.settings);
}

type GroupPageRow = GroupRow & Record<string, unknown>;

/**
 * The members of a group as a DeferredArray: the ones already read (`first`), then the rest in
 * keyset chunks while the response is written, each chunk projected and passed through the
 * request's selection (`attributes=members.value`).
 */
function deferredMembers(
  db: Knex, scope: OrganisationScope, row: GroupRow, selection: AttributeSelection, limits: GroupLimits, baseUrl: string, catalogue: Catalogue,
  first: FirstMembers | undefined,
): DeferredArray {
  return new DeferredArray(async (emit) => {
    const emitChunk = async (chunk: MemberRow[]) => {
      const members = chunk.map((m) => projectMember(m as never, baseUrl));
      const selected = applySelection({ schemas: [catalogue.coreUrn], id: row.id, members }, selection, catalogue).members;
      await emit(Array.isArray(selected) ? selected : []);
    };
    let after = 0;
    if (first) {
      if (first.members.length) await emitChunk(first.members);
      if (!first.more) return;
      after = first.members[first.members.length - 1].id;
    }
    await streamMembers(db, scope, [row], limits.memberChunkSize, (_id, chunk) => emitChunk(chunk), after);
  });
}

/** The group resource with the selection applied, without its members. */
function groupWithoutMembers(ctx: RequestContext, catalogue: Catalogue, row: GroupRow, selection: AttributeSelection): Record<string, unknown> {
  // Projected with an empty member list so that the selection places (or drops) `members`.
  const projected = projectResource(catalogue, row as never, { scimBaseUrl: ctx.scimBaseUrl }, { members: [] });
  return applySelection(projected, selection, catalogue);
}

/** The groups as resources with the selection applied; returned members are deferred (their first ones read now, together). */
async function groupResources(ctx: RequestContext, rows: GroupRow[], scope: OrganisationScope, db: Knex, selection: AttributeSelection, limits: GroupLimits): Promise<Record<string, unknown>[]> {
  const catalogue = groupCatalogueFor(ctx);
  const resources = rows.map((row) => groupWithoutMembers(ctx, catalogue, row, selection));
  // The selection places `members` on every resource or on none.
  if (resources.length === 0 || !Object.hasOwn(resources[0], "members")) return resources;
  const first = await firstMembers(db, scope, rows, firstMembersPerGroup(rows.length, limits.memberChunkSize));
  rows.forEach((row, i) => {
    resources[i].members = deferredMembers(db, scope, row, selection, limits, ctx.scimBaseUrl, catalogue, first.get(row.id));
  });
  return resources;
}

/** One page of Group resources (selection applied) and its paging facts. */
export async function listGroupPage(
  ctx: RequestContext, db: Knex, request: ListRequest, limits: GroupLimits = DEFAULT_GROUP_LIMITS,
): Promise<{ resources: Record<string, unknown>[]; page: PageOfRows<GroupPageRow> }> {
  const scope = organisationScope(ctx);
  const page = await withCurrentLifecycle(db, scope, (h) =>
    listRows<GroupPageRow>(groupCatalogueFor(ctx), () => visibleGroups(h, scope), request, cursorContext(ctx), relatedScope(ctx, h)));
  const resources = await groupResources(ctx, page.rows, scope, db, request.selection, limits);
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
  const [resource] = await groupResources(ctx, [row], scope, db, selection, limits);
  return { resource, version: groupVersion(row) };
}

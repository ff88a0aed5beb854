// Use cases of /Groups (read-only): list with filter, sort and paging; get one by id. Members are
// read only when returned, in bounded chunks, while the response is written (DeferredArray): the
// page's stored member counts first (hr/group-member-counts), then the first members of every group
// that has any in one statement of at most a chunk, shared by need (firstMembersLimits), and only the
// rest of a group too large for its share streamed; a page whose members fit in a chunk is read in
// one member statement. A page holds min(count, remaining) groups whatever their members: Okta
// steps startIndex by count, not by itemsPerPage, so a shorter page would make it skip groups
// (docs/CLIENTS.md item 16).
import type { Knex } from "knex";
import type { RequestContext } from "../../context.js";
import { isStorableText } from "../../db/storable-text.js";
import { groupMemberCounts } from "../../hr/group-member-counts.js";
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
 * Each group's share (in page order) of the one statement that reads a page's first members, from
 * the groups' visible member counts, so that the statement returns at most `memberChunkSize` rows:
 * a group without members gets none (it needs no query); the others are filled up to a common
 * level (water-filling): a group under it gets its whole count plus one (the extra row that does
 * not come says that nothing is left to stream, even if a member arrived since the count), and the
 * groups above it share what is left, one more each for the first ones in page order, and stream
 * their rest. A group given 0 while it has members (more large groups than rows) streams from its
 * start.
 */
export function firstMembersLimits(counts: readonly number[], memberChunkSize: number): number[] {
  const limits = counts.map(() => 0);
  const needs = counts.flatMap((count, i) => (count > 0 ? [{ i, need: Math.floor(count) + 1 }] : []))
    .sort((a, b) => a.need - b.need || a.i - b.i);
  let left = Math.max(1, Math.floor(memberChunkSize));
  let whole = 0;
  for (; whole < needs.length && needs[whole].need <= Math.floor(left / (needs.length - whole)); whole++) {
    limits[needs[whole].i] = needs[whole].need;
    left -= needs[whole].need;
  }
  const large = needs.slice(whole).map((n) => n.i).sort((a, b) => a - b);
  const level = large.length ? Math.floor(left / large.length) : 0;
  large.forEach((i, rank) => { limits[i] = level + (rank < left - level * large.length ? 1 : 0); });
  return limits;
}

/** What a group without visible members shows: nothing, with nothing to stream. */
const NO_MEMBERS: FirstMembers = { members: [], more: false };

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
  const counts = await withCurrentLifecycle(db, scope, (h) => groupMemberCounts(h, scope, rows));
  const memberCounts = rows.map((row) => counts.get(row.id)!);
  const shares = firstMembersLimits(memberCounts, limits.memberChunkSize);
  const first = await firstMembers(db, scope, rows.flatMap((row, i) =>
    (shares[i] > 0 ? [{ id: row.id, type: row.type, member_key: row.member_key, limit: shares[i] }] : [])));
  rows.forEach((row, i) => {
    // A count below 0 would be a fault of the stored counts: such a group streams all its members.
    const known = memberCounts[i] === 0 ? NO_MEMBERS : first.get(row.id);
    resources[i].members = deferredMembers(db, scope, row, selection, limits, ctx.scimBaseUrl, catalogue, known);
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

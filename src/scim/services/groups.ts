// Use cases of /Groups (read-only): list with filter, sort and paging; get one by id. Members are
// loaded only when returned, in bounded chunks, and a page of groups stops early rather than hold
// more than a member budget (RFC 7644 section 3.4.2.4 lets itemsPerPage be below count).
import type { Knex } from "knex";
import type { RequestContext } from "../../context";
import { countMembers, streamMembers, visibleGroups, visiblePeopleSql, type GroupRow, type OrganisationScope } from "../../hr/organisation";
import { notFound } from "../errors";
import type { ListRequest } from "../list-request";
import { listResponse, listRows, type PageOfRows } from "../listing";
import { groupMap } from "../mapping/group-map";
import type { ResourceMap } from "../mapping/types";
import { applySelection, isReturned, type AttributeSelection } from "../projection/attribute-selection";
import { projectGroup, projectMember, type GroupMember } from "../projection/group";
import { GROUP_URN } from "../schema/urns";
import { peopleScope } from "./user-scope";

export interface GroupLimits {
  /** Largest member query result: members are read in keyset chunks of this many rows. */
  memberChunkSize: number;
  /** Members one list response may carry; a page stops before the group that would exceed it (one group at least). */
  memberBudget: number;
}

export const DEFAULT_GROUP_LIMITS: GroupLimits = { memberChunkSize: 5_000, memberBudget: 50_000 };

export function organisationScope(ctx: RequestContext): OrganisationScope {
  return { ...peopleScope(ctx), groupTypes: ctx.tenant.settings.groupTypes };
}

/** The tenant's Group map for this token (members are the people it can see). */
export function groupMapFor(ctx: RequestContext, db: Knex, scope = organisationScope(ctx)): ResourceMap {
  return groupMap(visiblePeopleSql(db, scope), scope.groupTypes);
}

type GroupPageRow = GroupRow & Record<string, unknown>;

async function loadMembers(db: Knex, scope: OrganisationScope, rows: GroupRow[], limits: GroupLimits, baseUrl: string): Promise<Map<string, GroupMember[]>> {
  const members = new Map<string, GroupMember[]>(rows.map((r) => [r.id, []]));
  await streamMembers(db, scope, rows, limits.memberChunkSize, (id, chunk) => {
    const list = members.get(id)!;
    for (const m of chunk) list.push(projectMember(m, baseUrl));
  });
  return members;
}

/** One page of Group resources (selection applied) and its paging facts. */
export async function listGroupPage(
  ctx: RequestContext, db: Knex, request: ListRequest, limits: GroupLimits = DEFAULT_GROUP_LIMITS,
): Promise<{ resources: Record<string, unknown>[]; page: PageOfRows<GroupPageRow> }> {
  const scope = organisationScope(ctx);
  const map = groupMapFor(ctx, db, scope);
  const base = () => visibleGroups(db, scope);
  let page = await listRows<GroupPageRow>(map, base, request);
  let members: Map<string, GroupMember[]> | undefined;
  if (page.rows.length && isReturned(request.selection, "members", GROUP_URN)) {
    const counts = await countMembers(db, scope, page.rows);
    let kept = 0;
    let total = 0;
    for (const row of page.rows) {
      const n = counts.get(row.id) ?? 0;
      if (kept > 0 && total + n > limits.memberBudget) break;
      total += n;
      kept++;
    }
    if (kept < page.rows.length) {
      // A cursor must point after the last group returned: ask the shorter page again.
      page = request.cursor !== undefined ? await listRows<GroupPageRow>(map, base, { ...request, count: kept }) : { ...page, rows: page.rows.slice(0, kept) };
    }
    members = await loadMembers(db, scope, page.rows, limits, ctx.scimBaseUrl);
  }
  const resources = page.rows.map((row) =>
    applySelection(projectGroup(row, members?.get(row.id), ctx.scimBaseUrl), request.selection, GROUP_URN));
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
  const scope = organisationScope(ctx);
  const row = (await visibleGroups(db, scope).where("g.id", id).first()) as GroupRow | undefined;
  if (!row) throw notFound(`Group ${id} not found`);
  const members = isReturned(selection, "members", GROUP_URN) ? (await loadMembers(db, scope, [row], limits, ctx.scimBaseUrl)).get(row.id) : undefined;
  const full = projectGroup(row, members, ctx.scimBaseUrl);
  return { resource: applySelection(full, selection, GROUP_URN), version: (full.meta as { version: string }).version };
}

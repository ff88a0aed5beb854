// POST /.search at the root (RFC 7644 section 3.4.3): one search across Users and, when the tenant
// serves them, Groups. The choice made here, the simplest one that stays correct:
// - a resource type takes part when the filter can be evaluated against its schema; a filter naming
//   an attribute a type does not have (`userName` for Groups, `members` for Users) excludes that
//   type instead of failing, and is 400 invalidFilter only when no type has it;
//   `meta.resourceType eq "Group"` selects a type;
// - results are all matching Users, then all matching Groups: totalResults is the sum, and
//   startIndex/count page over that concatenation; sortBy sorts within each type that has the
//   attribute (a type without it keeps its default order by id);
// - cursor paging (RFC 9865) is offered on /Users/.search and /Groups/.search only.
import type { Knex } from "knex";
import type { RequestContext } from "../../context.js";
import type { Catalogue } from "../catalogue/catalogue.js";
import { ScimError, invalidCursor } from "../errors.js";
import { parseFilter, resolveFilter, type FilterNode } from "../filter/index.js";
import type { ListRequest } from "../list-request.js";
import { listResponse, resolveSortKey, sortable } from "../listing.js";
import { groupCatalogueFor, listGroupPage, type GroupLimits } from "./groups.js";
import { listUserPage, userCatalogueFor } from "./users.js";

interface SearchedType {
  catalogue: Catalogue;
  list: (request: ListRequest) => Promise<{ resources: Record<string, unknown>[]; page: { totalResults: number } }>;
}

/** Why a filter cannot be evaluated against a type's catalogue (its resolution error), or null when it can. */
function resolutionError(catalogue: Catalogue, tree: FilterNode | null): ScimError | null {
  if (!tree) return null;
  try {
    resolveFilter(tree, catalogue);
    return null;
  } catch (e) {
    if (e instanceof ScimError && e.scimType === "invalidFilter") return e;
    throw e;
  }
}

export async function searchResources(ctx: RequestContext, db: Knex, request: ListRequest, groupLimits?: GroupLimits): Promise<Record<string, unknown>> {
  if (request.cursor !== undefined) {
    throw invalidCursor("Cursor paging is not offered by the root /.search across resource types; use /Users/.search or /Groups/.search, or startIndex and count.");
  }
  const tree = request.filter ? parseFilter(request.filter) : null; // a syntax error is 400 whatever the types
  const types: SearchedType[] = [{ catalogue: userCatalogueFor(ctx), list: (r) => listUserPage(ctx, db, r) }];
  if (ctx.tenant.settings.groupTypes.length > 0) {
    types.push({ catalogue: groupCatalogueFor(ctx), list: (r) => listGroupPage(ctx, db, r, groupLimits) });
  }
  const errors = types.map((t) => resolutionError(t.catalogue, tree));
  const searched = types.filter((_, i) => errors[i] === null);
  if (searched.length === 0) throw errors[0]!;
  if (request.sortBy && !searched.some((t) => sortable(t.catalogue, request.sortBy))) resolveSortKey(searched[0].catalogue, request.sortBy); // 400

  const resources: Record<string, unknown>[] = [];
  let totalResults = 0;
  let startIndex = request.startIndex; // 1-based position in the next type's results
  for (const type of searched) {
    const sub: ListRequest = {
      ...request,
      startIndex: Math.max(1, startIndex),
      count: request.count - resources.length,
      sortBy: sortable(type.catalogue, request.sortBy) ? request.sortBy : undefined,
    };
    const { resources: found, page } = await type.list(sub);
    resources.push(...found);
    totalResults += page.totalResults;
    startIndex -= page.totalResults;
  }
  return listResponse(resources, { totalResults, startIndex: request.startIndex }, false);
}

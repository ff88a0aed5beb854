// POST /.search at the root (RFC 7644 3.4.3): searches across Users and Groups (scim/services/search).
import { Router, type Request, type Response } from "express";
import type { ReadRouting } from "../../db/read-routing.js";
import { listRequestFromSearch } from "../../scim/list-request.js";
import type { GroupLimits } from "../../scim/services/groups.js";
import { searchResources } from "../../scim/services/search.js";
import { contextOf } from "../middleware/authenticate.js";
import { sendScim } from "../middleware/scim-json.js";

export function rootSearchRouter(reads: ReadRouting, groupLimits?: GroupLimits): Router {
  const router = Router();
  router.post("/.search", async (req: Request, res: Response) => {
    const list = listRequestFromSearch(req.body);
    const ctx = contextOf(res);
    await sendScim(res, 200, await reads.read(ctx, (reader) => searchResources(ctx, reader, list, groupLimits)));
  });
  return router;
}

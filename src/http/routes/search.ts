// POST /.search at the root (RFC 7644 3.4.3): searches across Users and Groups (scim/services/search).
import { Router, type Request, type Response } from "express";
import type { Knex } from "knex";
import { listRequestFromSearch } from "../../scim/list-request.js";
import type { GroupLimits } from "../../scim/services/groups.js";
import { searchResources } from "../../scim/services/search.js";
import { contextOf } from "../middleware/authenticate.js";
import { sendScim } from "../middleware/scim-json.js";

export function rootSearchRouter(db: Knex, groupLimits?: GroupLimits): Router {
  const router = Router();
  router.post("/.search", async (req: Request, res: Response) => {
    await sendScim(res, 200, await searchResources(contextOf(res), db, listRequestFromSearch(req.body), groupLimits));
  });
  return router;
}

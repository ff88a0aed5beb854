// POST /.search at the root (RFC 7644 3.4.3): searches across resource types.
import { Router, type Request, type Response } from "express";
import type { Knex } from "knex";
import { listRequestFromSearch } from "../../scim/list-request";
import { listUsers } from "../../scim/services/users";
import { contextOf } from "../middleware/authenticate";
import { sendScim } from "../middleware/scim-json";

export function rootSearchRouter(db: Knex): Router {
  const router = Router();
  router.post("/.search", async (req: Request, res: Response) => {
    sendScim(res, 200, await listUsers(contextOf(res), db, listRequestFromSearch(req.body)));
  });
  return router;
}

// /Users routes: thin; parsing, calling a service, sending. Errors flow to render-error.
import { Router, type Request, type Response } from "express";
import type { Knex } from "knex";
import { methodNotAllowed, notImplemented } from "../../scim/errors";
import { listRequestFromQuery, listRequestFromSearch } from "../../scim/list-request";
import { parseSelection } from "../../scim/projection/attribute-selection";
import { getUser, listUsers } from "../../scim/services/users";
import { contextOf } from "../middleware/authenticate";
import { sendScim } from "../middleware/scim-json";
import { queryParam } from "../query-params";

export function usersRouter(db: Knex): Router {
  const router = Router();

  router.get("/Users", async (req: Request, res: Response) => {
    sendScim(res, 200, await listUsers(contextOf(res), db, listRequestFromQuery(req.query)));
  });

  router.post("/Users/.search", async (req: Request, res: Response) => {
    sendScim(res, 200, await listUsers(contextOf(res), db, listRequestFromSearch(req.body)));
  });

  router.get("/Users/:id", async (req: Request, res: Response) => {
    const id = String(req.params.id);
    res.locals.resourceId = id;
    const selection = parseSelection(queryParam(req, "attributes"), queryParam(req, "excludedAttributes"));
    const { resource, version } = await getUser(contextOf(res), db, id, selection);
    res.setHeader("ETag", version);
    const ifNoneMatch = req.get("if-none-match");
    if (ifNoneMatch && ifNoneMatch.split(",").map((v) => v.trim()).some((v) => v === version || v === "*")) {
      res.status(304).end();
      return;
    }
    sendScim(res, 200, resource);
  });

  router.post("/Users", () => {
    throw methodNotAllowed(
      "hr-scim does not create users: HR creates employments. Switch off \"Create Users\" in Okta's provisioning settings, or the Create target action in Entra's attribute mapping.",
      "GET",
    );
  });

  router.delete("/Users/:id", () => {
    throw methodNotAllowed(
      "hr-scim does not delete users: HR ends employments and the user becomes active=false. Switch off \"Deactivate Users\" in Okta's provisioning settings, or the Delete target action in Entra's attribute mapping.",
      "GET, PUT, PATCH",
    );
  });

  router.put("/Users/:id", () => { throw notImplemented("Write-back (PUT) is not available yet"); });
  router.patch("/Users/:id", () => { throw notImplemented("Write-back (PATCH) is not available yet"); });

  return router;
}

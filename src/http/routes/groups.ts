// /Groups routes (read-only): thin; parsing, calling a service, sending. Errors flow to render-error.
import { Router, type Request, type Response } from "express";
import type { ReadRouting } from "../../db/read-routing.js";
import { methodNotAllowed } from "../../scim/errors.js";
import { listRequestFromQuery, listRequestFromSearch } from "../../scim/list-request.js";
import { parseSelection } from "../../scim/projection/attribute-selection.js";
import { DEFAULT_GROUP_LIMITS, getGroup, listGroups, type GroupLimits } from "../../scim/services/groups.js";
import { contextOf } from "../middleware/authenticate.js";
import { sendResource, sendScim } from "../middleware/scim-json.js";
import { queryParam } from "../query-params.js";

const READ_ONLY =
  "hr-scim groups are read-only: they mirror the HR organisation (departments, establishments, legal units, countries) and nothing was changed. " +
  "Switch off \"Push groups\" (and group push mappings) in Okta, or group provisioning (the Group object mapping) in Microsoft Entra ID; use \"Import groups\" to read them.";

export function groupsRouter(reads: ReadRouting, limits: GroupLimits = DEFAULT_GROUP_LIMITS): Router {
  const router = Router();

  router.get("/Groups", async (req: Request, res: Response) => {
    const list = listRequestFromQuery(req.query);
    await sendScim(res, 200, await reads.read(contextOf(res), (reader) => listGroups(contextOf(res), reader, list, limits)));
  });

  router.post("/Groups/.search", async (req: Request, res: Response) => {
    const list = listRequestFromSearch(req.body);
    await sendScim(res, 200, await reads.read(contextOf(res), (reader) => listGroups(contextOf(res), reader, list, limits)));
  });

  router.get("/Groups/:id", async (req: Request, res: Response) => {
    const id = String(req.params.id);
    res.locals.resourceId = id;
    const selection = parseSelection(queryParam(req, "attributes"), queryParam(req, "excludedAttributes"));
    const { resource, version } = await reads.read(contextOf(res), (reader) => getGroup(contextOf(res), reader, id, selection, limits));
    await sendResource(req, res, resource, version);
  });

  router.post("/Groups", () => { throw methodNotAllowed(READ_ONLY, "GET"); });
  router.put("/Groups/:id", () => { throw methodNotAllowed(READ_ONLY, "GET"); });
  router.patch("/Groups/:id", () => { throw methodNotAllowed(READ_ONLY, "GET"); });
  router.delete("/Groups/:id", () => { throw methodNotAllowed(READ_ONLY, "GET"); });

  return router;
}

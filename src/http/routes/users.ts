// /Users routes: thin; parsing, calling a service, sending. Errors flow to render-error.
import { Router, type Request, type Response } from "express";
import { recordTokenWrite } from "../../auth/tokens.js";
import type { ReadRouting } from "../../db/read-routing.js";
import { methodNotAllowed } from "../../scim/errors.js";
import { listRequestFromQuery, listRequestFromSearch } from "../../scim/list-request.js";
import { parseSelection } from "../../scim/projection/attribute-selection.js";
import { getUser, listUsers } from "../../scim/services/users.js";
import { patchUser, putUser, type UserWriteRequest } from "../../scim/services/write-user.js";
import { contextOf } from "../middleware/authenticate.js";
import { sendResource, sendScim } from "../middleware/scim-json.js";
import { queryParam } from "../query-params.js";

/** A ListResponse, its size noted for the integration log (the console's last import per token). */
function sendPage(res: Response, body: Record<string, unknown>): void {
  if (typeof body.itemsPerPage === "number") res.locals.results = body.itemsPerPage;
  sendScim(res, 200, body);
}

export function usersRouter(reads: ReadRouting): Router {
  const router = Router();
  const db = reads.primary;
  // Before the response: the token's next read (maybe on another process) must see this write.
  const recordWrite = (res: Response) => reads.recordWrite(contextOf(res).tenant.id, contextOf(res).tokenId, recordTokenWrite);

  router.get("/Users", async (req: Request, res: Response) => {
    const list = listRequestFromQuery(req.query);
    sendPage(res, await reads.read(contextOf(res), (reader) => listUsers(contextOf(res), reader, list)));
  });

  router.post("/Users/.search", async (req: Request, res: Response) => {
    const list = listRequestFromSearch(req.body);
    sendPage(res, await reads.read(contextOf(res), (reader) => listUsers(contextOf(res), reader, list)));
  });

  router.get("/Users/:id", async (req: Request, res: Response) => {
    const id = String(req.params.id);
    res.locals.resourceId = id;
    const selection = parseSelection(queryParam(req, "attributes"), queryParam(req, "excludedAttributes"));
    const { resource, version } = await reads.read(contextOf(res), (reader) => getUser(contextOf(res), reader, id, selection));
    await sendResource(req, res, resource, version);
  });

  router.post("/Users", () => {
    throw methodNotAllowed(
      "hr-scim does not create users: HR creates employments. Switch off \"Create Users\" in Okta's provisioning settings, or the Create target action in Entra's attribute mapping.",
      "GET",
    );
  });

  for (const method of ["put", "patch", "delete"] as const) {
    router[method]("/Users", () => {
      throw methodNotAllowed("Writes go to one user: PUT or PATCH /Users/{id}. The /Users collection only answers GET (and POST /Users/.search).", "GET");
    });
  }

  router.delete("/Users/:id", () => {
    throw methodNotAllowed(
      "hr-scim does not delete users: HR ends employments and the user becomes active=false. Switch off \"Deactivate Users\" in Okta's provisioning settings, or the Delete target action in Entra's attribute mapping.",
      "GET, PUT, PATCH",
    );
  });

  // PUT: 200 with the whole resource (RFC 7644 section 3.5.1), subject to attributes/excludedAttributes.
  router.put("/Users/:id", async (req: Request, res: Response) => {
    const result = await putUser(contextOf(res), db, writeRequest(req, res, "PUT", 200));
    await recordWrite(res);
    res.locals.integrationLogged = true; // the audit row, with the diff, is this request's integration-log row
    res.setHeader("ETag", result.version);
    sendScim(res, 200, result.resource);
  });

  // PATCH (RFC 7644 section 3.5.2): 200 with the resource, subject to attributes/excludedAttributes
  // ("MUST return a 200 OK if the attributes parameter is specified"). 204 No Content when the client
  // asks for no content: an empty `attributes=` (no attribute asked for), or `Prefer: return=minimal`
  // (RFC 7240) without attributes/excludedAttributes.
  router.patch("/Users/:id", async (req: Request, res: Response) => {
    const noContent = asksForNoContent(req);
    const result = await patchUser(contextOf(res), db, writeRequest(req, res, "PATCH", noContent ? 204 : 200));
    await recordWrite(res);
    res.locals.integrationLogged = true;
    res.setHeader("ETag", result.version);
    if (noContent) {
      res.status(204).end();
      return;
    }
    sendScim(res, 200, result.resource);
  });

  return router;
}

function writeRequest(req: Request, res: Response, method: "PATCH" | "PUT", successStatus: 200 | 204): UserWriteRequest {
  const id = String(req.params.id);
  res.locals.resourceId = id;
  const started = res.locals.startedAt as bigint;
  return {
    id,
    body: req.body,
    ifMatch: req.get("if-match"),
    selection: parseSelection(queryParam(req, "attributes"), queryParam(req, "excludedAttributes")),
    method,
    successStatus,
    path: req.originalUrl.split("?")[0], // as the client sent it, without the query (as request-log.ts)
    elapsedMs: () => Number(process.hrtime.bigint() - started) / 1e6,
  };
}

function asksForNoContent(req: Request): boolean {
  const attributes = queryParam(req, "attributes");
  if (attributes !== undefined) return attributes.trim() === "";
  return queryParam(req, "excludedAttributes") === undefined && prefersMinimal(req);
}

/** `Prefer: return=minimal` (RFC 7240 section 4.2). */
function prefersMinimal(req: Request): boolean {
  return (req.get("prefer") ?? "").split(",").some((p) => p.trim().toLowerCase() === "return=minimal");
}

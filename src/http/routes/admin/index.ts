// /admin/v1: the admin API (issue 13), JSON with RFC 9457 problem+json errors. Sessions first (signing
// in needs no credential), then every route behind adminAuthenticate; its own 404 and error handler.
import express, { Router } from "express";
import type { Knex } from "knex";
import type { Logger } from "winston";
import { AdminProblem } from "../../../admin/problems.js";
import type { Clock } from "../../../clock.js";
import type { EntraContext } from "../../../connectors/entra/context.js";
import { boundLogText } from "../../../log-text.js";
import { adminAuthenticate, adminContextOf } from "../../middleware/admin-auth.js";
import { renderProblem } from "../../middleware/admin-problem.js";
import { entraRoutes } from "./entra-routes.js";
import { hrRoutes } from "./hr-routes.js";
import { sessionRouter } from "./session.js";
import { tenantRoutes } from "./tenant-routes.js";

export const ADMIN_API_PREFIX = "/admin/v1";

export interface AdminApiOptions {
  db: Knex;
  clock: Clock;
  logger: Logger;
  csrfKey: Buffer;
  baseUrl?: string;
  entra: () => EntraContext;
}

export function adminApiRouter(options: AdminApiOptions): Router {
  const router = Router();
  router.use(express.json({ limit: "1mb", type: ["application/json", "application/*+json"] }));
  router.use(sessionRouter(options));
  router.use(adminAuthenticate(options));
  router.get("/me", (_req, res) => {
    const { actor } = adminContextOf(res);
    res.json({ keyId: actor.keyId, label: actor.label, roles: actor.roles, tenantId: actor.tenantId });
  });
  router.use(tenantRoutes(options.db));
  router.use(entraRoutes(options.db, options.entra));
  router.use(hrRoutes(options.db));
  router.use((req) => {
    throw new AdminProblem(404, "Not found", `No admin endpoint at ${req.method} ${ADMIN_API_PREFIX}${boundLogText(req.path, 100)}`);
  });
  router.use(renderProblem(options.logger));
  return router;
}

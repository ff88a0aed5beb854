// /admin/v1/tenants/{slug}/entra: the Entra connector (integration-admin): the connection (never its
// secret), connecting with the secret write-only, testing it, a run now, the runs with outcomes.
import { Router } from "express";
import type { Knex } from "knex";
import { connectEntra, entraConnectionView, entraRunsWithOutcomes, entraRunView } from "../../../admin/entra-admin.js";
import { recordAdminAction } from "../../../admin/admin-audit.js";
import { AdminProblem, conflict } from "../../../admin/problems.js";
import { requireRole } from "../../../admin/roles.js";
import { checkConnection } from "../../../connectors/entra/connection-check.js";
import { findConnection } from "../../../connectors/entra/connection-store.js";
import type { EntraContext } from "../../../connectors/entra/context.js";
import { openRun } from "../../../connectors/entra/run-log.js";
import { NotConnectedError, syncTenant } from "../../../connectors/entra/runner.js";
import { adminContextOf } from "../../middleware/admin-auth.js";
import { intParam, objectBody } from "./params.js";
import { tenantOf } from "./tenant-routes.js";

const notConnected = () => new AdminProblem(409, "Conflict", "The tenant has no Entra connection: connect it first (PUT .../entra).");

export function entraRoutes(db: Knex, entra: () => EntraContext): Router {
  const router = Router();
  router.get("/tenants/:slug/entra", async (req, res) => {
    const tenant = await tenantOf(db, req, res);
    const conn = await findConnection(db, tenant.id);
    res.json(conn ? { connected: true, ...entraConnectionView(conn, tenant, await openRun(db, tenant.id)) } : { connected: false, tenant: tenant.slug });
  });
  router.put("/tenants/:slug/entra", async (req, res) => {
    const { actor, now } = adminContextOf(res);
    const tenant = await tenantOf(db, req, res);
    const saved = await connectEntra(db, actor, tenant, objectBody(req), entra().secretKey, now);
    res.status(saved.created ? 201 : 200).json({ connected: true, reset: saved.reset, ...entraConnectionView(saved.connection, tenant, null) });
  });
  router.post("/tenants/:slug/entra/test", async (req, res) => {
    const { actor } = adminContextOf(res);
    const tenant = await tenantOf(db, req, res);
    requireRole(actor, "integration-admin");
    if (!(await findConnection(db, tenant.id))) throw notConnected();
    res.json(await checkConnection(entra(), tenant.id));
  });
  router.post("/tenants/:slug/entra/runs", async (req, res) => {
    const { actor, now } = adminContextOf(res);
    const tenant = await tenantOf(db, req, res);
    requireRole(actor, "integration-admin");
    const full = objectBody(req).full === true;
    let result;
    try {
      result = await syncTenant(entra(), tenant.id, { kind: full ? "full" : "auto", trigger: "admin" });
    } catch (e) {
      if (e instanceof NotConnectedError) throw notConnected();
      throw e;
    }
    if (result.busy) throw conflict("A push of this tenant is under way; try again when it ends.");
    await recordAdminAction(db, { tenantId: tenant.id, at: now, actor: actor.label, action: "entra.run", target: tenant.slug, after: { runs: result.runs.map((r) => r.id), full } });
    res.json({ runs: result.runs.map(entraRunView) });
  });
  router.get("/tenants/:slug/entra/runs", async (req, res) => {
    const tenant = await tenantOf(db, req, res);
    res.json({ runs: await entraRunsWithOutcomes(db, tenant.id, intParam(req, "limit", 10, 1, 100)) });
  });
  return router;
}

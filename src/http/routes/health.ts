// Liveness (/healthz: the process answers) and readiness (/readyz: the database answers).
import { Router } from "express";
import type { Knex } from "knex";

export function healthRouter(db: Knex): Router {
  const router = Router();
  router.get("/healthz", (_req, res) => { res.type("application/json").send(JSON.stringify({ status: "ok" })); });
  router.get("/readyz", async (_req, res) => {
    try {
      await db.raw("select 1");
      res.type("application/json").send(JSON.stringify({ status: "ready" }));
    } catch {
      res.status(503).type("application/json").send(JSON.stringify({ status: "unavailable", detail: "The database does not answer" }));
    }
  });
  return router;
}

// Liveness (/healthz: the process answers) and readiness (/readyz: the database answers now, within
// a bound shorter than a probe's usual timeout; never a remembered state).
import { Router } from "express";
import type { Knex } from "knex";

/** How long /readyz waits for the database before it answers 503. */
export const READINESS_TIMEOUT_MS = 2_000;
const RETRY_AFTER_SECONDS = "5";

/** Whether `select 1` answers within timeoutMs (it fails fast when the database refuses connections). */
async function databaseAnswers(db: Knex, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => { timer = setTimeout(() => resolve(false), timeoutMs); });
  try {
    return await Promise.race([db.raw("select 1").then(() => true, () => false), late]);
  } finally {
    clearTimeout(timer);
  }
}

export function healthRouter(db: Knex, options: { readinessTimeoutMs?: number } = {}): Router {
  const timeoutMs = options.readinessTimeoutMs ?? READINESS_TIMEOUT_MS;
  const router = Router();
  router.get("/healthz", (_req, res) => { res.type("application/json").send(JSON.stringify({ status: "ok" })); });
  router.get("/readyz", async (_req, res) => {
    if (await databaseAnswers(db, timeoutMs)) {
      res.type("application/json").send(JSON.stringify({ status: "ready" }));
      return;
    }
    res.status(503).setHeader("Retry-After", RETRY_AFTER_SECONDS);
    res.type("application/json").send(JSON.stringify({ status: "unavailable", detail: `The database does not answer (or not within ${timeoutMs} ms)` }));
  });
  return router;
}

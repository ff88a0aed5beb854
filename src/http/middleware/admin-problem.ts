// Errors of /admin/v1 (admin-problem.ts; the HR API has problem-json.ts) as RFC 9457 problem+json: AdminProblem as given; body-parser failures as 400;
// database faults as 503 with Retry-After; anything else as a 500 without internals. The admin
// router's own error handler, so that SCIM errors keep their SCIM bodies.
import type { ErrorRequestHandler, Response } from "express";
import type { Logger } from "winston";
import { AdminProblem } from "../../admin/problems.js";
import { classifyDatabaseError } from "../../db/database-errors.js";
import { boundLogText } from "../../log-text.js";
import { RETRY_AFTER_SECONDS } from "./render-error.js";

export const PROBLEM_TYPE = "application/problem+json";

export function sendProblem(res: Response, problem: AdminProblem): void {
  res.status(problem.status).type(PROBLEM_TYPE).send(JSON.stringify({
    type: "about:blank", title: problem.title, status: problem.status, detail: problem.detail, ...problem.extra,
  }));
}

function toProblem(err: unknown): AdminProblem | null {
  if (err instanceof AdminProblem) return err;
  const e = err as { type?: string; status?: number; code?: unknown };
  if (e?.type === "entity.parse.failed") return new AdminProblem(400, "Bad request", "The request body is not valid JSON");
  if (e?.type === "entity.too.large") return new AdminProblem(413, "Payload too large", "The request body is too large");
  if (typeof e?.status === "number" && e.status >= 400 && e.status < 500) return new AdminProblem(e.status, "Bad request", "The request could not be read");
  if (e?.code === "22021" || e?.code === "22P05" || e?.code === "22007" || e?.code === "22008") return new AdminProblem(400, "Bad request", "The request holds a value that cannot be stored or compared (a NUL character, an invalid date)");
  return null;
}

export function renderProblem(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    let problem = toProblem(err);
    if (!problem) {
      const fault = classifyDatabaseError(err);
      const e = err as { name?: string; code?: string; stack?: string };
      if (fault) {
        logger.error("database fault", { requestId: res.locals.requestId, method: req.method, route: boundLogText(req.route?.path ?? req.path), fault, code: e?.code, error: e?.name });
        res.setHeader("Retry-After", String(RETRY_AFTER_SECONDS[fault]));
        problem = new AdminProblem(503, "Service unavailable", "The database is unavailable or the request took too long; nothing may have changed. Retry later.");
      } else {
        logger.error("unhandled error", {
          requestId: res.locals.requestId, method: req.method, route: boundLogText(req.route?.path ?? req.path), error: e?.name, code: e?.code,
          stack: e?.stack?.split("\n").filter((l) => /^\s+at /.test(l)).slice(0, 5).join("\n"),
        });
        problem = new AdminProblem(500, "Internal error", "Internal error. The request id in X-Request-Id identifies it in the server logs.");
      }
    }
    if (problem.status === 401) res.setHeader("WWW-Authenticate", 'Bearer realm="hr-scim admin"');
    res.locals.errorDetail = problem.status < 500 ? problem.title : "internal";
    if (res.headersSent) return;
    sendProblem(res, problem);
  };
}

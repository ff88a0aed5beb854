// Errors of /admin/v1 as RFC 9457 problem+json (the HR API has problem-json.ts): AdminProblem as
// given; anything else classified as render-error does (body-parser failures, values PostgreSQL
// refuses, database faults as 503 with Retry-After, a logged 500 without internals). The admin
// router's own error handler, so that SCIM errors keep their SCIM bodies.
import { STATUS_CODES } from "node:http";
import type { ErrorRequestHandler, Response } from "express";
import type { Logger } from "winston";
import { AdminProblem } from "../../admin/problems.js";
import { PROBLEM_CONTENT_TYPE } from "./problem-json.js";
import { classifyError } from "./render-error.js";

export function sendProblem(res: Response, problem: AdminProblem): void {
  res.status(problem.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify({
    type: "about:blank", title: problem.title, status: problem.status, detail: problem.detail, ...problem.extra,
  }));
}

export function renderProblem(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    let problem: AdminProblem;
    if (err instanceof AdminProblem) problem = err;
    else {
      const error = classifyError(err, logger, req, res);
      for (const [name, value] of Object.entries(error.headers)) res.setHeader(name, value);
      problem = new AdminProblem(error.status, STATUS_CODES[error.status] ?? "Error", error.detail);
    }
    if (problem.status === 401) res.setHeader("WWW-Authenticate", 'Bearer realm="hr-scim admin"');
    res.locals.errorDetail = problem.status < 500 ? problem.title : "internal";
    if (res.headersSent) return;
    sendProblem(res, problem);
  };
}
